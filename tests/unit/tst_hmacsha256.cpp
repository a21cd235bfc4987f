#include "hmacsha256.h"

#include <QMessageAuthenticationCode>
#include <QTest>

using flashsale::sale::HmacSha256;

class tst_HmacSha256 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc4231_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("mac");
        // RFC 4231 test cases 1, 2 and 6 (a key longer than the block).
        QTest::newRow("case 1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                                << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9"
                                              "376c2e32cff7");
        QTest::newRow("case 2") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
                                << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec"
                                              "58b964ec3843");
        QTest::newRow("case 6")
            << QByteArray(131, '\xaa')
            << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
            << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    void rfc4231()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, mac);
        const HmacSha256 hmac(key);
        QCOMPARE(hmac.macBytes(message.toStdString()).toHex(), mac);
        // Keyed once, the same for every later message.
        QCOMPARE(hmac.macBytes(message.toStdString()).toHex(), mac);
    }

    void agreesWithQtForManyLengths()
    {
        const QByteArray key = "the sale's secret";
        const HmacSha256 hmac(key);
        QByteArray message;
        for (int n = 0; n < 200; ++n) {
            QCOMPARE(hmac.macBytes(message.toStdString()),
                     QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256));
            message.append(char('a' + n % 26));
        }
    }
};

QTEST_APPLESS_MAIN(tst_HmacSha256)
#include "tst_hmacsha256.moc"
