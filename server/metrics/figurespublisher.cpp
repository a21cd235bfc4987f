#include "figurespublisher.h"

#include "redis.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QSysInfo>

Q_LOGGING_CATEGORY(lcFigures, "flashsale.metrics.figures")

namespace flashsale::metrics {

QByteArray FigureKeys::index(const QString &site)
{
    return QByteArrayLiteral("flashsale:figures:{") + site.toUtf8() + '}';
}

QByteArray FigureKeys::record(const QString &site, const QByteArray &name)
{
    return index(site) + ':' + name;
}

QByteArray FigureKeys::name(InstanceFigures::Role role, const QByteArray &instance)
{
    return InstanceFigures::roleName(role) + ':' + instance;
}

QByteArray instanceLabel()
{
    return QSysInfo::machineHostName().toUtf8() + '/'
        + QByteArray::number(QCoreApplication::applicationPid());
}

FiguresPublisher::FiguresPublisher(redis::Redis &redis, const QString &site,
                                   InstanceFigures::Role role, Source source, QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_site(site)
    , m_role(role)
    , m_source(std::move(source))
    , m_name(FigureKeys::name(role, instanceLabel()))
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &FiguresPublisher::publish);
}

void FiguresPublisher::start()
{
    publish();
    m_timer.start();
}

InstanceFigures FiguresPublisher::snapshot() const
{
    InstanceFigures figures;
    figures.instance = instanceLabel();
    figures.role = m_role;
    figures.publishedAtMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 last = figures.publishedAtMs / 1000 - 1; // the last whole second
    for (qint64 s = last - FigureKeys::secondsPublished + 1; s <= last; ++s)
        figures.seconds.append(m_source(s));
    return figures;
}

void FiguresPublisher::publish()
{
    if (!m_redis.isConnected())
        return;
    const InstanceFigures figures = snapshot();
    const QByteArray index = FigureKeys::index(m_site);
    const auto logged = [this](const redis::RedisReply &reply) {
        if (reply.isError()) {
            if (!std::exchange(m_failing, true))
                qCWarning(lcFigures).noquote()
                    << "cannot publish this instance's live figures:" << reply.bytes();
        } else if (std::exchange(m_failing, false)) {
            qCInfo(lcFigures) << "publishing this instance's live figures again";
        }
    };
    m_redis.command({"SET", FigureKeys::record(m_site, m_name), figures.toJson(), "PX",
                     QByteArray::number(FigureKeys::ttlMs)},
                    this, logged);
    m_redis.command({"ZADD", index, QByteArray::number(figures.publishedAtMs), m_name}, this,
                    logged);
    // Names of instances gone for a minute leave the index (their records expired long ago).
    m_redis.command({"ZREMRANGEBYSCORE", index, "-inf",
                     "(" + QByteArray::number(figures.publishedAtMs - 60'000)},
                    this, logged);
}

void FiguresReader::read(redis::Redis &redis, const QString &site, QObject *context,
                         std::function<void(const Reading &)> done)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    redis.command({"ZRANGEBYSCORE", FigureKeys::index(site),
                   QByteArray::number(now - FigureKeys::ttlMs), "+inf"},
                  context, [&redis, site, context, done](const redis::RedisReply &names) {
                      Reading reading;
                      if (names.isError()) {
                          reading.error = names.toString();
                          return done(reading);
                      }
                      QList<QByteArray> keys {"MGET"};
                      for (const redis::RedisReply &name : names.elements())
                          keys.append(FigureKeys::record(site, name.bytes()));
                      if (keys.size() == 1) {
                          reading.ok = true;
                          return done(reading);
                      }
                      redis.command(keys, context, [done](const redis::RedisReply &records) {
                          Reading reading;
                          if (records.isError()) {
                              reading.error = records.toString();
                              return done(reading);
                          }
                          reading.ok = true;
                          for (const redis::RedisReply &record : records.elements()) {
                              if (record.isNil())
                                  continue; // expired: that instance stopped publishing
                              if (auto figures = InstanceFigures::fromJson(record.bytes()))
                                  reading.live.append(*figures);
                              else
                                  qCWarning(lcFigures) << "ignoring unreadable live figures"
                                                       << record.bytes().left(200);
                          }
                          reading.site = SiteFigures::sum(reading.live);
                          done(reading);
                      });
                  });
}

} // namespace flashsale::metrics
