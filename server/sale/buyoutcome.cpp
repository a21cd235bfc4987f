#include "buyoutcome.h"

namespace flashsale::sale {

metrics::Outcome BuyOutcome::metric() const
{
    using metrics::Outcome;
    switch (kind) {
    case Kind::Queued:
        return Outcome::Queued;
    case Kind::SoldOut:
        return Outcome::SoldOut;
    case Kind::Duplicate:
        return Outcome::Duplicate;
    case Kind::TooFrequent:
    case Kind::AddressTooFrequent:
        return Outcome::TooFrequent;
    case Kind::RateLimited:
        return Outcome::RateLimited;
    case Kind::Crowded:
    case Kind::CatalogLoading:
    case Kind::Switched:
    case Kind::Unavailable:
    case Kind::StockNotLoaded:
        return Outcome::Degraded;
    case Kind::Unauthorized:
    case Kind::NoSale:
    case Kind::NotStarted:
    case Kind::Ended:
    case Kind::WrongPath:
        return Outcome::Rejected;
    }
    return Outcome::Error;
}

const char *BuyOutcome::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Queued:
        return "queued";
    case Kind::Crowded:
        return "crowded";
    case Kind::Unauthorized:
        return "unauthorized";
    case Kind::NoSale:
        return "no_sale";
    case Kind::CatalogLoading:
        return "catalog_loading";
    case Kind::Switched:
        return "switched";
    case Kind::NotStarted:
        return "not_started";
    case Kind::Ended:
        return "ended";
    case Kind::WrongPath:
        return "wrong_path";
    case Kind::SoldOut:
        return "sold_out";
    case Kind::RateLimited:
        return "rate_limited";
    case Kind::Unavailable:
        return "unavailable";
    case Kind::Duplicate:
        return "duplicate";
    case Kind::TooFrequent:
        return "too_frequent";
    case Kind::AddressTooFrequent:
        return "address_too_frequent";
    case Kind::StockNotLoaded:
        return "stock_not_loaded";
    }
    return "?";
}

} // namespace flashsale::sale
