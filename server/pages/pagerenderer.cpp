#include "pagerenderer.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <kainjow/mustache.hpp>

#include <algorithm>

namespace flashsale::pages {

namespace mustache = kainjow::mustache;

namespace {

Result<QByteArray> readResource(const QString &name)
{
    QFile file(QStringLiteral(":/storefront/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(
            QStringLiteral("storefront file %1 is not compiled in").arg(name));
    return file.readAll();
}

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

/// What the page shows before its script has run (or without it): the shop's time in UTC.
QString readableTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
        + QStringLiteral(" UTC");
}

QString money(qint64 cents)
{
    return QStringLiteral("$%1.%2").arg(cents / 100).arg(cents % 100, 2, 10, QLatin1Char('0'));
}

/// The values one sale's templates read; everything a merchant typed is escaped by the
/// engine where the template puts it.
mustache::data saleData(const catalog::SaleRecord &sale)
{
    const sale::SaleSchedule &schedule = *sale.schedule;
    mustache::data d;
    d.set("goodsId", std::to_string(sale.goods.goodsId));
    d.set("name", utf8(sale.goods.name));
    d.set("description", utf8(sale.goods.description));
    // Absent (not empty) when there is no usable image: the templates test it as a section.
    if (!sale.goods.image.isEmpty() && catalog::isAllowedImage(sale.goods.image))
        d.set("image", utf8(sale.goods.image));
    d.set("price", utf8(money(sale.goods.priceCents)));
    d.set("flashPrice", utf8(money(sale.goods.flashPriceCents)));
    d.set("revealAt", utf8(isoTime(schedule.revealAtMs)));
    d.set("startAt", utf8(isoTime(schedule.startAtMs)));
    d.set("endAt", utf8(isoTime(schedule.endAtMs)));
    d.set("revealText", utf8(readableTime(schedule.revealAtMs)));
    d.set("startText", utf8(readableTime(schedule.startAtMs)));
    d.set("endText", utf8(readableTime(schedule.endAtMs)));
    return d;
}

QByteArray renderTemplate(const std::string &text, mustache::data &data)
{
    mustache::mustache tmpl(text);
    return QByteArray::fromStdString(tmpl.render(data));
}

QJsonObject switchJson(const sale::KillSwitch::Switch &s)
{
    return {{QStringLiteral("on"), s.on}, {QStringLiteral("message"), s.message}};
}

} // namespace

QString PageRenderer::contentSecurityPolicy()
{
    return QStringLiteral("default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' https: http:; connect-src 'self'; base-uri 'none'; "
                          "form-action 'none'");
}

Result<PageRenderer> PageRenderer::load()
{
    PageRenderer renderer;
    struct Source
    {
        const char *name;
        std::string *target;
    };
    const Source templates[] = {
        {"templates/head.mustache", &renderer.m_head},
        {"templates/index.mustache", &renderer.m_index},
        {"templates/sale.mustache", &renderer.m_sale},
    };
    for (const Source &source : templates) {
        const QString name = QString::fromLatin1(source.name);
        const Result<QByteArray> text = readResource(name);
        if (!text)
            return Result<PageRenderer>::failure(text.error());
        *source.target = text->toStdString();
        const mustache::mustache parsed(*source.target);
        if (!parsed.is_valid())
            return Result<PageRenderer>::failure(
                QStringLiteral("storefront template %1: %2")
                    .arg(name, QString::fromStdString(parsed.error_message())));
    }
    const Result<QByteArray> script = readResource(QStringLiteral("assets/storefront.js"));
    const Result<QByteArray> style = readResource(QStringLiteral("assets/storefront.css"));
    if (!script)
        return Result<PageRenderer>::failure(script.error());
    if (!style)
        return Result<PageRenderer>::failure(style.error());
    renderer.m_script = script.value();
    renderer.m_style = style.value();
    renderer.m_assetVersion = QString::fromLatin1(
        QCryptographicHash::hash(QByteArray(renderer.m_script + renderer.m_style),
                                 QCryptographicHash::Sha256)
            .toHex()
            .left(12));
    return renderer;
}

QMap<QString, QByteArray> PageRenderer::render(const StorefrontState &state) const
{
    QMap<QString, QByteArray> files;
    files.insert(QStringLiteral("assets/storefront.js"), m_script);
    files.insert(QStringLiteral("assets/storefront.css"), m_style);

    const std::string head = m_head;
    const auto common = [this, head](mustache::data &d) {
        d.set("head", mustache::partial([head] { return head; }));
        d.set("csp", utf8(contentSecurityPolicy()));
        d.set("assetVersion", utf8(m_assetVersion));
    };

    // Soonest first: what the shopper can buy next leads the index.
    QList<const catalog::SaleRecord *> listed;
    QJsonObject goodsStatus;
    for (const catalog::SaleRecord &sale : state.sales) {
        if (!sale.schedule)
            continue; // a draft is not public yet
        mustache::data d = saleData(sale);
        common(d);
        files.insert(QStringLiteral("sales/%1/index.html").arg(sale.goods.goodsId),
                     renderTemplate(m_sale, d));
        if (state.nowMs < sale.schedule->endAtMs)
            listed.append(&sale);
        const sale::KillSwitch::Switch own = state.goodsSwitches.value(sale.goods.goodsId);
        QJsonObject entry = switchJson(own);
        entry.insert(QStringLiteral("soldOut"), state.soldOut.contains(sale.goods.goodsId));
        goodsStatus.insert(QString::number(sale.goods.goodsId), entry);
    }
    std::sort(listed.begin(), listed.end(), [](const auto *a, const auto *b) {
        if (a->schedule->startAtMs != b->schedule->startAtMs)
            return a->schedule->startAtMs < b->schedule->startAtMs;
        return a->goods.goodsId < b->goods.goodsId;
    });
    mustache::data list(mustache::data::type::list);
    for (const catalog::SaleRecord *sale : listed)
        list.push_back(saleData(*sale));
    mustache::data index;
    common(index);
    index.set("hasSales", !listed.isEmpty());
    index.set("sales", list);
    files.insert(QStringLiteral("index.html"), renderTemplate(m_index, index));

    const QJsonObject status {{QStringLiteral("site"), switchJson(state.site)},
                              {QStringLiteral("goods"), goodsStatus}};
    files.insert(QStringLiteral("status.json"),
                 QJsonDocument(status).toJson(QJsonDocument::Compact));
    return files;
}

} // namespace flashsale::pages
