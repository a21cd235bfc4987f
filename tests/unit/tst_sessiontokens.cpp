#include "passwordhasher.h"
#include "sessiontokens.h"

#include <QTest>

using namespace flashsale::users;

class tst_SessionTokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuedTokenVerifies()
    {
        const SessionTokens tokens("secret", 60);
        const QString token = tokens.issue(42, 1'000'000);
        const auto session = tokens.verify(token, 1'000'000);
        QVERIFY(session);
        QCOMPARE(session->userId, 42);
        QCOMPARE(session->expiresAtMs, 1'060'000);
        QVERIFY(tokens.verifyHeader("Bearer " + token.toLatin1(), 1'000'001));
    }

    void refused_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<qint64>("now");
        const SessionTokens tokens("secret", 60);
        const QString good = tokens.issue(42, 0);
        QString flipped = good;
        flipped[flipped.size() - 3] = flipped[flipped.size() - 3] == u'A' ? u'B' : u'A';
        const QString payload = good.left(good.indexOf(u'.'));
        const QString otherPayload =
            SessionTokens("secret", 60).issue(43, 0).left(good.indexOf(u'.'));
        QTest::newRow("expired") << good << qint64(60'000);
        QTest::newRow("forged mac") << flipped << qint64(0);
        QTest::newRow("other secret") << SessionTokens("other", 60).issue(42, 0) << qint64(0);
        QTest::newRow("payload swapped")
            << otherPayload + good.mid(good.indexOf(u'.')) << qint64(0);
        QTest::newRow("no mac") << payload << qint64(0);
        QTest::newRow("empty") << QString() << qint64(0);
        QTest::newRow("garbage") << QStringLiteral("...!!!") << qint64(0);
        QTest::newRow("huge") << QString(100'000, u'a') << qint64(0);
    }

    void refused()
    {
        QFETCH(QString, token);
        QFETCH(qint64, now);
        const SessionTokens tokens("secret", 60);
        QVERIFY(!tokens.verify(token, now));
    }

    void headerForms()
    {
        const SessionTokens tokens("secret", 60);
        const QByteArray token = tokens.issue(1, 0).toLatin1();
        QVERIFY(!tokens.verifyHeader(token, 0));
        QVERIFY(!tokens.verifyHeader("Basic " + token, 0));
        QVERIFY(!tokens.verifyHeader(QByteArray(), 0));
        QVERIFY(tokens.verifyHeader("Bearer " + token, 0));
    }

    void passwordsHashAndVerify()
    {
        const PasswordHasher hasher(1000);
        const StoredPassword a = hasher.hash(QStringLiteral("correct horse"));
        const StoredPassword b = hasher.hash(QStringLiteral("correct horse"));
        QVERIFY(a.hash.startsWith(QStringLiteral("pbkdf2-sha256$1000$")));
        QVERIFY(a.salt != b.salt); // one salt per user
        QVERIFY(a.hash != b.hash);
        QVERIFY(hasher.verify(QStringLiteral("correct horse"), a));
        QVERIFY(!hasher.verify(QStringLiteral("correct horsE"), a));
        // The iteration count travels with the hash.
        QVERIFY(PasswordHasher(5000).verify(QStringLiteral("correct horse"), a));
        QVERIFY(!hasher.verify(QStringLiteral("x"), {QStringLiteral("garbage"), a.salt}));
        QVERIFY(
            !hasher.verify(QStringLiteral("x"), {QStringLiteral("pbkdf2-sha256$0$AA=="), a.salt}));
    }
};

QTEST_APPLESS_MAIN(tst_SessionTokens)
#include "tst_sessiontokens.moc"
