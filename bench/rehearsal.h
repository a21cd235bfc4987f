#pragma once

#include "adminsession.h"
#include "chaosmonkey.h"
#include "loaddriver.h"
#include "options.h"
#include "report.h"

#include <QTextStream>

namespace flashsale::bench {

/// A whole rehearsal, step by step: the sale (created or given), the shoppers' accounts, the
/// sale itself under load with a progress line, the wait for every order, the invariants,
/// the report. run() returns the exit status.
class Rehearsal
{
public:
    explicit Rehearsal(RehearsalOptions options);

    /// 0: every invariant holds; 1: one does not; 2: the rehearsal could not run.
    int run();

private:
    Result<Target> resolveTarget() const;
    Result<adminapi::SaleStatus> prepareSale(qint64 clockOffsetMs);
    /// Runs the load's current phase, printing progress (and sampling the sale) until it ends.
    /// With \a chaos, until it is done too.
    void watch(LoadDriver &driver, std::int64_t startUs, bool sampleSale,
               const ChaosMonkey *chaos = nullptr);
    /// Waits until no reservation is pending (the queue drained), then the sale's status.
    Result<adminapi::SaleStatus> settledSale();
    /// The local monotonic time of the server's wall-clock instant \a at.
    std::int64_t localUs(const QDateTime &at) const;
    void progress(const LoadDriver &driver, std::int64_t startUs, bool sale, bool last);
    int fail(const QString &message);

    RehearsalOptions m_options;
    AdminSession m_admin;
    QTextStream m_out;
    QTextStream m_err;
    qint64 m_goodsId = 0;
    qint64 m_clockOffsetMs = 0;
    std::int64_t m_startUs = 0; ///< the sale's start, monotonic
    adminapi::SaleStatus m_lastSale;
    QList<SaleSample> m_saleSamples;
    bool m_tty = false;
};

} // namespace flashsale::bench
