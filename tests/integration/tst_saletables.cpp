// The schema's guarantees that the order path relies on, under real concurrent connections:
// one order per (user, goods) and per reservation, and the optimistic-lock stock update.

#include "database.h"
#include "sqltestdatabase.h"

#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace flashsale;

class tst_SaleTables : public QObject
{
    Q_OBJECT

private:
    test::SqlTestDatabase m_sql;

    QSqlDatabase open(const QString &name) const { return m_sql.open(name); }
    qint64 createSale(int stock) { return m_sql.createSale(stock); }
    static QSqlQuery exec(QSqlDatabase db, const QString &sql, const QVariantList &values = {})
    {
        return test::SqlTestDatabase::exec(db, sql, values);
    }

    static std::pair<int, qint64> stockAndVersion(QSqlDatabase db, qint64 goodsId)
    {
        QSqlQuery query =
            exec(db, QStringLiteral("SELECT stock, version FROM miaosha_goods WHERE goods_id = ?"),
                 {goodsId});
        if (!query.next())
            qFatal("no such goods");
        return {query.value(0).toInt(), query.value(1).toLongLong()};
    }

    // The optimistic-lock decrement the order worker uses; returns rows updated.
    static int decrement(QSqlDatabase db, qint64 goodsId, qint64 version, int n = 1)
    {
        return exec(db,
                    QStringLiteral(
                        "UPDATE miaosha_goods SET stock = stock - ?, version = version + 1 "
                        "WHERE goods_id = ? AND version = ? AND stock >= ?"),
                    {n, goodsId, version, n})
            .numRowsAffected();
    }

private Q_SLOTS:
    void initTestCase() { m_sql.create(); }
    void cleanupTestCase() { m_sql.close(); }

    void oneOrderPerUserAndGoods()
    {
        const qint64 goods = createSale(10);
        const QString insert = QStringLiteral(
            "INSERT INTO miaosha_order (user_id, goods_id, reservation, price_cents) "
            "VALUES (?, ?, ?, 100) ON CONFLICT DO NOTHING");
        QCOMPARE(exec(m_sql.main(), insert, {7, goods, QStringLiteral("r-a")}).numRowsAffected(),
                 1);
        // Same user and goods, other reservation: refused.
        QCOMPARE(exec(m_sql.main(), insert, {7, goods, QStringLiteral("r-b")}).numRowsAffected(),
                 0);
        // Same reservation redelivered: refused.
        QCOMPARE(exec(m_sql.main(), insert, {8, goods, QStringLiteral("r-a")}).numRowsAffected(),
                 0);
        // Another user: fine.
        QCOMPARE(exec(m_sql.main(), insert, {8, goods, QStringLiteral("r-c")}).numRowsAffected(),
                 1);

        // Without ON CONFLICT the database itself says no.
        QSqlQuery plain(m_sql.main());
        plain.prepare(QStringLiteral("INSERT INTO miaosha_order (user_id, goods_id, reservation, "
                                     "price_cents) VALUES (7, ?, 'r-d', 100)"));
        plain.addBindValue(goods);
        QVERIFY(!plain.exec());
        QCOMPARE(plain.lastError().nativeErrorCode(), QStringLiteral("23505")); // unique_violation
    }

    void stockNeverNegative()
    {
        const qint64 goods = createSale(1);
        auto [stock, version] = stockAndVersion(m_sql.main(), goods);
        QCOMPARE(decrement(m_sql.main(), goods, version), 1);
        std::tie(stock, version) = stockAndVersion(m_sql.main(), goods);
        QCOMPARE(stock, 0);
        // The right version, but nothing left: no row changes.
        QCOMPARE(decrement(m_sql.main(), goods, version), 0);
        // Several units at once need that many left.
        QSqlQuery bad(m_sql.main());
        QVERIFY(!bad.exec(
            QStringLiteral("UPDATE miaosha_goods SET stock = -1 WHERE goods_id = %1").arg(goods)));
    }

    // Two connections read the same version; the first to update wins, the second (which
    // waits on the row lock) sees the new version and changes nothing.
    void optimisticLockTwoConnections()
    {
        const qint64 goods = createSale(5);
        const qint64 version = stockAndVersion(m_sql.main(), goods).second;
        QSemaphore firstUpdated;
        QSemaphore secondStarted;
        std::atomic<int> secondRows = -1;

        QSqlDatabase first = open(QStringLiteral("first"));
        QVERIFY(first.transaction());
        QCOMPARE(decrement(first, goods, version), 1);

        QThread *second = QThread::create([&] {
            {
                QSqlDatabase db = open(QStringLiteral("second"));
                secondStarted.release();
                // Blocks on the row lock until the first transaction commits.
                secondRows = decrement(db, goods, version);
            }
            db::closeDatabase(QStringLiteral("second"));
        });
        second->start();
        QVERIFY(secondStarted.tryAcquire(1, 30'000));
        QTest::qWait(200); // let it reach the lock; the outcome does not depend on this
        QCOMPARE(secondRows.load(), -1);
        QVERIFY(first.commit());
        QVERIFY(second->wait(30'000));
        delete second;
        QCOMPARE(secondRows.load(), 0);

        const auto [stock, newVersion] = stockAndVersion(m_sql.main(), goods);
        QCOMPARE(stock, 4);
        QCOMPARE(newVersion, version + 1);
        first = QSqlDatabase();
        db::closeDatabase(QStringLiteral("first"));
    }

    // Many connections race for a small stock with read-version/update/retry: exactly the
    // stock is sold, the version counts every sale, the stock ends at zero.
    void optimisticLockStorm()
    {
        constexpr int stock = 100;
        constexpr int connections = 8;
        constexpr int attemptsEach = 40;
        const qint64 goods = createSale(stock);
        std::atomic<int> sold = 0;
        std::atomic<int> conflicts = 0;
        QList<QThread *> threads;
        for (int c = 0; c < connections; ++c) {
            threads.append(QThread::create([&, c] {
                const QString name = QStringLiteral("storm-%1").arg(c);
                {
                    QSqlDatabase db = open(name);
                    for (int i = 0; i < attemptsEach; ++i) {
                        for (;;) {
                            const auto [left, version] = stockAndVersion(db, goods);
                            if (left <= 0)
                                break;
                            if (decrement(db, goods, version) == 1) {
                                ++sold;
                                break;
                            }
                            ++conflicts; // someone else won: re-read and retry
                        }
                    }
                }
                db::closeDatabase(name);
            }));
        }
        for (QThread *thread : threads)
            thread->start();
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(120'000));
            delete thread;
        }
        const auto [left, version] = stockAndVersion(m_sql.main(), goods);
        QCOMPARE(sold.load(), stock);
        QCOMPARE(left, 0);
        QCOMPARE(version, qint64(stock));
        qInfo("optimistic lock storm: %d sold, %d version conflicts retried", sold.load(),
              conflicts.load());
    }
};

QTEST_GUILESS_MAIN(tst_SaleTables)
#include "tst_saletables.moc"
