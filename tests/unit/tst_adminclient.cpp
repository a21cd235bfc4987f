// The client's behaviour where no server is needed: bad settings, a closed port, a port
// that accepts but never answers. Talking to a real server is tst_console_admin
// (integration).
#include "adminapi/adminclient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace flashsale::adminapi;

class tst_AdminClient : public QObject
{
    Q_OBJECT

private:
    static quint16 closedPort()
    {
        QTcpServer server;
        if (!server.listen(QHostAddress::LocalHost))
            qFatal("cannot bind a port");
        return server.serverPort(); // closed again when server goes
    }

    static QUrl local(quint16 port)
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    }

private Q_SLOTS:
    void badSettings_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("message");
        QTest::newRow("no scheme") << "127.0.0.1:8081"
                                   << "t"
                                   << "is not an admin API address";
        QTest::newRow("ftp") << "ftp://127.0.0.1:8081"
                             << "t"
                             << "is not an admin API address";
        QTest::newRow("empty") << ""
                               << "t"
                               << "is not an admin API address";
        QTest::newRow("empty token") << "http://127.0.0.1:8081"
                                     << ""
                                     << "token is empty";
    }

    void badSettings()
    {
        QFETCH(QString, url);
        QFETCH(QString, token);
        QFETCH(QString, message);
        AdminClient client;
        QSignalSpy states(&client, &AdminClient::stateChanged);
        client.connectToServer(QUrl(url), token);
        QCOMPARE(client.state(), AdminClient::State::Disconnected);
        QVERIFY2(client.stateMessage().contains(message), qPrintable(client.stateMessage()));
        QCOMPARE(states.size(), 1);
    }

    void unreachableServerIsRetried()
    {
        AdminClient client;
        client.setReconnectDelays(100, 200);
        QSignalSpy states(&client, &AdminClient::stateChanged);
        client.connectToServer(local(closedPort()), QStringLiteral("secret"));
        QCOMPARE(client.state(), AdminClient::State::Connecting);
        QTRY_COMPARE(client.state(), AdminClient::State::Unreachable);
        QVERIFY2(client.stateMessage().contains(QStringLiteral("Cannot reach http://127.0.0.1:")),
                 qPrintable(client.stateMessage()));
        QVERIFY2(client.stateMessage().contains(QStringLiteral("retrying in 0.1 s")),
                 qPrintable(client.stateMessage()));
        // It keeps trying by itself, with a longer delay.
        QTRY_VERIFY2(client.stateMessage().contains(QStringLiteral("retrying in 0.2 s")),
                     qPrintable(client.stateMessage()));
        client.disconnectFromServer();
        QCOMPARE(client.state(), AdminClient::State::Disconnected);
        const qsizetype seen = states.size();
        QTest::qWait(500);
        QCOMPARE(states.size(), seen); // no more attempts once told to stop
    }

    void silentServerTimesOut()
    {
        QTcpServer silent; // accepts connections, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        AdminClient client;
        client.setRequestTimeout(300);
        client.setReconnectDelays(5000, 5000);
        client.connectToServer(local(silent.serverPort()), QStringLiteral("secret"));
        QTRY_COMPARE(client.state(), AdminClient::State::Unreachable);
        QVERIFY2(client.stateMessage().contains(QStringLiteral("No answer from")),
                 qPrintable(client.stateMessage()));
    }

    void requestWithoutServerFails()
    {
        AdminClient client;
        QSignalSpy failed(&client, &AdminClient::requestFailed);
        client.addStock(3, 10);
        QCOMPARE(failed.size(), 0); // answered later, like every other failure
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("top up sale 3"));
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("Not connected to a server"));
    }

    void requestToClosedPortFails()
    {
        AdminClient client;
        client.setReconnectDelays(60'000, 60'000);
        client.connectToServer(local(closedPort()), QStringLiteral("secret"));
        QSignalSpy failed(&client, &AdminClient::requestFailed);
        client.setRate(5, 10, 2);
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY2(failed.first().at(1).toString().startsWith(QStringLiteral("Cannot reach")),
                 qPrintable(failed.first().at(1).toString()));
    }

    void liveUrl_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("live");
        QTest::newRow("http") << "http://127.0.0.1:8081"
                              << "ws://127.0.0.1:8081/admin/live";
        QTest::newRow("https, slash") << "https://h:1/"
                                      << "wss://h:1/admin/live";
        QTest::newRow("prefix") << "http://h/flash/"
                                << "ws://h/flash/admin/live";
    }

    void liveUrl()
    {
        QFETCH(QString, base);
        QFETCH(QString, live);
        QCOMPARE(AdminClient::liveUrl(QUrl(base)).toString(), live);
    }
};

QTEST_GUILESS_MAIN(tst_AdminClient)
#include "tst_adminclient.moc"
