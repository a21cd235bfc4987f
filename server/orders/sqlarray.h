#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace flashsale::orders {

/// PostgreSQL array literals, bound as one text parameter and cast in SQL
/// (`?::bigint[]`, `?::text[]`): a whole batch in one statement.
class SqlArray
{
public:
    /// `{1,2,3}`
    static QString bigints(const QList<qint64> &values);
    /// `{"a","b"}`, with `"` and `\` escaped.
    static QString texts(const QStringList &values);
};

} // namespace flashsale::orders
