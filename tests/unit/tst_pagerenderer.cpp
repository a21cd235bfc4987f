#include "pagerenderer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace flashsale;
using flashsale::pages::PageRenderer;
using flashsale::pages::StorefrontState;

namespace {
constexpr qint64 now = 1'800'000'000'000;

catalog::SaleRecord saleOf(qint64 id, const QString &name, qint64 startInMs, qint64 endInMs,
                           const QString &image = {})
{
    catalog::SaleRecord r;
    r.goods.goodsId = id;
    r.goods.name = name;
    r.goods.description = QStringLiteral("About ") + name;
    r.goods.image = image;
    r.goods.priceCents = 79900;
    r.goods.flashPriceCents = 49905;
    sale::SaleSchedule s;
    s.revealAtMs = now + startInMs - 60'000;
    s.startAtMs = now + startInMs;
    s.endAtMs = now + endInMs;
    s.stock = 10;
    r.schedule = s;
    return r;
}
} // namespace

class tst_PageRenderer : public QObject
{
    Q_OBJECT

    std::optional<PageRenderer> m_renderer;

    QMap<QString, QByteArray> render(const StorefrontState &state)
    {
        return m_renderer->render(state);
    }

private Q_SLOTS:
    void initTestCase()
    {
        Result<PageRenderer> loaded = PageRenderer::load();
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
        m_renderer.emplace(std::move(loaded.value()));
        QCOMPARE(m_renderer->assetVersion().size(), 12);
    }

    void everyScheduledSaleHasAPageAndDraftsNone()
    {
        StorefrontState state;
        state.nowMs = now;
        state.sales << saleOf(7, QStringLiteral("Lamp"), 1000, 60'000);
        catalog::SaleRecord draft = saleOf(8, QStringLiteral("Secret"), 1000, 60'000);
        draft.schedule.reset();
        state.sales << draft;
        const auto files = render(state);
        QVERIFY(files.contains(QStringLiteral("sales/7/index.html")));
        QVERIFY(!files.contains(QStringLiteral("sales/8/index.html")));
        QVERIFY(!files.value(QStringLiteral("index.html")).contains("Secret"));
        QVERIFY(files.contains(QStringLiteral("assets/storefront.js")));
        QVERIFY(files.contains(QStringLiteral("assets/storefront.css")));
        const QByteArray page = files.value(QStringLiteral("sales/7/index.html"));
        QVERIFY(page.contains("<h1 id=\"name\">Lamp</h1>"));
        QVERIFY(page.contains("$799.00"));
        QVERIFY(page.contains("$499.05"));
        QVERIFY(page.contains("data-start-at=\"2027-01-15T08:00:01.000Z\""));
        QVERIFY(
            page.contains(QByteArray("storefront.js?v=" + m_renderer->assetVersion().toLatin1())));
    }

    void merchantTextIsEscaped_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("img onerror") << QStringLiteral("<img src=x onerror=alert(1)>");
        QTest::newRow("script") << QStringLiteral("</title><script>alert(1)</script>");
        QTest::newRow("attribute break") << QStringLiteral("\" autofocus onfocus=\"alert(1)");
        QTest::newRow("single quote") << QStringLiteral("' onmouseover='alert(1)");
    }

    void merchantTextIsEscaped()
    {
        QFETCH(QString, name);
        StorefrontState state;
        state.nowMs = now;
        catalog::SaleRecord r = saleOf(7, name, 1000, 60'000, QStringLiteral("/p.png"));
        r.goods.description = name;
        state.sales << r;
        const auto files = render(state);
        for (const QString &path :
             {QStringLiteral("sales/7/index.html"), QStringLiteral("index.html")}) {
            const QByteArray html = files.value(path);
            QVERIFY2(!html.contains(name.toUtf8()), qPrintable(path));
            QVERIFY2(!html.contains("<script>"), qPrintable(path));
            // Only the page's own script element: the one with src.
            QCOMPARE(html.count("<script"), 1);
            QVERIFY(html.contains("&lt;") || html.contains("&quot;") || html.contains("&apos;"));
        }
    }

    void refusedImagesAreLeftOut_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<bool>("shown");
        QTest::newRow("https") << QStringLiteral("https://cdn.example/p.png") << true;
        QTest::newRow("site") << QStringLiteral("/img/p.png") << true;
        QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)") << false;
        QTest::newRow("other site, no scheme") << QStringLiteral("//evil.example/p.png") << false;
        QTest::newRow("none") << QString() << false;
    }

    void refusedImagesAreLeftOut()
    {
        QFETCH(QString, image);
        QFETCH(bool, shown);
        StorefrontState state;
        state.nowMs = now;
        state.sales << saleOf(7, QStringLiteral("Lamp"), 1000, 60'000, image);
        const QByteArray page = render(state).value(QStringLiteral("sales/7/index.html"));
        QCOMPARE(page.contains("<img src="), shown);
        QCOMPARE(page.contains("class=\"no-image\""), !shown);
        if (shown)
            QVERIFY(page.contains(QByteArray("<img src=\"" + image.toUtf8() + "\"")));
    }

    void indexListsComingSalesSoonestFirst()
    {
        StorefrontState state;
        state.nowMs = now;
        state.sales << saleOf(1, QStringLiteral("Later"), 50'000, 90'000)
                    << saleOf(2, QStringLiteral("Sooner"), 10'000, 90'000)
                    << saleOf(3, QStringLiteral("Live"), -10'000, 90'000)
                    << saleOf(4, QStringLiteral("Over"), -90'000, -1'000);
        const auto files = render(state);
        const QString index = QString::fromUtf8(files.value(QStringLiteral("index.html")));
        const qsizetype live = index.indexOf(QStringLiteral(">Live<"));
        const qsizetype sooner = index.indexOf(QStringLiteral(">Sooner<"));
        const qsizetype later = index.indexOf(QStringLiteral(">Later<"));
        QVERIFY(live > 0 && sooner > live && later > sooner);
        QVERIFY(!index.contains(QStringLiteral(">Over<")));
        QVERIFY(!index.contains(QStringLiteral("No sale is scheduled")));
        // An ended sale keeps its page (a shopper's link says it ended).
        QVERIFY(files.contains(QStringLiteral("sales/4/index.html")));

        StorefrontState empty;
        empty.nowMs = now;
        QVERIFY(render(empty).value(QStringLiteral("index.html")).contains("No sale is scheduled"));
    }

    void statusCarriesSwitchesAndSoldOutMarks()
    {
        StorefrontState state;
        state.nowMs = now;
        state.sales << saleOf(1, QStringLiteral("A"), 0, 90'000)
                    << saleOf(2, QStringLiteral("B"), 0, 90'000);
        state.site = {true, QStringLiteral("Back at noon")};
        state.goodsSwitches.insert(2, {true, QStringLiteral("Restocking")});
        state.soldOut.insert(1);
        const QJsonObject status =
            QJsonDocument::fromJson(render(state).value(QStringLiteral("status.json"))).object();
        QCOMPARE(status[u"site"][u"on"].toBool(), true);
        QCOMPARE(status[u"site"][u"message"].toString(), QStringLiteral("Back at noon"));
        QCOMPARE(status[u"goods"][u"1"][u"soldOut"].toBool(), true);
        QCOMPARE(status[u"goods"][u"1"][u"on"].toBool(), false);
        QCOMPARE(status[u"goods"][u"2"][u"soldOut"].toBool(), false);
        QCOMPARE(status[u"goods"][u"2"][u"on"].toBool(), true);
        QCOMPARE(status[u"goods"][u"2"][u"message"].toString(), QStringLiteral("Restocking"));
    }

    void pagesCarryTheContentSecurityPolicyAndNoInlineScript()
    {
        StorefrontState state;
        state.nowMs = now;
        state.sales << saleOf(7, QStringLiteral("Lamp"), 1000, 60'000);
        const auto files = render(state);
        const QString csp = PageRenderer::contentSecurityPolicy();
        QVERIFY(csp.contains(QStringLiteral("script-src 'self'")));
        QVERIFY(!csp.contains(QStringLiteral("unsafe")));
        for (const QString &path :
             {QStringLiteral("sales/7/index.html"), QStringLiteral("index.html")}) {
            const QByteArray html = files.value(path);
            QVERIFY(html.contains("http-equiv=\"Content-Security-Policy\""));
            // Every script element has a src (nothing inline), and no on* handlers.
            static const QRegularExpression scripts(QStringLiteral("<script(?![^>]*\\ssrc=)"));
            QVERIFY(!scripts.match(QString::fromUtf8(html)).hasMatch());
            static const QRegularExpression handlers(QStringLiteral("\\son[a-z]+\\s*="));
            QVERIFY(!handlers.match(QString::fromUtf8(html)).hasMatch());
        }
    }

    void sameStateSameBytes()
    {
        StorefrontState state;
        state.nowMs = now;
        state.sales << saleOf(7, QStringLiteral("Lamp"), 1000, 60'000)
                    << saleOf(9, QStringLiteral("Desk"), 2000, 60'000);
        QCOMPARE(render(state), render(state));
    }
};

QTEST_GUILESS_MAIN(tst_PageRenderer)
#include "tst_pagerenderer.moc"
