#include "reservationcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace flashsale::amqp {

namespace {

// Exact integers only: JSON numbers are doubles, and ids beyond 2^53 would round silently.
std::optional<qint64> positiveInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    constexpr double maxExact = 9007199254740992.0; // 2^53
    if (!(d >= 1 && d <= maxExact) || d != double(qint64(d)))
        return std::nullopt;
    return qint64(d);
}

} // namespace

QByteArray ReservationCodec::encode(const QList<Reservation> &batch)
{
    QJsonArray items;
    for (const Reservation &r : batch) {
        items.append(QJsonObject {
            {QStringLiteral("id"), r.id},
            {QStringLiteral("goodsId"), r.goodsId},
            {QStringLiteral("userId"), r.userId},
            {QStringLiteral("reservedAt"), r.reservedAtMs},
        });
    }
    return QJsonDocument(
               QJsonObject {{QStringLiteral("v"), 1}, {QStringLiteral("reservations"), items}})
        .toJson(QJsonDocument::Compact);
}

Result<QList<Reservation>> ReservationCodec::decode(const QByteArray &body)
{
    using R = Result<QList<Reservation>>;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return R::failure(QStringLiteral("order message is not JSON: %1 at offset %2")
                              .arg(error.errorString())
                              .arg(error.offset));
    if (!doc.isObject())
        return R::failure(QStringLiteral("order message is not a JSON object"));
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("v")).toInt(-1) != 1)
        return R::failure(QStringLiteral("order message has an unknown version (v must be 1)"));
    const QJsonValue itemsValue = root.value(QStringLiteral("reservations"));
    if (!itemsValue.isArray() || itemsValue.toArray().isEmpty())
        return R::failure(QStringLiteral("order message has no reservations array"));
    const QJsonArray items = itemsValue.toArray();
    QList<Reservation> result;
    result.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        Reservation r;
        r.id = item.value(QStringLiteral("id")).toString();
        if (r.id.isEmpty() || r.id.size() > maxIdLength)
            return R::failure(
                QStringLiteral("reservation %1: id must be a string of 1..%2 characters")
                    .arg(i)
                    .arg(maxIdLength));
        const auto goods = positiveInteger(item.value(QStringLiteral("goodsId")));
        const auto user = positiveInteger(item.value(QStringLiteral("userId")));
        const auto at = positiveInteger(item.value(QStringLiteral("reservedAt")));
        if (!goods || !user)
            return R::failure(
                QStringLiteral("reservation %1 (%2): goodsId and userId must be positive integers")
                    .arg(i)
                    .arg(r.id));
        if (!at)
            return R::failure(
                QStringLiteral("reservation %1 (%2): reservedAt must be ms since the epoch")
                    .arg(i)
                    .arg(r.id));
        r.goodsId = *goods;
        r.userId = *user;
        r.reservedAtMs = *at;
        result.append(std::move(r));
    }
    return result;
}

} // namespace flashsale::amqp
