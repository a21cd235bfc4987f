#include "shopperroutes.h"

#include "accountdesk.h"
#include "admissiongate.h"
#include "catalogrefresher.h"
#include "circuitbreaker.h"
#include "clientaddress.h"
#include "figurespublisher.h"
#include "healthregistry.h"
#include "prometheustext.h"
#include "queuedepthprobe.h"
#include "requestdecoding.h"
#include "salecatalog.h"
#include "salechallenge.h"
#include "salemetrics.h"
#include "sessiontokens.h"
#include "shopperorderdesk.h"
#include "shopworker.h"
#include "workerapi.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTimer>
#include <QUrlQuery>

#include <llhttp.h>

#include <algorithm>
#include <charconv>

Q_LOGGING_CATEGORY(lcShopper, "flashsale.front.shopper")

namespace flashsale::front {

using Kind = sale::BuyOutcome::Kind;
using http::formatTime;
using http::nowMs;

namespace {

// The constant answers, built once.
struct Prebuilt
{
    Answer unauthorized = Answer::error(
        401, QStringLiteral("unauthorized"),
        QStringLiteral("Sign in first: the session token is missing, expired or not ours."));
    Answer crowded = Answer::error(
        503, QStringLiteral("degraded"),
        QStringLiteral("So many shoppers right now! Please try again in a second."), 1);
    Answer catalogLoading = Answer::error(
        503, QStringLiteral("degraded"),
        QStringLiteral("This instance is still loading the sales. Please try again shortly."), 2);
    Answer ended =
        Answer::error(410, QStringLiteral("ended"), QStringLiteral("The sale has ended."));
    Answer wrongPath = Answer::error(404, QStringLiteral("not_found"),
                                     QStringLiteral("There is nothing at this address."));
    Answer soldOut = Answer::error(410, QStringLiteral("sold_out"),
                                   QStringLiteral("Sold out. Better luck next time!"));
    Answer catchingBreath = Answer::error(
        503, QStringLiteral("degraded"),
        QStringLiteral("The sale is catching its breath. Please try again in a moment."), 2);
    Answer duplicate = Answer::error(409, QStringLiteral("duplicate"),
                                     QStringLiteral("You already have this one."));
    Answer tooFrequent = Answer::error(429, QStringLiteral("too_frequent"),
                                       QStringLiteral("Easy! One try at a time."), 1);
    Answer stockNotLoaded = Answer::error(
        503, QStringLiteral("degraded"),
        QStringLiteral("The sale's stock is not loaded yet. Please try again shortly."), 2);
    Answer rateLimited1 = rateLimited(1);

    static Answer rateLimited(int seconds)
    {
        return Answer::error(429, QStringLiteral("rate_limited"),
                             QStringLiteral("Too many shoppers at once: please retry."), seconds);
    }
};

const Prebuilt &prebuilt()
{
    static const Prebuilt p;
    return p;
}

Answer unavailable(const QString &what)
{
    return Answer::error(
        503, QStringLiteral("degraded"),
        QStringLiteral("We cannot %1 right now. Please try again in a moment.").arg(what), 2);
}

Answer noSale(qint64 goodsId)
{
    return Answer::error(404, QStringLiteral("not_found"),
                         QStringLiteral("There is no sale of goods %1.").arg(goodsId));
}

Answer methodNotAllowed(const char *allowed)
{
    return Answer::error(405, QStringLiteral("method_not_allowed"),
                         QStringLiteral("Use %1 here.").arg(QLatin1String(allowed)), 0,
                         QByteArray(QByteArray("Allow: ") + allowed + "\r\n"));
}

Answer notFound(std::string_view path)
{
    return Answer::error(
        404, QStringLiteral("not_found"),
        QStringLiteral("There is nothing at %1.")
            .arg(QString::fromUtf8(path.data(), qsizetype(std::min<size_t>(path.size(), 200)))));
}

Answer decodeError(const http::RequestError &error)
{
    return Answer::error(error.status, error.code, error.message);
}

Answer notRevealed(qint64 revealAtMs)
{
    return Answer::error(
        403, QStringLiteral("not_revealed"),
        QStringLiteral("The buy link is revealed at %1.").arg(formatTime(revealAtMs)));
}

Answer badCredentials()
{
    return Answer::error(401, QStringLiteral("bad_credentials"),
                         QStringLiteral("Wrong username or password."));
}

// The brake's answer: the same whether or not the password was right, so it is no oracle.
Answer tooManyAttempts(qint64 holdOffMs, const QString &what)
{
    const int seconds = int(std::max<qint64>(1, (holdOffMs + 999) / 1000));
    return Answer::error(
        429, QStringLiteral("too_many_attempts"),
        QStringLiteral("Too many %1 from here. Try again in %2 s.").arg(what).arg(seconds),
        seconds);
}

// The shopper's address for the brake and the per-address window: the peer, or the last
// X-Forwarded-For hop from a trusted proxy.
QString shopperAddress(const QByteArray &peer, const QByteArray &forwardedFor,
                       const users::TrustedProxies &trusted)
{
    return users::clientAddress(QHostAddress(QString::fromLatin1(peer)), forwardedFor, trusted);
}

QString shopperAddress(const Request &request, const users::TrustedProxies &trusted)
{
    return shopperAddress(request.clientAddress, request.forwardedFor, trusted);
}

QString queryValue(const Request &request, const QString &name)
{
    const qsizetype q = request.target.indexOf('?');
    if (q < 0)
        return {};
    return QUrlQuery(QString::fromLatin1(request.target.mid(q + 1)))
        .queryItemValue(name, QUrl::FullyDecoded);
}

// `Order` of docs/api.md.
QJsonObject orderJson(const orders::OrderRecord &order)
{
    QJsonObject json {{QStringLiteral("orderId"), order.orderId},
                      {QStringLiteral("goodsId"), order.goodsId},
                      {QStringLiteral("status"), order.status},
                      {QStringLiteral("priceCents"), order.priceCents},
                      {QStringLiteral("createdAt"), formatTime(order.createdAtMs)}};
    if (order.paidAtMs)
        json.insert(QStringLiteral("paidAt"), formatTime(*order.paidAtMs));
    if (order.cancelledAtMs)
        json.insert(QStringLiteral("cancelledAt"), formatTime(*order.cancelledAtMs));
    return json;
}

// A path segment that is an id: digits only, as the QHttpServer routes took them.
std::optional<qint64> parseId(std::string_view segment)
{
    if (segment.empty() || segment.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    const auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), value);
    if (ec != std::errc() || end != segment.data() + segment.size() || value < 0)
        return std::nullopt;
    return value;
}

// Splits "/a/b/c" into at most 6 segments; false for more (no route has that many).
bool split(std::string_view path, std::array<std::string_view, 6> &segments, int &count)
{
    count = 0;
    if (path.empty() || path.front() != '/')
        return false;
    path.remove_prefix(1);
    while (true) {
        const size_t slash = path.find('/');
        if (count == 6)
            return false;
        segments[count++] = path.substr(0, slash);
        if (slash == std::string_view::npos)
            return true;
        path.remove_prefix(slash + 1);
    }
}

// A Reply that std::function can carry (copyable handle, answered once).
using SharedReply = std::shared_ptr<Reply>;
SharedReply share(Reply reply)
{
    return std::make_shared<Reply>(std::move(reply));
}

} // namespace

Answer buyAnswer(const sale::BuyOutcome &o)
{
    const Prebuilt &p = prebuilt();
    switch (o.kind) {
    case Kind::Queued: {
        // The one answer of the hot path that varies: written directly (a QJsonDocument per
        // 202 cost as much as the rest of the answer). A reservation id is "<goods>-<seq>".
        const bool plain = std::all_of(o.reservation.cbegin(), o.reservation.cend(),
                                       [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
        if (!plain)
            return Answer::json(
                202,
                {{QStringLiteral("status"), QStringLiteral("queued")},
                 {QStringLiteral("reservation"), QString::fromLatin1(o.reservation)},
                 {QStringLiteral("position"), o.position}});
        QByteArray body;
        body.reserve(64 + o.reservation.size());
        body.append(R"({"status":"queued","reservation":")")
            .append(o.reservation)
            .append(R"(","position":)")
            .append(QByteArray::number(o.position))
            .append('}');
        return Answer::make(202, "application/json", std::move(body));
    }
    case Kind::Crowded:
        return p.crowded;
    case Kind::Unauthorized:
        return p.unauthorized;
    case Kind::NoSale:
        return noSale(o.goodsId);
    case Kind::CatalogLoading:
        return p.catalogLoading;
    case Kind::Switched:
        return Answer::error(503, QStringLiteral("degraded"), o.message, o.retryAfterSeconds);
    case Kind::NotStarted:
        return Answer::error(403, QStringLiteral("not_started"),
                             QStringLiteral("The sale starts at %1.").arg(formatTime(o.startAtMs)));
    case Kind::Ended:
        return p.ended;
    case Kind::WrongPath:
        return p.wrongPath;
    case Kind::SoldOut:
        return p.soldOut;
    case Kind::RateLimited:
        return o.retryAfterSeconds <= 1 ? p.rateLimited1
                                        : Prebuilt::rateLimited(o.retryAfterSeconds);
    case Kind::Unavailable:
        return p.catchingBreath;
    case Kind::Duplicate:
        return p.duplicate;
    case Kind::TooFrequent:
        return p.tooFrequent;
    case Kind::AddressTooFrequent:
        return Answer::error(429, QStringLiteral("too_frequent"),
                             QStringLiteral("One try at a time from one address."),
                             o.retryAfterSeconds);
    case Kind::StockNotLoaded:
        return p.stockNotLoaded;
    }
    return p.catchingBreath;
}

ShopperRoutes::ShopperRoutes(std::shared_ptr<const ShopperServices> services, ShopWorker *worker)
    : m_services(std::move(services))
    , m_ctx(m_services->context)
    , m_worker(worker)
{
    if (m_ctx.publisher)
        m_orderQueue = std::make_unique<sale::PublisherOrderQueue>(m_ctx.publisher,
                                                                   m_ctx.rabbitBreaker, worker);
    sale::BuyDesk::Parts parts;
    parts.catalog = m_ctx.catalog;
    parts.sessions = m_ctx.sessions;
    parts.killSwitch = m_ctx.killSwitch;
    parts.buckets = m_ctx.buckets;
    parts.admission = m_ctx.admission;
    parts.redisBreaker = m_ctx.redisBreaker;
    parts.rabbitBreaker = m_ctx.rabbitBreaker;
    parts.orders = worker->reserveStep() ? m_orderQueue.get() : nullptr;
    parts.metrics = m_ctx.metrics;
    parts.shopperAddress = [trusted = m_ctx.trustedProxies](const QByteArray &peer,
                                                            const QByteArray &forwardedFor) {
        return shopperAddress(peer, forwardedFor, trusted).toLatin1();
    };
    parts.buyWait = std::chrono::milliseconds(m_ctx.buyWaitMs);
    parts.maxPublishBacklog = m_ctx.maxPublishBacklog;
    m_desk = std::make_unique<sale::BuyDesk>(parts);
}

ShopperRoutes::~ShopperRoutes() = default;

void ShopperRoutes::handle(Request &&request, Reply reply)
{
    m_ctx.metrics->countRequest();
    const std::string_view path = request.path();
    std::array<std::string_view, 6> s;
    int n = 0;
    const int method = request.method;
    const auto only = [&](int allowed, const char *name) {
        if (method == allowed)
            return true;
        reply.send(methodNotAllowed(name));
        return false;
    };
    if (split(path, s, n)) {
        if (n >= 2 && s[0] == "api") {
            if (n == 2 && s[1] == "users") {
                if (only(HTTP_POST, "POST"))
                    signUp(request, std::move(reply));
                return;
            }
            if (n == 2 && s[1] == "sessions") {
                if (only(HTTP_POST, "POST"))
                    signIn(request, std::move(reply));
                return;
            }
            if (s[1] == "sales") {
                if (n == 2) {
                    if (only(HTTP_GET, "GET"))
                        listSales(std::move(reply));
                    return;
                }
                if (const auto id = parseId(s[2])) {
                    if (n == 3) {
                        if (only(HTTP_GET, "GET"))
                            showSale(*id, std::move(reply));
                        return;
                    }
                    if (n == 4 && s[3] == "path") {
                        if (only(HTTP_GET, "GET"))
                            buyPath(*id, request, std::move(reply));
                        return;
                    }
                    if (n == 4 && s[3] == "challenge") {
                        if (only(HTTP_GET, "GET"))
                            challenge(*id, request, std::move(reply));
                        return;
                    }
                    if (n == 5 && s[3] == "orders" && s[4] == "me") {
                        if (only(HTTP_GET, "GET"))
                            standing(*id, request, std::move(reply));
                        return;
                    }
                    if (n == 5 && s[4] == "orders" && !s[3].empty()) {
                        if (only(HTTP_POST, "POST"))
                            buy(*id, s[3], request, std::move(reply));
                        return;
                    }
                }
            }
            if (s[1] == "orders" && n >= 3) {
                if (const auto id = parseId(s[2])) {
                    if (n == 4 && s[3] == "payment") {
                        if (only(HTTP_POST, "POST"))
                            changeOrder(*id, false, request, std::move(reply));
                        return;
                    }
                    if (n == 3) {
                        if (only(HTTP_DELETE, "DELETE"))
                            changeOrder(*id, true, request, std::move(reply));
                        return;
                    }
                }
            }
        } else if (n == 1 && s[0] == "healthz") {
            if (only(HTTP_GET, "GET"))
                health(std::move(reply));
            return;
        } else if (n == 1 && s[0] == "readyz") {
            if (only(HTTP_GET, "GET"))
                ready(std::move(reply));
            return;
        } else if (n == 1 && s[0] == "metrics") {
            if (only(HTTP_GET, "GET"))
                metrics(std::move(reply));
            return;
        }
    }
    reply.send(notFound(path));
}

namespace {

// One sign-up or sign-in as the desk wants it; the worker's brake, on the worker's thread.
users::AccountDesk::Attempt attempt(const http::Credentials &credentials, const QString &address)
{
    return {credentials.username, credentials.password, address, nowMs()};
}

users::AccountDesk::Brake brakeOf(ShopWorker *worker)
{
    return {worker->brake(), worker};
}

} // namespace

void ShopperRoutes::signUp(const Request &request, Reply reply)
{
    const http::Decoded<http::Credentials> credentials = http::decodeCredentials(request.body);
    if (!credentials)
        return reply.send(decodeError(credentials.error()));
    SharedReply answer = share(std::move(reply));
    m_services->accounts->signUp(
        attempt(credentials.value(), shopperAddress(request, m_ctx.trustedProxies)),
        brakeOf(m_worker), [answer](const users::AccountDesk::SignUp &outcome) {
            using K = users::AccountDesk::SignUp::Kind;
            switch (outcome.kind) {
            case K::Failed:
                qCWarning(lcShopper).noquote() << outcome.error;
                return answer->send(unavailable(QStringLiteral("create accounts")));
            case K::Braked:
                return answer->send(tooManyAttempts(outcome.holdOffMs, u"new accounts"_qs));
            case K::Taken:
                return answer->send(Answer::error(409, QStringLiteral("taken"),
                                                  QStringLiteral("That username is taken.")));
            case K::Created:
                return answer->send(
                    Answer::json(201, {{QStringLiteral("userId"), outcome.userId}}));
            }
        });
}

void ShopperRoutes::signIn(const Request &request, Reply reply)
{
    const http::Decoded<http::Credentials> credentials = http::decodeCredentials(request.body);
    if (!credentials)
        return reply.send(decodeError(credentials.error()));
    SharedReply answer = share(std::move(reply));
    m_services->accounts->signIn(
        attempt(credentials.value(), shopperAddress(request, m_ctx.trustedProxies)),
        brakeOf(m_worker), [answer](const users::AccountDesk::SignIn &outcome) {
            using K = users::AccountDesk::SignIn::Kind;
            switch (outcome.kind) {
            case K::Failed:
                qCWarning(lcShopper).noquote() << outcome.error;
                return answer->send(unavailable(QStringLiteral("sign you in")));
            case K::Braked:
                return answer->send(tooManyAttempts(outcome.holdOffMs, u"sign-in attempts"_qs));
            case K::BadCredentials:
                return answer->send(badCredentials());
            case K::SignedIn:
                return answer->send(
                    Answer::json(200,
                                 {{QStringLiteral("token"), outcome.token},
                                  {QStringLiteral("userId"), outcome.userId},
                                  {QStringLiteral("expiresAt"), formatTime(outcome.expiresAtMs)}}));
            }
        });
}

void ShopperRoutes::listSales(Reply reply)
{
    const qint64 now = nowMs();
    const auto sales = m_ctx.catalog->snapshot();
    QList<qint64> ids = sales->keys();
    std::sort(ids.begin(), ids.end());
    QJsonArray list;
    for (qint64 id : std::as_const(ids)) {
        const catalog::SaleRecord &sale = (*sales)[id];
        if (sale.schedule)
            list.append(sale.toShopperJson(now, m_ctx.catalog->isSoldOut(id)));
    }
    reply.send(Answer::json(
        200, {{QStringLiteral("sales"), list}, {QStringLiteral("serverTime"), formatTime(now)}}));
}

void ShopperRoutes::showSale(qint64 goodsId, Reply reply)
{
    const auto sales = m_ctx.catalog->snapshot();
    const auto it = sales->constFind(goodsId);
    if (it == sales->cend() || !it->schedule)
        return reply.send(m_ctx.catalog->isLoaded() ? noSale(goodsId) : prebuilt().catalogLoading);
    reply.send(Answer::json(200, it->toShopperJson(nowMs(), m_ctx.catalog->isSoldOut(goodsId))));
}

void ShopperRoutes::buyPath(qint64 goodsId, const Request &request, Reply reply)
{
    const qint64 now = nowMs();
    const auto session = m_ctx.sessions->verifyHeader(request.authorization, now);
    if (!session)
        return reply.send(prebuilt().unauthorized);
    const auto sales = m_ctx.catalog->snapshot();
    const auto it = sales->constFind(goodsId);
    if (it == sales->cend() || !it->schedule)
        return reply.send(m_ctx.catalog->isLoaded() ? noSale(goodsId) : prebuilt().catalogLoading);
    if (now < it->schedule->revealAtMs)
        return reply.send(notRevealed(it->schedule->revealAtMs));
    const QByteArray path = it->pathSigner.path(session->userId, goodsId).toLatin1();
    const int bits = it->schedule->challengeBits;
    if (bits == 0)
        return reply.send(Answer::json(200, {{QStringLiteral("path"), QString::fromLatin1(path)}}));

    // A sale with a challenge hands the path out only for a solved one, once.
    const QString challenge = queryValue(request, QStringLiteral("challenge"));
    const QString nonce = queryValue(request, QStringLiteral("nonce"));
    if (challenge.isEmpty() || nonce.isEmpty())
        return reply.send(Answer::error(
            403, QStringLiteral("challenge_required"),
            QStringLiteral("Solve this sale's challenge first (GET /api/sales/%1/challenge).")
                .arg(goodsId)));
    qint64 expiresAt = 0;
    if (m_ctx.challenges->verify(challenge, nonce, session->userId, goodsId, bits, now, &expiresAt)
        != sale::ChallengeVerdict::Solved)
        return reply.send(Answer::error(
            403, QStringLiteral("challenge_failed"),
            QStringLiteral("That is not a solution of a current challenge of yours for this "
                           "sale. Ask for a new one.")));
    m_worker->post([goodsId, challenge, path, ttl = expiresAt - now,
                    answer = share(std::move(reply))](ShopWorker &worker) {
        if (!worker.scripts())
            return answer->send(unavailable(QStringLiteral("check your challenge")));
        worker.scripts()->claimChallenge(
            goodsId, challenge.toLatin1(), ttl, &worker, [answer, path](const Result<bool> &first) {
                if (!first) {
                    qCWarning(lcShopper).noquote() << "cannot record a challenge:" << first.error();
                    return answer->send(unavailable(QStringLiteral("check your challenge")));
                }
                if (!first.value())
                    return answer->send(Answer::error(
                        403, QStringLiteral("challenge_used"),
                        QStringLiteral(
                            "That solution was used already. Ask for a new challenge.")));
                answer->send(
                    Answer::json(200, {{QStringLiteral("path"), QString::fromLatin1(path)}}));
            });
    });
}

void ShopperRoutes::challenge(qint64 goodsId, const Request &request, Reply reply)
{
    const qint64 now = nowMs();
    const auto session = m_ctx.sessions->verifyHeader(request.authorization, now);
    if (!session)
        return reply.send(prebuilt().unauthorized);
    const auto sales = m_ctx.catalog->snapshot();
    const auto it = sales->constFind(goodsId);
    if (it == sales->cend() || !it->schedule)
        return reply.send(m_ctx.catalog->isLoaded() ? noSale(goodsId) : prebuilt().catalogLoading);
    if (now < it->schedule->revealAtMs)
        return reply.send(notRevealed(it->schedule->revealAtMs));
    const sale::IssuedChallenge issued =
        m_ctx.challenges->issue(session->userId, goodsId, it->schedule->challengeBits, now);
    reply.send(Answer::json(200,
                            {{QStringLiteral("challenge"), issued.challenge},
                             {QStringLiteral("bits"), issued.bits},
                             {QStringLiteral("expiresAt"), formatTime(issued.expiresAtMs)}}));
}

void ShopperRoutes::buy(qint64 goodsId, std::string_view path, const Request &request, Reply reply)
{
    sale::BuyRequest buy;
    buy.goodsId = goodsId;
    buy.path = QByteArray(path.data(), qsizetype(path.size()));
    buy.authorization = request.authorization;
    buy.clientAddress = request.clientAddress;
    buy.forwardedFor = request.forwardedFor;
    buy.nowMs = request.receivedAtMs;
    buy.arrivedAt = request.arrivedAt;
    // Steps 1 to 5 here, on the front thread; a refusal is prebuilt bytes.
    sale::BuyDesk::Checked checked = m_desk->check(buy);
    if (const auto *final = std::get_if<sale::BuyOutcome>(&checked))
        return reply.send(buyAnswer(*final));
    // Steps 6 to 8 on this thread's worker: its Redis connection pipelines the scripts of
    // concurrent buys; the answer comes back through the Reply.
    const sale::BuyAdmission admission = std::get<sale::BuyAdmission>(checked);
    const sale::BuyDesk *desk = m_desk.get();
    m_worker->post([desk, admission, answer = share(std::move(reply))](ShopWorker &worker) {
        auto reserve = [desk, admission, answer, &worker] {
            desk->reserve(admission, *worker.reserveStep(),
                          [answer](const sale::BuyOutcome &o) { answer->send(buyAnswer(o)); });
        };
        if (admission.wait.count() <= 0)
            return reserve();
        QTimer::singleShot(std::chrono::ceil<std::chrono::milliseconds>(admission.wait), &worker,
                           reserve);
    });
}

void ShopperRoutes::standing(qint64 goodsId, const Request &request, Reply reply)
{
    const auto session = m_ctx.sessions->verifyHeader(request.authorization, nowMs());
    if (!session)
        return reply.send(prebuilt().unauthorized);
    const qint64 userId = session->userId;
    const auto *desk = m_services->orders.get();
    m_worker->post([desk, goodsId, userId, answer = share(std::move(reply))](ShopWorker &worker) {
        desk->standing(goodsId, userId, worker.scripts(), &worker,
                       [answer](const orders::ShopperOrderDesk::Standing &s) {
                           using K = orders::ShopperOrderDesk::Standing::Kind;
                           const auto status = [](const char *name) {
                               return QJsonObject {{QStringLiteral("status"), QLatin1String(name)}};
                           };
                           switch (s.kind) {
                           case K::Error:
                               qCWarning(lcShopper).noquote() << s.error;
                               return answer->send(
                                   unavailable(QStringLiteral("look up your order")));
                           case K::None:
                               return answer->send(Answer::json(200, status("none")));
                           case K::Failed:
                               return answer->send(Answer::json(200, status("failed")));
                           case K::Queued: {
                               QJsonObject body = status("queued");
                               body.insert(QStringLiteral("position"), s.position);
                               return answer->send(Answer::json(200, body));
                           }
                           case K::Created: {
                               QJsonObject body = status("created");
                               body.insert(QStringLiteral("orderId"), s.orderId);
                               return answer->send(Answer::json(200, body));
                           }
                           }
                       });
    });
}

void ShopperRoutes::changeOrder(qint64 orderId, bool cancel, const Request &request, Reply reply)
{
    const auto session = m_ctx.sessions->verifyHeader(request.authorization, nowMs());
    if (!session)
        return reply.send(prebuilt().unauthorized);
    const QString what = cancel ? QStringLiteral("cancel orders") : QStringLiteral("take payments");
    const auto *desk = m_services->orders.get();
    if (!desk->canChangeOrders())
        return reply.send(unavailable(what));
    auto done = [answer = share(std::move(reply)), cancel, orderId,
                 what](const Result<orders::OrderChange> &changed) {
        if (!changed) {
            qCWarning(lcShopper).noquote() << what << "failed:" << changed.error();
            return answer->send(unavailable(what));
        }
        using K = orders::OrderChange::Kind;
        switch (changed->kind) {
        case K::NotFound:
            return answer->send(
                Answer::error(404, QStringLiteral("not_found"),
                              QStringLiteral("You have no order %1.").arg(orderId)));
        case K::NotAllowed:
            return answer->send(Answer::error(
                409, cancel ? QStringLiteral("not_cancellable") : QStringLiteral("not_payable"),
                QStringLiteral("Order %1 is %2.").arg(orderId).arg(changed->order->status)));
        case K::Done:
        case K::Unchanged: // a repeated call (a retry) gets the same answer
            break;
        }
        answer->send(Answer::json(200, orderJson(*changed->order)));
    };
    // OrderPayments is thread-safe; its answer comes back on the worker's thread.
    if (cancel)
        desk->cancel(orderId, session->userId, m_worker, std::move(done));
    else
        desk->pay(orderId, session->userId, m_worker, std::move(done));
}

void ShopperRoutes::health(Reply reply)
{
    reply.send(Answer::json(m_ctx.health->allUp() ? 200 : 503, m_ctx.health->toJson()));
}

void ShopperRoutes::ready(Reply reply)
{
    const bool ready = m_ctx.ready && m_ctx.ready();
    reply.send(Answer::json(ready ? 200 : 503, {{QStringLiteral("ready"), ready}}));
}

void ShopperRoutes::metrics(Reply reply)
{
    metrics::PrometheusText out(
        metrics::PrometheusText::Labels {{"instance", metrics::instanceLabel()}});
    m_ctx.metrics->writePrometheus(out);
    out.family("flashsale_in_flight_requests", "gauge", "Buy requests in flight.");
    out.sample("flashsale_in_flight_requests", m_ctx.admission->inFlight());
    out.family("flashsale_admission_refused_total", "counter",
               "Buy requests refused because too many were in flight.");
    out.sample("flashsale_admission_refused_total", double(m_ctx.admission->refused()));
    out.family("flashsale_breaker_open", "gauge", "1 when a dependency's breaker is not closed.");
    for (const sale::CircuitBreaker *breaker :
         {m_ctx.redisBreaker, m_ctx.rabbitBreaker, m_ctx.postgresBreaker})
        out.sample("flashsale_breaker_open",
                   breaker->state() == sale::CircuitBreaker::State::Closed ? 0 : 1,
                   {{"dependency", breaker->name().toLatin1()}});
    out.family("flashsale_dependency_up", "gauge", "1 when a dependency answers.");
    const QJsonObject deps =
        m_ctx.health->toJson().value(QStringLiteral("dependencies")).toObject();
    for (auto d = deps.begin(); d != deps.end(); ++d)
        out.sample("flashsale_dependency_up",
                   d.value().toObject().value(QStringLiteral("state")).toString() == u"up" ? 1 : 0,
                   {{"dependency", d.key().toLatin1()}});
    // RabbitMQ's own counts (the probe reads them every second), for the alert rules: every
    // API instance reports the same queues. Left out once the reading is older than 5 s, as
    // the stats mark it stale: RabbitMQ is not answering the probe.
    if (m_ctx.queueDepth) {
        const amqp::QueueDepthProbe::Reading queue = m_ctx.queueDepth->latest();
        if (queue.atMs != 0 && QDateTime::currentMSecsSinceEpoch() - queue.atMs <= 5000) {
            out.family("flashsale_orders_queue_messages", "gauge",
                       "Ready messages in the orders queue (RabbitMQ's count).");
            out.sample("flashsale_orders_queue_messages", double(queue.messages));
            out.family("flashsale_orders_queue_consumers", "gauge",
                       "Consumers on the orders queue (RabbitMQ's count).");
            out.sample("flashsale_orders_queue_consumers", double(queue.consumers));
            out.family("flashsale_dead_letter_messages", "gauge",
                       "Messages in the dead-letter queue (RabbitMQ's count).");
            out.sample("flashsale_dead_letter_messages", double(queue.deadLetters));
        }
    }
    QByteArray text = out.text();
    if (m_ctx.workerRole) // role all: the worker's figures on the same page
        http::WorkerApi::writeMetrics(*m_ctx.workerRole, text);
    reply.send(Answer::make(200, metrics::PrometheusText::contentType(), text));
}

} // namespace flashsale::front
