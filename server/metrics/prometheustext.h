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

    /// \a common labels go on every sample (the `instance` label of the process).
    explicit PrometheusText(Labels common = {})
        : m_common(std::move(common))
    { }

    /// Starts a metric family: `# HELP` and `# TYPE` (counter, gauge or histogram).
    void family(const QByteArray &name, const QByteArray &type, const QByteArray &help);
    /// One sample of the current family.
    void sample(const QByteArray &name, double value, const Labels &labels = {});

    const QByteArray &text() const { return m_text; }
    /// The Content-Type to serve it with.
    static QByteArray contentType() { return "text/plain; version=0.0.4; charset=utf-8"; }

private:
    QByteArray m_text;
    Labels m_common;
};

} // namespace flashsale::metrics
