// libFuzzer target: every request body decoder of the HTTP API, fed arbitrary bytes.
// A decoder must either refuse with a 4xx error that has a code and a message, or return
// a value that respects every bound it promises. Anything else (a crash, a sanitizer
// report, a broken promise) stops the fuzzer.

#include "requestdecoding.h"

#include <cstdint>
#include <cstdlib>

using namespace flashsale::http;

namespace {

template<typename T>
bool refusedProperly(const Decoded<T> &decoded)
{
    const RequestError &e = decoded.error();
    return (e.status == 400 || e.status == 413) && !e.code.isEmpty() && !e.message.isEmpty();
}

void check(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));

    const auto credentials = decodeCredentials(body);
    if (credentials)
        check(credentials->username.size() >= 1 && credentials->username.size() <= 64
              && credentials->password.size() >= 8 && credentials->password.size() <= 128);
    else
        check(refusedProperly(credentials));

    const auto goods = decodeGoods(body);
    if (goods)
        check(!goods->name.trimmed().isEmpty() && goods->priceCents >= 0
              && goods->flashPriceCents >= 0 && goods->flashPriceCents <= goods->priceCents);
    else
        check(refusedProperly(goods));

    const auto schedule = decodeSaleSchedule(body);
    if (schedule)
        check(schedule->validate().ok() && schedule->revealAtMs <= schedule->startAtMs
              && schedule->startAtMs < schedule->endAtMs);
    else
        check(refusedProperly(schedule));

    const auto topUp = decodeStockTopUp(body);
    check(topUp ? topUp->add >= 1 : refusedProperly(topUp));

    const auto rate = decodeRate(body);
    check(rate ? rate->ratePerSecond > 0 && rate->burst >= 1 : refusedProperly(rate));

    const auto degradation = decodeDegradation(body);
    if (degradation)
        check(degradation->message.size() <= 500
              && (!degradation->goodsId || *degradation->goodsId >= 1));
    else
        check(refusedProperly(degradation));

    if (size <= 64) {
        const auto ms = parseTime(QString::fromUtf8(body));
        if (ms)
            check(parseTime(formatTime(*ms)) == ms);
    }
    return 0;
}
