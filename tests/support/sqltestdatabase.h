#pragma once

#include "database.h"
#include "databaseurl.h"
#include "migrator.h"
#include "testservices.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

namespace flashsale::test {

/// A migrated database of its own on the test stack, for the tests that talk SQL to it:
/// connections by name, statements that must work (fatal otherwise) and products on sale.
class SqlTestDatabase
{
public:
    /// Creates the database and migrates it on the connection "main"; fatal if it cannot.
    void create()
    {
        m_url = TestServices::instance().createDatabase();
        m_main = open(QStringLiteral("main"));
        const Result<int> applied = db::Migrator(m_main).migrate();
        if (!applied)
            qFatal("migrate: %s", qPrintable(applied.error()));
    }

    /// Closes "main" (each other connection is closed by whoever opened it).
    void close()
    {
        m_main = QSqlDatabase();
        db::closeDatabase(QStringLiteral("main"));
    }

    QString url() const { return m_url; }
    /// The connection create() made (for this thread).
    QSqlDatabase main() const { return m_main; }

    /// Another connection to the same database, named \a name (one per thread; the caller
    /// closes it with db::closeDatabase).
    QSqlDatabase open(const QString &name) const
    {
        const auto opened = db::openDatabase(db::DatabaseUrl::parse(m_url).value(), name);
        if (!opened)
            qFatal("%s", qPrintable(opened.error()));
        return opened.value();
    }

    /// Runs \a sql with \a values bound in order on \a db; fatal if it fails.
    static QSqlQuery exec(QSqlDatabase db, const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery query(db);
        query.prepare(sql);
        for (const QVariant &value : values)
            query.addBindValue(value);
        if (!query.exec())
            qFatal("%s: %s", qPrintable(sql), qPrintable(db::describeError(query)));
        return query;
    }
    QSqlQuery exec(const QString &sql, const QVariantList &values = {}) const
    {
        return exec(m_main, sql, values);
    }

    /// The first column of the first row of \a sql; fatal without a row.
    qint64 scalar(const QString &sql, const QVariantList &values = {}) const
    {
        QSqlQuery q = exec(sql, values);
        if (!q.next())
            qFatal("no row: %s", qPrintable(sql));
        return q.value(0).toLongLong();
    }

    /// A product on sale with \a stock units at \a flashPriceCents; its id (1, 2, ...).
    qint64 createSale(int stock, int flashPriceCents = 100)
    {
        const qint64 id = m_nextGoods++;
        exec(QStringLiteral("INSERT INTO goods (id, name, price_cents) VALUES (?, ?, 1000)"),
             {id, QStringLiteral("goods %1").arg(id)});
        exec(QStringLiteral("INSERT INTO miaosha_goods (goods_id, flash_price_cents, stock, "
                            "preloaded_stock) VALUES (?, ?, ?, ?)"),
             {id, flashPriceCents, stock, stock});
        return id;
    }

private:
    QString m_url;
    QSqlDatabase m_main;
    qint64 m_nextGoods = 1;
};

} // namespace flashsale::test
