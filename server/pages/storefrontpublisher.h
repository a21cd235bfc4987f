#pragma once

#include "pagerenderer.h"
#include "pagewriter.h"

#include <QObject>
#include <QTimer>

namespace flashsale::catalog {
class SaleCatalog;
}
namespace flashsale::sale {
class KillSwitch;
}

namespace flashsale::pages {

/// Keeps the pages folder in step with this instance's catalog: after every catalog load
/// (at start, at once after any instance's admin change announced on Redis, and every
/// config-refresh interval) and after every sold-out event it renders the storefront and
/// writes what changed. Requests that come close together are rendered once.
///
/// Runs in the API role, which holds the catalog already (no extra database reads); every
/// API instance given a pages folder renders, so the pages do not depend on one instance
/// being up. They all render the same bytes from the same database, and PageWriter's
/// rename makes their concurrent writes safe.
class StorefrontPublisher : public QObject
{
    Q_OBJECT
public:
    StorefrontPublisher(PageRenderer renderer, PageWriter writer, catalog::SaleCatalog &catalog,
                        sale::KillSwitch &killSwitch, QObject *parent = nullptr);

    /// The catalog was (re)loaded: from now on the pages may be rendered; renders soon.
    void catalogLoaded();
    /// Something the pages show changed (a sold-out mark): renders soon, once loaded.
    void changed();

    /// Renders and writes now; the number of files that changed, or why it failed.
    Result<int> renderNow();

Q_SIGNALS:
    /// A render finished: \a written files changed (0 when all were up to date).
    void rendered(int written);

private:
    PageRenderer m_renderer;
    PageWriter m_writer;
    catalog::SaleCatalog &m_catalog;
    sale::KillSwitch &m_killSwitch;
    QTimer m_soon; ///< gathers requests that come together into one render
    bool m_loaded = false; ///< a catalog is loaded: an empty one would blank the index
    bool m_failing = false; ///< the last render failed (logged once until it works again)
};

} // namespace flashsale::pages
