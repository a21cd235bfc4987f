#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace flashsale {

/// What PUT /admin/sales/{goodsId} may still change on a sale, by where the sale stands:
/// one definition for the server, which refuses the rest with 409 `locked`, and for the
/// console, which locks the same fields in its dialog and words its confirmation from them
/// (docs/api.md, "Changing a sale that exists").
///
/// - Before the reveal everything may change.
/// - From the reveal on the buy path is out: the reveal time stays.
/// - From the start on buying is open: the start stays too, so a live sale never goes back
///   to scheduled or revealed; the end may move (an end already past ends the sale at once).
/// - Once buying has opened or any unit was sold, the stock stays: `stock` must repeat the
///   preloaded stock, and units are added with POST /admin/sales/{goodsId}/stock. Before
///   that, `stock` replaces the preloaded stock in PostgreSQL and Redis.
/// - After the end the sale may be scheduled again (new times, a new buy path), with its
///   stock kept if any was sold.
/// Rate, burst and the challenge may always change.
class SaleEditRules
{
public:
    /// Where the sale stands, in milliseconds since the epoch.
    struct Current
    {
        bool scheduled = false; ///< false: a draft, nothing scheduled yet
        qint64 revealAtMs = 0; ///< the reveal in force
        qint64 startAtMs = 0; ///< the start in force
        qint64 endAtMs = 0; ///< the end in force
        qint64 preloadedStock = 0; ///< all units put on sale (top-ups included)
        bool stockTaken = false; ///< some units are sold or reserved
    };

    /// The times and stock a PUT asks for.
    struct Asked
    {
        qint64 revealAtMs = 0;
        qint64 startAtMs = 0;
        qint64 endAtMs = 0;
        qint64 stock = 0;
    };

    /// Where a sale stands for an edit (sold out counts as live: buying is open).
    enum class Stage { Draft, Scheduled, Revealed, Live, Ended };

    SaleEditRules(const Current &current, qint64 nowMs);

    Stage stage() const { return m_stage; }
    /// The buy path is out: the reveal time cannot move.
    bool revealLocked() const;
    /// Buying has opened: the start time cannot move.
    bool startLocked() const;
    /// Units were sold or reserved, or buying is open: the stock cannot be replaced.
    bool stockLocked() const;
    /// True when the sale is revealed or live: a change reaches shoppers at once.
    bool inProgress() const { return revealLocked(); }

    /// Why \a asked is refused, one sentence per locked field it changes (empty: allowed).
    QStringList faults(const Asked &asked) const;

    /// "live", "revealed", ... (as in docs/api.md's states).
    static QString stageName(Stage stage);

private:
    Current m_current;
    qint64 m_nowMs = 0;
    Stage m_stage = Stage::Draft;
};

} // namespace flashsale
