#pragma once

#include <QString>

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace flashsale::bench {

/// What a request was for: the steps of a shopper's visit, in the order the page takes them.
enum class RequestKind : std::uint8_t {
    SignUp, ///< POST /api/users
    SignIn, ///< POST /api/sessions
    Challenge, ///< GET /api/sales/{id}/challenge
    Path, ///< GET /api/sales/{id}/path
    Buy, ///< POST /api/sales/{id}/{path}/orders
    Poll, ///< GET /api/sales/{id}/orders/me
};
constexpr int kRequestKinds = 6;
QString kindName(RequestKind kind);

/// How an answer is counted: a buy's outcome as docs/api.md names it, or the status class of
/// any other request.
enum class Outcome : std::uint8_t {
    Queued, ///< 202: a unit reserved
    SoldOut, ///< 410 sold_out
    Ended, ///< 410 ended
    Duplicate, ///< 409 duplicate
    TooFrequent, ///< 429 too_frequent
    RateLimited, ///< 429 rate_limited
    NotStarted, ///< 403 not_started
    Degraded, ///< 503 degraded
    NotFound, ///< 404 (wrong path)
    Unauthorized, ///< 401
    Ok, ///< any other 2xx (paths, polls, sign-ins)
    ClientError, ///< any other 4xx
    ServerError, ///< any other 5xx
    NoAnswer, ///< connection refused, reset or timed out
};
constexpr int kOutcomes = 14;
QString outcomeName(Outcome outcome);
/// The outcome of an answer with \a status and error code \a error (empty when none).
Outcome classify(int status, const char *error, std::size_t errorLength);

/// One answered request, for the report: when it was sent (ms from the sale's start), how
/// long the answer took and what it was.
struct Sample
{
    std::int32_t sentMs = 0; ///< scheduled send time, ms from the sale's start (negative before)
    std::uint32_t latencyUs = 0; ///< from the scheduled send to the whole answer
    RequestKind kind = RequestKind::Buy; ///< what it was for
    Outcome outcome = Outcome::Ok; ///< how it was answered
};

/// Counters one load thread writes and the main thread reads for the progress line.
struct LiveCounters
{
    std::atomic<std::uint64_t> sent {0}; ///< requests written to a socket
    std::array<std::atomic<std::uint64_t>, kOutcomes> buyAnswers {}; ///< buy answers by outcome
    std::atomic<std::uint64_t> otherAnswers {0}; ///< answers to every other request
    std::atomic<std::uint64_t> resolved {0}; ///< shoppers whose 202 became created or failed
};

} // namespace flashsale::bench
