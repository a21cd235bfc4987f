#include "chartstyle.h"

#include <QList>
#include <QMap>

namespace flashsale::console {

QColor outcomeColour(const QString &outcome)
{
    static const QMap<QString, QColor> colours {
        {QStringLiteral("queued"), QColor(0x2e, 0x7d, 0x32)},
        {QStringLiteral("sold_out"), QColor(0x6a, 0x1b, 0x9a)},
        {QStringLiteral("duplicate"), QColor(0x00, 0x83, 0x8f)},
        {QStringLiteral("too_frequent"), QColor(0xfb, 0xc0, 0x2d)}, // yellow
        {QStringLiteral("rate_limited"), QColor(0xd8, 0x43, 0x15)}, // deep orange
        {QStringLiteral("degraded"), QColor(0xb7, 0x1c, 0x1c)},
        {QStringLiteral("rejected"), QColor(0x75, 0x75, 0x75)},
        {QStringLiteral("error"), QColor(0x4e, 0x34, 0x2e)},
    };
    return colours.value(outcome, Qt::black);
}

QString outcomeLabel(const QString &outcome)
{
    QString label = outcome;
    label.replace(u'_', u' ');
    if (!label.isEmpty())
        label[0] = label[0].toUpper();
    return label;
}

QColor productColour(int index)
{
    static const QList<QColor> palette {QColor(0x15, 0x65, 0xc0), QColor(0xd8, 0x1b, 0x60),
                                        QColor(0x00, 0x89, 0x7b), QColor(0xf4, 0x51, 0x1e),
                                        QColor(0x5e, 0x35, 0xb1), QColor(0x7c, 0xb3, 0x42),
                                        QColor(0x6d, 0x4c, 0x41), QColor(0x00, 0xac, 0xc1)};
    return palette.at(index % palette.size());
}

} // namespace flashsale::console
