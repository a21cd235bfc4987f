#include "tally.h"

#include <cstring>

namespace flashsale::bench {

QString kindName(RequestKind kind)
{
    switch (kind) {
    case RequestKind::SignUp:
        return QStringLiteral("sign_up");
    case RequestKind::SignIn:
        return QStringLiteral("sign_in");
    case RequestKind::Challenge:
        return QStringLiteral("challenge");
    case RequestKind::Path:
        return QStringLiteral("path");
    case RequestKind::Buy:
        return QStringLiteral("buy");
    case RequestKind::Poll:
        return QStringLiteral("poll");
    }
    return {};
}

QString outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Queued:
        return QStringLiteral("queued");
    case Outcome::SoldOut:
        return QStringLiteral("sold_out");
    case Outcome::Ended:
        return QStringLiteral("ended");
    case Outcome::Duplicate:
        return QStringLiteral("duplicate");
    case Outcome::TooFrequent:
        return QStringLiteral("too_frequent");
    case Outcome::RateLimited:
        return QStringLiteral("rate_limited");
    case Outcome::NotStarted:
        return QStringLiteral("not_started");
    case Outcome::Degraded:
        return QStringLiteral("degraded");
    case Outcome::NotFound:
        return QStringLiteral("not_found");
    case Outcome::Unauthorized:
        return QStringLiteral("unauthorized");
    case Outcome::Ok:
        return QStringLiteral("ok");
    case Outcome::ClientError:
        return QStringLiteral("other_4xx");
    case Outcome::ServerError:
        return QStringLiteral("other_5xx");
    case Outcome::NoAnswer:
        return QStringLiteral("no_answer");
    }
    return {};
}

Outcome classify(int status, const char *error, std::size_t errorLength)
{
    auto is = [&](const char *code) {
        return std::strlen(code) == errorLength && std::memcmp(code, error, errorLength) == 0;
    };
    if (status == 0)
        return Outcome::NoAnswer;
    if (status == 202)
        return Outcome::Queued;
    if (status < 400)
        return Outcome::Ok;
    switch (status) {
    case 401:
        return Outcome::Unauthorized;
    case 403:
        return is("not_started") ? Outcome::NotStarted : Outcome::ClientError;
    case 404:
        return Outcome::NotFound;
    case 409:
        return is("duplicate") ? Outcome::Duplicate : Outcome::ClientError;
    case 410:
        return is("ended") ? Outcome::Ended : Outcome::SoldOut;
    case 429:
        return is("rate_limited") ? Outcome::RateLimited : Outcome::TooFrequent;
    case 503:
        return is("degraded") ? Outcome::Degraded : Outcome::ServerError;
    default:
        break;
    }
    return status >= 500 ? Outcome::ServerError : Outcome::ClientError;
}

} // namespace flashsale::bench
