#pragma once

#include "apicontext.h"
#include "buydesk.h"
#include "buysteps.h"
#include "frontloop.h"

#include <memory>

namespace flashsale::users {
class AccountDesk;
}
namespace flashsale::orders {
class ShopperOrderDesk;
}

namespace flashsale::front {

class ShopWorker;

/// The services every front thread's routes share (each thread-safe).
struct ShopperServices
{
    http::ApiContext context; ///< the parts of the API (catalog, sessions, metrics, ...)
    std::shared_ptr<const users::AccountDesk> accounts; ///< sign-up, sign-in
    std::shared_ptr<const orders::ShopperOrderDesk> orders; ///< orders/me, pay, cancel
};

/// The shoppers' routes of docs/api.md on one front thread: each decodes the request,
/// calls one service, encodes the outcome. What needs no I/O (the buy's checks, the
/// catalog, the path, health) is answered on the front thread, mostly from prebuilt
/// bytes; the reserve script and the status poll go to this thread's ShopWorker; the
/// database work to the SQL threads; every answer comes back through the Reply.
class ShopperRoutes : public FrontHandler
{
public:
    ShopperRoutes(std::shared_ptr<const ShopperServices> services, ShopWorker *worker);
    ~ShopperRoutes() override;

    void handle(Request &&request, Reply reply) override;

private:
    void signUp(const Request &request, Reply reply);
    void signIn(const Request &request, Reply reply);
    void listSales(Reply reply);
    void showSale(qint64 goodsId, Reply reply);
    void buyPath(qint64 goodsId, const Request &request, Reply reply);
    void challenge(qint64 goodsId, const Request &request, Reply reply);
    void buy(qint64 goodsId, std::string_view path, const Request &request, Reply reply);
    void standing(qint64 goodsId, const Request &request, Reply reply);
    void changeOrder(qint64 orderId, bool cancel, const Request &request, Reply reply);
    void health(Reply reply);
    void ready(Reply reply);
    void metrics(Reply reply);

    std::shared_ptr<const ShopperServices> m_services;
    const http::ApiContext &m_ctx;
    ShopWorker *m_worker = nullptr;
    std::unique_ptr<sale::PublisherOrderQueue> m_orderQueue; ///< confirms on the worker
    std::unique_ptr<sale::BuyDesk> m_desk;
};

/// The buy route's answer for \a outcome (constant ones are prebuilt).
Answer buyAnswer(const sale::BuyOutcome &outcome);

} // namespace flashsale::front
