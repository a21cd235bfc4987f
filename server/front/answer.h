#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace flashsale::front {

/// One answer's bytes, made once: the status line and its headers (without Date and
/// Connection, which the front adds per write) and the body. A constant answer (410 sold
/// out, 401, ...) is built once and shared: QByteArray is implicitly shared, so sending
/// it costs a reference count, and the front writes head and body with one writev.
class Answer
{
public:
    Answer() = default;

    /// \a status with \a body of \a contentType; \a extraHeaders are whole lines, each
    /// ending in CRLF ("Retry-After: 2\r\n").
    static Answer make(int status, QByteArrayView contentType, QByteArray body,
                       QByteArrayView extraHeaders = {});
    /// A JSON body.
    static Answer json(int status, const QJsonObject &body, QByteArrayView extraHeaders = {});
    /// The error body every route uses: {"error": code, "message": text for people}, with a
    /// Retry-After header when \a retryAfterSeconds > 0.
    static Answer error(int status, const QString &code, const QString &message,
                        int retryAfterSeconds = 0, QByteArrayView extraHeaders = {});

    int status() const { return m_status; }
    const QByteArray &head() const { return m_head; }
    const QByteArray &body() const { return m_body; }
    bool isNull() const { return m_status == 0; }

    /// The reason phrase of \a status ("Not Found").
    static const char *reason(int status);

private:
    int m_status = 0;
    QByteArray m_head; ///< "HTTP/1.1 410 Gone\r\nContent-Type: ...\r\nContent-Length: n\r\n..."
    QByteArray m_body;
};

} // namespace flashsale::front
