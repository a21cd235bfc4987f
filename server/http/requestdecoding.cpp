#include "requestdecoding.h"

#include "salechallenge.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QRegularExpression>

#include <cmath>

namespace flashsale::http {

namespace {

RequestError invalid(const QString &message)
{
    return {400, QStringLiteral("invalid"), message};
}

// Reads fields of one JSON object; the first problem is kept and later reads are no-ops,
// so a decoder reads top to bottom and checks once at the end.
class FieldReader
{
public:
    explicit FieldReader(const QJsonObject &object)
        : m_object(object)
    { }

    QString string(const char *name, qsizetype minLength, qsizetype maxLength,
                   std::optional<QString> fallback = std::nullopt)
    {
        const QJsonValue v = field(name, fallback.has_value());
        if (m_error || v.isUndefined())
            return fallback.value_or(QString());
        if (!v.isString())
            return fail(QStringLiteral("%1 must be a string").arg(QLatin1String(name))), QString();
        const QString s = v.toString();
        if (s.size() < minLength || s.size() > maxLength)
            fail(QStringLiteral("%1 must have %2 to %3 characters")
                     .arg(QLatin1String(name))
                     .arg(minLength)
                     .arg(maxLength));
        return s;
    }

    qint64 integer(const char *name, qint64 min, qint64 max,
                   std::optional<qint64> fallback = std::nullopt)
    {
        const QJsonValue v = field(name, fallback.has_value());
        if (m_error)
            return 0;
        if (v.isUndefined())
            return *fallback;
        const double d = v.toDouble();
        // JSON has only doubles: an integer must be exact and within the range.
        if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || d < double(min)
            || d > double(max)) {
            fail(QStringLiteral("%1 must be a whole number from %2 to %3")
                     .arg(QLatin1String(name))
                     .arg(min)
                     .arg(max));
            return 0;
        }
        return qint64(d);
    }

    double number(const char *name, double minExclusive, double max)
    {
        const QJsonValue v = field(name);
        if (m_error)
            return 0;
        const double d = v.toDouble();
        if (!v.isDouble() || !std::isfinite(d) || d <= minExclusive || d > max) {
            fail(QStringLiteral("%1 must be a number above %2 and at most %3")
                     .arg(QLatin1String(name))
                     .arg(minExclusive)
                     .arg(max));
            return 0;
        }
        return d;
    }

    bool boolean(const char *name)
    {
        const QJsonValue v = field(name);
        if (m_error)
            return false;
        if (!v.isBool())
            return fail(QStringLiteral("%1 must be true or false").arg(QLatin1String(name))), false;
        return v.toBool();
    }

    qint64 time(const char *name)
    {
        const QJsonValue v = field(name);
        if (m_error)
            return 0;
        const std::optional<qint64> ms = v.isString() ? parseTime(v.toString()) : std::nullopt;
        if (!ms) {
            fail(QStringLiteral("%1 must be an ISO 8601 time with a zone, e.g. "
                                "\"2026-11-27T10:00:00.000Z\"")
                     .arg(QLatin1String(name)));
            return 0;
        }
        return *ms;
    }

    QJsonValue field(const char *name, bool optional = false)
    {
        if (m_error)
            return {};
        const QJsonValue v = m_object.value(QLatin1String(name));
        if (v.isUndefined() && !optional)
            fail(QStringLiteral("%1 is missing").arg(QLatin1String(name)));
        return v;
    }

    void fail(const QString &message)
    {
        if (!m_error)
            m_error = invalid(message);
    }

    const std::optional<RequestError> &error() const { return m_error; }

private:
    const QJsonObject &m_object;
    std::optional<RequestError> m_error;
};

template<typename T, typename Read>
Decoded<T> decodeWith(const QByteArray &body, Read read)
{
    const Decoded<QJsonObject> object = decodeObject(body);
    if (!object)
        return object.error();
    FieldReader reader(object.value());
    T value = read(reader);
    if (reader.error())
        return *reader.error();
    return value;
}

} // namespace

Decoded<QJsonObject> decodeObject(const QByteArray &body)
{
    if (body.size() > maxBodyBytes)
        return RequestError {413, QStringLiteral("too_large"),
                             QStringLiteral("The body is larger than %1 bytes.").arg(maxBodyBytes)};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return RequestError {400, QStringLiteral("invalid_json"),
                             QStringLiteral("The body is not valid JSON: %1 at offset %2.")
                                 .arg(error.errorString())
                                 .arg(error.offset)};
    if (!document.isObject())
        return RequestError {400, QStringLiteral("invalid_json"),
                             QStringLiteral("The body must be a JSON object.")};
    return document.object();
}

Decoded<Credentials> decodeCredentials(const QByteArray &body)
{
    return decodeWith<Credentials>(body, [](FieldReader &r) {
        Credentials c;
        c.username = r.string("username", 1, 64);
        static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9._-]+$"));
        if (!r.error() && !allowed.match(c.username).hasMatch())
            r.fail(QStringLiteral("username may only have letters, digits and . _ -"));
        c.password = r.string("password", 8, 128);
        return c;
    });
}

Decoded<catalog::Goods> decodeGoods(const QByteArray &body)
{
    return decodeWith<catalog::Goods>(body, [](FieldReader &r) {
        catalog::Goods g;
        g.name = r.string("name", 1, 200);
        if (!r.error() && g.name.trimmed().isEmpty())
            r.fail(QStringLiteral("name must not be blank"));
        g.description = r.string("description", 0, 10'000, QString());
        g.image = r.string("image", 0, 2'000, QString());
        if (!r.error() && !catalog::isAllowedImage(g.image))
            r.fail(QStringLiteral("image must be an http(s) URL or a path on this site "
                                  "(starting with one /)"));
        g.priceCents = r.integer("priceCents", 0, 1'000'000'000'000);
        g.flashPriceCents = r.integer("flashPriceCents", 0, 1'000'000'000'000);
        if (!r.error() && g.flashPriceCents > g.priceCents)
            r.fail(QStringLiteral("flashPriceCents must not be above priceCents"));
        return g;
    });
}

Decoded<sale::SaleSchedule> decodeSaleSchedule(const QByteArray &body)
{
    return decodeWith<sale::SaleSchedule>(body, [](FieldReader &r) {
        sale::SaleSchedule s;
        s.stock = r.integer("stock", 0, 1'000'000'000);
        s.revealAtMs = r.time("revealAt");
        s.startAtMs = r.time("startAt");
        s.endAtMs = r.time("endAt");
        s.ratePerSecond = r.number("ratePerSecond", 0, 10'000'000);
        s.burst = r.integer("burst", 1, 10'000'000);
        s.challengeBits = int(r.integer("challengeBits", 0, sale::ChallengeSigner::maxBits, 0));
        s.addressWindowMs =
            int(r.integer("addressWindowMs", 0, sale::SaleSchedule::maxAddressWindowMs, 0));
        if (!r.error()) {
            if (const Status valid = s.validate(); !valid)
                r.fail(valid.error());
        }
        return s;
    });
}

Decoded<StockTopUp> decodeStockTopUp(const QByteArray &body)
{
    return decodeWith<StockTopUp>(
        body, [](FieldReader &r) { return StockTopUp {r.integer("add", 1, 1'000'000'000)}; });
}

Decoded<RateInput> decodeRate(const QByteArray &body)
{
    return decodeWith<RateInput>(body, [](FieldReader &r) {
        RateInput rate;
        rate.ratePerSecond = r.number("ratePerSecond", 0, 10'000'000);
        rate.burst = r.integer("burst", 1, 10'000'000);
        return rate;
    });
}

Decoded<DegradationInput> decodeDegradation(const QByteArray &body)
{
    return decodeWith<DegradationInput>(body, [](FieldReader &r) {
        DegradationInput d;
        const QJsonValue scope = r.field("scope");
        if (!r.error()) {
            if (scope.isString() && scope.toString() == u"site") {
                d.goodsId = std::nullopt;
            } else {
                const double id = scope.toDouble();
                if (!scope.isDouble() || !std::isfinite(id) || id != std::floor(id) || id < 1
                    || id > 9e15)
                    r.fail(QStringLiteral("scope must be \"site\" or a goodsId"));
                else
                    d.goodsId = qint64(id);
            }
        }
        d.on = r.boolean("on");
        d.message = r.string("message", 0, 500, QString());
        return d;
    });
}

std::optional<qint64> parseTime(const QString &text)
{
    // Qt accepts a time without a zone as local time; the API wants explicit zones only.
    static const QRegularExpression shape(QStringLiteral(
        "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$"));
    if (text.size() > 40 || !shape.match(text).hasMatch())
        return std::nullopt;
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toMSecsSinceEpoch();
}

QString formatTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace flashsale::http
