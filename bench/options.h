#pragma once

#include "result.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace flashsale::bench {

/// What a rehearsal is asked to do: the site, the sale, the shoppers, the load, the report.
/// Each option may also come from the environment (FLASHSALE_<NAME>, e.g.
/// FLASHSALE_ADMIN_TOKEN); the command line wins.
struct RehearsalOptions
{
    QUrl shopUrl; ///< the shoppers' entry point (nginx where there is one); /api/... below it
    QUrl adminUrl; ///< the admin API
    QString adminToken; ///< its bearer token
    QString databaseUrl; ///< PostgreSQL, for the database's side of the invariants (optional)

    qint64 goodsId = 0; ///< rehearse this product's sale as scheduled (0: create one)
    qint64 stock = 100; ///< units of the sale created
    int revealInS = 2; ///< the created sale's reveal, seconds after the shoppers are ready
    int startInS = 5; ///< its start, seconds after the shoppers are ready
    int saleLengthS = 600; ///< its length
    double saleRate = 100'000; ///< its token bucket's rate (buys/s, site-wide)
    qint64 burst = 10'000; ///< its token bucket's size
    int challengeBits = 0; ///< its proof of work before the path (0-24)

    int shoppers = 1000; ///< simulated shoppers
    bool reuse = false; ///< sign in the accounts of an earlier rehearsal (same prefix)
    QString prefix; ///< usernames are <prefix>-<n>
    QString password = QStringLiteral("rehearsal-password"); ///< every shopper's
    int attempts = 5; ///< buy requests per shopper at most (retries after 429, 503)
    double rate = 0; ///< open loop: first buys sent at this rate (per second); 0: closed loop
    int concurrency = 64; ///< requests in flight (connections) at most
    int threads = 2; ///< load threads
    int resolveTimeoutS = 120; ///< how long every 202 may take to become created or failed
    QString reportDir; ///< where report.json and the plots go (empty: none)
    bool progress = true; ///< the progress line

    QStringList chaos; ///< components to kill in turn mid-sale (ChaosMonkey), empty: none
    QString stackDir; ///< the packaging/stack folder of the site (for --chaos)
    QString stackScript; ///< packaging/stack itself
    double chaosAtS = 1; ///< the first kill, seconds after the start
    double chaosDownS = 2; ///< how long each stays down
    double chaosGapS = 3; ///< between one coming back and the next kill

    /// Parses \a arguments (argv, program name first) and the environment. A failure is the
    /// message to print; "--help" and "--version" print and exit by themselves.
    static Result<RehearsalOptions> parse(const QStringList &arguments);
};

} // namespace flashsale::bench
