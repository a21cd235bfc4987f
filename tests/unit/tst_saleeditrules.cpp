// What a second PUT /admin/sales/{goodsId} may change, by the sale's stage: the rule the
// server enforces and the console's schedule dialog follows.
#include "saleeditrules.h"

#include <QTest>

using flashsale::SaleEditRules;

class tst_SaleEditRules : public QObject
{
    Q_OBJECT

private:
    // Reveal at 1000, start at 2000, end at 3000, 50 preloaded.
    static SaleEditRules::Current sale(bool stockTaken = false)
    {
        SaleEditRules::Current c;
        c.scheduled = true;
        c.revealAtMs = 1000;
        c.startAtMs = 2000;
        c.endAtMs = 3000;
        c.preloadedStock = 50;
        c.stockTaken = stockTaken;
        return c;
    }

private Q_SLOTS:
    void locksFollowTheStage_data()
    {
        QTest::addColumn<qint64>("now");
        QTest::addColumn<bool>("taken");
        QTest::addColumn<QString>("stage");
        QTest::addColumn<bool>("reveal");
        QTest::addColumn<bool>("start");
        QTest::addColumn<bool>("stock");
        QTest::newRow("scheduled")
            << qint64(999) << false << "scheduled" << false << false << false;
        QTest::newRow("revealed") << qint64(1000) << false << "revealed" << true << false << false;
        QTest::newRow("live") << qint64(2000) << false << "live" << true << true << true;
        QTest::newRow("ended, none sold")
            << qint64(3000) << false << "ended" << false << false << false;
        QTest::newRow("ended, some sold")
            << qint64(3000) << true << "ended" << false << false << true;
        QTest::newRow("scheduled again, some sold earlier")
            << qint64(500) << true << "scheduled" << false << false << true;
    }

    void locksFollowTheStage()
    {
        QFETCH(qint64, now);
        QFETCH(bool, taken);
        QFETCH(QString, stage);
        QFETCH(bool, reveal);
        QFETCH(bool, start);
        QFETCH(bool, stock);
        const SaleEditRules rules(sale(taken), now);
        QCOMPARE(SaleEditRules::stageName(rules.stage()), stage);
        QCOMPARE(rules.revealLocked(), reveal);
        QCOMPARE(rules.startLocked(), start);
        QCOMPARE(rules.stockLocked(), stock);
    }

    void aDraftMaySetEverything()
    {
        const SaleEditRules rules(SaleEditRules::Current {}, 5000);
        QCOMPARE(rules.stage(), SaleEditRules::Stage::Draft);
        QVERIFY(rules.faults({1, 2, 3, 99}).isEmpty());
        QVERIFY(!rules.inProgress());
    }

    void aLiveSaleOnlyMovesItsEnd()
    {
        const SaleEditRules rules(sale(), 2500);
        QVERIFY(rules.inProgress());
        QVERIFY(rules.faults({1000, 2000, 9000, 50}).isEmpty());
        QVERIFY(rules.faults({1000, 2000, 2100, 50}).isEmpty()); // shortened, even into the past
        const QStringList back = rules.faults({4000, 5000, 9000, 50});
        QCOMPARE(back.size(), 2);
        QVERIFY(back.at(0).startsWith(u"revealAt"));
        QVERIFY(back.at(1).startsWith(u"startAt"));
        const QStringList restock = rules.faults({1000, 2000, 3000, 150});
        QCOMPARE(restock.size(), 1);
        QVERIFY2(restock.first().contains(u"stays at 50"), qPrintable(restock.first()));
    }

    void aRevealedSaleKeepsItsRevealOnly()
    {
        const SaleEditRules rules(sale(), 1500);
        QVERIFY(rules.faults({1000, 2500, 9000, 80}).isEmpty());
        QCOMPARE(rules.faults({1200, 2000, 3000, 50}).size(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_SaleEditRules)
#include "tst_saleeditrules.moc"
