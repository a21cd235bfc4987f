// Orders drained per second from RabbitMQ into PostgreSQL with N reservations waiting in the
// queue (two OrderWorkers, each batch's results recorded in Redis before the ack, as in
// production), beside the raw rate of the same SQL work in plain batches of the size the
// workers' transactions had in that round (pgbench: INSERT ... ON CONFLICT DO NOTHING + the
// optimistic UPDATE), same run: like with like.
//
//   FLASHSALE_BENCH_RESERVATIONS   reservations to queue per round (default 100000)
//   FLASHSALE_BENCH_ROUNDS         rounds, each with its own pgbench baseline (default 3);
//                                  the medians are the figures to quote

#include "database.h"
#include "databaseurl.h"
#include "migrator.h"
#include "ordertestsupport.h"
#include "orderworker.h"
#include "reservationpublisher.h"
#include "testservices.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace flashsale;
using namespace flashsale::orders;
using namespace flashsale::amqp;
using namespace std::chrono_literals;

class bench_OrderDrain : public QObject
{
    Q_OBJECT

private:
    test::OrderFixture m_fixture;
    QString m_url;
    QSqlDatabase m_db;

    void exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            qFatal("%s: %s", qPrintable(sql), qPrintable(db::describeError(q)));
    }

    // pgbench, two clients, transactions of \a batch rows: rows per second.
    double plainSqlRowsPerSecond(qint64 goods, int batch, int seconds)
    {
        exec(QStringLiteral("CREATE SEQUENCE IF NOT EXISTS bench_batch"));
        QTemporaryFile script;
        if (!script.open())
            qFatal("cannot write the pgbench script");
        script.write(R"(SELECT nextval('bench_batch') AS b \gset
BEGIN;
INSERT INTO miaosha_order (user_id, goods_id, reservation, price_cents)
    SELECT s, :goods, 'pg-' || s, 100 FROM generate_series(:b * :batch, :b * :batch + :batch - 1) AS s
    ON CONFLICT DO NOTHING;
SELECT version AS v FROM miaosha_goods WHERE goods_id = :goods \gset
UPDATE miaosha_goods SET stock = stock - :batch, version = version + 1
    WHERE goods_id = :goods AND version = :v AND stock >= :batch;
END;
)");
        script.flush();
        const db::DatabaseUrl url = db::DatabaseUrl::parse(m_url).value();
        QProcess pgbench;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), url.password);
        pgbench.setProcessEnvironment(env);
        pgbench.start(QStringLiteral("pgbench"),
                      {QStringLiteral("-n"),
                       QStringLiteral("-c"),
                       QStringLiteral("2"),
                       QStringLiteral("-j"),
                       QStringLiteral("2"),
                       QStringLiteral("-T"),
                       QString::number(seconds),
                       QStringLiteral("-D"),
                       QStringLiteral("goods=%1").arg(goods),
                       QStringLiteral("-D"),
                       QStringLiteral("batch=%1").arg(batch),
                       QStringLiteral("-f"),
                       script.fileName(),
                       QStringLiteral("-h"),
                       url.host,
                       QStringLiteral("-p"),
                       QString::number(url.port),
                       QStringLiteral("-U"),
                       url.user,
                       url.name});
        if (!pgbench.waitForFinished(120'000) || pgbench.exitCode() != 0)
            qFatal("pgbench failed: %s", pgbench.readAllStandardError().constData());
        const QString out = QString::fromUtf8(pgbench.readAllStandardOutput());
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("tps = ([0-9.]+)")).match(out);
        if (!m.hasMatch())
            qFatal("no tps in pgbench output: %s", qPrintable(out));
        return m.captured(1).toDouble() * batch;
    }

    struct Round
    {
        double published = 0; ///< reservations/s into the queue, with confirms
        double drained = 0; ///< orders/s out of it into PostgreSQL and Redis
        qint64 transactions = 0;
        double plainSql = 0; ///< pgbench rows/s right after
        int plainBatch = 0; ///< rows per pgbench transaction: the workers' average
    };

    // N reservations made in Redis as the buy path makes them (not timed), published with
    // confirms, then drained by two workers; then pgbench on the same database.
    Round runRound(int n)
    {
        Round round;
        const qint64 goods = m_fixture.createSale(n);
        const qint64 rawGoods = m_fixture.createSale(1'000'000'000, -2);
        const QList<Reservation> reservations = m_fixture.reserve(goods, 1, n);
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
        for (const Reservation &r : reservations)
            publisher.publish(r, nullptr, {});
        if (!QTest::qWaitFor([&] { return publisher.stats().reservationsConfirmed.load() == n; },
                             300'000))
            qFatal("publish: only %lld of %d confirmed",
                   qlonglong(publisher.stats().reservationsConfirmed.load()), n);
        round.published = n / (clock.nsecsElapsed() / 1e9);

        // 2. Two workers drain them into PostgreSQL.
        OrderWorkerOptions options = m_fixture.workerOptions(topology, 100);
        const int prefetch = qEnvironmentVariableIntValue("FLASHSALE_BENCH_PREFETCH");
        if (prefetch > 0)
            options.consumer.prefetch = prefetch;
        OrderWorker first(options);
        OrderWorker second(options);
        clock.restart();
        first.start();
        second.start();
        // Done when every order is committed, recorded in Redis and acked.
        if (!QTest::qWaitFor(
                [&] {
                    return first.stats().resultsConfirmed + second.stats().resultsConfirmed == n;
                },
                300'000))
            qFatal("drain: only %lld of %d orders settled",
                   qlonglong(first.stats().resultsConfirmed + second.stats().resultsConfirmed), n);
        round.drained = n / (clock.nsecsElapsed() / 1e9);
        round.transactions = first.stats().transactions + second.stats().transactions;
        first.stop();
        second.stop();
        if (m_fixture.orders(goods) != n || m_fixture.inventory(goods).pending != 0)
            qFatal("drain: %lld orders of %d, %lld still pending",
                   qlonglong(m_fixture.orders(goods)), n,
                   qlonglong(m_fixture.inventory(goods).pending));

        // 3. The same SQL work in plain transactions of the workers' average size, same
        // database, right after.
        round.plainBatch = std::max(1, int(std::lround(double(n) / round.transactions)));
        round.plainSql = plainSqlRowsPerSecond(rawGoods, round.plainBatch, 5);
        return round;
    }

    static double median(QList<double> values)
    {
        std::sort(values.begin(), values.end());
        return values.at(values.size() / 2);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture.open();
        m_url = m_fixture.databaseUrl();
        m_db = m_fixture.database();
    }

    void cleanupTestCase()
    {
        m_db = QSqlDatabase();
        m_fixture.close();
    }

    void drainRate()
    {
        const int n = qEnvironmentVariableIntValue("FLASHSALE_BENCH_RESERVATIONS") > 0
            ? qEnvironmentVariableIntValue("FLASHSALE_BENCH_RESERVATIONS")
            : 100'000;
        const int rounds = qEnvironmentVariableIntValue("FLASHSALE_BENCH_ROUNDS") > 0
            ? qEnvironmentVariableIntValue("FLASHSALE_BENCH_ROUNDS")
            : 3;
        std::printf("\nbench_orderdrain: %d reservations, %d rounds\n", n, rounds);
        std::printf("  round  publish (confirmed)/s  drained orders/s  orders per transaction"
                    "  plain SQL rows/s (same batch)  ratio\n");
        QList<double> drained, plain, ratios;
        for (int i = 1; i <= rounds; ++i) {
            const Round r = runRound(n);
            drained.append(r.drained);
            plain.append(r.plainSql);
            ratios.append(r.drained / r.plainSql);
            std::printf("  %5d  %21.0f  %16.0f  %22.0f  %16.0f (%5d)  %5.2f\n", i, r.published,
                        r.drained, double(n) / r.transactions, r.plainSql, r.plainBatch,
                        ratios.last());
            std::fflush(stdout);
        }
        std::printf(
            "  median: queue -> 2 workers -> PostgreSQL + Redis %.0f orders/s (target "
            "50000); plain SQL (pgbench, 2 clients, the workers' batch size) %.0f rows/s; ratio "
            "%.2f (target 0.25)\n",
            median(drained), median(plain), median(ratios));
        QFile loadavg(QStringLiteral("/proc/loadavg"));
        if (loadavg.open(QIODevice::ReadOnly))
            std::printf("  load average at the end (1, 5, 15 min): %s\n",
                        loadavg.readAll().trimmed().constData());
        std::fflush(stdout);
    }
};

QTEST_GUILESS_MAIN(bench_OrderDrain)
#include "bench_orderdrain.moc"
