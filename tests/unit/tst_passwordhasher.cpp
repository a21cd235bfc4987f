#include "passwordhasher.h"

#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QTest>

using namespace flashsale::users;

namespace {
StoredPassword stored(int iterations, const QByteArray &key, const QByteArray &salt)
{
    return {QStringLiteral("pbkdf2-sha256$%1$%2")
                .arg(iterations)
                .arg(QString::fromLatin1(key.toBase64())),
            QString::fromLatin1(salt.toBase64())};
}
} // namespace

/// PBKDF2-HMAC-SHA256 through OpenSSL: the published test vectors, and hashes stored by the
/// earlier QPasswordDigestor implementation still verify.
class tst_PasswordHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTheTestVectors_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QByteArray>("salt");
        QTest::addColumn<int>("iterations");
        QTest::addColumn<QByteArray>("key"); // the first 32 bytes of the published output

        // RFC 7914, section 11 (PBKDF2-HMAC-SHA256).
        QTest::newRow("rfc7914 c=1") << QStringLiteral("passwd") << QByteArray("salt") << 1
                                     << QByteArray::fromHex("55ac046e56e3089fec1691c22544b605"
                                                            "f94185216dde0465e68b9d57c20dacbc");
        QTest::newRow("rfc7914 c=80000")
            << QStringLiteral("Password") << QByteArray("NaCl") << 80000
            << QByteArray::fromHex("4ddcd8f60b98be21830cee5ef22701f9"
                                   "641a4418d04c0414aeff08876b34ab56");
        // Python's hashlib.pbkdf2_hmac: the password is hashed as UTF-8.
        QByteArray salt(16, Qt::Uninitialized);
        for (int i = 0; i < 16; ++i)
            salt[i] = char(i);
        QTest::newRow("utf-8 password") << QStringLiteral(u"pässwörd ☃") << salt << 1000
                                        << QByteArray::fromHex("42fed31b4c02d9cd6425d60a004961d0"
                                                               "6a63553092613a8dbff52f64787d790f");
    }

    void matchesTheTestVectors()
    {
        QFETCH(QString, password);
        QFETCH(QByteArray, salt);
        QFETCH(int, iterations);
        QFETCH(QByteArray, key);
        const PasswordHasher hasher(1000);
        QVERIFY(hasher.verify(password, stored(iterations, key, salt)));
        QByteArray wrong = key;
        wrong[31] = char(wrong[31] ^ 1);
        QVERIFY(!hasher.verify(password, stored(iterations, wrong, salt)));
        QVERIFY(!hasher.verify(password + u'x', stored(iterations, key, salt)));
    }

    void hashesOfTheEarlierImplementationStillVerify()
    {
        for (int i = 0; i < 20; ++i) {
            QByteArray salt(16, Qt::Uninitialized);
            QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(salt.data()), 4);
            const QString password =
                QStringLiteral("pw-%1-%2").arg(i).arg(QRandomGenerator::global()->generate());
            // What the server stored before it moved to OpenSSL.
            const QByteArray old = QPasswordDigestor::deriveKeyPbkdf2(
                QCryptographicHash::Sha256, password.toUtf8(), salt, 1000, 32);
            QVERIFY(PasswordHasher(100'000).verify(password, stored(1000, old, salt)));
        }
    }

    void newHashesVerifyWithTheEarlierImplementation()
    {
        const StoredPassword made = PasswordHasher(2000).hash(QStringLiteral("correct horse"));
        const QStringList parts = made.hash.split(u'$');
        QCOMPARE(parts.size(), 3);
        QCOMPARE(parts[1], QStringLiteral("2000"));
        const QByteArray old = QPasswordDigestor::deriveKeyPbkdf2(
            QCryptographicHash::Sha256, QByteArrayLiteral("correct horse"),
            QByteArray::fromBase64(made.salt.toLatin1()), 2000, 32);
        QCOMPARE(QByteArray::fromBase64(parts[2].toLatin1()), old);
    }
};

QTEST_APPLESS_MAIN(tst_PasswordHasher)
#include "tst_passwordhasher.moc"
