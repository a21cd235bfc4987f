#include "clientaddress.h"

#include <QTest>

using namespace flashsale::users;

/// Which address a shopper's brakes and windows count against.
class tst_ClientAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolves_data()
    {
        QTest::addColumn<QString>("trusted");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QByteArray>("forwardedFor");
        QTest::addColumn<QString>("expected");

        QTest::newRow("no proxy trusted: the socket's")
            << QString() << u"127.0.0.1"_qs << QByteArray("203.0.113.9") << u"127.0.0.1"_qs;
        QTest::newRow("forged header from an untrusted peer changes nothing")
            << u"127.0.0.1"_qs << u"198.51.100.7"_qs << QByteArray("203.0.113.9")
            << u"198.51.100.7"_qs;
        QTest::newRow("trusted proxy: its last hop")
            << u"127.0.0.1"_qs << u"127.0.0.1"_qs << QByteArray("203.0.113.9") << u"203.0.113.9"_qs;
        QTest::newRow("trusted proxy: earlier hops are the client's word")
            << u"127.0.0.1"_qs << u"127.0.0.1"_qs << QByteArray("1.2.3.4, 203.0.113.9")
            << u"203.0.113.9"_qs;
        QTest::newRow("trusted subnet") << u"10.0.0.0/8, 127.0.0.1"_qs << u"10.1.2.3"_qs
                                        << QByteArray("2001:db8::1") << u"2001:db8::1"_qs;
        QTest::newRow("trusted proxy without the header")
            << u"127.0.0.1"_qs << u"127.0.0.1"_qs << QByteArray() << u"127.0.0.1"_qs;
        QTest::newRow("trusted proxy passing garbage: the proxy")
            << u"127.0.0.1"_qs << u"127.0.0.1"_qs << QByteArray("1.2.3.4, not-an-ip")
            << u"127.0.0.1"_qs;
        QTest::newRow("IPv4 on a dual-stack socket")
            << u"127.0.0.1"_qs << u"::ffff:127.0.0.1"_qs << QByteArray("203.0.113.9")
            << u"203.0.113.9"_qs;
        QTest::newRow("mapped peer, untrusted")
            << QString() << u"::ffff:198.51.100.7"_qs << QByteArray() << u"198.51.100.7"_qs;
    }

    void resolves()
    {
        QFETCH(QString, trusted);
        QFETCH(QString, peer);
        QFETCH(QByteArray, forwardedFor);
        QFETCH(QString, expected);
        const std::optional<TrustedProxies> proxies = TrustedProxies::parse(trusted);
        QVERIFY(proxies);
        QCOMPARE(clientAddress(QHostAddress(peer), forwardedFor, *proxies), expected);
    }

    void badProxyListsAreRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("a name") << u"localhost"_qs;
        QTest::newRow("a bad subnet") << u"10.0.0.0/40"_qs;
        QTest::newRow("one bad among good") << u"127.0.0.1, 300.1.1.1"_qs;
    }

    void badProxyListsAreRefused()
    {
        QFETCH(QString, text);
        QString error;
        QVERIFY(!TrustedProxies::parse(text, &error));
        QVERIFY2(!error.isEmpty(), "the error names the entry");
    }
};

QTEST_APPLESS_MAIN(tst_ClientAddress)
#include "tst_clientaddress.moc"
