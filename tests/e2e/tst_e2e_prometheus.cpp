// The package's Prometheus configuration against real servers: the stack's Prometheus
// (`packaging/stack up --prometheus`, the shipped scrape jobs and alert rules, every second)
// scrapes an API instance and a worker process of this test through file_sd target files.
// While shoppers buy, sum(rate(flashsale_buy_requests_total[10s])) read from Prometheus's
// HTTP API is above 0; every alert rule evaluates on the real series; a worker that stops
// is seen gone (up == 0, FlashsaleInstanceDown pending).

#include "shopclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

class tst_E2ePrometheus : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_api;
    ServerProcess m_worker;
    QStringList m_targetFiles;
    QString m_apiTarget;
    QString m_workerTarget;
    /// Every series of this run's targets has run="<this>": a repeated run on the same
    /// stack (whose Prometheus still holds the last run's series) reads its own.
    const QString m_run = QUuid::createUuid().toString(QUuid::Id128);

    /// Writes a file_sd target file for \a job ("api", "worker"); Prometheus reads it at once.
    bool addTarget(const QString &job, const QUrl &url, QString &target)
    {
        target = QStringLiteral("%1:%2").arg(url.host()).arg(url.port());
        const QString path = TestServices::instance().prometheusTargetsDir()
            + QStringLiteral("/%1-%2.json").arg(job, QUuid::createUuid().toString(QUuid::Id128));
        QFile file(path + QStringLiteral(".new"));
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.write(
            QJsonDocument(
                QJsonArray {QJsonObject {
                    {QStringLiteral("targets"), QJsonArray {target}},
                    {QStringLiteral("labels"),
                     QJsonObject {{QStringLiteral("test"), QStringLiteral("tst_e2e_prometheus")},
                                  {QStringLiteral("run"), m_run}}}}})
                .toJson());
        file.close();
        m_targetFiles.append(path);
        return QFile::rename(path + QStringLiteral(".new"), path);
    }

    /// GET /api/v1/<what> of the stack's Prometheus; its "data", empty on failure.
    QJsonValue prometheus(const QString &what, const QUrlQuery &query = {})
    {
        QUrl url(TestServices::instance().prometheusUrl() + QStringLiteral("/api/v1/") + what);
        url.setQuery(query);
        const ShopClient::Reply reply = m_client.call("GET", url);
        if (reply.status != 200
            || reply.body.value(QStringLiteral("status")).toString() != u"success")
            return {};
        return reply.body.value(QStringLiteral("data"));
    }

    /// The instant vector of \a promql: each sample's labels and value.
    QList<QPair<QJsonObject, double>> query(const QString &promql)
    {
        QList<QPair<QJsonObject, double>> samples;
        const QJsonValue data =
            prometheus(QStringLiteral("query"), QUrlQuery {{QStringLiteral("query"), promql}});
        for (const QJsonValue &r : data.toObject().value(QStringLiteral("result")).toArray())
            samples.append({r.toObject().value(QStringLiteral("metric")).toObject(),
                            r.toObject()
                                .value(QStringLiteral("value"))
                                .toArray()
                                .at(1)
                                .toString()
                                .toDouble()});
        return samples;
    }

    /// \a metric's selector of this run's series.
    QString mine(const QString &metric, const QString &labels = {}) const
    {
        return metric
            + QStringLiteral("{run=\"%1\"%2}")
                  .arg(m_run, labels.isEmpty() ? QString() : u',' + labels);
    }

    /// The alerts pending or firing now.
    QJsonArray alerts()
    {
        return prometheus(QStringLiteral("alerts"))
            .toObject()
            .value(QStringLiteral("alerts"))
            .toArray();
    }

    /// The value of a one-sample query, -1 when it has none.
    double scalar(const QString &promql)
    {
        const auto samples = query(promql);
        return samples.size() == 1 ? samples.first().second : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        const auto env = ShopClient::environment(databaseUrl);
        // Queues of this test's own (the stack's broker is shared): RabbitMQ's counts on the
        // API's page are this test's only.
        const QString prefix = QStringLiteral("prom-") + QUuid::createUuid().toString(QUuid::Id128);
        const QStringList own {QStringLiteral("--amqp-prefix"), prefix};
        QVERIFY2(
            m_api.start(ShopClient::serverArgs(
                            QStringList {QStringLiteral("--role"), QStringLiteral("api")} + own),
                        env),
            qPrintable(m_api.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
        QVERIFY2(m_worker.start(
                     ShopClient::serverArgs(
                         QStringList {QStringLiteral("--role"), QStringLiteral("worker")} + own),
                     env),
                 qPrintable(m_worker.output()));
        QVERIFY(addTarget(QStringLiteral("api"), m_api.baseUrl(), m_apiTarget));
        QVERIFY(addTarget(QStringLiteral("worker"), m_worker.baseUrl(), m_workerTarget));
    }

    void cleanupTestCase()
    {
        for (const QString &file : std::as_const(m_targetFiles))
            QFile::remove(file);
        m_api.stop();
        m_worker.stop();
    }

    // Both jobs' targets are found in their files and scraped.
    void scrapesEveryRole()
    {
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return scalar(mine(QStringLiteral("up"),
                                            QStringLiteral("job=\"flashsale-api\"")))
                             == 1
                             && scalar(mine(QStringLiteral("up"),
                                            QStringLiteral("job=\"flashsale-worker\"")))
                             == 1;
                     },
                     30'000),
                 "Prometheus did not scrape both targets");
        // RabbitMQ's counts on the API's page: the worker's two consumers on the orders queue.
        QVERIFY(QTest::qWaitFor(
            [&] { return scalar(mine(QStringLiteral("flashsale_orders_queue_consumers"))) == 2; },
            30'000));
        QCOMPARE(scalar(mine(QStringLiteral("flashsale_dead_letter_messages"))), 0.0);
    }

    // The buy rate, as the query reads it (and the same for this run's targets only),
    // while a small load runs.
    void buyRateWhileShoppersBuy()
    {
        const qint64 goodsId = m_client.liveSale(m_api, QStringLiteral("Prometheus phone"), 1000);
        QVERIFY(goodsId > 0);
        QList<QUrl> buys;
        QList<QByteArray> bearers;
        for (int i = 0; i < 4; ++i) {
            const QByteArray bearer =
                m_client.shopper(m_api, QStringLiteral("prom-%1-%2").arg(goodsId).arg(i));
            QVERIFY(!bearer.isEmpty());
            bearers.append(bearer);
            buys.append(m_client.buyUrl(m_api, goodsId, bearer));
        }
        int sent = 0;
        int queued = 0;
        double rate = 0;
        double ours = 0;
        // Each round sends a few buys (the first of each shopper queued, the rest refused
        // as duplicates: every one counted) and reads the rate; no fixed wait.
        const bool seen = QTest::qWaitFor(
            [&] {
                for (int i = 0; i < buys.size(); ++i) {
                    const int status = m_client.call("POST", buys[i], {}, bearers[i]).status;
                    ++sent;
                    queued += status == 202 ? 1 : 0;
                }
                rate = scalar(QStringLiteral("sum(rate(flashsale_buy_requests_total[10s]))"));
                ours = scalar(QStringLiteral("sum(rate(%1[10s]))")
                                  .arg(mine(QStringLiteral("flashsale_buy_requests_total"))));
                return rate > 0 && ours > 0;
            },
            60'000);
        qInfo("sum(rate(flashsale_buy_requests_total[10s])) = %.2f/s (this run's target: %.2f/s) "
              "after %d buys (%d queued)",
              rate, ours, sent, queued);
        QVERIFY2(seen, "the buy rate stayed 0 in Prometheus");
        QCOMPARE(queued, buys.size());
    }

    // Every shipped alert rule evaluates on the real series without an error, and none is
    // pending or firing for this run's healthy targets.
    void alertRulesEvaluate()
    {
        QStringList states;
        QVERIFY(QTest::qWaitFor(
            [&] {
                states.clear();
                const QJsonArray groups = prometheus(QStringLiteral("rules"))
                                              .toObject()
                                              .value(QStringLiteral("groups"))
                                              .toArray();
                bool allOk = !groups.isEmpty();
                for (const QJsonValue &g : groups)
                    for (const QJsonValue &r :
                         g.toObject().value(QStringLiteral("rules")).toArray()) {
                        const QJsonObject rule = r.toObject();
                        states.append(rule.value(QStringLiteral("name")).toString() + u'='
                                      + rule.value(QStringLiteral("health")).toString() + u'/'
                                      + rule.value(QStringLiteral("state")).toString());
                        allOk = allOk && rule.value(QStringLiteral("health")).toString() == u"ok";
                    }
                return allOk;
            },
            30'000));
        qInfo("rules: %s", qPrintable(states.join(u' ')));
        QCOMPARE(states.size(), 6);
        for (const QJsonValue &a : alerts()) {
            const QJsonObject labels = a.toObject().value(QStringLiteral("labels")).toObject();
            const QString instance = labels.value(QStringLiteral("instance")).toString();
            QVERIFY2(labels.value(QStringLiteral("run")).toString() != m_run
                         && instance != m_apiTarget && instance != m_workerTarget,
                     QJsonDocument(a.toObject()).toJson(QJsonDocument::Compact).constData());
        }
    }

    // A worker that stops is seen gone: up == 0 and FlashsaleInstanceDown pending for it.
    void stoppedWorkerIsSeenGone()
    {
        QCOMPARE(m_worker.stop(), 0);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return scalar(
                           mine(QStringLiteral("up"), QStringLiteral("job=\"flashsale-worker\"")))
                    == 0;
            },
            30'000));
        QString state;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         for (const QJsonValue &a : alerts()) {
                             const QJsonObject labels =
                                 a.toObject().value(QStringLiteral("labels")).toObject();
                             if (labels.value(QStringLiteral("alertname")).toString()
                                     == u"FlashsaleInstanceDown"
                                 && labels.value(QStringLiteral("run")).toString() == m_run)
                                 state = a.toObject().value(QStringLiteral("state")).toString();
                         }
                         return !state.isEmpty();
                     },
                     30'000),
                 "FlashsaleInstanceDown did not come for the stopped worker");
        QCOMPARE(state, QStringLiteral("pending")); // fires after its minute
    }
};

QTEST_GUILESS_MAIN(tst_E2ePrometheus)
#include "tst_e2e_prometheus.moc"
