#include "testservices.h"

#include "database.h"
#include "databaseurl.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>

#include <cstdio>
#include <cstdlib>

namespace flashsale::test {

namespace {

QString ownStackDir; // set when this process started the stack itself
QStringList createdDatabases;
QString adminDatabaseUrl;

Status runDatabaseAdmin(const QString &sql)
{
    const auto url = db::DatabaseUrl::parse(adminDatabaseUrl);
    const QString name = QStringLiteral("test-admin");
    Status status = Status::success();
    {
        const Result<QSqlDatabase> opened = db::openDatabase(url.value(), name);
        if (!opened)
            return Status::failure(opened.error());
        QSqlQuery query(opened.value());
        if (!query.exec(sql))
            status = Status::failure(sql + QStringLiteral(": ") + db::describeError(query));
    }
    db::closeDatabase(name);
    return status;
}

void cleanUp()
{
    // Leftover test databases are harmless (the stack goes away after the run), so a
    // failed drop is reported, not fatal: the test's own verdict stands.
    for (const QString &name : std::as_const(createdDatabases)) {
        const Status dropped =
            runDatabaseAdmin(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
        if (!dropped)
            std::fprintf(stderr, "warning: test database cleanup: %s\n",
                         qPrintable(dropped.error()));
    }
    createdDatabases.clear();
    if (!ownStackDir.isEmpty()) {
        QProcess::execute(TestServices::sourceDir() + QStringLiteral("/packaging/stack"),
                          {QStringLiteral("down"), ownStackDir});
        QDir(ownStackDir).removeRecursively();
    }
}

QMap<QString, QString> readEnvFile(const QString &path)
{
    QMap<QString, QString> settings;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    for (const QByteArray &raw : file.readAll().split('\n')) {
        QString line = QString::fromUtf8(raw).trimmed();
        if (line.startsWith(QStringLiteral("export ")))
            line = line.mid(7);
        const qsizetype eq = line.indexOf(u'=');
        if (eq > 0)
            settings.insert(line.left(eq), line.mid(eq + 1));
    }
    return settings;
}

} // namespace

QString TestServices::sourceDir()
{
    return QStringLiteral(FLASHSALE_SOURCE_DIR);
}

TestServices &TestServices::instance()
{
    static TestServices services;
    return services;
}

TestServices::TestServices()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (env.contains(QStringLiteral("FLASHSALE_STACK_DIR"))) {
        for (const QString &key : env.keys()) {
            if (key.startsWith(QStringLiteral("FLASHSALE_")))
                m_settings.insert(key, env.value(key));
        }
    } else {
        QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/flashsale-test-XXXXXX"));
        dir.setAutoRemove(false);
        ownStackDir = dir.path();
        std::fprintf(stderr, "no FLASHSALE_STACK_DIR: starting a private stack in %s\n",
                     qPrintable(ownStackDir));
        QProcess stack;
        stack.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        stack.start(sourceDir() + QStringLiteral("/packaging/stack"),
                    {QStringLiteral("up"), QStringLiteral("--redis-cluster"),
                     QStringLiteral("--prometheus"), ownStackDir});
        if (!stack.waitForFinished(300'000) || stack.exitCode() != 0)
            qFatal("packaging/stack up failed");
        m_settings = readEnvFile(ownStackDir + QStringLiteral("/stack.env"));
    }
    adminDatabaseUrl = m_settings.value(QStringLiteral("FLASHSALE_DATABASE_URL"));
    // A post routine runs while the application (and so the SQL driver plugin) still
    // exists; atexit is the fallback for a process without one.
    if (QCoreApplication::instance())
        qAddPostRoutine(cleanUp);
    else
        std::atexit(cleanUp);
}

QString TestServices::value(const char *name) const
{
    const QString key = QString::fromLatin1(name);
    if (!m_settings.contains(key))
        qFatal("the test stack has no %s (is the stack started with --redis-cluster "
               "--prometheus?)",
               name);
    return m_settings.value(key);
}

QString TestServices::createDatabase()
{
    const QString name = QStringLiteral("test_") + QUuid::createUuid().toString(QUuid::Id128);
    if (const Status created = runDatabaseAdmin(QStringLiteral("CREATE DATABASE %1").arg(name));
        !created)
        qFatal("test database: %s", qPrintable(created.error()));
    createdDatabases.append(name);
    return db::DatabaseUrl::parse(databaseUrl())->withName(name).toString();
}

bool TestServices::offsetGoodsIds(const QString &databaseUrl)
{
    const auto url = db::DatabaseUrl::parse(databaseUrl);
    if (!url)
        return false;
    bool ok = false;
    {
        const Result<QSqlDatabase> opened =
            db::openDatabase(url.value(), QStringLiteral("test-offset"));
        if (!opened)
            return false;
        QSqlQuery query(opened.value());
        const qint64 start = 1'000'000'000LL + QRandomGenerator::global()->bounded(1'000'000'000);
        ok = query.exec(QStringLiteral("ALTER SEQUENCE goods_id_seq RESTART WITH %1").arg(start));
    }
    db::closeDatabase(QStringLiteral("test-offset"));
    return ok;
}

int TestServices::stack(const QStringList &args) const
{
    return QProcess::execute(sourceDir() + QStringLiteral("/packaging/stack"),
                             QStringList(args) << stackDir());
}

} // namespace flashsale::test
