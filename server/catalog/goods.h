#pragma once

#include "adminapi/goods.h"

#include <QString>

namespace flashsale::catalog {

/// A product as the admin API shows it: the `Goods` type the console reads, so the server
/// writes the same shape it is read in (one definition, shared/adminapi).
using Goods = adminapi::Goods;

/// Whether \a url may be a product's image: empty (no image), an absolute http(s) URL
/// with a host, or a path on this site ("/images/phone.png"). Anything else (javascript:,
/// data:, "//other.site/x", backslashes, spaces, control characters) could run or load
/// something the storefront's pages must not, so the admin API refuses it and the
/// renderer leaves it out.
bool isAllowedImage(const QString &url);

} // namespace flashsale::catalog
