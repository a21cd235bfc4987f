#include "storefrontpublisher.h"

#include "killswitch.h"
#include "salecatalog.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPages, "flashsale.pages")

namespace flashsale::pages {

namespace {
/// Long enough to gather a reload and the events around it, far below the second within
/// which an admin change must reach the pages.
constexpr int gatherMs = 20;
} // namespace

StorefrontPublisher::StorefrontPublisher(PageRenderer renderer, PageWriter writer,
                                         catalog::SaleCatalog &catalog,
                                         sale::KillSwitch &killSwitch, QObject *parent)
    : QObject(parent)
    , m_renderer(std::move(renderer))
    , m_writer(std::move(writer))
    , m_catalog(catalog)
    , m_killSwitch(killSwitch)
{
    m_soon.setSingleShot(true);
    m_soon.setInterval(gatherMs);
    connect(&m_soon, &QTimer::timeout, this, [this] { renderNow(); });
}

void StorefrontPublisher::catalogLoaded()
{
    m_loaded = true;
    m_soon.start();
}

void StorefrontPublisher::changed()
{
    if (m_loaded && !m_soon.isActive())
        m_soon.start();
}

Result<int> StorefrontPublisher::renderNow()
{
    QElapsedTimer took;
    took.start();
    StorefrontState state;
    state.nowMs = QDateTime::currentMSecsSinceEpoch();
    const catalog::SaleCatalog::Snapshot sales = m_catalog.snapshot();
    for (const catalog::SaleRecord &sale : *sales) {
        state.sales.append(sale);
        const qint64 id = sale.goods.goodsId;
        const sale::KillSwitch::Switch own = m_killSwitch.goods(id);
        if (own.on || !own.message.isEmpty())
            state.goodsSwitches.insert(id, own);
        if (m_catalog.isSoldOut(id))
            state.soldOut.insert(id);
    }
    state.site = m_killSwitch.site();

    const QMap<QString, QByteArray> files = m_renderer.render(state);
    int written = 0;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const Result<bool> wrote = m_writer.write(it.key(), it.value());
        if (!wrote) {
            if (!m_failing)
                qCWarning(lcPages).noquote() << "cannot update the storefront:" << wrote.error();
            m_failing = true;
            return Result<int>::failure(wrote.error());
        }
        written += wrote.value() ? 1 : 0;
    }
    if (m_failing)
        qCInfo(lcPages).noquote() << "the storefront in" << m_writer.root() << "is written again";
    m_failing = false;
    if (written > 0)
        qCInfo(lcPages).noquote() << "storefront:" << written << "of" << files.size()
                                  << "files updated in" << m_writer.root() << "in" << took.elapsed()
                                  << "ms";
    Q_EMIT rendered(written);
    return written;
}

} // namespace flashsale::pages
