#pragma once

#include "tally.h"

#include <cstdint>
#include <string>

namespace flashsale::bench {

/// An HTTP answer as the load threads read it.
struct HttpAnswer
{
    int status = 0; ///< HTTP status; 0 when no answer came (refused, reset, timed out)
    int retryAfterS = -1; ///< the Retry-After header in seconds, -1 when absent
    std::string body; ///< the body (JSON)
};

/// How a shopper's visit ended.
enum class Ending : std::uint8_t {
    None, ///< still on its way
    Created, ///< its 202 became an order
    Failed, ///< its 202 became an explicit failure
    SoldOut, ///< told sold out (or ended) before any 202
    GaveUp, ///< every --attempts was answered 429, 503 or not at all
    NoPath, ///< never got the buy path (or a challenge)
    Unresolved, ///< its 202 was still queued when the wait for orders ran out
    Refused, ///< sign-up or sign-in failed, or another answer the page cannot go on from
};
QString endingName(Ending ending);

/// One simulated shopper: its account, where it is in the page's flow, and what came of it.
struct Shopper
{
    /// Where the shopper is; each stage has one request.
    enum class Stage : std::uint8_t { SignUp, SignIn, Ready, Challenge, Path, Buy, Poll, Done };

    int index = 0; ///< its number in the rehearsal (username suffix)
    std::string username; ///< account name
    std::string authorization; ///< "Bearer <session token>", empty before the sign-in
    std::string path; ///< the secret buy path, empty before it is given
    std::string pathQuery; ///< "?challenge=...&nonce=..." for a solved challenge
    Stage stage = Stage::SignUp; ///< the next request
    Ending ending = Ending::None; ///< how the visit ended, None while on its way
    std::int64_t buyAtUs = 0; ///< when its first buy is due (monotonic us)
    std::int64_t acceptedAtUs = 0; ///< when its 202 arrived
    std::int64_t resolvedAtUs = 0; ///< when a poll saw created or failed
    std::int64_t orderId = 0; ///< the order's id once created
    int buyAttempts = 0; ///< buy requests sent
    int accepted = 0; ///< 202 answers (more than one would break "one order per shopper")
    int duplicates = 0; ///< 409 duplicate answers
    int pathTries = 0; ///< path or challenge requests sent
    int pollWaitMs = 0; ///< the wait before the next poll (grows like the page's)
    Stage resumeAt = Stage::Ready; ///< after a new sign-in (a 401 mid-sale), where to go on
    int signIns = 0; ///< sign-ins after a 401, bounded
};

/// What the page does next, as ShopperFlow decides it.
struct NextStep
{
    /// Send \a stage's request after \a delayUs (0: at once; negative: at Shopper::buyAtUs).
    std::int64_t delayUs = 0;
    bool done = false; ///< the visit (or, in the accounts phase, the sign-in) is over
};

/// The storefront page's behaviour (storefront/assets/storefront.js) as a state machine over
/// Shopper: which request each stage sends, and what each answer leads to. It holds no
/// I/O: the load threads send what it builds and hand it the answers.
class ShopperFlow
{
public:
    struct Settings
    {
        std::string host; ///< Host header value
        std::string apiPrefix = "/api"; ///< path of the shopper API on the site
        std::string password; ///< every shopper's password
        std::int64_t goodsId = 0; ///< the sale's product
        int attempts = 5; ///< buy requests a shopper may send at most
        std::int64_t resolveTimeoutUs = 120'000'000; ///< how long a 202 may stay queued
        std::int64_t endUs = INT64_MAX; ///< the sale's end (monotonic us)
    };

    explicit ShopperFlow(Settings settings);

    /// The first stage of the accounts phase: sign-up, or sign-in for \a reuse.
    static Shopper::Stage firstAccountStage(bool reuse);

    /// The request for \a shopper's current stage, bytes ready for the socket.
    std::string request(const Shopper &shopper) const;
    /// What \a kind the current stage's request is.
    static RequestKind kindOf(Shopper::Stage stage);

    /// \a shopper's answer to its current stage's request arrived at \a nowUs (with outcome
    /// \a outcome): moves it on. A challenge is solved here, on the calling thread.
    NextStep onAnswer(Shopper &shopper, const HttpAnswer &answer, Outcome outcome,
                      std::int64_t nowUs) const;

    /// The sale phase begins for \a shopper: the path (or first the challenge).
    void enterSale(Shopper &shopper, bool challenge) const;

private:
    NextStep retryOrGiveUp(Shopper &shopper, const HttpAnswer &answer, std::int64_t nowUs,
                           std::int64_t minimumUs) const;
    NextStep afterPath(Shopper &shopper, std::int64_t nowUs) const;
    NextStep finish(Shopper &shopper, Ending ending) const;

    Settings m_settings;
    std::string m_goodsPrefix; ///< "/api/sales/<id>"
};

/// The string value of \a key in a flat JSON object \a body (no escapes resolved); empty when
/// absent. Enough for the shopper API's answers, without building a document per answer.
std::string jsonString(const std::string &body, const char *key);
/// The integer value of \a key in \a body, \a fallback when absent.
std::int64_t jsonInteger(const std::string &body, const char *key, std::int64_t fallback = 0);

} // namespace flashsale::bench
