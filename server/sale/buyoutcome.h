#pragma once

#include "salemetrics.h"

#include <QByteArray>
#include <QString>

namespace flashsale::sale {

/// How a buy ended: one kind per answer of docs/api.md's buy route, with what that answer
/// says. The front turns it into bytes; nothing here knows HTTP.
struct BuyOutcome
{
    enum class Kind {
        Queued, ///< reserved and handed to the publisher (202)
        Crowded, ///< too many buys in flight in this instance (503 degraded)
        Unauthorized, ///< no valid session (401)
        NoSale, ///< no sale of this product (404)
        CatalogLoading, ///< the catalog is not loaded yet: cannot tell (503, Retry-After)
        Switched, ///< the operator's kill switch is on (503 degraded + message)
        NotStarted, ///< before the sale's start (403)
        Ended, ///< after the sale's end (410)
        WrongPath, ///< the secret path is not this shopper's (404)
        SoldOut, ///< the local mark or the reserve script says so (410)
        RateLimited, ///< the product's token bucket is empty (429)
        Unavailable, ///< a breaker is open or the publisher's backlog full (503 degraded)
        Duplicate, ///< the shopper already has a result for this product (409)
        TooFrequent, ///< again within the shopper's window (429)
        AddressTooFrequent, ///< again from this address within the sale's window (429)
        StockNotLoaded, ///< Redis has no stock for the sale yet (503 degraded)
    };

    Kind kind = Kind::Unavailable; ///< see Kind
    qint64 goodsId = 0; ///< the product asked for
    QString message; ///< Switched: the operator's message
    qint64 startAtMs = 0; ///< NotStarted: when the sale starts
    int retryAfterSeconds = 0; ///< the wait to suggest, where the answer has one
    QByteArray reservation; ///< Queued: the reservation id
    qint64 position = 0; ///< Queued: the shopper's queue position

    /// The counter this outcome goes to in SaleMetrics.
    metrics::Outcome metric() const;
    /// The kind's name, for tests and logs ("queued", "sold_out", ...).
    static const char *kindName(Kind kind);
};

} // namespace flashsale::sale
