#include "salechallenge.h"

#include <QCryptographicHash>
#include <QTest>

using namespace flashsale::sale;

namespace {
constexpr qint64 now = 1'800'000'000'000;

bool works(const QString &challenge, quint64 nonce, int bits)
{
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray(challenge.toLatin1() + ':' + QByteArray::number(nonce)),
                                 QCryptographicHash::Sha256);
    return ChallengeSigner::hasLeadingZeroBits(digest, bits);
}

/// What the storefront's script does: the first decimal nonce that does the work.
QString solve(const QString &challenge, int bits)
{
    for (quint64 nonce = 0;; ++nonce) {
        if (works(challenge, nonce, bits))
            return QString::number(nonce);
    }
}

QString wrongNonce(const QString &challenge, int bits)
{
    for (quint64 nonce = 0;; ++nonce) {
        if (!works(challenge, nonce, bits))
            return QString::number(nonce);
    }
}
} // namespace

/// The proof-of-work challenge before the sale path: signed, bound to user, product,
/// difficulty and expiry, checked without server state.
class tst_SaleChallenge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void leadingZeroBits_data()
    {
        QTest::addColumn<QByteArray>("digest");
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("expected");
        QTest::newRow("0 bits of anything") << QByteArray::fromHex("ff") << 0 << true;
        QTest::newRow("8 of 00ff") << QByteArray::fromHex("00ff") << 8 << true;
        QTest::newRow("9 of 00ff") << QByteArray::fromHex("00ff") << 9 << false;
        QTest::newRow("9 of 007f") << QByteArray::fromHex("007f") << 9 << true;
        QTest::newRow("12 of 000f") << QByteArray::fromHex("000f") << 12 << true;
        QTest::newRow("13 of 000f") << QByteArray::fromHex("000f") << 13 << false;
        QTest::newRow("1 of 80") << QByteArray::fromHex("80") << 1 << false;
        QTest::newRow("more bits than the digest") << QByteArray::fromHex("0000") << 17 << false;
    }

    void leadingZeroBits()
    {
        QFETCH(QByteArray, digest);
        QFETCH(int, bits);
        QFETCH(bool, expected);
        QCOMPARE(ChallengeSigner::hasLeadingZeroBits(digest, bits), expected);
    }

    void aSolvedChallengeOpensThePath()
    {
        const ChallengeSigner signer("key", 60'000);
        const IssuedChallenge issued = signer.issue(7, 42, 8, now);
        QCOMPARE(issued.bits, 8);
        QCOMPARE(issued.expiresAtMs, now + 60'000);
        qint64 expiresAt = 0;
        QCOMPARE(signer.verify(issued.challenge, solve(issued.challenge, 8), 7, 42, 8, now + 1000,
                               &expiresAt),
                 ChallengeVerdict::Solved);
        QCOMPARE(expiresAt, now + 60'000);
        // Another instance with the same key agrees: nothing was stored.
        QCOMPARE(ChallengeSigner("key").verify(issued.challenge, solve(issued.challenge, 8), 7, 42,
                                               8, now),
                 ChallengeVerdict::Solved);
    }

    void everyChallengeIsNew()
    {
        const ChallengeSigner signer("key");
        QVERIFY(signer.issue(7, 42, 8, now).challenge != signer.issue(7, 42, 8, now).challenge);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("wrong nonce") << QStringLiteral("wrong nonce");
        QTest::newRow("expired") << QStringLiteral("expired");
        QTest::newRow("another user's") << QStringLiteral("user");
        QTest::newRow("another product's") << QStringLiteral("goods");
        QTest::newRow("difficulty raised since") << QStringLiteral("raised");
        QTest::newRow("terms altered") << QStringLiteral("altered");
        QTest::newRow("signed with another key") << QStringLiteral("key");
        QTest::newRow("nonce not decimal") << QStringLiteral("hex nonce");
        QTest::newRow("no nonce") << QStringLiteral("empty nonce");
        QTest::newRow("garbage") << QStringLiteral("garbage");
    }

    void refusals()
    {
        QFETCH(QString, what);
        const ChallengeSigner signer("key", 60'000);
        const IssuedChallenge issued = signer.issue(7, 42, 8, now);
        QString challenge = issued.challenge;
        QString nonce = solve(challenge, 8);
        qint64 user = 7, goods = 42, at = now + 1000;
        int required = 8;
        const ChallengeSigner *checker = &signer;
        const ChallengeSigner otherKey("other key", 60'000);
        if (what == u"wrong nonce")
            nonce = wrongNonce(challenge, 8);
        else if (what == u"expired")
            at = issued.expiresAtMs;
        else if (what == u"user")
            user = 8;
        else if (what == u"goods")
            goods = 43;
        else if (what == u"raised")
            required = 9;
        else if (what == u"altered")
            challenge.replace(QStringLiteral(".8."), QStringLiteral(".1."));
        else if (what == u"key")
            checker = &otherKey;
        else if (what == u"hex nonce")
            nonce = QStringLiteral("0x1f");
        else if (what == u"empty nonce")
            nonce.clear();
        else
            challenge = QStringLiteral("v1.7.42.8.99999999999999.00.AAAA");
        // The untouched challenge passes, so each row fails for its own reason only.
        QCOMPARE(signer.verify(issued.challenge, solve(issued.challenge, 8), 7, 42, 8, now),
                 ChallengeVerdict::Solved);
        QCOMPARE(checker->verify(challenge, nonce, user, goods, required, at),
                 ChallengeVerdict::Failed);
    }
};

QTEST_APPLESS_MAIN(tst_SaleChallenge)
#include "tst_salechallenge.moc"
