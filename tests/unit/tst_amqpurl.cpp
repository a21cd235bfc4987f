#include "amqpurl.h"

#include <QTest>

using namespace flashsale;
using namespace flashsale::amqp;

class tst_AmqpUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("vhost");
        QTest::addColumn<QString>("errorPart");

        QTest::newRow("full") << "amqp://app:secret@10.0.0.5:5673/sales" << true << "10.0.0.5"
                              << 5673 << "app"
                              << "secret"
                              << "sales" << QString();
        QTest::newRow("trailing slash is default vhost")
            << "amqp://u:p@localhost:1234/" << true << "localhost" << 1234 << "u"
            << "p"
            << "/" << QString();
        QTest::newRow("no path") << "amqp://u:p@h" << true << "h" << 5672 << "u"
                                 << "p"
                                 << "/" << QString();
        QTest::newRow("encoded slash vhost") << "amqp://u:p@h/%2F" << true << "h" << 5672 << "u"
                                             << "p"
                                             << "/" << QString();
        QTest::newRow("encoded vhost") << "amqp://u:p@h/a%2Fb" << true << "h" << 5672 << "u"
                                       << "p"
                                       << "a/b" << QString();
        QTest::newRow("no credentials") << "amqp://h:1" << true << "h" << 1 << "guest"
                                        << "guest"
                                        << "/" << QString();
        QTest::newRow("encoded password") << "amqp://u:p%40ss@h" << true << "h" << 5672 << "u"
                                          << "p@ss"
                                          << "/" << QString();
        QTest::newRow("empty") << "" << false << "" << 0 << ""
                               << ""
                               << ""
                               << "empty";
        QTest::newRow("wrong scheme") << "http://h/" << false << "" << 0 << ""
                                      << ""
                                      << ""
                                      << "amqp://";
        QTest::newRow("tls") << "amqps://h/" << false << "" << 0 << ""
                             << ""
                             << ""
                             << "TLS";
        QTest::newRow("no host") << "amqp:///vhost" << false << "" << 0 << ""
                                 << ""
                                 << ""
                                 << "no host";
        QTest::newRow("bad port") << "amqp://h:99999/" << false << "" << 0 << ""
                                  << ""
                                  << ""
                                  << "";
        QTest::newRow("two path segments") << "amqp://h/a/b" << false << "" << 0 << ""
                                           << ""
                                           << ""
                                           << "one vhost";
        QTest::newRow("query") << "amqp://h/v?heartbeat=5" << false << "" << 0 << ""
                               << ""
                               << ""
                               << "query";
        QTest::newRow("garbage") << "not a url at all" << false << "" << 0 << ""
                                 << ""
                                 << ""
                                 << "";
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const Result<AmqpUrl> url = AmqpUrl::parse(text);
        QCOMPARE(url.ok(), valid);
        if (!valid) {
            QFETCH(QString, errorPart);
            QVERIFY(!url.error().isEmpty());
            QVERIFY2(url.error().contains(errorPart), qPrintable(url.error()));
            QVERIFY2(url.error().contains(QStringLiteral("AMQP URL")), qPrintable(url.error()));
            return;
        }
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, vhost);
        QCOMPARE(url->host, host);
        QCOMPARE(url->port, port);
        QCOMPARE(url->user, user);
        QCOMPARE(url->password, password);
        QCOMPARE(url->vhost, vhost);
        QVERIFY(!url->displayName().contains(password) || password.isEmpty()
                || password == u"guest");
    }
};

QTEST_GUILESS_MAIN(tst_AmqpUrl)
#include "tst_amqpurl.moc"
