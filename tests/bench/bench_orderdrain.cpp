// Orders drained per second from RabbitMQ into PostgreSQL with N reservations waiting in the
// queue (two OrderWorkers), beside the raw rate of the same SQL work in plain batches of
// 100 (pgbench: INSERT ... ON CONFLICT DO NOTHING + the optimistic UPDATE), same run.
//
//   FLASHSALE_BENCH_RESERVATIONS   reservations to queue (default 50000)

#include "database.h"
#include "databaseurl.h"
#include "migrator.h"
#include "orderworker.h"
#include "reservationpublisher.h"
#include "testservices.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QTest>
#include <QUuid>

#include <cstdio>

using namespace flashsale;
using namespace flashsale::orders;
using namespace flashsale::amqp;
using namespace std::chrono_literals;

class bench_OrderDrain : public QObject
{
    Q_OBJECT

private:
    QString m_url;
    QSqlDatabase m_db;

    void exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            qFatal("%s: %s", qPrintable(sql), qPrintable(db::describeError(q)));
    }

    void createSale(qint64 id, qint64 stock)
    {
        exec(QStringLiteral("INSERT INTO goods (id, name, price_cents) VALUES (%1, 'bench', 1000)")
                 .arg(id));
        exec(QStringLiteral("INSERT INTO miaosha_goods (goods_id, flash_price_cents, stock, "
                            "preloaded_stock) VALUES (%1, 100, %2, %2)")
                 .arg(id)
                 .arg(stock));
    }

    // pgbench, two clients, batches of 100 rows: rows per second.
    double plainSqlRowsPerSecond(qint64 goods, int seconds)
    {
        exec(QStringLiteral("CREATE SEQUENCE IF NOT EXISTS bench_batch"));
        QTemporaryFile script;
        if (!script.open())
            qFatal("cannot write the pgbench script");
        script.write(R"(SELECT nextval('bench_batch') AS b \gset
BEGIN;
INSERT INTO miaosha_order (user_id, goods_id, reservation, price_cents)
    SELECT s, :goods, 'pg-' || s, 100 FROM generate_series(:b * 100, :b * 100 + 99) AS s
    ON CONFLICT DO NOTHING;
SELECT version AS v FROM miaosha_goods WHERE goods_id = :goods \gset
UPDATE miaosha_goods SET stock = stock - 100, version = version + 1
    WHERE goods_id = :goods AND version = :v AND stock >= 100;
END;
)");
        script.flush();
        const db::DatabaseUrl url = db::DatabaseUrl::parse(m_url).value();
        QProcess pgbench;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), url.password);
        pgbench.setProcessEnvironment(env);
        pgbench.start(QStringLiteral("pgbench"),
                      {QStringLiteral("-n"), QStringLiteral("-c"), QStringLiteral("2"),
                       QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("-T"),
                       QString::number(seconds), QStringLiteral("-D"),
                       QStringLiteral("goods=%1").arg(goods), QStringLiteral("-f"),
                       script.fileName(), QStringLiteral("-h"), url.host, QStringLiteral("-p"),
                       QString::number(url.port), QStringLiteral("-U"), url.user, url.name});
        if (!pgbench.waitForFinished(120'000) || pgbench.exitCode() != 0)
            qFatal("pgbench failed: %s", pgbench.readAllStandardError().constData());
        const QString out = QString::fromUtf8(pgbench.readAllStandardOutput());
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("tps = ([0-9.]+)")).match(out);
        if (!m.hasMatch())
            qFatal("no tps in pgbench output: %s", qPrintable(out));
        return m.captured(1).toDouble() * 100;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_url = test::TestServices::instance().createDatabase();
        const auto opened =
            db::openDatabase(db::DatabaseUrl::parse(m_url).value(), QStringLiteral("main"));
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        m_db = opened.value();
        QVERIFY(db::Migrator(m_db).migrate().ok());
    }

    void cleanupTestCase()
    {
        m_db = QSqlDatabase();
        db::closeDatabase(QStringLiteral("main"));
    }

    void drainRate()
    {
        const int n = qEnvironmentVariableIntValue("FLASHSALE_BENCH_RESERVATIONS") > 0
            ? qEnvironmentVariableIntValue("FLASHSALE_BENCH_RESERVATIONS")
            : 50'000;
        createSale(1, n);
        createSale(2, 1'000'000'000);
        const AmqpUrl amqpUrl = AmqpUrl::parse(test::TestServices::instance().amqpUrl()).value();
        const AmqpTopology topology = AmqpTopology::withPrefix(
            QStringLiteral("b%1.").arg(QUuid::createUuid().toString(QUuid::Id128).left(8)));

        // 1. N reservations waiting in the queue.
        PublisherOptions publisherOptions;
        publisherOptions.url = amqpUrl;
        publisherOptions.topology = topology;
        publisherOptions.giveUpAfter = 300s;
        ReservationPublisher publisher(publisherOptions);
        publisher.start();
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < n; ++i)
            publisher.publish({QStringLiteral("bench-%1").arg(i), 1, 1 + i, 1718000000000 + i},
                              nullptr, {});
        QTRY_COMPARE_WITH_TIMEOUT(publisher.stats().reservationsConfirmed.load(), n, 300'000);
        const double publishSeconds = clock.nsecsElapsed() / 1e9;

        // 2. Two workers drain them into PostgreSQL.
        OrderWorkerOptions options;
        options.consumer.url = amqpUrl;
        options.consumer.topology = topology;
        options.consumer.prefetch = 100;
        options.database = db::DatabaseUrl::parse(m_url).value();
        OrderWorker first(options);
        OrderWorker second(options);
        clock.restart();
        first.start();
        second.start();
        QTRY_COMPARE_WITH_TIMEOUT(first.stats().ordersCreated + second.stats().ordersCreated, n,
                                  300'000);
        const double drainSeconds = clock.nsecsElapsed() / 1e9;
        const qint64 transactions = first.stats().transactions + second.stats().transactions;
        first.stop();
        second.stop();

        // 3. The same SQL work in plain batches of 100, same database, same run.
        const double raw = plainSqlRowsPerSecond(2, 5);

        const double drained = n / drainSeconds;
        std::printf("\nbench_orderdrain: %d reservations\n", n);
        std::printf("  publish with confirms:       %10.0f reservations/s (%lld messages)\n",
                    n / publishSeconds, qlonglong(publisher.stats().messagesPublished.load()));
        std::printf("  queue -> 2 workers -> DB:    %10.0f orders/s (%lld transactions, %.0f "
                    "orders each)\n",
                    drained, qlonglong(transactions), double(n) / transactions);
        std::printf("  baseline plain SQL (pgbench, 2 clients, batches of 100): %10.0f rows/s\n",
                    raw);
        std::printf("  ratio worker path / plain SQL: %.2f\n\n", drained / raw);
        std::fflush(stdout);
    }
};

QTEST_GUILESS_MAIN(bench_OrderDrain)
#include "bench_orderdrain.moc"
