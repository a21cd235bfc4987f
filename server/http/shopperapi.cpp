#include "shopperapi.h"

#include "admissiongate.h"
#include "catalogrefresher.h"
#include "catalogstore.h"
#include "circuitbreaker.h"
#include "deferredanswer.h"
#include "figurespublisher.h"
#include "healthregistry.h"
#include "jsonresponse.h"
#include "killswitch.h"
#include "orderpayments.h"
#include "passwordhasher.h"
#include "productbuckets.h"
#include "prometheustext.h"
#include "redis.h"
#include "requestdecoding.h"
#include "reservationpublisher.h"
#include "routehelpers.h"
#include "salecatalog.h"
#include "salemetrics.h"
#include "salescripts.h"
#include "sessiontokens.h"
#include "shopperorders.h"
#include "sqlexecutor.h"
#include "userstore.h"
#include "workerapi.h"

#include <QDateTime>
#include <QHttpServer>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcShopper, "flashsale.http.shopper")

namespace flashsale::http {

using StatusCode = QHttpServerResponse::StatusCode;
using metrics::Outcome;

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QHttpServerResponse unauthorized()
{
    return errorResponse(StatusCode::Unauthorized, QStringLiteral("unauthorized"),
                         QStringLiteral("Sign in first: the session token is missing, expired "
                                        "or not ours."));
}

QHttpServerResponse unavailable(const QString &what)
{
    return degradedResponse(
        QStringLiteral("We cannot %1 right now. Please try again in a moment.").arg(what), 2);
}

QHttpServerResponse soldOut()
{
    return errorResponse(StatusCode::Gone, QStringLiteral("sold_out"),
                         QStringLiteral("Sold out. Better luck next time!"));
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

QHttpServerResponse noSale(qint64 goodsId)
{
    return errorResponse(StatusCode::NotFound, QStringLiteral("not_found"),
                         QStringLiteral("There is no sale of goods %1.").arg(goodsId));
}

struct UserOutcome
{
    QString error; ///< database failure
    std::optional<qint64> userId; ///< empty: taken (create) or bad credentials (sign in)
};

QHttpServerResponse catchingBreath()
{
    return degradedResponse(
        QStringLiteral("The sale is catching its breath. Please try again in a moment."), 2);
}

// Steps 6 to 8 of the buy path (DESIGN.md) for a request that passed every check: one Redis
// script reserves, the order message goes to the publisher, the shopper hears 202. \a held
// keeps the request counted in flight until the reserve script has answered.
void reserveAndAnswer(const std::shared_ptr<const ApiContext> &ctx, QHttpServer *server,
                      const redis::SaleScripts &scripts, qint64 goodsId, qint64 userId,
                      DeferredAnswer answer,
                      const std::shared_ptr<sale::AdmissionGate::Ticket> &held,
                      metrics::SaleMetrics::Clock::time_point started)
{
    // Last of the checks: in half-open state this call is the breaker's probe, and only the
    // reserve below reports its outcome.
    if (!ctx->redisBreaker->allow()) {
        ctx->metrics->recordBuy(goodsId, Outcome::Degraded, started);
        return answer.send(catchingBreath());
    }
    scripts.reserve(
        goodsId, userId, server,
        [ctx, server, answer, held, goodsId, started](const redis::ReserveOutcome &o) mutable {
            using Kind = redis::ReserveOutcome::Kind;
            if (o.kind == Kind::Error) {
                ctx->redisBreaker->recordFailure();
                qCWarning(lcShopper).noquote() << "reserve failed:" << o.error;
                ctx->metrics->recordBuy(goodsId, Outcome::Degraded, started);
                return answer.send(catchingBreath());
            }
            ctx->redisBreaker->recordSuccess();
            switch (o.kind) {
            case Kind::SoldOut:
                ctx->catalog->setSoldOut(goodsId, true);
                ctx->metrics->recordBuy(goodsId, Outcome::SoldOut, started);
                return answer.send(soldOut());
            case Kind::Duplicate:
                ctx->metrics->recordBuy(goodsId, Outcome::Duplicate, started);
                return answer.send(errorResponse(StatusCode::Conflict, QStringLiteral("duplicate"),
                                                 QStringLiteral("You already have this one.")));
            case Kind::TooFrequent:
                ctx->metrics->recordBuy(goodsId, Outcome::TooFrequent, started);
                return answer.send(errorWithRetry(StatusCode::TooManyRequests,
                                                  QStringLiteral("too_frequent"),
                                                  QStringLiteral("Easy! One try at a time."), 1));
            case Kind::NoSuchSale:
                ctx->metrics->recordBuy(goodsId, Outcome::Degraded, started);
                return answer.send(degradedResponse(
                    QStringLiteral("The sale's stock is not loaded yet. Please try again shortly."),
                    2));
            case Kind::Reserved:
            case Kind::Error:
                break;
            }
            // The reservation is already in Redis's pending set, where the reconciler finds
            // it if this message is lost (a crash, a broker down for longer than the publisher
            // waits): the 202 holds without waiting for the broker's confirm, which would cost
            // a disk flush per answer.
            amqp::Reservation reservation;
            reservation.id = QString::fromLatin1(o.reservationId());
            reservation.goodsId = o.goodsId;
            reservation.userId = o.userId;
            reservation.reservedAtMs = o.reservedAtMs;
            ctx->publisher->publish(
                reservation, server, [ctx](const amqp::Reservation &r, const Status &published) {
                    if (published.ok())
                        return ctx->rabbitBreaker->recordSuccess();
                    ctx->rabbitBreaker->recordFailure();
                    qCWarning(lcShopper).noquote()
                        << "reservation" << r.id
                        << "not confirmed, left to the reconciler:" << published.error();
                });
            ctx->metrics->recordBuy(goodsId, Outcome::Queued, started);
            answer.send(jsonResponse({{QStringLiteral("status"), QStringLiteral("queued")},
                                      {QStringLiteral("reservation"), reservation.id},
                                      {QStringLiteral("position"), o.sequence}},
                                     StatusCode::Accepted));
        });
}

} // namespace

void ShopperApi::install(QHttpServer &server) const
{
    const auto ctx = std::make_shared<const ApiContext>(m_context);
    QHttpServer *self = &server;

    server.afterRequest([ctx](QHttpServerResponse &&response) {
        ctx->metrics->countRequest();
        return std::move(response);
    });

    // Users and sessions: the database work (and PBKDF2, which is slow on purpose) runs on
    // the SQL threads; the answer comes back on this thread.
    server.route(QStringLiteral("/api/users"), QHttpServerRequest::Method::Post,
                 [ctx, self](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     const Decoded<Credentials> credentials = decodeCredentials(request.body());
                     if (!credentials)
                         return errorResponse(credentials.error()).write(std::move(responder));
                     DeferredAnswer answer(std::move(responder));
                     const Credentials c = credentials.value();
                     ctx->sql
                         ->run([ctx, c](QSqlDatabase &db) {
                             const users::StoredPassword stored = ctx->passwords->hash(c.password);
                             const auto inserted = users::userstore::insert(db, c.username, stored);
                             if (!inserted)
                                 return UserOutcome {inserted.error(), std::nullopt};
                             return UserOutcome {QString(), inserted.value()};
                         })
                         .then(self, [answer](const UserOutcome &outcome) mutable {
                             if (!outcome.error.isEmpty()) {
                                 qCWarning(lcShopper).noquote() << outcome.error;
                                 return answer.send(unavailable(QStringLiteral("create accounts")));
                             }
                             if (!outcome.userId)
                                 return answer.send(
                                     errorResponse(StatusCode::Conflict, QStringLiteral("taken"),
                                                   QStringLiteral("That username is taken.")));
                             answer.send(jsonResponse({{QStringLiteral("userId"), *outcome.userId}},
                                                      StatusCode::Created));
                         });
                 });
    refuseOtherMethods(server, QStringLiteral("/api/users"), QStringLiteral("POST"));

    server.route(
        QStringLiteral("/api/sessions"), QHttpServerRequest::Method::Post,
        [ctx, self](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            const Decoded<Credentials> credentials = decodeCredentials(request.body());
            if (!credentials)
                return errorResponse(credentials.error()).write(std::move(responder));
            DeferredAnswer answer(std::move(responder));
            const Credentials c = credentials.value();
            ctx->sql
                ->run([ctx, c](QSqlDatabase &db) {
                    const auto found = users::userstore::find(db, c.username);
                    if (!found)
                        return UserOutcome {found.error(), std::nullopt};
                    if (!found.value()) {
                        ctx->passwords->spendVerifyTime(c.password);
                        return UserOutcome {};
                    }
                    const users::UserRecord &user = *found.value();
                    if (!ctx->passwords->verify(c.password, user.password))
                        return UserOutcome {};
                    return UserOutcome {QString(), user.id};
                })
                .then(self, [ctx, answer](const UserOutcome &outcome) mutable {
                    if (!outcome.error.isEmpty()) {
                        qCWarning(lcShopper).noquote() << outcome.error;
                        return answer.send(unavailable(QStringLiteral("sign you in")));
                    }
                    if (!outcome.userId)
                        return answer.send(errorResponse(
                            StatusCode::Unauthorized, QStringLiteral("bad_credentials"),
                            QStringLiteral("Wrong username or password.")));
                    const qint64 now = nowMs();
                    answer.send(jsonResponse({
                        {QStringLiteral("token"), ctx->sessions->issue(*outcome.userId, now)},
                        {QStringLiteral("userId"), *outcome.userId},
                        {QStringLiteral("expiresAt"),
                         formatTime(now + ctx->sessions->lifetimeSeconds() * 1000)},
                    }));
                });
        });
    refuseOtherMethods(server, QStringLiteral("/api/sessions"), QStringLiteral("POST"));

    // Sales: from this instance's catalog, no database call.
    server.route(QStringLiteral("/api/sales"), QHttpServerRequest::Method::Get, [ctx] {
        const qint64 now = nowMs();
        const auto sales = ctx->catalog->snapshot();
        QList<qint64> ids = sales->keys();
        std::sort(ids.begin(), ids.end());
        QJsonArray list;
        for (qint64 id : std::as_const(ids)) {
            const catalog::SaleRecord &sale = (*sales)[id];
            if (sale.schedule)
                list.append(sale.toShopperJson(now, ctx->catalog->isSoldOut(id)));
        }
        return jsonResponse(
            {{QStringLiteral("sales"), list}, {QStringLiteral("serverTime"), formatTime(now)}});
    });
    refuseOtherMethods(server, QStringLiteral("/api/sales"), QStringLiteral("GET"));

    server.route(
        QStringLiteral("/api/sales/<arg>"), QHttpServerRequest::Method::Get, [ctx](qint64 goodsId) {
            const auto sales = ctx->catalog->snapshot();
            const auto it = sales->constFind(goodsId);
            if (it == sales->cend() || !it->schedule)
                return noSale(goodsId);
            return jsonResponse(it->toShopperJson(nowMs(), ctx->catalog->isSoldOut(goodsId)));
        });
    refuseOtherMethods(server, QStringLiteral("/api/sales/<arg>"), QStringLiteral("GET"));

    server.route(
        QStringLiteral("/api/sales/<arg>/path"), QHttpServerRequest::Method::Get,
        [ctx](qint64 goodsId, const QHttpServerRequest &request) {
            const qint64 now = nowMs();
            const auto session = ctx->sessions->verifyHeader(request.value("authorization"), now);
            if (!session)
                return unauthorized();
            const auto sales = ctx->catalog->snapshot();
            const auto it = sales->constFind(goodsId);
            if (it == sales->cend() || !it->schedule)
                return noSale(goodsId);
            if (now < it->schedule->revealAtMs)
                return errorResponse(StatusCode::Forbidden, QStringLiteral("not_revealed"),
                                     QStringLiteral("The buy link is revealed at %1.")
                                         .arg(formatTime(it->schedule->revealAtMs)));
            const sale::PathSigner signer(it->pathSecret);
            return jsonResponse({{QStringLiteral("path"), signer.path(session->userId, goodsId)}});
        });
    refuseOtherMethods(server, QStringLiteral("/api/sales/<arg>/path"), QStringLiteral("GET"));

    // This thread's own Redis client (the client is per thread), for the reserve step and
    // the status poll. Owned by the server, so it goes with this thread's server.
    redis::Redis *redisClient = nullptr;
    if (!ctx->redisUrl.isEmpty()) {
        Result<std::unique_ptr<redis::Redis>> opened =
            redis::Redis::open(ctx->redisUrl, redis::RedisOptions {}, &server);
        if (opened)
            redisClient = opened.value().release();
        else
            qCWarning(lcShopper).noquote() << "no Redis on this thread:" << opened.error();
    }
    const std::optional<redis::SaleScripts> scripts = redisClient
        ? std::optional<redis::SaleScripts>(redis::SaleScripts(redisClient, ctx->windowMs))
        : std::nullopt;

    // The buy path, cheapest check first (DESIGN.md): gate, window, path, sold-out mark,
    // bucket; then one Redis script reserves, RabbitMQ gets the order message, and the
    // shopper hears 202.
    server.route(
        QStringLiteral("/api/sales/<arg>/<arg>/orders"), QHttpServerRequest::Method::Post,
        [ctx, self, scripts](qint64 goodsId, const QString &path, const QHttpServerRequest &request,
                             QHttpServerResponder &&responder) {
            const auto started = metrics::SaleMetrics::Clock::now();
            auto ticket = ctx->admission->tryEnter();
            const auto refuse = [&](Outcome outcome, const QHttpServerResponse &response) {
                ctx->metrics->recordBuy(goodsId, outcome, started);
                response.write(std::move(responder));
            };
            if (!ticket)
                return refuse(Outcome::Degraded,
                              degradedResponse(QStringLiteral(
                                  "So many shoppers right now! Please try again in a second.")));
            const qint64 now = nowMs();
            const auto session = ctx->sessions->verifyHeader(request.value("authorization"), now);
            if (!session)
                return refuse(Outcome::Rejected, unauthorized());
            const auto sales = ctx->catalog->snapshot();
            const auto it = sales->constFind(goodsId);
            if (it == sales->cend() || !it->schedule)
                return refuse(Outcome::Rejected, noSale(goodsId));
            // 1 gate
            if (const auto message = ctx->killSwitch->blocked(goodsId))
                return refuse(Outcome::Degraded, degradedResponse(*message, 5));
            // 2 window
            const sale::SaleSchedule &schedule = *it->schedule;
            if (now < schedule.startAtMs)
                return refuse(Outcome::Rejected,
                              errorResponse(StatusCode::Forbidden, QStringLiteral("not_started"),
                                            QStringLiteral("The sale starts at %1.")
                                                .arg(formatTime(schedule.startAtMs))));
            if (now >= schedule.endAtMs)
                return refuse(Outcome::Rejected,
                              errorResponse(StatusCode::Gone, QStringLiteral("ended"),
                                            QStringLiteral("The sale has ended.")));
            // 3 path
            if (!sale::PathSigner(it->pathSecret).verify(session->userId, goodsId, path))
                return refuse(Outcome::Rejected,
                              errorResponse(StatusCode::NotFound, QStringLiteral("not_found"),
                                            QStringLiteral("There is nothing at this address.")));
            // 4 sold-out mark
            if (ctx->catalog->isSoldOut(goodsId))
                return refuse(Outcome::SoldOut, soldOut());
            // 5 bucket: a token now, or one within buy-wait (the request goes on after it)
            std::chrono::microseconds wait {0};
            if (const auto bucket = ctx->buckets->bucket(goodsId)) {
                const auto reserved =
                    bucket->tryReserve(1, std::chrono::milliseconds(ctx->buyWaitMs));
                if (!reserved) {
                    const double seconds =
                        std::chrono::duration<double>(bucket->timeUntilAvailable()).count();
                    return refuse(
                        Outcome::RateLimited,
                        errorWithRetry(StatusCode::TooManyRequests, QStringLiteral("rate_limited"),
                                       QStringLiteral("Too many shoppers at once: please retry."),
                                       std::max(1, int(std::ceil(seconds)))));
                }
                wait = *reserved;
            }
            // RabbitMQ's breaker and the publisher's backlog (which bounds what waits for the
            // broker in this process's memory): an open one answers at once.
            if (!scripts || !ctx->publisher
                || ctx->rabbitBreaker->state() == sale::CircuitBreaker::State::Open
                || ctx->publisher->backlog() >= ctx->maxPublishBacklog)
                return refuse(Outcome::Degraded, catchingBreath());
            // 6 reserve, 7 publish, 8 answer
            auto reserve = [ctx, self, scripts = *scripts, goodsId, started,
                            userId = session->userId, answer = DeferredAnswer(std::move(responder)),
                            held =
                                std::make_shared<sale::AdmissionGate::Ticket>(std::move(*ticket))] {
                reserveAndAnswer(ctx, self, scripts, goodsId, userId, answer, held, started);
            };
            if (wait.count() <= 0)
                return reserve();
            QTimer::singleShot(std::chrono::ceil<std::chrono::milliseconds>(wait), self,
                               std::move(reserve));
        });
    refuseOtherMethods(server, QStringLiteral("/api/sales/<arg>/<arg>/orders"),
                       QStringLiteral("POST"));

    // The shopper's own order: status poll (Redis, then the database), payment, cancellation.
    server.route(
        QStringLiteral("/api/sales/<arg>/orders/me"), QHttpServerRequest::Method::Get,
        [ctx, self, scripts](qint64 goodsId, const QHttpServerRequest &request,
                             QHttpServerResponder &&responder) {
            const auto session =
                ctx->sessions->verifyHeader(request.value("authorization"), nowMs());
            if (!session)
                return unauthorized().write(std::move(responder));
            DeferredAnswer answer(std::move(responder));
            const qint64 userId = session->userId;
            const auto fromDatabase = [ctx, self, userId, goodsId](DeferredAnswer answer) {
                ctx->sql
                    ->run([userId, goodsId](QSqlDatabase &db) {
                        return catalog::shopperorders::findForGoods(db, userId, goodsId);
                    })
                    .then(self, [answer](const Result<std::optional<qint64>> &found) mutable {
                        if (!found) {
                            qCWarning(lcShopper).noquote() << found.error();
                            return answer.send(unavailable(QStringLiteral("look up your order")));
                        }
                        if (!found.value())
                            return answer.send(
                                jsonResponse({{QStringLiteral("status"), QStringLiteral("none")}}));
                        answer.send(
                            jsonResponse({{QStringLiteral("status"), QStringLiteral("created")},
                                          {QStringLiteral("orderId"), *found.value()}}));
                    });
            };
            if (!scripts)
                return fromDatabase(answer);
            // Redis knows queued and failed; the database is the word on orders.
            scripts->status(goodsId, userId, self,
                            [answer, fromDatabase](const redis::ShopperStatus &st) mutable {
                                using State = redis::ShopperStatus::State;
                                switch (st.state) {
                                case State::Queued:
                                    return answer.send(jsonResponse(
                                        {{QStringLiteral("status"), QStringLiteral("queued")},
                                         {QStringLiteral("position"), st.position}}));
                                case State::Created:
                                    return answer.send(jsonResponse(
                                        {{QStringLiteral("status"), QStringLiteral("created")},
                                         {QStringLiteral("orderId"), st.orderId}}));
                                case State::Failed:
                                    return answer.send(jsonResponse(
                                        {{QStringLiteral("status"), QStringLiteral("failed")}}));
                                case State::None:
                                case State::Error:
                                    break;
                                }
                                fromDatabase(answer);
                            });
        });
    refuseOtherMethods(server, QStringLiteral("/api/sales/<arg>/orders/me"), QStringLiteral("GET"));

    // Paying and cancelling go through orders::OrderPayments: a cancel changes the order,
    // the database's stock and Redis (stock, sold-out marks everywhere) all or nothing.
    const auto changeOrder = [ctx, self](bool cancel) {
        return [ctx, self, cancel](qint64 orderId, const QHttpServerRequest &request,
                                   QHttpServerResponder &&responder) {
            const auto session =
                ctx->sessions->verifyHeader(request.value("authorization"), nowMs());
            if (!session)
                return unauthorized().write(std::move(responder));
            const QString what =
                cancel ? QStringLiteral("cancel orders") : QStringLiteral("take payments");
            if (!ctx->payments)
                return unavailable(what).write(std::move(responder));
            DeferredAnswer answer(std::move(responder));
            auto done = [ctx, answer, cancel, orderId,
                         what](const Result<orders::OrderChange> &changed) mutable {
                if (!changed) {
                    qCWarning(lcShopper).noquote() << what << "failed:" << changed.error();
                    return answer.send(unavailable(what));
                }
                using Kind = orders::OrderChange::Kind;
                switch (changed->kind) {
                case Kind::NotFound:
                    return answer.send(
                        errorResponse(StatusCode::NotFound, QStringLiteral("not_found"),
                                      QStringLiteral("You have no order %1.").arg(orderId)));
                case Kind::NotAllowed:
                    return answer.send(errorResponse(StatusCode::Conflict,
                                                     cancel ? QStringLiteral("not_cancellable")
                                                            : QStringLiteral("not_payable"),
                                                     QStringLiteral("Order %1 is %2.")
                                                         .arg(orderId)
                                                         .arg(changed->order->status)));
                case Kind::Done:
                case Kind::Unchanged: // a repeated call (a retry) gets the same answer
                    break;
                }
                answer.send(jsonResponse(orderJson(*changed->order)));
                // The database's stock changed: reload this instance's catalog now (the
                // others hear `restocked` from the rollback script).
                if (cancel && changed->kind == Kind::Done && ctx->refresher)
                    QMetaObject::invokeMethod(ctx->refresher, &catalog::CatalogRefresher::refresh,
                                              Qt::QueuedConnection);
            };
            if (cancel)
                ctx->payments->cancel(orderId, session->userId, self, std::move(done));
            else
                ctx->payments->pay(orderId, session->userId, self, std::move(done));
        };
    };
    server.route(QStringLiteral("/api/orders/<arg>/payment"), QHttpServerRequest::Method::Post,
                 changeOrder(false));
    refuseOtherMethods(server, QStringLiteral("/api/orders/<arg>/payment"), QStringLiteral("POST"));
    server.route(QStringLiteral("/api/orders/<arg>"), QHttpServerRequest::Method::Delete,
                 changeOrder(true));
    refuseOtherMethods(server, QStringLiteral("/api/orders/<arg>"), QStringLiteral("DELETE"));

    // Health, readiness, metrics.
    server.route(QStringLiteral("/healthz"), QHttpServerRequest::Method::Get, [ctx] {
        return jsonResponse(ctx->health->toJson(),
                            ctx->health->allUp() ? StatusCode::Ok : StatusCode::ServiceUnavailable);
    });
    refuseOtherMethods(server, QStringLiteral("/healthz"), QStringLiteral("GET"));

    server.route(QStringLiteral("/readyz"), QHttpServerRequest::Method::Get, [ctx] {
        const bool ready = ctx->ready && ctx->ready();
        return jsonResponse({{QStringLiteral("ready"), ready}},
                            ready ? StatusCode::Ok : StatusCode::ServiceUnavailable);
    });
    refuseOtherMethods(server, QStringLiteral("/readyz"), QStringLiteral("GET"));

    server.route(QStringLiteral("/metrics"), QHttpServerRequest::Method::Get, [ctx] {
        metrics::PrometheusText out(
            metrics::PrometheusText::Labels {{"instance", metrics::instanceLabel()}});
        ctx->metrics->writePrometheus(out);
        out.family("flashsale_in_flight_requests", "gauge", "Buy requests in flight.");
        out.sample("flashsale_in_flight_requests", ctx->admission->inFlight());
        out.family("flashsale_admission_refused_total", "counter",
                   "Buy requests refused because too many were in flight.");
        out.sample("flashsale_admission_refused_total", double(ctx->admission->refused()));
        out.family("flashsale_breaker_open", "gauge",
                   "1 when a dependency's breaker is not closed.");
        for (const sale::CircuitBreaker *breaker :
             {ctx->redisBreaker, ctx->rabbitBreaker, ctx->postgresBreaker})
            out.sample("flashsale_breaker_open",
                       breaker->state() == sale::CircuitBreaker::State::Closed ? 0 : 1,
                       {{"dependency", breaker->name().toLatin1()}});
        out.family("flashsale_dependency_up", "gauge", "1 when a dependency answers.");
        const QJsonObject deps =
            ctx->health->toJson().value(QStringLiteral("dependencies")).toObject();
        for (auto d = deps.begin(); d != deps.end(); ++d)
            out.sample("flashsale_dependency_up",
                       d.value().toObject().value(QStringLiteral("state")).toString() == u"up" ? 1
                                                                                               : 0,
                       {{"dependency", d.key().toLatin1()}});
        QByteArray text = out.text();
        if (ctx->workerRole)
            WorkerApi::writeMetrics(*ctx->workerRole, text);
        return QHttpServerResponse(metrics::PrometheusText::contentType(), text);
    });
    refuseOtherMethods(server, QStringLiteral("/metrics"), QStringLiteral("GET"));

    installMissingHandler(server);
}

} // namespace flashsale::http
