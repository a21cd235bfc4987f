#include "databaseurl.h"

#include <QTest>

using flashsale::db::DatabaseUrl;

class tst_DatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("errorPart");

        QTest::newRow("full") << "postgres://u:p@127.0.0.1:5433/shop" << true << "127.0.0.1" << 5433
                              << "u"
                              << "p"
                              << "shop" << QString();
        QTest::newRow("postgresql scheme") << "postgresql://u@db/shop" << true << "db" << 5432
                                           << "u" << QString() << "shop" << QString();
        QTest::newRow("escaped password") << "postgres://u:p%40ss@h/d" << true << "h" << 5432 << "u"
                                          << "p@ss"
                                          << "d" << QString();
        QTest::newRow("empty") << QString() << false << QString() << 0 << QString() << QString()
                               << QString() << "empty";
        QTest::newRow("wrong scheme") << "mysql://u@h/d" << false << QString() << 0 << QString()
                                      << QString() << QString() << "postgres://";
        QTest::newRow("no host") << "postgres:///d" << false << QString() << 0 << QString()
                                 << QString() << QString() << "no host";
        QTest::newRow("no database") << "postgres://u@h:1/" << false << QString() << 0 << QString()
                                     << QString() << QString() << "one database";
        QTest::newRow("bad port") << "postgres://u@h:99999/d" << false << QString() << 0
                                  << QString() << QString() << QString() << "URL";
    }

    void parse()
    {
        QFETCH(QString, url);
        QFETCH(bool, valid);
        const auto parsed = DatabaseUrl::parse(url);
        QCOMPARE(parsed.ok(), valid);
        if (!valid) {
            QFETCH(QString, errorPart);
            QVERIFY2(parsed.error().contains(errorPart), qPrintable(parsed.error()));
            return;
        }
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, name);
        QCOMPARE(parsed->host, host);
        QCOMPARE(parsed->port, port);
        QCOMPARE(parsed->user, user);
        QCOMPARE(parsed->password, password);
        QCOMPARE(parsed->name, name);
        // Round trip: the URL it prints parses to the same place.
        const auto again = DatabaseUrl::parse(parsed->toString());
        QVERIFY(again.ok());
        QCOMPARE(again->password, password);
        QCOMPARE(again->displayName(), parsed->displayName());
    }
};

QTEST_GUILESS_MAIN(tst_DatabaseUrl)
#include "tst_databaseurl.moc"
