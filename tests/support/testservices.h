#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace flashsale::test {

/// The real services that integration tests run against: the stack named by the
/// FLASHSALE_* variables when they are set (the README's test command starts one stack for
/// the whole run), else a private stack this process starts through `packaging/stack` on
/// first use and stops when it exits.
class TestServices
{
public:
    static TestServices &instance();

    QString redisUrl() const { return value("FLASHSALE_REDIS_URL"); }
    /// redis-cluster://h:p,h:p,h:p (three masters).
    QString redisClusterUrl() const { return value("FLASHSALE_REDIS_CLUSTER_URL"); }
    QString amqpUrl() const { return value("FLASHSALE_AMQP_URL"); }
    QString databaseUrl() const { return value("FLASHSALE_DATABASE_URL"); }
    QString nginxUrl() const { return value("FLASHSALE_NGINX_URL"); }
    QString stackDir() const { return value("FLASHSALE_STACK_DIR"); }
    /// The stack's Prometheus (`packaging/stack up --prometheus`) and the folder of its
    /// file_sd target files (api-*.json, worker-*.json: the jobs flashsale-api and -worker).
    QString prometheusUrl() const { return value("FLASHSALE_PROMETHEUS_URL"); }
    QString prometheusTargetsDir() const { return value("FLASHSALE_PROMETHEUS_TARGETS_DIR"); }

    /// Creates an empty database for one test and returns its URL. It is dropped when the
    /// process exits.
    QString createDatabase();

    /// Redis is shared by every test of a run (and kept between runs of one stack), while
    /// each test has a database of its own whose goods ids start at 1: moves the goods id
    /// sequence of \a databaseUrl (migrated already) to a random offset, so that sale keys
    /// `{g:<id>}` of different tests never meet.
    static bool offsetGoodsIds(const QString &databaseUrl);

    /// Runs `packaging/stack ARGS... <stackDir>` and returns its exit code; for tests that
    /// stop and restart a service.
    int stack(const QStringList &args) const;

    /// The top of the source tree.
    static QString sourceDir();

private:
    TestServices();
    QString value(const char *name) const;

    QMap<QString, QString> m_settings;
};

} // namespace flashsale::test
