#include "orderoutcome.h"

namespace flashsale::orders {

QString OrderOutcome::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Created:
        return QStringLiteral("created");
    case Kind::AlreadyCreated:
        return QStringLiteral("already-created");
    case Kind::UserAlreadyOrdered:
        return QStringLiteral("user-already-ordered");
    case Kind::SoldOut:
        return QStringLiteral("sold-out");
    case Kind::UnknownGoods:
        return QStringLiteral("unknown-goods");
    case Kind::GivenUp:
        return QStringLiteral("given-up");
    }
    return {};
}

} // namespace flashsale::orders
