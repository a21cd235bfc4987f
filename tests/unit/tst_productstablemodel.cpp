#include "productsfiltermodel.h"
#include "productstablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace flashsale;
using namespace flashsale::console;

class tst_ProductsTableModel : public QObject
{
    Q_OBJECT

private:
    static QDateTime at(int minute)
    {
        return QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC).addSecs(minute * 60);
    }

    static adminapi::Goods goods(qint64 id, const QString &name, qint64 price)
    {
        adminapi::Goods g;
        g.goodsId = id;
        g.name = name;
        g.description = name + QStringLiteral(" description");
        g.priceCents = price;
        g.flashPriceCents = price / 2;
        return g;
    }

    static adminapi::SaleStatus sale(qint64 id, int startMinute, qint64 stock)
    {
        adminapi::SaleStatus s;
        s.goodsId = id;
        s.name = QStringLiteral("Product %1").arg(id);
        s.preloadedStock = stock;
        s.stockLeft = stock;
        s.revealAt = at(startMinute - 5);
        s.startAt = at(startMinute);
        s.endAt = at(startMinute + 30);
        s.ratePerSecond = 100;
        s.burst = 20;
        s.state = QStringLiteral("scheduled");
        return s;
    }

    // Phone (10, live at minute 0), Cable (9, starts at 20), Book (100, draft).
    static void fill(ProductsTableModel &model)
    {
        model.setNow(at(0));
        model.setGoods({goods(10, QStringLiteral("Phone"), 99900),
                        goods(9, QStringLiteral("Cable"), 900),
                        goods(100, QStringLiteral("Book"), 2500)});
        QList<adminapi::SaleStatus> sales {sale(10, 0, 50), sale(9, 20, 5)};
        sales[0].name = QStringLiteral("Phone");
        sales[0].priceCents = 99900;
        sales[0].flashPriceCents = 49950;
        sales[1].name = QStringLiteral("Cable");
        sales[1].priceCents = 900;
        sales[1].flashPriceCents = 450;
        model.setSales(sales);
    }

    static QStringList names(const char *commaSeparated)
    {
        return QString::fromLatin1(commaSeparated).split(u',', Qt::SkipEmptyParts);
    }

    static QStringList columnValues(const QAbstractItemModel &model, int column)
    {
        QStringList values;
        for (int r = 0; r < model.rowCount(); ++r)
            values.append(model.index(r, column).data().toString());
        return values;
    }

private Q_SLOTS:
    void mergesGoodsAndSales()
    {
        ProductsTableModel model;
        QAbstractItemModelTester tester(&model);
        fill(model);
        QCOMPARE(model.rowCount(), 3);
        const int phone = model.rowOf(10);
        QCOMPARE(model.index(phone, ProductsTableModel::NameColumn).data().toString(),
                 QStringLiteral("Phone"));
        QCOMPARE(model.index(phone, ProductsTableModel::PriceColumn).data().toString(),
                 QStringLiteral("999.00"));
        QCOMPARE(model.index(phone, ProductsTableModel::FlashPriceColumn).data().toString(),
                 QStringLiteral("499.50"));
        // Details that only /admin/goods carries survive the sales listing.
        QCOMPARE(model.row(phone).goods.description, QStringLiteral("Phone description"));
        QCOMPARE(model.stateAt(phone), SaleState::Live);
        QCOMPARE(model.stateAt(model.rowOf(9)), SaleState::Scheduled);
        QCOMPARE(model.stateAt(model.rowOf(100)), SaleState::Draft);
        QCOMPARE(model.index(model.rowOf(100), ProductsTableModel::StartColumn).data().toString(),
                 QStringLiteral("-"));
    }

    void countdownAndStateFollowTheClock()
    {
        ProductsTableModel model;
        fill(model);
        const int cable = model.rowOf(9);
        const QModelIndex next = model.index(cable, ProductsTableModel::NextEventColumn);
        QCOMPARE(next.data().toString(), QStringLiteral("reveal in 00:15:00"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setNow(at(16).addSecs(-1));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.stateAt(cable), SaleState::Revealed);
        QCOMPARE(next.data().toString(), QStringLiteral("start in 00:04:01"));
        model.setNow(at(60));
        QCOMPARE(model.stateAt(cable), SaleState::Ended);
        QCOMPARE(next.data().toString(), QStringLiteral("-"));
    }

    void liveFeedUpdatesCounts()
    {
        ProductsTableModel model;
        QAbstractItemModelTester tester(&model);
        fill(model);
        adminapi::Stats stats;
        stats.time = at(1);
        stats.sales = {{10, 0, 3, 47, 12.5}, {999, 1, 0, 0, 0}};
        model.applyLive(stats);
        const int phone = model.rowOf(10);
        QCOMPARE(model.index(phone, ProductsTableModel::LeftColumn).data().toLongLong(), 0);
        QCOMPARE(model.index(phone, ProductsTableModel::SoldColumn).data().toLongLong(), 47);
        QCOMPARE(model.index(phone, ProductsTableModel::PendingColumn).data().toLongLong(), 3);
        QCOMPARE(model.stateAt(phone), SaleState::SoldOut);
        QCOMPARE(model.rowCount(), 3); // an unknown product waits for the next listing
        // A tripped sold-out product is sold out: there is nothing to buy either way.
        model.setDegraded(10, true, QStringLiteral("Back in 5 minutes"));
        QCOMPARE(model.stateAt(phone), SaleState::SoldOut);
        stats.sales = {{10, 5, 0, 47, 0}};
        model.applyLive(stats);
        QCOMPARE(model.stateAt(phone), SaleState::Degraded);
        QCOMPARE(
            model.index(phone, ProductsTableModel::StateColumn).data(Qt::ToolTipRole).toString(),
            QStringLiteral("Shoppers see: Back in 5 minutes"));
    }

    void upsertAddsAndReplaces()
    {
        ProductsTableModel model;
        QAbstractItemModelTester tester(&model);
        fill(model);
        model.upsertGoods(goods(11, QStringLiteral("Watch"), 30000));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.stateAt(model.rowOf(11)), SaleState::Draft);
        model.upsertSale(sale(11, 10, 7));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.stateAt(model.rowOf(11)), SaleState::Scheduled);
        QCOMPARE(
            model.index(model.rowOf(11), ProductsTableModel::PreloadedColumn).data().toLongLong(),
            7);
        // A sale listing without product 11 turns it back into a draft but keeps it.
        model.setSales({sale(10, 0, 50)});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.stateAt(model.rowOf(11)), SaleState::Draft);
    }

    void sorting_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QStringList>("names");
        // Numeric, not text: 9 before 10 before 100, 9.00 before 25.00 before 999.00.
        QTest::newRow("id ascending") << int(ProductsTableModel::IdColumn)
                                      << int(Qt::AscendingOrder) << names("Cable,Phone,Book");
        QTest::newRow("price ascending") << int(ProductsTableModel::PriceColumn)
                                         << int(Qt::AscendingOrder) << names("Cable,Book,Phone");
        QTest::newRow("price descending") << int(ProductsTableModel::PriceColumn)
                                          << int(Qt::DescendingOrder) << names("Phone,Book,Cable");
        QTest::newRow("name") << int(ProductsTableModel::NameColumn) << int(Qt::AscendingOrder)
                              << names("Book,Cable,Phone");
        QTest::newRow("state") << int(ProductsTableModel::StateColumn) << int(Qt::AscendingOrder)
                               << names("Book,Cable,Phone");
        QTest::newRow("stock left") << int(ProductsTableModel::LeftColumn)
                                    << int(Qt::DescendingOrder) << names("Phone,Cable,Book");
        QTest::newRow("next event") << int(ProductsTableModel::NextEventColumn)
                                    << int(Qt::AscendingOrder) << names("Cable,Phone,Book");
    }

    void sorting()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QStringList, names);
        ProductsTableModel model;
        fill(model);
        ProductsFilterModel proxy;
        QAbstractItemModelTester tester(&proxy);
        proxy.setSourceModel(&model);
        proxy.sort(column, Qt::SortOrder(order));
        QCOMPARE(columnValues(proxy, ProductsTableModel::NameColumn), names);
    }

    void filtering_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<int>>("states");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("everything") << "" << QList<int>() << names("Book,Cable,Phone");
        QTest::newRow("name, any case") << "pHo" << QList<int>() << names("Phone");
        QTest::newRow("id") << "9" << QList<int>() << names("Cable");
        QTest::newRow("id is exact") << "1" << QList<int>() << names("");
        QTest::newRow("live") << "" << QList<int> {int(SaleState::Live)} << names("Phone");
        QTest::newRow("draft or scheduled")
            << "" << QList<int> {int(SaleState::Draft), int(SaleState::Scheduled)}
            << names("Book,Cable");
        QTest::newRow("text and state")
            << "a" << QList<int> {int(SaleState::Scheduled)} << names("Cable");
    }

    void filtering()
    {
        QFETCH(QString, text);
        QFETCH(QList<int>, states);
        QFETCH(QStringList, names);
        ProductsTableModel model;
        fill(model);
        ProductsFilterModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(ProductsTableModel::NameColumn);
        proxy.setText(text);
        QSet<SaleState> set;
        for (int s : states)
            set.insert(SaleState(s));
        proxy.setStates(set);
        QCOMPARE(columnValues(proxy, ProductsTableModel::NameColumn), names);
    }

    void filterFollowsLiveStateChanges()
    {
        ProductsTableModel model;
        fill(model);
        ProductsFilterModel proxy;
        proxy.setSourceModel(&model);
        proxy.setStates({SaleState::Live});
        QCOMPARE(proxy.rowCount(), 1);
        model.setNow(at(25)); // Cable starts at 20
        QCOMPARE(proxy.rowCount(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_ProductsTableModel)
#include "tst_productstablemodel.moc"
