#pragma once

#include "orderrecord.h"

#include <optional>

namespace flashsale::orders {

/// What asking to pay for or to cancel an order came to (see OrderPayments).
struct OrderChange
{
    enum class Kind {
        Done, ///< the order is now paid / cancelled (cancel: its unit is back in stock)
        Unchanged, ///< it already was paid / cancelled (a repeated call): nothing done again
        NotFound, ///< no such order of this shopper (HTTP 404)
        NotAllowed, ///< its state forbids it: paying a cancelled order, cancelling a paid one (409)
    };

    Kind kind = Kind::NotFound; ///< see Kind
    std::optional<OrderRecord> order; ///< the order after the call; absent for NotFound
};

} // namespace flashsale::orders

Q_DECLARE_METATYPE(flashsale::orders::OrderChange)
