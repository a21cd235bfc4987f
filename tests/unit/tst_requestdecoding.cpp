#include "requestdecoding.h"

#include <QTest>

using namespace flashsale::http;

namespace {
// JSON written with single quotes, to keep the tables readable (and moc away from raw
// string literals, which it does not parse).
QByteArray j(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}
} // namespace

class tst_RequestDecoding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void credentials_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("fine") << (j("{'username':'ann','password':'secret-pw'}")) << 0 << QString()
                              << QString();
        QTest::newRow("unknown fields ignored")
            << (j("{'username':'ann','password':'secret-pw','x':1}")) << 0 << QString()
            << QString();
        QTest::newRow("empty body") << QByteArray() << 400 << "invalid_json" << QString();
        QTest::newRow("not json") << QByteArray("username=ann") << 400 << "invalid_json"
                                  << QString();
        QTest::newRow("truncated")
            << (j("{'username':'ann'")) << 400 << "invalid_json" << QString();
        QTest::newRow("array") << QByteArray("[1,2]") << 400 << "invalid_json"
                               << "object";
        QTest::newRow("string") << QByteArray("\"x\"") << 400 << "invalid_json" << QString();
        QTest::newRow("missing username") << (j("{'password':'secret-pw'}")) << 400 << "invalid"
                                          << "username";
        QTest::newRow("username a number")
            << (j("{'username':5,'password':'secret-pw'}")) << 400 << "invalid"
            << "username";
        QTest::newRow("username null")
            << (j("{'username':null,'password':'secret-pw'}")) << 400 << "invalid"
            << "username";
        QTest::newRow("username empty")
            << (j("{'username':'','password':'secret-pw'}")) << 400 << "invalid"
            << "username";
        QTest::newRow("username with space")
            << (j("{'username':'a b','password':'secret-pw'}")) << 400 << "invalid"
            << "username";
        QTest::newRow("username too long")
            << (j("{'username':'") + QByteArray(65, 'a') + j("','password':'secret-pw'}")) << 400
            << "invalid"
            << "username";
        QTest::newRow("password short")
            << (j("{'username':'ann','password':'short'}")) << 400 << "invalid"
            << "password";
        QTest::newRow("too large")
            << QByteArray(maxBodyBytes + 1, ' ') << 413 << "too_large" << QString();
    }

    void credentials()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        const Decoded<Credentials> decoded = decodeCredentials(body);
        QCOMPARE(decoded.ok(), status == 0);
        if (status == 0) {
            QCOMPARE(decoded->username, QStringLiteral("ann"));
            return;
        }
        QCOMPARE(decoded.error().status, status);
        QCOMPARE(decoded.error().code, code);
        QVERIFY(!decoded.error().message.isEmpty());
        if (!mentions.isEmpty())
            QVERIFY2(decoded.error().message.contains(mentions),
                     qPrintable(decoded.error().message));
    }

    void goods_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("fine") << (j("{'name':'Phone','priceCents':1000,'flashPriceCents':500}"))
                              << QString();
        QTest::newRow("blank name")
            << (j("{'name':'  ','priceCents':1000,'flashPriceCents':500}")) << "name";
        QTest::newRow("fractional price")
            << (j("{'name':'P','priceCents':10.5,'flashPriceCents':5}")) << "priceCents";
        QTest::newRow("negative price")
            << (j("{'name':'P','priceCents':-1,'flashPriceCents':0}")) << "priceCents";
        QTest::newRow("price as string")
            << (j("{'name':'P','priceCents':'10','flashPriceCents':5}")) << "priceCents";
        QTest::newRow("huge price")
            << (j("{'name':'P','priceCents':1e300,'flashPriceCents':5}")) << "priceCents";
        QTest::newRow("flash above price")
            << (j("{'name':'P','priceCents':10,'flashPriceCents':11}")) << "flashPriceCents";
        QTest::newRow("description not string")
            << (j("{'name':'P','description':[],'priceCents':10,'flashPriceCents':1}"))
            << "description";
        QTest::newRow("image https")
            << (j("{'name':'P','image':'https://cdn.example/p.png','priceCents':1000,"
                  "'flashPriceCents':500}"))
            << QString();
        QTest::newRow("image http") << (j("{'name':'P','image':'http://cdn.example/p.png',"
                                          "'priceCents':1000,'flashPriceCents':500}"))
                                    << QString();
        QTest::newRow("image on this site")
            << (j("{'name':'P','image':'/img/p.png','priceCents':1000,'flashPriceCents':500}"))
            << QString();
        QTest::newRow("image javascript")
            << (j("{'name':'P','image':'javascript:alert(1)','priceCents':10,'flashPriceCents':1}"))
            << "image";
        QTest::newRow("image data") << (j("{'name':'P','image':'data:image/png;base64,AA',"
                                          "'priceCents':10,'flashPriceCents':1}"))
                                    << "image";
        QTest::newRow("image other site without scheme")
            << (j("{'name':'P','image':'//evil.example/p.png','priceCents':10,"
                  "'flashPriceCents':1}"))
            << "image";
        QTest::newRow("image relative")
            << (j("{'name':'P','image':'p.png','priceCents':10,'flashPriceCents':1}")) << "image";
        QTest::newRow("image backslash")
            << (j("{'name':'P','image':'/\\\\evil.example','priceCents':10,'flashPriceCents':1}"))
            << "image";
        QTest::newRow("image with a space")
            << (j("{'name':'P','image':'https://a.example/x\\u0020y','priceCents':10,"
                  "'flashPriceCents':1}"))
            << "image";
        QTest::newRow("image without host")
            << (j("{'name':'P','image':'https:///p.png','priceCents':10,'flashPriceCents':1}"))
            << "image";
    }

    void goods()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        const auto decoded = decodeGoods(body);
        QCOMPARE(decoded.ok(), mentions.isEmpty());
        if (mentions.isEmpty()) {
            QCOMPARE(decoded->priceCents, 1000);
            QCOMPARE(decoded->flashPriceCents, 500);
            QCOMPARE(decoded->description, QString());
        } else {
            QCOMPARE(decoded.error().code, QStringLiteral("invalid"));
            QVERIFY2(decoded.error().message.startsWith(mentions),
                     qPrintable(decoded.error().message));
        }
    }

    void saleSchedule_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        const QByteArray rest = j(",'ratePerSecond':100,'burst':10}");
        QTest::newRow("fine") << (j("{'stock':50,'revealAt':'2026-11-27T09:00:00.000Z','startAt':'"
                                    "2026-11-27T10:00:00.000Z','endAt':'2026-11-27T11:00:00Z'"))
                + rest << QString();
        QTest::newRow("offset zone")
            << (j("{'stock':50,'revealAt':'2026-11-27T10:00:00+01:00','startAt':'2026-11-27T10:00:"
                  "00.000Z','endAt':'2026-11-27T11:00:00Z'"))
                + rest
            << QString();
        QTest::newRow("no zone") << (j("{'stock':50,'revealAt':'2026-11-27T09:00:00','startAt':'"
                                       "2026-11-27T10:00:00.000Z','endAt':'2026-11-27T11:00:00Z'"))
                + rest << "revealAt";
        QTest::newRow("not a time") << (j("{'stock':50,'revealAt':'tomorrow','startAt':'2026-11-"
                                          "27T10:00:00.000Z','endAt':'2026-11-27T11:00:00Z'"))
                + rest << "revealAt";
        QTest::newRow("month 13") << (j("{'stock':50,'revealAt':'2026-13-27T09:00:00Z','startAt':'"
                                        "2026-11-27T10:00:00.000Z','endAt':'2026-11-27T11:00:00Z'"))
                + rest << "revealAt";
        QTest::newRow("reveal after start")
            << (j("{'stock':50,'revealAt':'2026-11-27T10:30:00Z','startAt':'2026-11-27T10:00:00."
                  "000Z','endAt':'2026-11-27T11:00:00Z'"))
                + rest
            << "revealAt";
        QTest::newRow("end before start")
            << (j("{'stock':50,'revealAt':'2026-11-27T09:00:00Z','startAt':'2026-11-27T10:00:00."
                  "000Z','endAt':'2026-11-27T09:30:00Z'"))
                + rest
            << "startAt";
        QTest::newRow("negative stock")
            << (j("{'stock':-1,'revealAt':'2026-11-27T09:00:00Z','startAt':'2026-11-27T10:00:00."
                  "000Z','endAt':'2026-11-27T11:00:00Z'"))
                + rest
            << "stock";
        QTest::newRow("zero rate")
            << (j("{'stock':1,'revealAt':'2026-11-27T09:00:00Z','startAt':'2026-11-27T10:00:00."
                  "000Z','endAt':'2026-11-27T11:00:00Z','ratePerSecond':0,'burst':10}"))
            << "ratePerSecond";
        QTest::newRow("zero burst")
            << (j("{'stock':1,'revealAt':'2026-11-27T09:00:00Z','startAt':'2026-11-27T10:00:00."
                  "000Z','endAt':'2026-11-27T11:00:00Z','ratePerSecond':5,'burst':0}"))
            << "burst";
        const QByteArray times = j("{'stock':50,'revealAt':'2026-11-27T09:00:00Z','startAt':"
                                   "'2026-11-27T10:00:00.000Z','endAt':'2026-11-27T11:00:00Z',"
                                   "'ratePerSecond':5,'burst':1");
        QTest::newRow("challenge 24") << times + j(",'challengeBits':24}") << QString();
        QTest::newRow("challenge 25") << times + j(",'challengeBits':25}") << "challengeBits";
        QTest::newRow("challenge negative") << times + j(",'challengeBits':-1}") << "challengeBits";
        QTest::newRow("challenge fraction")
            << times + j(",'challengeBits':8.5}") << "challengeBits";
        QTest::newRow("challenge text") << times + j(",'challengeBits':'8'}") << "challengeBits";
        QTest::newRow("address window an hour")
            << times + j(",'addressWindowMs':3600000}") << QString();
        QTest::newRow("address window past an hour")
            << times + j(",'addressWindowMs':3600001}") << "addressWindowMs";
        QTest::newRow("address window negative")
            << times + j(",'addressWindowMs':-1}") << "addressWindowMs";
    }

    void challengeBitsDefaultToNone()
    {
        const auto decoded = decodeSaleSchedule(
            j("{'stock':1,'revealAt':'2026-11-27T09:00:00Z','startAt':'2026-11-27T10:00:00.000Z',"
              "'endAt':'2026-11-27T11:00:00Z','ratePerSecond':5,'burst':1}"));
        QVERIFY(decoded);
        QCOMPARE(decoded->challengeBits, 0);
        QCOMPARE(decoded->addressWindowMs, 0);
        const auto hard = decodeSaleSchedule(
            j("{'stock':1,'revealAt':'2026-11-27T09:00:00Z','startAt':'2026-11-27T10:00:00.000Z',"
              "'endAt':'2026-11-27T11:00:00Z','ratePerSecond':5,'burst':1,'challengeBits':20}"));
        QVERIFY(hard);
        QCOMPARE(hard->challengeBits, 20);
    }

    void saleSchedule()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        const auto decoded = decodeSaleSchedule(body);
        QCOMPARE(decoded.ok(), mentions.isEmpty());
        if (mentions.isEmpty()) {
            QCOMPARE(decoded->stock, 50);
            QCOMPARE(decoded->startAtMs, parseTime(QStringLiteral("2026-11-27T10:00:00Z")).value());
            QCOMPARE(decoded->revealAtMs <= decoded->startAtMs, true);
        } else {
            QVERIFY2(decoded.error().message.startsWith(mentions),
                     qPrintable(decoded.error().message));
        }
    }

    void degradation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("goodsId");
        QTest::newRow("site") << (j("{'scope':'site','on':true,'message':'m'}")) << true
                              << qint64(0);
        QTest::newRow("goods") << (j("{'scope':7,'on':false}")) << true << qint64(7);
        QTest::newRow("other word") << (j("{'scope':'all','on':true}")) << false << qint64(0);
        QTest::newRow("fraction") << (j("{'scope':7.5,'on':true}")) << false << qint64(0);
        QTest::newRow("zero") << (j("{'scope':0,'on':true}")) << false << qint64(0);
        QTest::newRow("on as string") << (j("{'scope':'site','on':'yes'}")) << false << qint64(0);
        QTest::newRow("message too long")
            << (j("{'scope':'site','on':true,'message':'") + QByteArray(501, 'x') + "\"}") << false
            << qint64(0);
    }

    void degradation()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, valid);
        QFETCH(qint64, goodsId);
        const auto decoded = decodeDegradation(body);
        QCOMPARE(decoded.ok(), valid);
        if (valid)
            QCOMPARE(decoded->goodsId.value_or(0), goodsId);
        else
            QCOMPARE(decoded.error().status, 400);
    }

    void stockAndRate()
    {
        QVERIFY(decodeStockTopUp(j("{'add':3}")));
        QVERIFY(!decodeStockTopUp(j("{'add':0}")));
        QVERIFY(!decodeStockTopUp(j("{'add':true}")));
        QVERIFY(decodeRate(j("{'ratePerSecond':0.5,'burst':1}")));
        QVERIFY(!decodeRate(j("{'ratePerSecond':-1,'burst':1}")));
        QVERIFY(!decodeRate(j("{'ratePerSecond':1}")));
    }

    void timeRoundTrip()
    {
        const qint64 ms = parseTime(QStringLiteral("2026-11-27T10:00:00.123Z")).value();
        QCOMPARE(formatTime(ms), QStringLiteral("2026-11-27T10:00:00.123Z"));
        QCOMPARE(parseTime(QStringLiteral("2026-11-27T11:00:00.123+01:00")), ms);
    }
};

QTEST_APPLESS_MAIN(tst_RequestDecoding)
#include "tst_requestdecoding.moc"
