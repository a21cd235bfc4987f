#include "sqlarray.h"

namespace flashsale::orders {

QString SqlArray::bigints(const QList<qint64> &values)
{
    QString out;
    out.reserve(values.size() * 8 + 2);
    out.append(u'{');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out.append(u',');
        out.append(QString::number(values.at(i)));
    }
    out.append(u'}');
    return out;
}

QString SqlArray::texts(const QStringList &values)
{
    QString out;
    out.reserve(values.size() * 24 + 2);
    out.append(u'{');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out.append(u',');
        out.append(u'"');
        for (const QChar c : values.at(i)) {
            if (c == u'"' || c == u'\\')
                out.append(u'\\');
            out.append(c);
        }
        out.append(u'"');
    }
    out.append(u'}');
    return out;
}

} // namespace flashsale::orders
