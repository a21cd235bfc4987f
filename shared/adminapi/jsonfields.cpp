#include "jsonfields.h"

#include <QJsonArray>

#include <cmath>

namespace flashsale::adminapi {

JsonFields::JsonFields(const QJsonObject &object, QString what)
    : m_object(object)
    , m_what(std::move(what))
{ }

QJsonValue JsonFields::require(const QString &key)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        m_faults.append(QStringLiteral("%1 is missing").arg(key));
    return value;
}

qint64 JsonFields::integer(const QString &key)
{
    const QJsonValue value = require(key);
    if (value.isUndefined())
        return 0;
    const double d = value.toDouble(std::nan(""));
    if (!value.isDouble() || std::isnan(d) || d != std::floor(d)) {
        m_faults.append(QStringLiteral("%1 is not a whole number").arg(key));
        return 0;
    }
    return qint64(d);
}

double JsonFields::number(const QString &key)
{
    const QJsonValue value = require(key);
    if (value.isUndefined())
        return 0;
    if (!value.isDouble()) {
        m_faults.append(QStringLiteral("%1 is not a number").arg(key));
        return 0;
    }
    return value.toDouble();
}

bool JsonFields::boolean(const QString &key)
{
    const QJsonValue value = require(key);
    if (value.isUndefined())
        return false;
    if (!value.isBool()) {
        m_faults.append(QStringLiteral("%1 is not true or false").arg(key));
        return false;
    }
    return value.toBool();
}

QString JsonFields::string(const QString &key, bool optional)
{
    const QJsonValue value = optional ? m_object.value(key) : require(key);
    if (value.isUndefined() || (optional && value.isNull()))
        return {};
    if (!value.isString()) {
        m_faults.append(QStringLiteral("%1 is not a string").arg(key));
        return {};
    }
    return value.toString();
}

QDateTime JsonFields::time(const QString &key, bool optional)
{
    const QJsonValue value = optional ? m_object.value(key) : require(key);
    if (value.isUndefined() || (optional && value.isNull()))
        return {};
    QDateTime time;
    if (value.isString())
        time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!time.isValid()) {
        m_faults.append(QStringLiteral("%1 is not an ISO 8601 time").arg(key));
        return {};
    }
    return time.toUTC();
}

QJsonObject JsonFields::object(const QString &key)
{
    const QJsonValue value = require(key);
    if (value.isUndefined())
        return {};
    if (!value.isObject()) {
        m_faults.append(QStringLiteral("%1 is not an object").arg(key));
        return {};
    }
    return value.toObject();
}

QJsonArray JsonFields::array(const QString &key)
{
    const QJsonValue value = require(key);
    if (value.isUndefined())
        return {};
    if (!value.isArray()) {
        m_faults.append(QStringLiteral("%1 is not an array").arg(key));
        return {};
    }
    return value.toArray();
}

void JsonFields::fail(const QString &fault)
{
    m_faults.append(fault);
}

QString JsonFields::error() const
{
    return m_what + QStringLiteral(": ") + m_faults.join(QStringLiteral("; "));
}

QString formatTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace flashsale::adminapi
