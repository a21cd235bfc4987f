#include "salereport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace flashsale;
using namespace flashsale::console;

class tst_SaleReport : public QObject
{
    Q_OBJECT

private:
    static QDateTime t0() { return QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC); }

    static QList<ProductsTableModel::Row> rows()
    {
        ProductsTableModel::Row row;
        row.goods.goodsId = 4;
        row.goods.name = QStringLiteral("Phone, \"pro\"");
        row.goods.priceCents = 1000;
        row.goods.flashPriceCents = 500;
        row.sale.goodsId = 4;
        row.sale.preloadedStock = 100;
        row.sale.stockLeft = 0;
        row.sale.ordersCreated = 98;
        row.sale.pending = 2;
        row.sale.revealAt = t0().addSecs(-600);
        row.sale.startAt = t0().addSecs(-300);
        row.sale.endAt = t0().addSecs(600);
        row.sale.ratePerSecond = 50;
        row.sale.burst = 10;
        return {row};
    }

    static void watch(LiveHistory &history)
    {
        for (int i = 0; i < 3; ++i) {
            adminapi::Stats s;
            s.time = t0().addSecs(-3 + i);
            s.requestsPerSecond = {{QStringLiteral("queued"), 30}, {QStringLiteral("sold_out"), 5}};
            s.ordersPerSecond = 29;
            history.append(s);
        }
    }

private Q_SLOTS:
    void contents()
    {
        LiveHistory history;
        watch(history);
        const SaleReport report(rows(), history, t0());
        const QJsonObject json = report.toJson();
        QCOMPARE(json.value(QStringLiteral("samples")).toInt(), 3);
        QCOMPARE(json.value(QStringLiteral("requestsByOutcome"))
                     .toObject()
                     .value(QStringLiteral("queued"))
                     .toInt(),
                 90);
        QCOMPARE(json.value(QStringLiteral("ordersObserved")).toInt(), 87);
        const QJsonObject product =
            json.value(QStringLiteral("products")).toArray().first().toObject();
        QCOMPARE(product.value(QStringLiteral("derivedState")).toString(),
                 QStringLiteral("sold_out"));
        QCOMPARE(product.value(QStringLiteral("ordersCreated")).toInt(), 98);

        const QStringList csv = report.toCsv().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(csv.size(), 2);
        QVERIFY(csv.at(0).startsWith(QStringLiteral("goodsId,name,")));
        QVERIFY2(
            csv.at(1).startsWith(QStringLiteral("4,\"Phone, \"\"pro\"\"\",1000,500,100,0,98,2,")),
            qPrintable(csv.at(1)));
        QVERIFY(csv.at(1).endsWith(QStringLiteral(",sold_out")));

        const QString text = report.toText();
        QVERIFY2(text.contains(QStringLiteral("sold 98, left 0, pending 2")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("3 samples")), qPrintable(text));
    }

    void nothingWatched()
    {
        LiveHistory history;
        const SaleReport report(rows(), history, t0());
        QVERIFY(report.toText().contains(QStringLiteral("No live traffic was watched.")));
        QCOMPARE(report.toJson().value(QStringLiteral("watchedFrom")).toString(), QString());
    }

    void writesFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        LiveHistory history;
        watch(history);
        const SaleReport report(rows(), history, t0());
        const QString target = dir.filePath(QStringLiteral("sale-4"));
        const Status status = report.write(target);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        for (const QString &name : SaleReport::fileNames())
            QVERIFY2(QFile::exists(QDir(target).filePath(name)), qPrintable(name));
        QFile json(QDir(target).filePath(QStringLiteral("report.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(json.readAll()).object(), report.toJson());
    }

    void unwritableFolderIsAnError()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        LiveHistory history;
        const Status status =
            SaleReport(rows(), history, t0()).write(blocker.fileName() + QStringLiteral("/sub"));
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QStringLiteral("cannot create")),
                 qPrintable(status.error()));
    }
};

QTEST_GUILESS_MAIN(tst_SaleReport)
#include "tst_salereport.moc"
