#include "histogram.h"
#include "livefigures.h"
#include "productrates.h"
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

    void prometheusCommonLabelsGoOnEverySample()
    {
        PrometheusText out(PrometheusText::Labels {{"instance", "host/1"}});
        out.family("x_total", "counter", "Things.");
        out.sample("x_total", 1);
        out.sample("x_total", 2, {{"k", "v"}});
        QVERIFY(out.text().contains("x_total{instance=\"host/1\"} 1\n"));
        QVERIFY(out.text().contains("x_total{instance=\"host/1\",k=\"v\"} 2\n"));
    }

    void histogramQuantilesInterpolateInsideTheBucket()
    {
        Histogram::Counts counts {};
        QCOMPARE(Histogram::quantile(counts, 0.5), 0.0);
        // 100 values in (1, 2.5] ms: the median is half way through that bucket.
        counts[4] = 100;
        QCOMPARE(Histogram::quantile(counts, 0.5), 1.75);
        QCOMPARE(Histogram::quantile(counts, 1.0), 2.5);
        // One slow value beyond the last bound: p99 stays in the fast bucket, p100 is slow.
        counts[Histogram::bucketCount - 1] = 1;
        QVERIFY(Histogram::quantile(counts, 0.99) <= 2.5);
        QCOMPARE(Histogram::quantile(counts, 1.0), Histogram::boundsMs.back());
    }

    void histogramsMergeBucketByBucketNotByAveragingPercentiles_data()
    {
        QTest::addColumn<int>("fast");
        QTest::addColumn<int>("slow");
        QTest::newRow("busy fast instance") << 990 << 10;
        QTest::newRow("even") << 500 << 500;
    }

    void histogramsMergeBucketByBucketNotByAveragingPercentiles()
    {
        QFETCH(int, fast);
        QFETCH(int, slow);
        Histogram a, b;
        const qint64 at = 1'000'000'500;
        for (int i = 0; i < fast; ++i)
            a.recordAt(0.8, at); // (0.5, 1] ms
        for (int i = 0; i < slow; ++i)
            b.recordAt(400, at); // (250, 500] ms
        Histogram::Counts site = a.countsIn(at / 1000);
        Histogram::add(site, b.countsIn(at / 1000));
        QCOMPARE(Histogram::total(site), qint64(fast + slow));
        const double p50 = Histogram::quantile(site, 0.5);
        const double averaged = (Histogram::quantile(a.countsIn(at / 1000), 0.5)
                                 + Histogram::quantile(b.countsIn(at / 1000), 0.5))
            / 2;
        if (fast > slow) {
            QVERIFY2(p50 <= 1, qPrintable(QString::number(p50)));
            QVERIFY(averaged > 100); // what an average of percentiles would have claimed
        } else {
            QVERIFY(p50 <= 1 || p50 >= 250);
        }
        // Other seconds are not this one.
        QCOMPARE(Histogram::total(a.countsIn(at / 1000 + 1)), 0);
        QCOMPARE(Histogram::total(a.counts()), qint64(fast));
    }

    void histogramPrometheusIsCumulativeInSeconds()
    {
        Histogram h;
        h.recordAt(0.2, 5'000);
        h.recordAt(3, 5'000);
        h.recordAt(400'000, 5'000);
        PrometheusText out;
        h.writePrometheus(out, "lat_seconds", "Latency.");
        const QByteArray text = out.text();
        QVERIFY(text.contains("# TYPE lat_seconds histogram\n"));
        QVERIFY2(text.contains("lat_seconds_bucket{le=\"0.00025\"} 1\n"), text.constData());
        QVERIFY(text.contains("lat_seconds_bucket{le=\"0.005\"} 2\n"));
        QVERIFY(text.contains("lat_seconds_bucket{le=\"300\"} 2\n"));
        QVERIFY(text.contains("lat_seconds_bucket{le=\"+Inf\"} 3\n"));
        QVERIFY(text.contains("lat_seconds_count 3\n"));
    }

    void productRatesCountEachProductApart()
    {
        ProductRates rates;
        rates.addAt(7, 3, 20'000);
        rates.addAt(9, 1, 20'100);
        rates.addAt(7, 2, 21'000);
        QCOMPARE(rates.countsIn(20), (QMap<qint64, qint64> {{7, 3}, {9, 1}}));
        QCOMPARE(rates.countsIn(21), (QMap<qint64, qint64> {{7, 2}}));
        // A full table counts the rest apart, without losing the products it holds.
        for (qint64 id = 100; id < 100 + ProductRates::capacity; ++id)
            rates.addAt(id, 1, 21'000);
        QVERIFY(rates.overflow() > 0);
        QCOMPARE(rates.countsIn(21).value(7), 2);
    }

    void saleMetricsFiguresOfOneSecond()
    {
        SaleMetrics m;
        const auto started = SaleMetrics::Clock::now();
        m.recordBuy(5, Outcome::Queued, started);
        m.recordBuy(5, Outcome::Duplicate, started);
        m.recordBuy(6, Outcome::SoldOut, started);
        const qint64 second = RollingRate::nowMs() / 1000;
        SecondFigures f = m.figuresIn(second);
        if (f.outcomes[size_t(Outcome::Queued)] == 0) // the second turned meanwhile
            f = m.figuresIn(second + 1);
        QCOMPARE(f.outcomes[size_t(Outcome::Queued)], 1);
        QCOMPARE(f.outcomes[size_t(Outcome::Duplicate)], 1);
        QCOMPARE(f.accepted, (QMap<qint64, qint64> {{5, 1}})); // only 202s are accepted
        QCOMPARE(Histogram::total(f.latency), 3);
    }

    void instanceFiguresRoundTrip()
    {
        InstanceFigures api;
        api.instance = "host/42";
        api.role = InstanceFigures::Role::Api;
        api.publishedAtMs = 1'700'000'000'123;
        SecondFigures s;
        s.second = 1'700'000'000 - 1;
        s.outcomes[size_t(Outcome::Queued)] = 4;
        s.accepted = {{11, 4}};
        s.latency[3] = 4;
        api.seconds = {s};
        const auto back = InstanceFigures::fromJson(api.toJson());
        QVERIFY(back);
        QCOMPARE(back->instance, QByteArray("host/42"));
        QCOMPARE(back->upTo(), s.second);
        QCOMPARE(back->seconds.first().accepted, s.accepted);
        QCOMPARE(back->seconds.first().latency, s.latency);
        QVERIFY(!InstanceFigures::fromJson(R"({"v":2})"));
        QVERIFY(!InstanceFigures::fromJson(R"({"v":1,"role":"boss"})"));
        QVERIFY(!InstanceFigures::fromJson(R"({"v":1,"role":"api","seconds":[{"s":5,"o":[1]}]})"));
    }

    void siteFiguresSumTheLatestSecondEveryInstanceHas()
    {
        const auto figures = [](InstanceFigures::Role role, QList<qint64> seconds, qint64 each) {
            InstanceFigures f;
            f.role = role;
            for (qint64 second : seconds) {
                SecondFigures s;
                s.second = second;
                s.outcomes[size_t(Outcome::Queued)] = each;
                s.accepted = {{3, each}};
                s.orders = each;
                s.latency[2] = each;
                f.seconds.append(s);
            }
            return f;
        };
        // One API instance is a second behind: the site is read at its last second.
        const SiteFigures site =
            SiteFigures::sum({figures(InstanceFigures::Role::Api, {98, 99, 100}, 10),
                              figures(InstanceFigures::Role::Api, {97, 98, 99}, 5),
                              figures(InstanceFigures::Role::Worker, {98, 99, 100}, 7)});
        QCOMPARE(site.second, 99);
        QCOMPARE(site.apiInstances, 2);
        QCOMPARE(site.workerInstances, 1);
        QCOMPARE(site.requests[size_t(Outcome::Queued)], 10 + 5 + 7);
        QCOMPARE(site.accepted.value(3), 22);
        QCOMPARE(site.orders, 22);
        QCOMPARE(Histogram::total(site.latency), 22);
        QCOMPARE(SiteFigures::sum({}).second, 0);

        // A worker two seconds late (a busy machine) is waited for: its orders are counted.
        const QList<InstanceFigures> withLate {
            figures(InstanceFigures::Role::Api, {98, 99, 100}, 10),
            figures(InstanceFigures::Role::Worker, {96, 97, 98}, 7)};
        QCOMPARE(SiteFigures::latestSecond(withLate), 98);
        QCOMPARE(SiteFigures::sum(withLate).orders, 10 + 7);

        // One stopped three seconds ago does not hold the site back; it is still counted
        // live (until its record expires) but adds nothing to seconds it did not publish.
        const QList<InstanceFigures> withStopped {
            figures(InstanceFigures::Role::Api, {98, 99, 100}, 10),
            figures(InstanceFigures::Role::Worker, {95, 96, 97}, 7)};
        QCOMPARE(SiteFigures::latestSecond(withStopped), 100);
        const SiteFigures later = SiteFigures::sum(withStopped);
        QCOMPARE(later.orders, 10);
        QCOMPARE(later.workerInstances, 1);
        // An earlier second on request, from the history each record carries.
        QCOMPARE(SiteFigures::sum(withStopped, 97).orders, 7);
    }
};

QTEST_APPLESS_MAIN(tst_Metrics)
#include "tst_metrics.moc"
