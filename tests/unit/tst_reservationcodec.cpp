#include "reservationcodec.h"

#include <QTest>

using namespace flashsale;
using namespace flashsale::amqp;

class tst_ReservationCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        QList<Reservation> batch;
        for (int i = 1; i <= 100; ++i)
            batch.append({QStringLiteral("r-%1-\"x\\y\"").arg(i), 7, 1000 + i, 1718000000000 + i});
        batch.append({QStringLiteral("big"), 9007199254740992LL, 1, 1});
        const Result<QList<Reservation>> decoded =
            ReservationCodec::decode(ReservationCodec::encode(batch));
        QVERIFY2(decoded.ok(), qPrintable(decoded.error()));
        QCOMPARE(decoded.value(), batch);
        QCOMPARE(decoded->first().reservedAt().toMSecsSinceEpoch(), 1718000000001);
    }

    void documentedExample()
    {
        const QByteArray body = R"({"v":1,"reservations":[
            {"id":"r-1-42","goodsId":1,"userId":42,"reservedAt":1718000000123,"extra":true}]})";
        const Result<QList<Reservation>> decoded = ReservationCodec::decode(body);
        QVERIFY2(decoded.ok(), qPrintable(decoded.error()));
        QCOMPARE(decoded->size(), 1);
        QCOMPARE(decoded->first(), (Reservation {QStringLiteral("r-1-42"), 1, 42, 1718000000123}));
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("not json") << QByteArray("{oops") << "not JSON";
        QTest::newRow("array") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("no version") << QByteArray(R"({"reservations":[]})") << "version";
        QTest::newRow("version 2") << QByteArray(R"({"v":2,"reservations":[]})") << "version";
        QTest::newRow("empty batch")
            << QByteArray(R"({"v":1,"reservations":[]})") << "no reservations";
        QTest::newRow("missing id")
            << QByteArray(R"({"v":1,"reservations":[{"goodsId":1,"userId":1,"reservedAt":1}]})")
            << "id must be";
        QTest::newRow("long id") << (QByteArray(R"({"v":1,"reservations":[{"id":")")
                                     + QByteArray(201, 'x')
                                     + QByteArray(R"(","goodsId":1,"userId":1,"reservedAt":1}]})"))
                                 << "id must be";
        QTest::newRow("string goods") << QByteArray(
            R"({"v":1,"reservations":[{"id":"a","goodsId":"1","userId":1,"reservedAt":1}]})")
                                      << "positive integers";
        QTest::newRow("fractional user") << QByteArray(
            R"({"v":1,"reservations":[{"id":"a","goodsId":1,"userId":1.5,"reservedAt":1}]})")
                                         << "positive integers";
        QTest::newRow("negative goods") << QByteArray(
            R"({"v":1,"reservations":[{"id":"a","goodsId":-1,"userId":1,"reservedAt":1}]})")
                                        << "positive integers";
        QTest::newRow("beyond 2^53") << QByteArray(
            R"({"v":1,"reservations":[{"id":"a","goodsId":1e17,"userId":1,"reservedAt":1}]})")
                                     << "positive integers";
        QTest::newRow("no time") << QByteArray(
            R"({"v":1,"reservations":[{"id":"a","goodsId":1,"userId":1}]})")
                                 << "reservedAt";
        QTest::newRow("second bad") << QByteArray(
            R"({"v":1,"reservations":[{"id":"a","goodsId":1,"userId":1,"reservedAt":1},{"id":"b"}]})")
                                    << "reservation 1 (b)";
    }

    void rejects()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, errorPart);
        const Result<QList<Reservation>> decoded = ReservationCodec::decode(body);
        QVERIFY(!decoded.ok());
        QVERIFY2(decoded.error().contains(errorPart), qPrintable(decoded.error()));
    }
};

QTEST_GUILESS_MAIN(tst_ReservationCodec)
#include "tst_reservationcodec.moc"
