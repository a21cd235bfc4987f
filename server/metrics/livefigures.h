#pragma once

#include "histogram.h"
#include "salemetrics.h"

#include <QByteArray>
#include <QList>
#include <QMap>

#include <array>
#include <optional>

namespace flashsale::metrics {

/// What one role of one process counted in one whole wall-clock second. Every process
/// counts in the same seconds (ms since the epoch / 1000), so the figures of many instances
/// for one second add up to the site's.
struct SecondFigures
{
    qint64 second = 0; ///< the wall-clock second (ms since the epoch / 1000)
    std::array<qint64, outcomeCount> outcomes {}; ///< buy answers by Outcome (API role)
    QMap<qint64, qint64> accepted; ///< goodsId -> buys accepted, 202 (API role)
    Histogram::Counts latency {}; ///< buy answer latency (API role)
    qint64 orders = 0; ///< new orders committed (worker role)
    Histogram::Counts orderLag {}; ///< reservation to committed order (worker role)
};

/// What one role of one process publishes every second into Redis (see FiguresPublisher):
/// its figures of the last few whole seconds, so that a reader can take the same second
/// from every instance even when their timers fire at different moments.
struct InstanceFigures
{
    enum class Role {
        Api, ///< a shopper API instance
        Worker, ///< an order worker process (role worker, or the worker half of role all)
    };

    QByteArray instance; ///< the process's `instance` label (host/pid)
    Role role = Role::Api; ///< which half of the process these figures are
    qint64 publishedAtMs = 0; ///< when they were published
    QList<SecondFigures> seconds; ///< oldest first; the last is the last complete second

    /// The last complete second included (0 when none).
    qint64 upTo() const { return seconds.isEmpty() ? 0 : seconds.constLast().second; }
    /// The figures of \a second, or nullptr when not included.
    const SecondFigures *in(qint64 second) const;

    /// Compact JSON: {"v":1,"instance","role","at","seconds":[{"s","o","a","l","n","g"}]}.
    QByteArray toJson() const;
    /// Empty for anything but version 1 of toJson()'s format.
    static std::optional<InstanceFigures> fromJson(const QByteArray &json);
    /// "api" or "worker".
    static QByteArray roleName(Role role);
};

/// The whole site in one second: the sum of every live instance's figures of the latest
/// second that all of them have published.
struct SiteFigures
{
    qint64 second = 0; ///< the second covered; 0 when no instance reported any
    int apiInstances = 0; ///< API instances whose figures are included
    int workerInstances = 0; ///< worker processes whose figures are included
    std::array<qint64, outcomeCount> requests {}; ///< buy answers by Outcome in that second
    QMap<qint64, qint64> accepted; ///< goodsId -> buys accepted in that second
    qint64 orders = 0; ///< orders committed in that second
    Histogram::Counts latency {}; ///< merged buy latency histograms of that second
    Histogram::Counts orderLag {}; ///< merged order lag histograms of that second

    /// The latest second every live instance has published, leaving out instances more than
    /// a second behind the freshest (stopped, or their timer late): they would hold the
    /// whole site's figures back. 0 when no instance published any.
    static qint64 latestSecond(const QList<InstanceFigures> &live);
    /// Sums \a live (records of live instances, see FiguresReader) for \a second (0: the
    /// latestSecond()). An instance that has not published that second adds nothing to it.
    static SiteFigures sum(const QList<InstanceFigures> &live, qint64 second = 0);
};

} // namespace flashsale::metrics
