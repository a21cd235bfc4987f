#pragma once

#include "adminapi/stats.h"

#include <QString>

namespace flashsale::console {

/// The live figures in one line for the charts' header: instances, orders per second, queue
/// depth and dead letters, buy latency and order lag percentiles. A figure the server marks
/// stale, or every figure when the last message is older than \a staleAfterMs (\a ageMs is
/// its age), says "stale" beside it.
QString figuresSummary(const adminapi::Stats &stats, qint64 ageMs, qint64 staleAfterMs = 8000);

} // namespace flashsale::console
