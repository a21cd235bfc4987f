#pragma once

#include <QJsonObject>
#include <QString>

namespace flashsale::catalog {

/// A product as the admin API shows it (`Goods` of docs/api.md).
struct Goods
{
    qint64 goodsId = 0; ///< 0 until stored
    QString name;
    QString description;
    QString image; ///< image URL
    qint64 priceCents = 0;
    qint64 flashPriceCents = 0;

    QJsonObject toJson() const;

    /// Whether \a url may be a product's image: empty (no image), an absolute http(s) URL
    /// with a host, or a path on this site ("/images/phone.png"). Anything else (javascript:,
    /// data:, "//other.site/x", backslashes, spaces, control characters) could run or load
    /// something the storefront's pages must not, so the admin API refuses it and the
    /// renderer leaves it out.
    static bool isAllowedImage(const QString &url);
};

} // namespace flashsale::catalog
