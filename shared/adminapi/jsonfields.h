#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace flashsale::adminapi {

/// Reads typed fields out of one JSON object and remembers every field that was missing or
/// of the wrong type, so a parser can read everything first and report all faults at once.
class JsonFields
{
public:
    /// \a what names the object in error messages, e.g. "SaleStatus".
    JsonFields(const QJsonObject &object, QString what);

    /// A whole number; a fault if absent, not a number or not integral.
    qint64 integer(const QString &key);
    /// Any number; a fault if absent or not a number.
    double number(const QString &key);
    bool boolean(const QString &key);
    /// A string; a fault if absent, unless \a optional.
    QString string(const QString &key, bool optional = false);
    /// An ISO 8601 time; absent or null gives an invalid QDateTime when \a optional.
    QDateTime time(const QString &key, bool optional = false);
    QJsonObject object(const QString &key);
    QJsonArray array(const QString &key);

    /// Records a fault found by the caller (e.g. a value out of range).
    void fail(const QString &fault);

    bool ok() const { return m_faults.isEmpty(); }
    /// "SaleStatus: stockLeft is missing; revealAt is not a time".
    QString error() const;

private:
    QJsonValue require(const QString &key);

    QJsonObject m_object;
    QString m_what;
    QStringList m_faults;
};

/// The wire format of times: ISO 8601, UTC, milliseconds ("2026-11-27T10:00:00.000Z").
QString formatTime(const QDateTime &time);

} // namespace flashsale::adminapi
