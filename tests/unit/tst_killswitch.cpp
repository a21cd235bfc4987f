#include "killswitch.h"

#include <QTest>

using namespace flashsale::sale;

class tst_KillSwitch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offByDefault()
    {
        KillSwitch s;
        QVERIFY(!s.blocked(1));
        QCOMPARE(s.all().site.on, false);
        QVERIFY(s.all().goods.isEmpty());
    }

    void siteBlocksEveryProduct()
    {
        KillSwitch s;
        s.setSite(true, QStringLiteral("Back at ten."));
        QCOMPARE(s.blocked(1), std::optional<QString>(QStringLiteral("Back at ten.")));
        QCOMPARE(s.blocked(99), std::optional<QString>(QStringLiteral("Back at ten.")));
        s.setSite(false, QString());
        QVERIFY(!s.blocked(1));
    }

    void goodsBlocksOnlyThatProduct()
    {
        KillSwitch s;
        s.setGoods(5, true, QString());
        QCOMPARE(s.blocked(5), std::optional<QString>(KillSwitch::defaultMessage()));
        QVERIFY(!s.blocked(6));
        const KillSwitch::Switches all = s.all();
        QCOMPARE(all.goods.size(), 1);
        QCOMPARE(all.goods.value(5).on, true);
    }

    void siteMessageWins()
    {
        KillSwitch s;
        s.setGoods(5, true, QStringLiteral("product"));
        s.setSite(true, QStringLiteral("site"));
        QCOMPARE(s.blocked(5), std::optional<QString>(QStringLiteral("site")));
    }

    void replaceSwapsEverything()
    {
        KillSwitch s;
        s.setGoods(5, true, QStringLiteral("x"));
        s.replace({{true, QStringLiteral("all")}, {{7, {false, QString()}}}});
        QVERIFY(s.site().on);
        QVERIFY(!s.goods(5).on);
        QCOMPARE(s.blocked(7), std::optional<QString>(QStringLiteral("all")));
    }
};

QTEST_APPLESS_MAIN(tst_KillSwitch)
#include "tst_killswitch.moc"
