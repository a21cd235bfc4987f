#pragma once

#include "killswitch.h"
#include "result.h"
#include "salerecord.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

namespace flashsale::pages {

/// What the storefront's pages are made of at one moment: the sales (as the catalog holds
/// them), the operators' switches and the sold-out marks.
struct StorefrontState
{
    QList<catalog::SaleRecord> sales;
    sale::KillSwitch::Switch site; ///< the site-wide switch
    QHash<qint64, sale::KillSwitch::Switch> goodsSwitches; ///< per product, where one was set
    QSet<qint64> soldOut; ///< products whose stock is gone
    qint64 nowMs = 0; ///< decides which sales the index lists
};

/// Turns the storefront's state into its files, from the templates and assets compiled in
/// from storefront/ (Qt resources under :/storefront): `index.html`, `sales/<goodsId>/index.html`
/// for every scheduled sale (drafts stay private), `status.json` (switches and sold-out
/// marks, which the page script polls: nginx answers it, not the server) and the assets.
/// The merchant's text is HTML-escaped by the template engine (kainjow mustache: every
/// `{{value}}` is escaped, the templates use no unescaped `{{{value}}}`); an image URL that
/// catalog::isAllowedImage refuses is left out. Pure: the same state gives the same bytes,
/// so every instance that renders writes the same files.
class PageRenderer
{
public:
    /// The Content-Security-Policy of every page (also sent by nginx as a header): scripts
    /// and styles from this site only, no inline script, JSON calls to this site only,
    /// images from this site or any http(s) host (the merchant's image URLs).
    static QString contentSecurityPolicy();

    /// Loads and parses the templates; fails naming the template at fault.
    static Result<PageRenderer> load();

    /// Every file of the storefront for \a state: path relative to the pages folder ->
    /// content.
    QMap<QString, QByteArray> render(const StorefrontState &state) const;

    /// A short hash of the script and the stylesheet: the pages ask for
    /// `/assets/storefront.js?v=<version>`, so a new script is fetched at once even though
    /// nginx lets browsers keep assets for a long time.
    QString assetVersion() const { return m_assetVersion; }

private:
    PageRenderer() = default;

    std::string m_head; ///< the <head> partial
    std::string m_index;
    std::string m_sale;
    QByteArray m_script;
    QByteArray m_style;
    QString m_assetVersion;
};

} // namespace flashsale::pages
