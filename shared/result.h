#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace flashsale {

/// A value or the reason there is none: what a fallible call returns inside the programs.
template<typename T>
class Result
{
public:
    /// A successful result holding \a value.
    Result(T value)
        : m_value(std::move(value))
    { }

    /// A failed result; \a error says what went wrong, for people.
    static Result failure(QString error)
    {
        Result r;
        r.m_error = std::move(error);
        return r;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const T &operator*() const { return *m_value; }

    /// Empty when ok().
    const QString &error() const { return m_error; }

private:
    Result() = default;

    std::optional<T> m_value;
    QString m_error;
};

/// Success or the reason for failure, for calls that produce no value.
class Status
{
public:
    static Status success() { return Status(); }
    static Status failure(QString error) { return Status(std::move(error)); }

    bool ok() const { return m_error.isEmpty(); }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

private:
    Status() = default;
    explicit Status(QString error)
        : m_error(std::move(error))
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("unknown error");
    }

    QString m_error;
};

} // namespace flashsale
