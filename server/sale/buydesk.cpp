#include "buydesk.h"

#include "circuitbreaker.h"
#include "killswitch.h"
#include "productbuckets.h"
#include "reservation.h"
#include "salecatalog.h"
#include "sessiontokens.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcBuy, "flashsale.sale.buy")

namespace flashsale::sale {

using Kind = BuyOutcome::Kind;

namespace {
BuyOutcome outcome(Kind kind, qint64 goodsId, int retryAfterSeconds = 0)
{
    BuyOutcome o;
    o.kind = kind;
    o.goodsId = goodsId;
    o.retryAfterSeconds = retryAfterSeconds;
    return o;
}
} // namespace

BuyDesk::BuyDesk(Parts parts)
    : m_parts(parts)
{ }

BuyOutcome BuyDesk::finish(BuyOutcome outcome,
                           std::chrono::steady_clock::time_point arrivedAt) const
{
    if (m_parts.metrics)
        m_parts.metrics->recordBuy(outcome.goodsId, outcome.metric(), arrivedAt);
    return outcome;
}

BuyDesk::Checked BuyDesk::check(const BuyRequest &request) const
{
    const qint64 goodsId = request.goodsId;
    // The instance's own bound first: past it nothing else is worth doing.
    std::optional<AdmissionGate::Ticket> ticket = m_parts.admission->tryEnter();
    if (!ticket)
        return finish(outcome(Kind::Crowded, goodsId, 1), request.arrivedAt);
    const auto session = m_parts.sessions->verifyHeader(
        std::string_view(request.authorization.constData(), size_t(request.authorization.size())),
        request.nowMs);
    if (!session)
        return finish(outcome(Kind::Unauthorized, goodsId), request.arrivedAt);
    const auto sales = m_parts.catalog->snapshot();
    const auto it = sales->constFind(goodsId);
    if (it == sales->cend() || !it->schedule) {
        // Before the first load an unknown product may well be on sale: say "later", never
        // "there is no such sale" to a shopper who may be right.
        if (!m_parts.catalog->isLoaded())
            return finish(outcome(Kind::CatalogLoading, goodsId, 2), request.arrivedAt);
        return finish(outcome(Kind::NoSale, goodsId), request.arrivedAt);
    }
    // 1 gate
    if (const auto message = m_parts.killSwitch->blocked(goodsId)) {
        BuyOutcome o = outcome(Kind::Switched, goodsId, 5);
        o.message = *message;
        return finish(o, request.arrivedAt);
    }
    // 2 window
    const SaleSchedule &schedule = *it->schedule;
    if (request.nowMs < schedule.startAtMs) {
        BuyOutcome o = outcome(Kind::NotStarted, goodsId);
        o.startAtMs = schedule.startAtMs;
        return finish(o, request.arrivedAt);
    }
    if (request.nowMs >= schedule.endAtMs)
        return finish(outcome(Kind::Ended, goodsId), request.arrivedAt);
    // 3 path
    if (!it->pathSigner.verify(
            session->userId, goodsId,
            std::string_view(request.path.constData(), size_t(request.path.size()))))
        return finish(outcome(Kind::WrongPath, goodsId), request.arrivedAt);
    // 4 sold-out mark
    if (m_parts.catalog->isSoldOut(goodsId))
        return finish(outcome(Kind::SoldOut, goodsId), request.arrivedAt);
    // 5 bucket: a token now, or one within buy-wait (the reserve comes after the wait)
    std::chrono::microseconds wait {0};
    if (const auto bucket = m_parts.buckets->bucket(goodsId)) {
        const auto reserved = bucket->tryReserve(1, m_parts.buyWait);
        if (!reserved) {
            const double seconds =
                std::chrono::duration<double>(bucket->timeUntilAvailable()).count();
            return finish(outcome(Kind::RateLimited, goodsId, std::max(1, int(std::ceil(seconds)))),
                          request.arrivedAt);
        }
        wait = *reserved;
    }
    // RabbitMQ's breaker and the publisher's backlog (which bounds what waits for the
    // broker in this process's memory): an open one answers at once.
    if (!m_parts.orders || m_parts.rabbitBreaker->state() == CircuitBreaker::State::Open
        || m_parts.orders->backlog() >= m_parts.maxPublishBacklog)
        return finish(outcome(Kind::Unavailable, goodsId, 2), request.arrivedAt);
    BuyAdmission admission;
    admission.goodsId = goodsId;
    admission.userId = session->userId;
    if (schedule.addressWindowMs > 0)
        admission.address = {m_parts.shopperAddress ? m_parts.shopperAddress(request.clientAddress,
                                                                             request.forwardedFor)
                                                    : request.clientAddress,
                             schedule.addressWindowMs};
    admission.wait = wait;
    admission.ticket = std::make_shared<AdmissionGate::Ticket>(std::move(*ticket));
    admission.arrivedAt = request.arrivedAt;
    return admission;
}

BuyOutcome BuyDesk::fromReserve(const BuyAdmission &admission, const redis::ReserveOutcome &o) const
{
    using R = redis::ReserveOutcome::Kind;
    const qint64 goodsId = admission.goodsId;
    if (o.kind == R::Error) {
        m_parts.redisBreaker->recordFailure();
        qCWarning(lcBuy).noquote() << "reserve failed:" << o.error;
        return outcome(Kind::Unavailable, goodsId, 2);
    }
    m_parts.redisBreaker->recordSuccess();
    switch (o.kind) {
    case R::SoldOut:
        m_parts.catalog->setSoldOut(goodsId, true);
        return outcome(Kind::SoldOut, goodsId);
    case R::Duplicate:
        return outcome(Kind::Duplicate, goodsId);
    case R::TooFrequent:
        return outcome(Kind::TooFrequent, goodsId, 1);
    case R::AddressTooFrequent:
        return outcome(Kind::AddressTooFrequent, goodsId,
                       std::max(1, (admission.address.windowMs + 999) / 1000));
    case R::NoSuchSale:
        return outcome(Kind::StockNotLoaded, goodsId, 2);
    case R::Reserved:
    case R::Error:
        break;
    }
    // The reservation is already in Redis's pending set, where the reconciler finds it if
    // this message is lost (a crash, a broker down for longer than the publisher waits):
    // the 202 holds without waiting for the broker's confirm, which would cost a disk
    // flush per answer.
    amqp::Reservation reservation;
    reservation.id = QString::fromLatin1(o.reservationId());
    reservation.goodsId = o.goodsId;
    reservation.userId = o.userId;
    reservation.reservedAtMs = o.reservedAtMs;
    m_parts.orders->publish(reservation);
    BuyOutcome queued = outcome(Kind::Queued, goodsId);
    queued.reservation = o.reservationId();
    queued.position = o.sequence;
    return queued;
}

void BuyDesk::reserve(const BuyAdmission &admission, ReserveStep &step,
                      std::function<void(const BuyOutcome &)> done) const
{
    // Last of the checks: in half-open state this call is the breaker's probe, and only the
    // reserve below reports its outcome.
    if (!m_parts.redisBreaker->allow())
        return done(finish(outcome(Kind::Unavailable, admission.goodsId, 2), admission.arrivedAt));
    step.reserve(admission.goodsId, admission.userId, admission.address,
                 [this, admission, done = std::move(done)](const redis::ReserveOutcome &o) {
                     // The admission (and its place in the gate) is held until here.
                     done(finish(fromReserve(admission, o), admission.arrivedAt));
                 });
}

void BuyDesk::buy(
    const BuyRequest &request, ReserveStep &step,
    const std::function<void(std::chrono::microseconds, std::function<void()>)> &later,
    std::function<void(const BuyOutcome &)> done) const
{
    Checked checked = check(request);
    if (auto *final = std::get_if<BuyOutcome>(&checked))
        return done(*final);
    const BuyAdmission admission = std::get<BuyAdmission>(checked);
    if (admission.wait.count() <= 0)
        return reserve(admission, step, std::move(done));
    later(admission.wait, [this, admission, &step, done = std::move(done)]() mutable {
        reserve(admission, step, std::move(done));
    });
}

} // namespace flashsale::sale
