#include "livefigures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace flashsale::metrics {

namespace {

template<size_t N>
QJsonArray arrayOf(const std::array<qint64, N> &values)
{
    QJsonArray array;
    for (qint64 v : values)
        array.append(v);
    return array;
}

template<size_t N>
bool readArray(const QJsonValue &value, std::array<qint64, N> &into)
{
    if (value.isUndefined())
        return true; // a role that does not count it leaves it out
    const QJsonArray array = value.toArray();
    if (!value.isArray() || array.size() != qsizetype(N))
        return false;
    for (size_t i = 0; i < N; ++i)
        into[i] = std::max<qint64>(0, array.at(qsizetype(i)).toInteger());
    return true;
}

bool anyOf(const Histogram::Counts &counts)
{
    return Histogram::total(counts) > 0;
}

} // namespace

const SecondFigures *InstanceFigures::in(qint64 second) const
{
    for (const SecondFigures &figures : seconds)
        if (figures.second == second)
            return &figures;
    return nullptr;
}

QByteArray InstanceFigures::roleName(Role role)
{
    return role == Role::Api ? QByteArrayLiteral("api") : QByteArrayLiteral("worker");
}

QByteArray InstanceFigures::toJson() const
{
    QJsonArray list;
    for (const SecondFigures &f : seconds) {
        QJsonObject s {{QStringLiteral("s"), f.second}};
        if (role == Role::Api) {
            s.insert(QStringLiteral("o"), arrayOf(f.outcomes));
            QJsonObject accepted;
            for (auto it = f.accepted.begin(); it != f.accepted.end(); ++it)
                accepted.insert(QString::number(it.key()), it.value());
            s.insert(QStringLiteral("a"), accepted);
            if (anyOf(f.latency))
                s.insert(QStringLiteral("l"), arrayOf(f.latency));
        } else {
            s.insert(QStringLiteral("n"), f.orders);
            if (anyOf(f.orderLag))
                s.insert(QStringLiteral("g"), arrayOf(f.orderLag));
        }
        list.append(s);
    }
    return QJsonDocument(QJsonObject {{QStringLiteral("v"), 1},
                                      {QStringLiteral("instance"), QString::fromUtf8(instance)},
                                      {QStringLiteral("role"), QString::fromLatin1(roleName(role))},
                                      {QStringLiteral("at"), publishedAtMs},
                                      {QStringLiteral("seconds"), list}})
        .toJson(QJsonDocument::Compact);
}

std::optional<InstanceFigures> InstanceFigures::fromJson(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.value(QStringLiteral("v")).toInt() != 1)
        return std::nullopt;
    InstanceFigures figures;
    figures.instance = o.value(QStringLiteral("instance")).toString().toUtf8();
    const QString role = o.value(QStringLiteral("role")).toString();
    if (role == u"api")
        figures.role = Role::Api;
    else if (role == u"worker")
        figures.role = Role::Worker;
    else
        return std::nullopt;
    figures.publishedAtMs = o.value(QStringLiteral("at")).toInteger();
    for (const QJsonValue &value : o.value(QStringLiteral("seconds")).toArray()) {
        const QJsonObject s = value.toObject();
        SecondFigures f;
        f.second = s.value(QStringLiteral("s")).toInteger();
        if (f.second <= 0 || !readArray(s.value(QStringLiteral("o")), f.outcomes)
            || !readArray(s.value(QStringLiteral("l")), f.latency)
            || !readArray(s.value(QStringLiteral("g")), f.orderLag))
            return std::nullopt;
        const QJsonObject accepted = s.value(QStringLiteral("a")).toObject();
        for (auto it = accepted.begin(); it != accepted.end(); ++it)
            f.accepted.insert(it.key().toLongLong(), it.value().toInteger());
        f.orders = std::max<qint64>(0, s.value(QStringLiteral("n")).toInteger());
        figures.seconds.append(f);
    }
    std::sort(figures.seconds.begin(), figures.seconds.end(),
              [](const SecondFigures &a, const SecondFigures &b) { return a.second < b.second; });
    return figures;
}

qint64 SiteFigures::latestSecond(const QList<InstanceFigures> &live)
{
    qint64 freshest = 0;
    for (const InstanceFigures &instance : live)
        freshest = std::max(freshest, instance.upTo());
    // Instances publish once a second at their own moment, so the freshest are normally at
    // most a second apart, and two on a machine so busy that an instance's timer is late:
    // the site waits for one up to two seconds behind (else the seconds it is late for are
    // read without it: a busy worker's orders went missing from every second so), and not
    // for one further behind (stopped, or stuck).
    constexpr qint64 waitSeconds = 2;
    qint64 second = freshest;
    for (const InstanceFigures &instance : live)
        if (instance.upTo() >= freshest - waitSeconds)
            second = std::min(second, instance.upTo());
    return second;
}

SiteFigures SiteFigures::sum(const QList<InstanceFigures> &live, qint64 second)
{
    SiteFigures site;
    site.second = second > 0 ? second : latestSecond(live);
    if (site.second == 0)
        return site;
    for (const InstanceFigures &instance : live) {
        if (instance.role == InstanceFigures::Role::Api)
            ++site.apiInstances;
        else
            ++site.workerInstances;
        const SecondFigures *f = instance.in(site.second);
        if (!f)
            continue; // started after it: it counted nothing then
        for (int i = 0; i < outcomeCount; ++i)
            site.requests[size_t(i)] += f->outcomes[size_t(i)];
        for (auto it = f->accepted.begin(); it != f->accepted.end(); ++it)
            site.accepted[it.key()] += it.value();
        Histogram::add(site.latency, f->latency);
        site.orders += f->orders;
        Histogram::add(site.orderLag, f->orderLag);
    }
    return site;
}

} // namespace flashsale::metrics
