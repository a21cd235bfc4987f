#include "options.h"

#include "chaosmonkey.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QRegularExpression>

namespace flashsale::bench {

namespace {

struct Spec
{
    const char *name; ///< the option, also FLASHSALE_<NAME> in the environment
    const char *value; ///< its argument's name, nullptr for a flag
    const char *help;
};

const Spec kSpecs[] = {
    {"url", "url",
     "shoppers' site, nginx where there is one (env FLASHSALE_URL, else FLASHSALE_NGINX_URL)"},
    {"admin-url", "url", "admin API, e.g. http://127.0.0.1:8081"},
    {"admin-token", "token", "admin API bearer token"},
    {"database-url", "url", "PostgreSQL: also check the database's stock and orders"},
    {"goods", "id", "rehearse this product's sale as scheduled (default: create a sale)"},
    {"stock", "n", "stock of the sale created (default 100)"},
    {"reveal-in", "s", "its reveal, seconds after the shoppers signed in (default 2)"},
    {"start-in", "s", "its start, seconds after the shoppers signed in (default 5)"},
    {"sale-length", "s", "its length in seconds (default 600)"},
    {"sale-rate", "n", "its token bucket: buys per second site-wide (default 100000)"},
    {"burst", "n", "its token bucket's size (default 10000)"},
    {"challenge-bits", "bits", "its proof of work before the path, 0-24 (default 0)"},
    {"shoppers", "n", "simulated shoppers (default 1000)"},
    {"reuse", nullptr, "sign in the accounts of an earlier rehearsal (give its --prefix)"},
    {"prefix", "name", "usernames are <name>-<n> (default rehearsal-<time>)"},
    {"password", "text", "the shoppers' password (8-128 characters)"},
    {"attempts", "n", "buy requests per shopper at most, retries after 429/503 (default 5)"},
    {"rate", "n", "open loop: first buys sent at n per second (default: closed loop)"},
    {"concurrency", "n", "requests in flight at most (default 64)"},
    {"threads", "n", "load threads (default 2)"},
    {"resolve-timeout", "s", "wait this long for every 202 to resolve (default 120)"},
    {"report", "dir", "write report.json and PNG plots into dir"},
    {"no-progress", nullptr, "no progress line"},
    {"chaos", "list",
     "kill these in turn mid-sale and restart them: api,worker,redis,rabbitmq,postgres"},
    {"stack-dir", "dir",
     "the site's packaging/stack folder, for --chaos (env FLASHSALE_STACK_DIR)"},
    {"stack-script", "path", "packaging/stack (default: ./packaging/stack)"},
    {"chaos-at", "s", "the first kill, seconds after the start (default 1)"},
    {"chaos-down", "s", "seconds each stays down (default 2)"},
    {"chaos-gap", "s", "seconds from one coming back to the next kill (default 3)"},
};

QString environmentName(const char *option)
{
    return QStringLiteral("FLASHSALE_") + QString::fromLatin1(option).toUpper().replace(u'-', u'_');
}

} // namespace

Result<RehearsalOptions> RehearsalOptions::parse(const QStringList &arguments)
{
    using R = Result<RehearsalOptions>;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Rehearses a flash sale against a running flashsale site: creates a sale (or takes "
        "--goods), signs up --shoppers, has each behave as the storefront page does (path at the "
        "reveal, the proof of work when asked, buy at the start, retries as Retry-After says, "
        "then polls its order), and checks that nothing was oversold, duplicated or lost. "
        "Exit status: 0 when every invariant holds, 1 when one does not (named), 2 when the "
        "rehearsal could not run. Every option may be given in the environment as "
        "FLASHSALE_<OPTION> (FLASHSALE_ADMIN_TOKEN=...)."));
    parser.addHelpOption();
    parser.addVersionOption();
    for (const Spec &spec : kSpecs) {
        if (spec.value)
            parser.addOption(QCommandLineOption(QString::fromLatin1(spec.name),
                                                QString::fromLatin1(spec.help),
                                                QString::fromLatin1(spec.value)));
        else
            parser.addOption(
                QCommandLineOption(QString::fromLatin1(spec.name), QString::fromLatin1(spec.help)));
    }
    parser.process(arguments); // --help, --version and unknown options exit here

    auto text = [&](const char *name) -> QString {
        const QString option = QString::fromLatin1(name);
        if (parser.isSet(option))
            return parser.value(option);
        return qEnvironmentVariable(environmentName(name).toLatin1().constData());
    };
    auto flag = [&](const char *name) {
        const QString env = text(name);
        return parser.isSet(QString::fromLatin1(name)) || env == u"1" || env == u"true";
    };
    QString error;
    auto number = [&](const char *name, double fallback, double low, double high) {
        const QString value = text(name);
        if (value.isEmpty())
            return fallback;
        bool ok = false;
        const double n = value.toDouble(&ok);
        if (!ok || n < low || n > high)
            error = QStringLiteral("--%1: '%2' is not a number from %3 to %4")
                        .arg(QString::fromLatin1(name), value)
                        .arg(low)
                        .arg(high);
        return n;
    };

    RehearsalOptions o;
    QString shop = text("url");
    if (shop.isEmpty())
        shop = qEnvironmentVariable("FLASHSALE_NGINX_URL");
    o.shopUrl = QUrl(shop);
    o.adminUrl = QUrl(text("admin-url"));
    o.adminToken = text("admin-token");
    o.databaseUrl = text("database-url");
    o.goodsId = qint64(number("goods", 0, 1, 1e15));
    o.stock = qint64(number("stock", 100, 0, 1e9));
    o.revealInS = int(number("reveal-in", 2, 0, 86400));
    o.startInS = int(number("start-in", 5, 0, 86400));
    o.saleLengthS = int(number("sale-length", 600, 1, 86400 * 30));
    o.saleRate = number("sale-rate", 100'000, 0.001, 1e9);
    o.burst = qint64(number("burst", 10'000, 1, 1e9));
    o.challengeBits = int(number("challenge-bits", 0, 0, 24));
    o.shoppers = int(number("shoppers", 1000, 1, 10'000'000));
    o.reuse = flag("reuse");
    o.prefix = text("prefix");
    if (!text("password").isEmpty())
        o.password = text("password");
    o.attempts = int(number("attempts", 5, 1, 1000));
    o.rate = number("rate", 0, 0, 1e7);
    o.concurrency = int(number("concurrency", 64, 1, 100'000));
    o.threads = int(number("threads", 2, 1, 64));
    o.resolveTimeoutS = int(number("resolve-timeout", 120, 1, 86400));
    o.reportDir = text("report");
    o.progress = !flag("no-progress");
    o.stackDir = text("stack-dir");
    o.stackScript = text("stack-script");
    if (o.stackScript.isEmpty())
        o.stackScript = QStringLiteral("packaging/stack");
    o.chaosAtS = number("chaos-at", 1, 0, 86400);
    o.chaosDownS = number("chaos-down", 2, 0, 3600);
    o.chaosGapS = number("chaos-gap", 3, 0, 3600);
    if (!text("chaos").isEmpty()) {
        const Result<QStringList> chaos = ChaosMonkey::parse(text("chaos"));
        if (!chaos)
            return R::failure(chaos.error());
        o.chaos = chaos.value();
        if (o.stackDir.isEmpty() || !QFileInfo::exists(o.stackDir + QStringLiteral("/stack.env")))
            return R::failure(QStringLiteral("--chaos needs the site's packaging/stack folder: "
                                             "--stack-dir (or FLASHSALE_STACK_DIR)"));
        if (o.databaseUrl.isEmpty())
            return R::failure(QStringLiteral(
                "--chaos needs --database-url: the site's server processes are told by it"));
        if (!QFileInfo(o.stackScript).isExecutable())
            return R::failure(QStringLiteral("--chaos: %1 is not the packaging/stack script "
                                             "(--stack-script)")
                                  .arg(o.stackScript));
    }
    if (!error.isEmpty())
        return R::failure(error);

    if (o.startInS < o.revealInS)
        return R::failure(QStringLiteral("--start-in must not be before --reveal-in"));
    if (!o.shopUrl.isValid() || o.shopUrl.scheme() != u"http" || o.shopUrl.host().isEmpty())
        return R::failure(QStringLiteral(
            "--url: give the shoppers' site as http://host:port (https is not spoken here; "
            "point it at nginx's plain port or an API instance)"));
    if (!o.adminUrl.isValid() || o.adminUrl.host().isEmpty())
        return R::failure(QStringLiteral("--admin-url: give the admin API as http://host:port"));
    if (o.adminToken.isEmpty())
        return R::failure(QStringLiteral("--admin-token (or FLASHSALE_ADMIN_TOKEN) is needed"));
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9._-]{1,50}$"));
    if (o.reuse && o.prefix.isEmpty())
        return R::failure(QStringLiteral("--reuse needs the --prefix of the earlier rehearsal"));
    if (o.prefix.isEmpty())
        o.prefix = QStringLiteral("rehearsal-")
            + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (!name.match(o.prefix).hasMatch())
        return R::failure(QStringLiteral("--prefix: 1-50 characters from A-Z a-z 0-9 . _ -"));
    static const QRegularExpression password(
        QStringLiteral("^[A-Za-z0-9._~!@#$%^&*()+=-]{8,128}$"));
    if (!password.match(o.password).hasMatch())
        return R::failure(QStringLiteral("--password: 8-128 letters, digits or ._~!@#$%^&*()+=-"));
    return o;
}

} // namespace flashsale::bench
