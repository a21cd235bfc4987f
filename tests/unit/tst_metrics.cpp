#include "prometheustext.h"
#include "rollingrate.h"
#include "salemetrics.h"

#include <QTest>
#include <QThread>

using namespace flashsale::metrics;

class tst_Metrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rollingRateCountsWholeSeconds()
    {
        RollingRate rate;
        rate.addAt(5, 10'000);
        rate.addAt(3, 10'999);
        rate.addAt(7, 11'500); // the current second: not counted yet
        QCOMPARE(rate.perSecondAt(1, 11'600), 8.0);
        QCOMPARE(rate.perSecondAt(2, 11'600), 4.0);
        QCOMPARE(rate.perSecondAt(1, 12'000), 7.0);
    }

    void rollingRateForgetsOldSlots()
    {
        RollingRate rate;
        rate.addAt(100, 1'000);
        // 32 seconds later the same slot is reused; the old count must not leak in.
        rate.addAt(1, 33'000);
        QCOMPARE(rate.perSecondAt(1, 34'000), 1.0);
        QCOMPARE(rate.perSecondAt(1, 2'000 + 64'000), 0.0);
    }

    void rollingRateConcurrentAdds()
    {
        RollingRate rate;
        const qint64 at = 50'000'500;
        QList<QThread *> threads;
        for (int i = 0; i < 4; ++i) {
            threads.append(QThread::create([&] {
                for (int n = 0; n < 10'000; ++n)
                    rate.addAt(1, at);
            }));
            threads.last()->start();
        }
        for (QThread *t : threads) {
            QVERIFY(t->wait(10'000));
            delete t;
        }
        QCOMPARE(rate.perSecondAt(1, at + 1000), 40'000.0);
    }

    void prometheusFormat()
    {
        PrometheusText out;
        out.family("x_total", "counter", "Things.\nMore");
        out.sample("x_total", 3, {{"outcome", "a\"b\\c\nd"}, {"k", "v"}});
        out.sample("x_total", 0.25);
        QCOMPARE(out.text(),
                 QByteArray("# HELP x_total Things.\\nMore\n"
                            "# TYPE x_total counter\n"
                            "x_total{outcome=\"a\\\"b\\\\c\\nd\",k=\"v\"} 3\n"
                            "x_total 0.25\n"));
    }

    void saleMetricsCountOutcomes()
    {
        SaleMetrics m;
        m.count(Outcome::Queued);
        m.count(Outcome::Queued);
        m.count(Outcome::SoldOut);
        m.countRequest();
        QCOMPARE(m.total(Outcome::Queued), 2);
        QCOMPARE(m.total(Outcome::SoldOut), 1);
        QCOMPARE(m.total(Outcome::Duplicate), 0);
        const QJsonObject rates = m.ratesJson();
        QCOMPARE(rates.size(), outcomeCount);
        for (const char *key : {"queued", "sold_out", "duplicate", "too_frequent", "rate_limited",
                                "degraded", "rejected", "error"})
            QVERIFY2(rates.contains(QLatin1String(key)), key);
        PrometheusText out;
        m.writePrometheus(out);
        QVERIFY(out.text().contains("flashsale_buy_requests_total{outcome=\"queued\"} 2\n"));
        QVERIFY(out.text().contains("flashsale_http_requests_total 1\n"));
    }
};

QTEST_APPLESS_MAIN(tst_Metrics)
#include "tst_metrics.moc"
