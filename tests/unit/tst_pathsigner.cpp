#include "pathsigner.h"

#include <QTest>

using namespace flashsale::sale;

class tst_PathSigner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pathIsStableAndHex()
    {
        const PathSigner signer(QByteArray("secret-of-this-sale"));
        const QString path = signer.path(7, 42);
        QCOMPARE(path.size(), 32);
        QVERIFY(QByteArray::fromHex(path.toLatin1()).toHex() == path.toLatin1());
        QCOMPARE(signer.path(7, 42), path);
        QVERIFY(signer.verify(7, 42, path));
    }

    void verifyRefuses_data()
    {
        QTest::addColumn<qint64>("userId");
        QTest::addColumn<qint64>("goodsId");
        QTest::addColumn<QString>("path");
        const PathSigner signer(QByteArray("secret-of-this-sale"));
        const QString good = signer.path(7, 42);
        QString flipped = good;
        flipped[5] = flipped[5] == u'0' ? u'1' : u'0';
        QTest::newRow("other user") << qint64(8) << qint64(42) << good;
        QTest::newRow("other goods") << qint64(7) << qint64(43) << good;
        QTest::newRow("one digit changed") << qint64(7) << qint64(42) << flipped;
        QTest::newRow("truncated") << qint64(7) << qint64(42) << good.left(31);
        QTest::newRow("longer") << qint64(7) << qint64(42) << good + u'0';
        QTest::newRow("upper case") << qint64(7) << qint64(42) << good.toUpper();
        QTest::newRow("empty") << qint64(7) << qint64(42) << QString();
        QTest::newRow("not hex") << qint64(7) << qint64(42) << QString(32, u'z');
        QTest::newRow("upper case of another")
            << qint64(7) << qint64(42) << PathSigner(QByteArray("x")).path(7, 42);
    }

    void verifyRefuses()
    {
        QFETCH(qint64, userId);
        QFETCH(qint64, goodsId);
        QFETCH(QString, path);
        const PathSigner signer(QByteArray("secret-of-this-sale"));
        QVERIFY(!signer.verify(userId, goodsId, path));
    }

    void otherSecretOtherPath()
    {
        const PathSigner a(PathSigner::generateSecret());
        const PathSigner b(PathSigner::generateSecret());
        QVERIFY(a.path(1, 1) != b.path(1, 1));
        QVERIFY(!b.verify(1, 1, a.path(1, 1)));
    }

    void generatedSecretsDiffer()
    {
        const QByteArray one = PathSigner::generateSecret();
        QCOMPARE(one.size(), 32);
        QVERIFY(one != PathSigner::generateSecret());
    }

    void nullSignerVerifiesNothing()
    {
        const PathSigner none;
        QVERIFY(none.isNull());
        QVERIFY(!none.verify(1, 1, none.path(1, 1)));
    }

    void constantTimeEquals_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("equal");
        QTest::newRow("same") << QByteArray("abc") << QByteArray("abc") << true;
        QTest::newRow("empty") << QByteArray() << QByteArray() << true;
        QTest::newRow("last differs") << QByteArray("abc") << QByteArray("abd") << false;
        QTest::newRow("lengths differ") << QByteArray("abc") << QByteArray("ab") << false;
    }

    void constantTimeEquals()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, equal);
        QCOMPARE(flashsale::sale::constantTimeEquals(a, b), equal);
    }
};

QTEST_APPLESS_MAIN(tst_PathSigner)
#include "tst_pathsigner.moc"
