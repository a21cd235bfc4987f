#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace flashsale::metrics {

/// Writes metrics in the Prometheus text exposition format (version 0.0.4).
class PrometheusText
{
public:
    /// Label name and value; values are escaped as the format asks.
    using Labels = QList<QPair<QByteArray, QByteArray>>;

    /// Starts a metric family: `# HELP` and `# TYPE` (counter or gauge).
    void family(const QByteArray &name, const QByteArray &type, const QByteArray &help);
    /// One sample of the current family.
    void sample(const QByteArray &name, double value, const Labels &labels = {});

    const QByteArray &text() const { return m_text; }
    /// The Content-Type to serve it with.
    static QByteArray contentType() { return "text/plain; version=0.0.4; charset=utf-8"; }

private:
    QByteArray m_text;
};

} // namespace flashsale::metrics
