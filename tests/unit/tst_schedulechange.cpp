// The schedule dialog's words, from the server's rule: what a change does to a sale in
// each stage, and what the dialog opens with.
#include "actionstates.h"
#include "schedulechange.h"

#include <QTest>

using namespace flashsale;
using namespace flashsale::console;

class tst_ScheduleChange : public QObject
{
    Q_OBJECT

private:
    static QDateTime t0() { return QDateTime(QDate(2026, 12, 3), QTime(7, 0), Qt::UTC); }

    // Revealed at t0, live from t0 + 10 min to t0 + 70 min; 150 preloaded, 128 sold, 22 left.
    static adminapi::SaleStatus liveSale()
    {
        adminapi::SaleStatus s;
        s.goodsId = 3;
        s.name = QStringLiteral("Phone");
        s.revealAt = t0();
        s.startAt = t0().addSecs(600);
        s.endAt = t0().addSecs(4200);
        s.preloadedStock = 150;
        s.stockLeft = 22;
        s.ordersCreated = 128;
        s.ratePerSecond = 1000;
        s.burst = 100;
        s.challengeBits = 12;
        s.state = QStringLiteral("live");
        return s;
    }

    static adminapi::SaleSchedule unchanged(const adminapi::SaleStatus &s)
    {
        adminapi::SaleSchedule schedule;
        schedule.revealAt = s.revealAt;
        schedule.startAt = s.startAt;
        schedule.endAt = s.endAt;
        schedule.stock = s.preloadedStock;
        schedule.ratePerSecond = s.ratePerSecond;
        schedule.burst = s.burst;
        schedule.challengeBits = s.challengeBits;
        schedule.addressWindowMs = s.addressWindowMs;
        return schedule;
    }

    static bool anyContains(const QStringList &lines, const QString &text)
    {
        for (const QString &line : lines)
            if (line.contains(text))
                return true;
        return false;
    }

private Q_SLOTS:
    void opensWithTheValuesInForce()
    {
        const adminapi::SaleStatus sale = liveSale();
        const adminapi::SaleSchedule s = initialSchedule(sale, t0().addSecs(900));
        QCOMPARE(s.revealAt, sale.revealAt);
        QCOMPARE(s.startAt, sale.startAt);
        QCOMPARE(s.endAt, sale.endAt);
        QCOMPARE(s.stock, 150);
        QCOMPARE(s.ratePerSecond, 1000.0);
        QCOMPARE(s.burst, 100);
        QCOMPARE(s.challengeBits, 12); // the dialog starts from the sale's own values
    }

    void aDraftOrAnEndedSaleGetsNewTimes()
    {
        adminapi::SaleStatus draft;
        draft.goodsId = 1;
        const adminapi::SaleSchedule d = initialSchedule(draft, t0());
        QVERIFY(d.revealAt > t0());
        QVERIFY(d.startAt > d.revealAt);
        QVERIFY(d.endAt > d.startAt);
        const adminapi::SaleStatus ended = liveSale();
        const QDateTime after = ended.endAt.addSecs(60);
        const adminapi::SaleSchedule e = initialSchedule(ended, after);
        QVERIFY(e.revealAt > after);
        QCOMPARE(e.stock, 150); // kept: units were sold
    }

    void aLiveSaleIsSaidToStayLiveWithItsStock()
    {
        const adminapi::SaleStatus sale = liveSale();
        const QDateTime now = t0().addSecs(900);
        adminapi::SaleSchedule asked = unchanged(sale);
        asked.endAt = sale.endAt.addSecs(1800);
        const ScheduleChange c = describeScheduleChange(sale, asked, now);
        QCOMPARE(c.stage, SaleEditRules::Stage::Live);
        QVERIFY(c.inProgress);
        QVERIFY(c.revealLocked && c.startLocked && c.stockLocked);
        QVERIFY2(c.headline.contains(u"LIVE") && c.headline.contains(u"stays live")
                     && c.headline.contains(u"22 left of 150"),
                 qPrintable(c.headline));
        QVERIFY2(anyContains(c.changes, QStringLiteral("End: moves from")),
                 qPrintable(c.changes.join(u'|')));
        QVERIFY(anyContains(c.changes, QStringLiteral("30 min later")));
        QVERIFY(anyContains(c.changes, QStringLiteral("Stock: untouched")));
        QVERIFY(anyContains(c.changes, QStringLiteral("Start: stays")));
        QVERIFY(c.faults.isEmpty());
        QVERIFY(c.changesAnything);
        QVERIFY(!c.endsAtOnce);
    }

    void movingALiveSaleBackOrRestockingItIsAFault()
    {
        const adminapi::SaleStatus sale = liveSale();
        const QDateTime now = t0().addSecs(900);
        adminapi::SaleSchedule asked = unchanged(sale);
        asked.revealAt = now.addSecs(300);
        asked.startAt = now.addSecs(600);
        asked.stock = 150 + 1;
        const ScheduleChange c = describeScheduleChange(sale, asked, now);
        QCOMPARE(c.faults.size(), 3);
        // Ending it now is allowed and said loudly.
        asked = unchanged(sale);
        asked.endAt = now.addSecs(-1);
        const ScheduleChange end = describeScheduleChange(sale, asked, now);
        QVERIFY(end.faults.isEmpty());
        QVERIFY(end.endsAtOnce);
        QVERIFY(anyContains(end.changes, QStringLiteral("ENDS AT ONCE")));
    }

    void aRevealedSaleKeepsItsPathAndMayBeRestocked()
    {
        adminapi::SaleStatus sale = liveSale();
        sale.stockLeft = 150;
        sale.ordersCreated = 0;
        const QDateTime now = t0().addSecs(60);
        adminapi::SaleSchedule asked = unchanged(sale);
        asked.startAt = sale.startAt.addSecs(300);
        asked.stock = 200;
        const ScheduleChange c = describeScheduleChange(sale, asked, now);
        QCOMPARE(c.stage, SaleEditRules::Stage::Revealed);
        QVERIFY(c.inProgress && c.revealLocked && !c.startLocked && !c.stockLocked);
        QVERIFY(c.headline.contains(u"REVEALED"));
        QVERIFY(anyContains(c.changes, QStringLiteral("Start: moves from")));
        QVERIFY(anyContains(c.changes, QStringLiteral("200 units replace the 150")));
        QVERIFY(c.faults.isEmpty());
    }

    void aScheduledSaleChangesFreely()
    {
        adminapi::SaleStatus sale = liveSale();
        sale.stockLeft = 150;
        sale.ordersCreated = 0;
        const QDateTime now = t0().addSecs(-60);
        const ScheduleChange same = describeScheduleChange(sale, unchanged(sale), now);
        QVERIFY(!same.inProgress);
        QVERIFY(!same.changesAnything);
        adminapi::SaleSchedule asked = unchanged(sale);
        asked.ratePerSecond = 2;
        asked.burst = 1;
        adminapi::SaleSchedule abuse = unchanged(sale);
        abuse.challengeBits = 20;
        abuse.addressWindowMs = 5000;
        const ScheduleChange guarded = describeScheduleChange(sale, abuse, now);
        QVERIFY(guarded.changesAnything);
        QVERIFY2(anyContains(guarded.changes, QStringLiteral("from 12 bits")),
                 qPrintable(guarded.changes.join(u'|')));
        QVERIFY2(anyContains(guarded.changes, QStringLiteral("from none to one try per 5 s")),
                 qPrintable(guarded.changes.join(u'|')));
        const ScheduleChange rate = describeScheduleChange(sale, asked, now);
        QVERIFY(
            anyContains(rate.changes, QStringLiteral("from 1000/s, burst 100 to 2/s, burst 1")));
    }

    void productActionsNeedAHighlightedRow_data()
    {
        QTest::addColumn<bool>("connected");
        QTest::addColumn<int>("selected"); // -1: none
        QTest::addColumn<bool>("schedule");
        QTest::addColumn<bool>("topUp");
        QTest::addColumn<bool>("exportSelected");
        QTest::newRow("nothing highlighted") << true << -1 << false << false << false;
        QTest::newRow("a draft") << true << int(SaleState::Draft) << true << false << true;
        QTest::newRow("a live sale") << true << int(SaleState::Live) << true << true << true;
        QTest::newRow("offline, highlighted")
            << false << int(SaleState::Live) << false << false << true;
    }

    void productActionsNeedAHighlightedRow()
    {
        QFETCH(bool, connected);
        QFETCH(int, selected);
        QFETCH(bool, schedule);
        QFETCH(bool, topUp);
        QFETCH(bool, exportSelected);
        std::optional<SaleState> state;
        if (selected >= 0)
            state = SaleState(selected);
        const ActionStates a = actionStates(connected ? adminapi::AdminClient::State::Connected
                                                      : adminapi::AdminClient::State::Unreachable,
                                            true, state);
        QCOMPARE(a.schedule, schedule);
        QCOMPARE(a.edit, schedule);
        QCOMPARE(a.productSwitch, schedule);
        QCOMPARE(a.topUp, topUp);
        QCOMPARE(a.exportSelected, exportSelected);
        QVERIFY(a.refresh); // offline it retries now
    }
};

QTEST_GUILESS_MAIN(tst_ScheduleChange)
#include "tst_schedulechange.moc"
