// flashsale-bench's shopper: the storefront page's behaviour over each answer (what is sent
// next, and when), the answers' classification, the proof of work and the request bytes.

#include "challengesolver.h"
#include "shopper.h"

#include <QTest>

#include <openssl/evp.h>

using namespace flashsale::bench;

Q_DECLARE_METATYPE(flashsale::bench::Outcome)
Q_DECLARE_METATYPE(flashsale::bench::Shopper::Stage)
Q_DECLARE_METATYPE(flashsale::bench::Ending)

class tst_ShopperFlow : public QObject
{
    Q_OBJECT

    static ShopperFlow flow()
    {
        ShopperFlow::Settings s;
        s.host = "shop.test:8080";
        s.password = "secret-pw";
        s.goodsId = 42;
        s.attempts = 3;
        return ShopperFlow(s);
    }

    static HttpAnswer answer(int status, const std::string &body, int retryAfter = -1)
    {
        HttpAnswer a;
        a.status = status;
        a.body = body;
        a.retryAfterS = retryAfter;
        return a;
    }

    static Outcome outcomeOf(const HttpAnswer &a)
    {
        const std::string error = jsonString(a.body, "error");
        return classify(a.status, error.data(), error.size());
    }

private Q_SLOTS:
    void classifiesAnswersAsTheApiNamesThem_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<Outcome>("outcome");
        QTest::newRow("202") << 202 << QString() << Outcome::Queued;
        QTest::newRow("sold out") << 410 << QStringLiteral("sold_out") << Outcome::SoldOut;
        QTest::newRow("ended") << 410 << QStringLiteral("ended") << Outcome::Ended;
        QTest::newRow("duplicate") << 409 << QStringLiteral("duplicate") << Outcome::Duplicate;
        QTest::newRow("too frequent")
            << 429 << QStringLiteral("too_frequent") << Outcome::TooFrequent;
        QTest::newRow("rate limited")
            << 429 << QStringLiteral("rate_limited") << Outcome::RateLimited;
        QTest::newRow("not started") << 403 << QStringLiteral("not_started") << Outcome::NotStarted;
        QTest::newRow("degraded") << 503 << QStringLiteral("degraded") << Outcome::Degraded;
        QTest::newRow("nginx unavailable")
            << 502 << QStringLiteral("unavailable") << Outcome::ServerError;
        QTest::newRow("no answer") << 0 << QString() << Outcome::NoAnswer;
        QTest::newRow("path") << 200 << QString() << Outcome::Ok;
    }
    void classifiesAnswersAsTheApiNamesThem()
    {
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(Outcome, outcome);
        const QByteArray e = error.toLatin1();
        QCOMPARE(classify(status, e.constData(), std::size_t(e.size())), outcome);
    }

    void buyAnswersLeadWhereThePageGoes_data()
    {
        QTest::addColumn<int>("attemptsSent");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("retryAfter");
        QTest::addColumn<Shopper::Stage>("stage");
        QTest::addColumn<Ending>("ending");
        QTest::addColumn<qint64>("delayUs");
        QTest::newRow("202: poll after 0.4 s")
            << 1 << 202 << QStringLiteral(R"({"status":"queued","position":3})") << -1
            << Shopper::Stage::Poll << Ending::None << qint64(400'000);
        QTest::newRow("sold out: done")
            << 1 << 410 << QStringLiteral(R"({"error":"sold_out","message":"x"})") << -1
            << Shopper::Stage::Done << Ending::SoldOut << qint64(0);
        QTest::newRow("429: again after Retry-After")
            << 1 << 429 << QStringLiteral(R"({"error":"rate_limited","message":"x"})") << 2
            << Shopper::Stage::Buy << Ending::None << qint64(2'000'000);
        QTest::newRow("503 without Retry-After: again after 1 s")
            << 2 << 503 << QStringLiteral(R"({"error":"degraded","message":"x"})") << -1
            << Shopper::Stage::Buy << Ending::None << qint64(1'000'000);
        QTest::newRow("429 on the last attempt: gives up")
            << 3 << 429 << QStringLiteral(R"({"error":"too_frequent","message":"x"})") << 1
            << Shopper::Stage::Done << Ending::GaveUp << qint64(0);
        QTest::newRow("no answer: again after 1 s")
            << 1 << 0 << QString() << -1 << Shopper::Stage::Buy << Ending::None
            << qint64(1'000'000);
        QTest::newRow("duplicate: follows its order")
            << 2 << 409 << QStringLiteral(R"({"error":"duplicate","message":"x"})") << -1
            << Shopper::Stage::Poll << Ending::None << qint64(400'000);
        QTest::newRow("404: the path again")
            << 1 << 404 << QStringLiteral(R"({"error":"not_found","message":"x"})") << -1
            << Shopper::Stage::Path << Ending::None << qint64(0);
    }
    void buyAnswersLeadWhereThePageGoes()
    {
        QFETCH(int, attemptsSent);
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, retryAfter);
        QFETCH(Shopper::Stage, stage);
        QFETCH(Ending, ending);
        QFETCH(qint64, delayUs);
        Shopper s;
        s.stage = Shopper::Stage::Buy;
        s.buyAttempts = attemptsSent;
        const HttpAnswer a = answer(status, body.toStdString(), retryAfter);
        const NextStep next = flow().onAnswer(s, a, outcomeOf(a), 10'000'000);
        QCOMPARE(s.stage, stage);
        QCOMPARE(s.ending, ending);
        QCOMPARE(next.done, ending != Ending::None);
        if (!next.done)
            QCOMPARE(next.delayUs, delayUs);
    }

    void pollsLongerEachTimeUntilTheOrderIsCreated()
    {
        Shopper s;
        s.stage = Shopper::Stage::Buy;
        s.buyAttempts = 1;
        const ShopperFlow f = flow();
        f.onAnswer(s, answer(202, R"({"status":"queued"})"), Outcome::Queued, 1'000'000);
        NextStep next = f.onAnswer(s, answer(200, R"({"status":"queued","position":2})"),
                                   Outcome::Ok, 1'400'000);
        QCOMPARE(next.delayUs, 400'000);
        next = f.onAnswer(s, answer(200, R"({"status":"queued"})"), Outcome::Ok, 1'800'000);
        QCOMPARE(next.delayUs, 640'000);
        next = f.onAnswer(s, answer(200, R"({"status":"created","orderId":77})"), Outcome::Ok,
                          2'500'000);
        QVERIFY(next.done);
        QCOMPARE(s.ending, Ending::Created);
        QCOMPARE(s.orderId, 77);
        QCOMPARE(s.resolvedAtUs - s.acceptedAtUs, 1'500'000);
    }

    void aUsedChallengeAsksForANewOne()
    {
        Shopper s;
        s.stage = Shopper::Stage::Path;
        s.pathQuery = "?challenge=c&nonce=1";
        const HttpAnswer a = answer(403, R"({"error":"challenge_used","message":"x"})");
        const NextStep next = flow().onAnswer(s, a, outcomeOf(a), 0);
        QVERIFY(!next.done);
        QCOMPARE(s.stage, Shopper::Stage::Challenge);
        QVERIFY(s.pathQuery.empty());
    }

    void theChallengeIsSolvedAndSentWithThePathRequest()
    {
        Shopper s;
        s.stage = Shopper::Stage::Challenge;
        s.authorization = "Bearer t";
        const ShopperFlow f = flow();
        const std::string challenge = "v1.42.7.abc+/=";
        f.onAnswer(s,
                   answer(200, R"({"challenge":")" + challenge + R"(","bits":8,"expiresAt":"x"})"),
                   Outcome::Ok, 0);
        QCOMPARE(s.stage, Shopper::Stage::Path);
        QVERIFY(s.pathQuery.rfind("?challenge=v1.42.7.abc%2B%2F%3D&nonce=", 0) == 0);
        const std::string nonce = s.pathQuery.substr(s.pathQuery.find("nonce=") + 6);
        const std::string input = challenge + ":" + nonce;
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
        QVERIFY(ChallengeSolver::leadingZeroBits(digest, 8));
        QCOMPARE(
            QByteArray::fromStdString(f.request(s)),
            QByteArray("GET /api/sales/42/path" + QByteArray::fromStdString(s.pathQuery)
                       + " HTTP/1.1\r\nHost: shop.test:8080\r\nAuthorization: Bearer t\r\n\r\n"));
    }

    void theBuyRequestIsAnEmptyPostOnTheSecretPath()
    {
        Shopper s;
        s.stage = Shopper::Stage::Buy;
        s.authorization = "Bearer tok";
        s.path = "p4th";
        QCOMPARE(QByteArray::fromStdString(flow().request(s)),
                 QByteArray("POST /api/sales/42/p4th/orders HTTP/1.1\r\nHost: shop.test:8080\r\n"
                            "Authorization: Bearer tok\r\nContent-Length: 0\r\n\r\n"));
    }

    void aSessionThatEndedMidSaleIsSignedInAgainAndGoesOn()
    {
        Shopper s;
        s.stage = Shopper::Stage::Poll;
        s.authorization = "Bearer old";
        s.acceptedAtUs = 1;
        s.pollWaitMs = 400;
        const ShopperFlow f = flow();
        const HttpAnswer refused = answer(401, R"({"error":"unauthorized","message":"x"})");
        NextStep next = f.onAnswer(s, refused, outcomeOf(refused), 2);
        QVERIFY(!next.done);
        QCOMPARE(s.stage, Shopper::Stage::SignIn);
        next = f.onAnswer(s, answer(200, R"({"token":"new","userId":5})"), Outcome::Ok, 3);
        QVERIFY(!next.done);
        QCOMPARE(s.stage, Shopper::Stage::Poll);
        QCOMPARE(QByteArray::fromStdString(s.authorization), QByteArray("Bearer new"));
    }

    void signUpThenSignInKeepsTheToken()
    {
        Shopper s;
        s.username = "r-1";
        s.stage = ShopperFlow::firstAccountStage(false);
        const ShopperFlow f = flow();
        QVERIFY(f.request(s).find(R"({"username":"r-1","password":"secret-pw"})")
                != std::string::npos);
        f.onAnswer(s, answer(201, R"({"userId":5})"), Outcome::Ok, 0);
        QCOMPARE(s.stage, Shopper::Stage::SignIn);
        const NextStep next =
            f.onAnswer(s, answer(200, R"({"token":"abc.def","userId":5})"), Outcome::Ok, 0);
        QVERIFY(next.done);
        QCOMPARE(s.stage, Shopper::Stage::Ready);
        QCOMPARE(QByteArray::fromStdString(s.authorization), QByteArray("Bearer abc.def"));
    }
};

QTEST_GUILESS_MAIN(tst_ShopperFlow)
#include "tst_shopperflow.moc"
