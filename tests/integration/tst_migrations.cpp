#include "database.h"
#include "databaseurl.h"
#include "migrator.h"
#include "testservices.h"

#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace flashsale;
using flashsale::test::TestServices;

class tst_Migrations : public QObject
{
    Q_OBJECT

private:
    static QSqlDatabase open(const QString &url, const QString &name)
    {
        const auto opened = db::openDatabase(db::DatabaseUrl::parse(url).value(), name);
        if (!opened)
            qFatal("%s", qPrintable(opened.error()));
        return opened.value();
    }

    static int count(QSqlDatabase db, const QString &sql)
    {
        QSqlQuery query(db);
        if (!query.exec(sql) || !query.next())
            qFatal("%s: %s", qPrintable(sql), qPrintable(db::describeError(query)));
        return query.value(0).toInt();
    }

private Q_SLOTS:
    void compiledIn()
    {
        const QList<int> versions = db::Migrator::availableVersions();
        QVERIFY(!versions.isEmpty());
        QCOMPARE(versions.first(), 1);
        // Versions are consecutive: a gap means a missing file in sql/CMakeLists.txt.
        for (qsizetype i = 0; i < versions.size(); ++i)
            QCOMPARE(versions.at(i), int(i + 1));
    }

    void appliesOnceAndIsIdempotent()
    {
        const QString url = TestServices::instance().createDatabase();
        QSqlDatabase db = open(url, QStringLiteral("once"));
        auto close = qScopeGuard([&db] {
            db = QSqlDatabase();
            db::closeDatabase(QStringLiteral("once"));
        });
        db::Migrator migrator(db); // destroyed before the guard closes the connection
        QCOMPARE(migrator.currentVersion().value(), 0);

        const int expected = int(db::Migrator::availableVersions().size());
        const Result<int> first = migrator.migrate();
        QVERIFY2(first.ok(), qPrintable(first.error()));
        QCOMPARE(first.value(), expected);
        QCOMPARE(migrator.currentVersion().value(), db::Migrator::availableVersions().last());

        for (const char *table : {"goods", "users", "miaosha_goods", "miaosha_order"}) {
            QCOMPARE(count(db,
                           QStringLiteral("SELECT count(*) FROM information_schema.tables "
                                          "WHERE table_name = '%1'")
                               .arg(QLatin1String(table))),
                     1);
        }

        const Result<int> second = migrator.migrate();
        QVERIFY2(second.ok(), qPrintable(second.error()));
        QCOMPARE(second.value(), 0);
        QCOMPARE(count(db, QStringLiteral("SELECT count(*) FROM schema_version")), expected);
    }

    // Several servers starting at once against an empty database: each migration is applied
    // by exactly one of them, and none fails.
    void concurrentServersApplyEachOnce()
    {
        const QString url = TestServices::instance().createDatabase();
        constexpr int servers = 4;
        std::atomic<int> appliedTotal = 0;
        std::atomic<int> failures = 0;
        QList<QThread *> threads;
        for (int i = 0; i < servers; ++i) {
            threads.append(QThread::create([&, i] {
                const QString name = QStringLiteral("server-%1").arg(i);
                {
                    db::Migrator migrator(open(url, name));
                    const Result<int> applied = migrator.migrate();
                    if (applied)
                        appliedTotal += applied.value();
                    else
                        ++failures;
                }
                db::closeDatabase(name);
            }));
        }
        for (QThread *thread : threads)
            thread->start();
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(60'000));
            delete thread;
        }
        QCOMPARE(failures.load(), 0);
        QCOMPARE(appliedTotal.load(), int(db::Migrator::availableVersions().size()));
    }
};

QTEST_GUILESS_MAIN(tst_Migrations)
#include "tst_migrations.moc"
