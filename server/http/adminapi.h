#pragma once

#include "apicontext.h"

#include <QJsonObject>

class QHttpServer;

namespace flashsale::catalog {
struct SaleRecord;
}

namespace flashsale::http {

/// The admin routes of docs/api.md (goods, sales, rates, switches, stats, the live
/// WebSocket), each behind the admin bearer token, every change audited. Added to the
/// admin listener's QHttpServer only: the shopper port does not have them.
class AdminApi
{
public:
    explicit AdminApi(ApiContext context)
        : m_context(std::move(context))
    { }

    /// Adds every admin route to \a server (called on the server's thread).
    void install(QHttpServer &server) const;

    /// `Stats` of docs/api.md for this instance.
    static QJsonObject stats(const ApiContext &context);
    /// `SaleStatus` of docs/api.md.
    static QJsonObject saleStatus(const ApiContext &context, const catalog::SaleRecord &sale,
                                  qint64 nowMs);

private:
    ApiContext m_context;
};

} // namespace flashsale::http
