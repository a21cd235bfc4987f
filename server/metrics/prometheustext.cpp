#include "prometheustext.h"

#include <cmath>

namespace flashsale::metrics {

namespace {
QByteArray escaped(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', 10);
}
} // namespace

void PrometheusText::family(const QByteArray &name, const QByteArray &type, const QByteArray &help)
{
    QByteArray oneLineHelp = help;
    oneLineHelp.replace('\\', "\\\\").replace('\n', "\\n");
    m_text += "# HELP " + name + ' ' + oneLineHelp + '\n';
    m_text += "# TYPE " + name + ' ' + type + '\n';
}

void PrometheusText::sample(const QByteArray &name, double value, const Labels &own)
{
    const Labels labels = m_common.isEmpty() ? own : m_common + own;
    m_text += name;
    if (!labels.isEmpty()) {
        m_text += '{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i > 0)
                m_text += ',';
            m_text += labels[i].first + "=\"" + escaped(labels[i].second) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + formatValue(value) + '\n';
}

} // namespace flashsale::metrics
