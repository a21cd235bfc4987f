#pragma once

#include "goods.h"
#include "saleschedule.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <variant>

namespace flashsale::http {

/// Why a request was refused before anything was done: an HTTP status, the error code of
/// docs/api.md and a message that names the field at fault.
struct RequestError
{
    int status = 400; ///< 400 invalid / invalid_json, 413 too_large
    QString code; ///< "invalid_json", "invalid", "too_large"
    QString message; ///< for people
};

/// A decoded request body, or why it could not be decoded.
template<typename T>
class Decoded
{
public:
    Decoded(T value)
        : m_value(std::move(value))
    { }
    Decoded(RequestError error)
        : m_error(std::move(error))
    { }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return *m_value; }
    const T *operator->() const { return &*m_value; }
    const RequestError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    RequestError m_error;
};

/// Bodies larger than this are refused (413) before they are parsed.
constexpr qsizetype maxBodyBytes = 64 * 1024;

/// `{username, password}` of POST /api/users and /api/sessions.
struct Credentials
{
    QString username; ///< 1..64 characters, letters, digits and ._-
    QString password; ///< 8..128 characters
};

/// The body of POST /admin/sales/{goodsId}/stock.
struct StockTopUp
{
    qint64 add = 0; ///< 1..10^9
};

/// The body of PUT /admin/sales/{goodsId}/rate.
struct RateInput
{
    double ratePerSecond = 0; ///< > 0
    qint64 burst = 0; ///< >= 1
};

/// The body of PUT /admin/degradation.
struct DegradationInput
{
    std::optional<qint64> goodsId; ///< empty: the whole site
    bool on = false;
    QString message; ///< at most 500 characters
};

/// Parses \a body as one JSON object, refusing bodies over maxBodyBytes (413).
Decoded<QJsonObject> decodeObject(const QByteArray &body);

Decoded<Credentials> decodeCredentials(const QByteArray &body);
/// The body of POST and PUT /admin/goods (goodsId stays 0).
Decoded<catalog::Goods> decodeGoods(const QByteArray &body);
/// `{stock, revealAt, startAt, endAt, ratePerSecond, burst}`, validated (reveal <= start
/// < end ...).
Decoded<sale::SaleSchedule> decodeSaleSchedule(const QByteArray &body);
Decoded<StockTopUp> decodeStockTopUp(const QByteArray &body);
Decoded<RateInput> decodeRate(const QByteArray &body);
Decoded<DegradationInput> decodeDegradation(const QByteArray &body);

/// Milliseconds since the epoch from an ISO 8601 time with a zone ("...Z" or "+02:00").
std::optional<qint64> parseTime(const QString &text);
/// The wire form of a time: ISO 8601, UTC, milliseconds.
QString formatTime(qint64 msSinceEpoch);
/// The server's clock, milliseconds since the epoch: the time both APIs judge and answer by.
qint64 nowMs();

} // namespace flashsale::http
