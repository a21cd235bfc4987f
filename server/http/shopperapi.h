#pragma once

#include "apicontext.h"

class QHttpServer;

namespace flashsale::http {

/// The shoppers' routes of docs/api.md (users, sessions, sales, the buy path, health,
/// metrics), added to each serving thread's QHttpServer.
class ShopperApi
{
public:
    explicit ShopperApi(ApiContext context)
        : m_context(std::move(context))
    { }

    /// Adds every shopper route to \a server (called on the server's thread).
    void install(QHttpServer &server) const;

private:
    ApiContext m_context;
};

} // namespace flashsale::http
