#include "goods.h"

#include <QUrl>

namespace flashsale::catalog {

bool isAllowedImage(const QString &url)
{
    if (url.isEmpty())
        return true;
    // No whitespace, control characters or backslashes anywhere: browsers strip or
    // reinterpret them ("/\\evil.site" is another host for some).
    for (const QChar c : url) {
        if (c.unicode() <= 0x20 || c.unicode() == 0x7f || c == u'\\')
            return false;
    }
    if (url.startsWith(u'/'))
        return !url.startsWith(QStringLiteral("//")); // "//host/x" is another site
    const QUrl parsed(url, QUrl::StrictMode);
    return parsed.isValid() && !parsed.host().isEmpty()
        && (parsed.scheme() == u"https" || parsed.scheme() == u"http");
}

} // namespace flashsale::catalog
