#include "shopper.h"

#include "challengesolver.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace flashsale::bench {

namespace {

// The page's waits (storefront.js): orders/me first after 0.4 s, then 1.6 times longer each
// time up to 5 s; a retry without Retry-After after 1 s.
constexpr int kPollFirstMs = 400;
constexpr int kPollMaxMs = 5000;
constexpr std::int64_t kRetryUs = 1'000'000;
constexpr std::int64_t kNotYetUs = 250'000; // not revealed / not started: the clocks differ a bit
constexpr std::int64_t kNotStartedUs = 20'000;
constexpr int kMaxSignIns = 3; // after 401s mid-sale
constexpr int kMaxPathTries = 400; // ~100 s of "not revealed" before giving up

std::string percentEncoded(const std::string &text)
{
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string credentials(const std::string &username, const std::string &password)
{
    // Usernames are [A-Za-z0-9._-] and the password is checked the same way by the options:
    // nothing to escape.
    return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
}

std::int64_t retryAfterUs(const HttpAnswer &answer, std::int64_t minimumUs)
{
    return std::max<std::int64_t>(minimumUs,
                                  answer.retryAfterS > 0 ? answer.retryAfterS * 1'000'000LL : 0);
}

} // namespace

QString endingName(Ending ending)
{
    switch (ending) {
    case Ending::None:
        return QStringLiteral("on its way");
    case Ending::Created:
        return QStringLiteral("created");
    case Ending::Failed:
        return QStringLiteral("failed");
    case Ending::SoldOut:
        return QStringLiteral("sold_out");
    case Ending::GaveUp:
        return QStringLiteral("gave_up");
    case Ending::NoPath:
        return QStringLiteral("no_path");
    case Ending::Unresolved:
        return QStringLiteral("unresolved");
    case Ending::Refused:
        return QStringLiteral("refused");
    }
    return {};
}

std::string jsonString(const std::string &body, const char *key)
{
    const std::string quoted = std::string("\"") + key + "\"";
    std::size_t at = body.find(quoted);
    if (at == std::string::npos)
        return {};
    at += quoted.size();
    while (at < body.size() && (body[at] == ' ' || body[at] == ':'))
        ++at;
    if (at >= body.size() || body[at] != '"')
        return {};
    const std::size_t end = body.find('"', at + 1);
    return end == std::string::npos ? std::string() : body.substr(at + 1, end - at - 1);
}

std::int64_t jsonInteger(const std::string &body, const char *key, std::int64_t fallback)
{
    const std::string quoted = std::string("\"") + key + "\"";
    std::size_t at = body.find(quoted);
    if (at == std::string::npos)
        return fallback;
    at += quoted.size();
    while (at < body.size() && (body[at] == ' ' || body[at] == ':'))
        ++at;
    if (at >= body.size() || !(std::isdigit((unsigned char)body[at]) || body[at] == '-'))
        return fallback;
    return std::strtoll(body.c_str() + at, nullptr, 10);
}

ShopperFlow::ShopperFlow(Settings settings)
    : m_settings(std::move(settings))
    , m_goodsPrefix(m_settings.apiPrefix + "/sales/" + std::to_string(m_settings.goodsId))
{ }

Shopper::Stage ShopperFlow::firstAccountStage(bool reuse)
{
    return reuse ? Shopper::Stage::SignIn : Shopper::Stage::SignUp;
}

RequestKind ShopperFlow::kindOf(Shopper::Stage stage)
{
    switch (stage) {
    case Shopper::Stage::SignUp:
        return RequestKind::SignUp;
    case Shopper::Stage::SignIn:
        return RequestKind::SignIn;
    case Shopper::Stage::Challenge:
        return RequestKind::Challenge;
    case Shopper::Stage::Path:
        return RequestKind::Path;
    case Shopper::Stage::Buy:
        return RequestKind::Buy;
    case Shopper::Stage::Poll:
    case Shopper::Stage::Ready:
    case Shopper::Stage::Done:
        break;
    }
    return RequestKind::Poll;
}

std::string ShopperFlow::request(const Shopper &shopper) const
{
    std::string r;
    r.reserve(320);
    auto head = [&](const char *verb, const std::string &target) {
        r += verb;
        r += ' ';
        r += target;
        r += " HTTP/1.1\r\nHost: ";
        r += m_settings.host;
        r += "\r\n";
        if (!shopper.authorization.empty()) {
            r += "Authorization: ";
            r += shopper.authorization;
            r += "\r\n";
        }
    };
    switch (shopper.stage) {
    case Shopper::Stage::SignUp:
    case Shopper::Stage::SignIn: {
        const std::string body = credentials(shopper.username, m_settings.password);
        head("POST",
             m_settings.apiPrefix
                 + (shopper.stage == Shopper::Stage::SignUp ? "/users" : "/sessions"));
        r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size())
            + "\r\n\r\n" + body;
        return r;
    }
    case Shopper::Stage::Challenge:
        head("GET", m_goodsPrefix + "/challenge");
        break;
    case Shopper::Stage::Path:
        head("GET", m_goodsPrefix + "/path" + shopper.pathQuery);
        break;
    case Shopper::Stage::Buy:
        head("POST", m_goodsPrefix + "/" + shopper.path + "/orders");
        r += "Content-Length: 0\r\n";
        break;
    case Shopper::Stage::Poll:
    case Shopper::Stage::Ready:
    case Shopper::Stage::Done:
        head("GET", m_goodsPrefix + "/orders/me");
        break;
    }
    r += "\r\n";
    return r;
}

void ShopperFlow::enterSale(Shopper &shopper, bool challenge) const
{
    shopper.stage = challenge ? Shopper::Stage::Challenge : Shopper::Stage::Path;
    shopper.pathQuery.clear();
}

NextStep ShopperFlow::finish(Shopper &shopper, Ending ending) const
{
    shopper.ending = ending;
    shopper.stage = Shopper::Stage::Done;
    return NextStep {0, true};
}

NextStep ShopperFlow::retryOrGiveUp(Shopper &shopper, const HttpAnswer &answer, std::int64_t nowUs,
                                    std::int64_t minimumUs) const
{
    if (shopper.buyAttempts >= m_settings.attempts)
        return finish(shopper, Ending::GaveUp);
    const std::int64_t delay = retryAfterUs(answer, minimumUs);
    if (nowUs + delay >= m_settings.endUs)
        return finish(shopper, Ending::GaveUp);
    return NextStep {delay, false};
}

NextStep ShopperFlow::afterPath(Shopper &shopper, std::int64_t nowUs) const
{
    shopper.stage = Shopper::Stage::Buy;
    return NextStep {std::max<std::int64_t>(0, shopper.buyAtUs - nowUs), false};
}

NextStep ShopperFlow::onAnswer(Shopper &shopper, const HttpAnswer &answer, Outcome outcome,
                               std::int64_t nowUs) const
{
    if (outcome == Outcome::Unauthorized && shopper.stage != Shopper::Stage::SignIn
        && shopper.stage != Shopper::Stage::SignUp && shopper.signIns < kMaxSignIns) {
        // The session ended (expired, or the site's session secret changed): the page asks
        // the shopper to sign in again, and the shopper does.
        ++shopper.signIns;
        shopper.resumeAt = shopper.stage;
        shopper.stage = Shopper::Stage::SignIn;
        shopper.authorization.clear();
        return NextStep {0, false};
    }
    const bool busy = outcome == Outcome::TooFrequent || outcome == Outcome::RateLimited
        || outcome == Outcome::Degraded || outcome == Outcome::NoAnswer
        || outcome == Outcome::ServerError;
    switch (shopper.stage) {
    case Shopper::Stage::SignUp:
        if (answer.status == 201) {
            shopper.stage = Shopper::Stage::SignIn;
            return NextStep {0, false};
        }
        if (busy && ++shopper.pathTries < 20)
            return NextStep {retryAfterUs(answer, kRetryUs), false};
        return finish(shopper, Ending::Refused);
    case Shopper::Stage::SignIn: {
        if (answer.status == 200) {
            const std::string token = jsonString(answer.body, "token");
            if (token.empty())
                return finish(shopper, Ending::Refused);
            shopper.authorization = "Bearer " + token;
            shopper.pathTries = 0;
            if (shopper.resumeAt != Shopper::Stage::Ready) {
                // Signed in again mid-sale: on where the 401 came.
                shopper.stage = shopper.resumeAt;
                shopper.resumeAt = Shopper::Stage::Ready;
                return NextStep {0, false};
            }
            shopper.stage = Shopper::Stage::Ready;
            return NextStep {0, true};
        }
        if ((busy || answer.status == 429) && ++shopper.pathTries < 20)
            return NextStep {retryAfterUs(answer, kRetryUs), false};
        return finish(shopper, Ending::Refused);
    }
    case Shopper::Stage::Challenge: {
        ++shopper.pathTries;
        if (answer.status == 200) {
            const std::string challenge = jsonString(answer.body, "challenge");
            const int bits = int(jsonInteger(answer.body, "bits", -1));
            if (challenge.empty() || bits < 0)
                return finish(shopper, Ending::NoPath);
            const std::uint64_t nonce = ChallengeSolver::solve(challenge, bits);
            shopper.pathQuery =
                "?challenge=" + percentEncoded(challenge) + "&nonce=" + std::to_string(nonce);
            shopper.stage = Shopper::Stage::Path;
            return NextStep {0, false};
        }
        if (shopper.pathTries < kMaxPathTries && nowUs < m_settings.endUs
            && (busy || outcome == Outcome::ClientError))
            return NextStep {retryAfterUs(answer, busy ? kRetryUs : kNotYetUs), false};
        return finish(shopper, Ending::NoPath);
    }
    case Shopper::Stage::Path: {
        ++shopper.pathTries;
        if (answer.status == 200) {
            shopper.path = jsonString(answer.body, "path");
            if (shopper.path.empty())
                return finish(shopper, Ending::NoPath);
            return afterPath(shopper, nowUs);
        }
        if (answer.status == 403 && jsonString(answer.body, "error").rfind("challenge_", 0) == 0) {
            // Required (the difficulty was raised), failed (expired) or used: a new one.
            enterSale(shopper, true);
            return NextStep {0, false};
        }
        if (shopper.pathTries < kMaxPathTries && nowUs < m_settings.endUs
            && (busy || answer.status == 403))
            return NextStep {retryAfterUs(answer, busy ? kRetryUs : kNotYetUs), false};
        return finish(shopper, Ending::NoPath);
    }
    case Shopper::Stage::Buy:
        switch (outcome) {
        case Outcome::Queued:
            ++shopper.accepted;
            shopper.acceptedAtUs = nowUs;
            shopper.stage = Shopper::Stage::Poll;
            shopper.pollWaitMs = kPollFirstMs;
            return NextStep {kPollFirstMs * 1000LL, false};
        case Outcome::Duplicate:
            // The page follows the order it already has (a 202 that did not reach us).
            ++shopper.duplicates;
            shopper.stage = Shopper::Stage::Poll;
            shopper.pollWaitMs = kPollFirstMs;
            if (shopper.acceptedAtUs == 0)
                shopper.acceptedAtUs = nowUs;
            return NextStep {kPollFirstMs * 1000LL, false};
        case Outcome::SoldOut:
        case Outcome::Ended:
            return finish(shopper, Ending::SoldOut);
        case Outcome::NotStarted:
            // Sent a little early (the clocks differ by a few ms): again shortly.
            return retryOrGiveUp(shopper, answer, nowUs, kNotStartedUs);
        case Outcome::NotFound:
            // The path no longer matches (the sale was scheduled again): fetch it again.
            if (shopper.buyAttempts >= m_settings.attempts)
                return finish(shopper, Ending::GaveUp);
            shopper.pathTries = 0;
            enterSale(shopper, !shopper.pathQuery.empty());
            return NextStep {0, false};
        case Outcome::TooFrequent:
        case Outcome::RateLimited:
        case Outcome::Degraded:
        case Outcome::ServerError:
        case Outcome::NoAnswer:
            return retryOrGiveUp(shopper, answer, nowUs, kRetryUs);
        default:
            return finish(shopper, Ending::Refused);
        }
    case Shopper::Stage::Poll: {
        if (answer.status == 200) {
            const std::string status = jsonString(answer.body, "status");
            if (status == "created") {
                shopper.orderId = jsonInteger(answer.body, "orderId");
                shopper.resolvedAtUs = nowUs;
                return finish(shopper, Ending::Created);
            }
            if (status == "failed") {
                shopper.resolvedAtUs = nowUs;
                return finish(shopper, Ending::Failed);
            }
        }
        if (nowUs - shopper.acceptedAtUs > m_settings.resolveTimeoutUs)
            return finish(shopper, Ending::Unresolved);
        const std::int64_t wait = shopper.pollWaitMs * 1000LL;
        shopper.pollWaitMs = std::min(kPollMaxMs, shopper.pollWaitMs * 16 / 10);
        return NextStep {wait, false};
    }
    case Shopper::Stage::Ready:
    case Shopper::Stage::Done:
        break;
    }
    return finish(shopper, Ending::Refused);
}

} // namespace flashsale::bench
