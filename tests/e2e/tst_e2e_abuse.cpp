// End to end, two server processes on the real stack sharing one database and Redis: the
// sign-in brake (per username and per address, counted across both), the sign-up limit
// per address, the trusted-proxy rule, and the proof-of-work challenge before the path.

#include "shopclient.h"

#include <QCryptographicHash>
#include <QTest>
#include <QUrlQuery>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

namespace {
QByteArray credentials(const QString &username, const QString &password)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("username"), username},
                                      {QStringLiteral("password"), password}})
        .toJson(QJsonDocument::Compact);
}

bool works(const QString &challenge, quint64 nonce, int bits)
{
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray(challenge.toLatin1() + ':' + QByteArray::number(nonce)),
                                 QCryptographicHash::Sha256);
    int zero = 0;
    while (zero < bits && !(quint8(digest[zero / 8]) & (0x80 >> (zero % 8))))
        ++zero;
    return zero >= bits;
}

/// What the storefront's script does: the first decimal nonce with \a bits leading zero
/// bits (or, with \a working false, the first without).
QString solve(const QString &challenge, int bits, bool working = true)
{
    for (quint64 nonce = 0;; ++nonce) {
        if (works(challenge, nonce, bits) == working)
            return QString::number(nonce);
    }
}
} // namespace

class tst_E2eAbuse : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_first;
    ServerProcess m_second;
    ServerProcess m_untrusting; ///< believes no proxy
    int m_user = 0;

    QUrl at(const ServerProcess &server, const QString &path)
    {
        return server.baseUrl().resolved(QUrl(path));
    }
    ShopClient::Reply signUp(const ServerProcess &server, const QString &name,
                             const QByteArray &forwardedFor = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!forwardedFor.isEmpty())
            headers.append({"X-Forwarded-For", forwardedFor});
        return m_client.call("POST", at(server, QStringLiteral("/api/users")),
                             credentials(name, QStringLiteral("right-password")), {}, headers);
    }
    ShopClient::Reply signIn(const ServerProcess &server, const QString &name,
                             const QString &password, const QByteArray &forwardedFor)
    {
        return m_client.call("POST", at(server, QStringLiteral("/api/sessions")),
                             credentials(name, password), {}, {{"X-Forwarded-For", forwardedFor}});
    }
    QString freshUser() { return QStringLiteral("shopper-%1").arg(++m_user); }
    /// A new shopper signed up from an address of their own; the Bearer header value.
    QByteArray shopperFrom(const ServerProcess &server)
    {
        const QString name = freshUser();
        const QByteArray address = freshAddress();
        if (signUp(server, name, address).status != 201)
            return {};
        return "Bearer "
            + signIn(server, name, u"right-password"_qs, address)
                  .body.value(QStringLiteral("token"))
                  .toString()
                  .toLatin1();
    }
    QByteArray freshAddress() { return "203.0.113." + QByteArray::number(m_user % 250 + 1); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        const QStringList limits {QStringLiteral("--signin-failures"),    QStringLiteral("3"),
                                  QStringLiteral("--signin-ip-failures"), QStringLiteral("6"),
                                  QStringLiteral("--signups-per-ip"),     QStringLiteral("3")};
        QVERIFY2(
            m_first.start(ShopClient::serverArgs(limits), ShopClient::environment(databaseUrl)),
            qPrintable(m_first.output()));
        QVERIFY2(
            m_second.start(ShopClient::serverArgs(limits), ShopClient::environment(databaseUrl)),
            qPrintable(m_second.output()));
        // Its own database, so its site's counts are its own.
        QVERIFY2(m_untrusting.start(
                     ShopClient::serverArgs(limits
                                            + QStringList {QStringLiteral("--trusted-proxies"),
                                                           QStringLiteral("10.9.9.9")}),
                     ShopClient::environment(TestServices::instance().createDatabase())),
                 qPrintable(m_untrusting.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_first.stop(), 0);
        QCOMPARE(m_second.stop(), 0);
        QCOMPARE(m_untrusting.stop(), 0);
    }

    void wrongPasswordsAcrossInstancesEngageTheBrake()
    {
        const QString user = freshUser();
        const QByteArray address = freshAddress();
        QCOMPARE(signUp(m_first, user, address).status, 201);
        // Three wrong passwords, on alternating instances: one count.
        QCOMPARE(signIn(m_first, user, u"wrong-password"_qs, address).status, 401);
        QCOMPARE(signIn(m_second, user, u"wrong-password"_qs, address).status, 401);
        QCOMPARE(signIn(m_first, user, u"wrong-password"_qs, address).status, 401);
        // Now braked on both, even for the right password: the brake is no oracle.
        ShopClient::Reply braked = signIn(m_second, user, u"right-password"_qs, address);
        QCOMPARE(braked.status, 429);
        QCOMPARE(braked.error(), QStringLiteral("too_many_attempts"));
        QCOMPARE(braked.retryAfter, QByteArray("1"));
        QCOMPARE(signIn(m_first, user, u"wrong-password"_qs, address).status, 429);
        // Once the hold-off has passed, one more failure holds off twice as long. (Each try
        // is a sign-in: polled by hand, so that the one that got through is the one judged.)
        int status = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                status = signIn(m_first, user, u"wrong-password"_qs, address).status;
                return status != 429;
            },
            5000));
        QCOMPARE(status, 401);
        braked = signIn(m_second, user, u"right-password"_qs, address);
        QCOMPARE(braked.status, 429);
        QCOMPARE(braked.retryAfter, QByteArray("2"));
        // And after that the right password works again, and starts the count afresh.
        QVERIFY(QTest::qWaitFor(
            [&] {
                status = signIn(m_second, user, u"right-password"_qs, address).status;
                return status != 429;
            },
            6000));
        QCOMPARE(status, 200);
        QCOMPARE(signIn(m_first, user, u"wrong-password"_qs, address).status, 401);
        QCOMPARE(signIn(m_first, user, u"wrong-password"_qs, address).status, 401);
    }

    void aSuccessResetsTheAccountsCount()
    {
        const QString user = freshUser();
        const QByteArray address = freshAddress();
        QCOMPARE(signUp(m_first, user, address).status, 201);
        QCOMPARE(signIn(m_first, user, u"wrong-password"_qs, address).status, 401);
        QCOMPARE(signIn(m_second, user, u"wrong-password"_qs, address).status, 401);
        QCOMPARE(signIn(m_second, user, u"right-password"_qs, address).status, 200);
        QCOMPARE(signIn(m_first, user, u"wrong-password"_qs, address).status, 401);
        QCOMPARE(signIn(m_second, user, u"wrong-password"_qs, address).status, 401);
        QCOMPARE(signIn(m_first, user, u"right-password"_qs, address).status, 200);
    }

    void oneAddressGuessingManyAccountsIsBraked()
    {
        const QByteArray address = "198.51.100.77";
        QStringList users;
        for (int i = 0; i < 7; ++i) {
            users.append(freshUser());
            QCOMPARE(signUp(m_first, users.last(), freshAddress()).status, 201);
        }
        // Six accounts, one wrong password each, from one address: the address's limit.
        for (int i = 0; i < 6; ++i)
            QCOMPARE(
                signIn(i % 2 ? m_first : m_second, users[i], u"wrong-password"_qs, address).status,
                401);
        QCOMPARE(signIn(m_first, users[6], u"right-password"_qs, address).status, 429);
        // The same account from another address is fine.
        QCOMPARE(signIn(m_first, users[6], u"right-password"_qs, freshAddress()).status, 200);
    }

    void signUpsPerAddressAreLimited()
    {
        const QByteArray address = "192.0.2.10";
        QCOMPARE(signUp(m_first, freshUser(), address).status, 201);
        QCOMPARE(signUp(m_second, freshUser(), address).status, 201);
        QCOMPARE(signUp(m_first, freshUser(), address).status, 201);
        const ShopClient::Reply refused = signUp(m_second, freshUser(), address);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.error(), QStringLiteral("too_many_attempts"));
        QVERIFY(refused.retryAfter.toInt() > 0);
        QCOMPARE(signUp(m_second, freshUser(), "192.0.2.11").status, 201);
    }

    void aForgedForwardedForFromAnUntrustedPeerChangesNothing()
    {
        // This instance believes no proxy: every sign-up counts against the socket's
        // address (loopback), whatever the header claims.
        int created = 0;
        for (int i = 0; i < 4; ++i)
            created +=
                signUp(m_untrusting, freshUser(), "192.0.2." + QByteArray::number(100 + i)).status
                == 201;
        QCOMPARE(created, 3);
        QCOMPARE(signUp(m_untrusting, freshUser(), "192.0.2.200").status, 429);
    }

    void aChallengeStandsBeforeThePath()
    {
        const qint64 id = m_client.liveSale(m_first, QStringLiteral("Hard to get"), 5);
        QVERIFY(id > 0);
        QJsonObject status = m_client.saleStatus(m_first, id);
        // Difficulty 12: a few thousand hashes, quick for the test; the same code as 20.
        const ShopClient::Reply set = m_client.adminCall(
            m_first, "PUT", QStringLiteral("/admin/sales/%1").arg(id),
            QJsonDocument(
                QJsonObject {{QStringLiteral("stock"), 5},
                             {QStringLiteral("revealAt"), status.value(QStringLiteral("revealAt"))},
                             {QStringLiteral("startAt"), status.value(QStringLiteral("startAt"))},
                             {QStringLiteral("endAt"), status.value(QStringLiteral("endAt"))},
                             {QStringLiteral("ratePerSecond"), 1000},
                             {QStringLiteral("burst"), 100},
                             {QStringLiteral("challengeBits"), 12}})
                .toJson());
        QCOMPARE(set.status, 200);
        const QByteArray alice = shopperFrom(m_first);
        const QByteArray bob = shopperFrom(m_second);
        QVERIFY(!alice.isEmpty() && !bob.isEmpty());
        const QString pathUrl = QStringLiteral("/api/sales/%1/path").arg(id);
        const auto pathWith = [&](const ServerProcess &server, const QByteArray &who,
                                  const QString &challenge, const QString &nonce) {
            QUrl url = at(server, pathUrl);
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("challenge"), challenge);
            query.addQueryItem(QStringLiteral("nonce"), nonce);
            url.setQuery(query);
            return m_client.call("GET", url, {}, who);
        };

        // Both instances know the sale's difficulty (the change reaches the second at once).
        QTRY_COMPARE(m_client.call("GET", at(m_second, pathUrl), {}, alice).error(),
                     QStringLiteral("challenge_required"));
        const ShopClient::Reply issued = m_client.call(
            "GET", at(m_first, QStringLiteral("/api/sales/%1/challenge").arg(id)), {}, alice);
        QCOMPARE(issued.status, 200);
        QCOMPARE(issued.body.value(QStringLiteral("bits")).toInt(), 12);
        QVERIFY(!issued.body.value(QStringLiteral("expiresAt")).toString().isEmpty());
        const QString challenge = issued.body.value(QStringLiteral("challenge")).toString();
        const QString nonce = solve(challenge, 12);

        // A wrong nonce, or another shopper presenting Alice's solution: refused.
        ShopClient::Reply r = pathWith(m_first, alice, challenge, solve(challenge, 12, false));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.error(), QStringLiteral("challenge_failed"));
        QCOMPARE(pathWith(m_first, bob, challenge, nonce).error(),
                 QStringLiteral("challenge_failed"));

        // Solved: the path, once; the same solution on the other instance is used.
        r = pathWith(m_first, alice, challenge, nonce);
        QCOMPARE(r.status, 200);
        const QString path = r.body.value(QStringLiteral("path")).toString();
        QCOMPARE(path.size(), 32);
        r = pathWith(m_second, alice, challenge, nonce);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.error(), QStringLiteral("challenge_used"));
        // The path buys as before.
        r = m_client.call("POST",
                          at(m_second, QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(path)),
                          {}, alice);
        QCOMPARE(r.status, 202);
    }

    void anAddressWindowHoldsOneBotsManyAccounts()
    {
        const qint64 id = m_client.liveSale(m_first, QStringLiteral("One per address"), 10);
        QVERIFY(id > 0);
        const QJsonObject status = m_client.saleStatus(m_first, id);
        QCOMPARE(status.value(QStringLiteral("addressWindowMs")).toInt(), 0);
        const ShopClient::Reply set = m_client.adminCall(
            m_first, "PUT", QStringLiteral("/admin/sales/%1").arg(id),
            QJsonDocument(
                QJsonObject {{QStringLiteral("stock"), 10},
                             {QStringLiteral("revealAt"), status.value(QStringLiteral("revealAt"))},
                             {QStringLiteral("startAt"), status.value(QStringLiteral("startAt"))},
                             {QStringLiteral("endAt"), status.value(QStringLiteral("endAt"))},
                             {QStringLiteral("ratePerSecond"), 1000},
                             {QStringLiteral("burst"), 100},
                             {QStringLiteral("addressWindowMs"), 60'000}})
                .toJson());
        QCOMPARE(set.status, 200);
        QCOMPARE(set.body.value(QStringLiteral("addressWindowMs")).toInt(), 60'000);
        // Three accounts; two behind one address (as the trusted proxy, loopback, says).
        const QByteArray first = shopperFrom(m_first), second = shopperFrom(m_first),
                         other = shopperFrom(m_first);
        QVERIFY(!first.isEmpty() && !second.isEmpty() && !other.isEmpty());
        const auto buy = [&](const ServerProcess &server, const QByteArray &who,
                             const QByteArray &address) {
            const QUrl url = m_client.buyUrl(server, id, who);
            return m_client.call("POST", url, {}, who, {{"X-Forwarded-For", address}});
        };
        // The second instance hears of the window at once (the change is announced).
        QTRY_COMPARE(m_client.saleStatus(m_second, id).value(u"addressWindowMs"_qs).toInt(),
                     60'000);
        QCOMPARE(buy(m_first, first, "198.51.100.20").status, 202);
        // The other account from that address, on the other instance: held, shared by Redis.
        const ShopClient::Reply held = buy(m_second, second, "198.51.100.20");
        QCOMPARE(held.status, 429);
        QCOMPARE(held.error(), QStringLiteral("too_frequent"));
        QCOMPARE(held.retryAfter.toInt(), 60);
        QVERIFY2(held.body.value(u"message"_qs).toString().contains(u"address"_qs),
                 held.raw.constData());
        // Another address buys.
        QCOMPARE(buy(m_second, other, "198.51.100.21").status, 202);
    }

    void noChallengeKeepsTodaysPath()
    {
        const qint64 id = m_client.liveSale(m_first, QStringLiteral("Easy to get"), 5);
        QVERIFY(id > 0);
        const QByteArray carol = shopperFrom(m_first);
        QTRY_COMPARE(
            m_client
                .call("GET", at(m_second, QStringLiteral("/api/sales/%1/path").arg(id)), {}, carol)
                .status,
            200);
        const ShopClient::Reply issued = m_client.call(
            "GET", at(m_first, QStringLiteral("/api/sales/%1/challenge").arg(id)), {}, carol);
        QCOMPARE(issued.status, 200);
        QCOMPARE(issued.body.value(QStringLiteral("bits")).toInt(), 0);
    }

    void challengeNeedsASession()
    {
        const qint64 id = m_client.liveSale(m_first, QStringLiteral("Anyone"), 1);
        QCOMPARE(
            m_client.call("GET", at(m_first, QStringLiteral("/api/sales/%1/challenge").arg(id)))
                .status,
            401);
    }
};

QTEST_GUILESS_MAIN(tst_E2eAbuse)
#include "tst_e2e_abuse.moc"
