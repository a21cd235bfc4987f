#include "chaosmonkey.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QTcpSocket>
#include <QTextStream>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <sys/types.h>
#include <unistd.h>

namespace flashsale::bench {

namespace {

qint64 readPid(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readLine().trimmed().toLongLong();
}

/// Alive and not a zombie waiting for its parent.
bool alive(qint64 pid)
{
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close < 0 || line.mid(close + 2, 1) != "Z";
}

bool waitGone(qint64 pid, int seconds)
{
    for (int i = 0; i < seconds * 20; ++i) {
        if (!alive(pid))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return !alive(pid);
}

void sleepS(double seconds)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(qint64(seconds * 1000)));
}

/// A flashsale-server process as it was started.
struct ServerLaunch
{
    qint64 pid = 0;
    QString program;
    QStringList arguments;
    QProcessEnvironment environment;
    QString directory;
    QString listen; ///< host:port of its /readyz
};

QString optionValue(const QStringList &args, const QProcessEnvironment &env, const QString &name,
                    const QString &fallback)
{
    const qsizetype at = args.indexOf(QStringLiteral("--") + name);
    if (at >= 0 && at + 1 < args.size())
        return args[at + 1];
    const QString key = QStringLiteral("FLASHSALE_") + name.toUpper().replace(u'-', u'_');
    return env.value(key, fallback);
}

/// The first flashsale-server on this machine in role \a role (api: role api, else all)
/// whose database is \a databaseUrl: the site's, never another site's on the same machine.
std::optional<ServerLaunch> findServer(const QString &role, const QString &databaseUrl)
{
    std::optional<ServerLaunch> fallback;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool number = false;
        const qint64 pid = entry.toLongLong(&number);
        if (!number || !alive(pid))
            continue;
        QString program = QFileInfo(QStringLiteral("/proc/%1/exe").arg(pid)).symLinkTarget();
        if (program.endsWith(QStringLiteral(" (deleted)")))
            program.chop(10);
        if (QFileInfo(program).fileName() != u"flashsale-server")
            continue;
        ServerLaunch s;
        s.pid = pid;
        s.program = program;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        QFile environ(QStringLiteral("/proc/%1/environ").arg(pid));
        if (!cmdline.open(QIODevice::ReadOnly) || !environ.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> args = cmdline.readAll().split('\0');
        for (qsizetype i = 1; i < args.size(); ++i)
            if (!(i == args.size() - 1 && args[i].isEmpty()))
                s.arguments << QString::fromLocal8Bit(args[i]);
        for (const QByteArray &pair : environ.readAll().split('\0')) {
            const qsizetype eq = pair.indexOf('=');
            if (eq > 0)
                s.environment.insert(QString::fromLocal8Bit(pair.left(eq)),
                                     QString::fromLocal8Bit(pair.mid(eq + 1)));
        }
        s.directory = QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).symLinkTarget();
        s.listen = optionValue(s.arguments, s.environment, QStringLiteral("listen"),
                               QStringLiteral("127.0.0.1:8080"));
        if (optionValue(s.arguments, s.environment, QStringLiteral("database-url"), QString())
            != databaseUrl)
            continue;
        const QString itsRole =
            optionValue(s.arguments, s.environment, QStringLiteral("role"), QStringLiteral("all"));
        if (itsRole == role)
            return s;
        if (role == u"api" && itsRole == u"all" && !fallback)
            fallback = s;
    }
    return fallback;
}

/// The TCP ports \a pid listens on (its sockets matched with /proc/net/tcp*).
QList<quint16> listeningPorts(qint64 pid)
{
    QSet<QByteArray> inodes;
    const QString fds = QStringLiteral("/proc/%1/fd").arg(pid);
    for (const QString &fd :
         QDir(fds).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)) {
        char link[128] = {};
        const QByteArray path = (fds + u'/' + fd).toLocal8Bit();
        const ssize_t n = ::readlink(path.constData(), link, sizeof link - 1);
        const QByteArray text(link, n > 0 ? n : 0);
        if (text.startsWith("socket:[")) // socket:[12345]
            inodes.insert(text.mid(8, text.size() - 9));
    }
    QList<quint16> ports;
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile file(QString::fromLatin1(table));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        file.readLine(); // the header
        while (!file.atEnd()) {
            const QList<QByteArray> f = file.readLine().simplified().split(' ');
            // sl local_address rem_address st ... inode (the 10th field)
            if (f.size() < 10 || f[3] != "0A" || !inodes.contains(f[9]))
                continue;
            const quint16 port = quint16(f[1].mid(f[1].indexOf(':') + 1).toUInt(nullptr, 16));
            if (!ports.contains(port))
                ports.append(port);
        }
    }
    return ports;
}

/// A server told to listen on port 0 would come back on another: gives the restart the
/// ports it had (\a adminPort is the admin API's, known from --admin-url).
void keepPorts(ServerLaunch &s, quint16 adminPort)
{
    const QList<quint16> ports = listeningPorts(s.pid);
    auto portOf = [](const QString &hostPort) {
        return hostPort.section(u':', -1).toUInt();
    };
    const QString admin = optionValue(s.arguments, s.environment, QStringLiteral("admin-listen"),
                                      QStringLiteral("127.0.0.1:8081"));
    if (portOf(admin) == 0 && ports.contains(adminPort))
        s.arguments << QStringLiteral("--admin-listen")
                    << admin.section(u':', 0, -2) + u':' + QString::number(adminPort);
    if (portOf(s.listen) == 0) {
        for (quint16 port : ports) {
            if (port == adminPort)
                continue;
            s.listen = s.listen.section(u':', 0, -2) + u':' + QString::number(port);
            s.arguments << QStringLiteral("--listen") << s.listen;
            break;
        }
    }
}

/// True once GET /readyz on \a listen answers 200, within \a seconds.
bool waitReady(const QString &listen, int seconds)
{
    const qsizetype colon = listen.lastIndexOf(u':');
    const QString host = listen.left(colon);
    const quint16 port = quint16(listen.mid(colon + 1).toUInt());
    for (int i = 0; i < seconds * 10; ++i) {
        QTcpSocket socket;
        socket.connectToHost(host, port);
        if (socket.waitForConnected(1000)) {
            socket.write("GET /readyz HTTP/1.0\r\n\r\n");
            QByteArray answer;
            while (socket.waitForReadyRead(2000))
                answer += socket.readAll();
            if (answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.0 200"))
                return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

} // namespace

const QStringList &ChaosMonkey::components()
{
    static const QStringList all {QStringLiteral("api"), QStringLiteral("worker"),
                                  QStringLiteral("redis"), QStringLiteral("rabbitmq"),
                                  QStringLiteral("postgres")};
    return all;
}

Result<QStringList> ChaosMonkey::parse(const QString &list)
{
    QStringList out;
    for (const QString &part : list.split(u',', Qt::SkipEmptyParts)) {
        const QString name = part.trimmed();
        if (!components().contains(name))
            return Result<QStringList>::failure(
                QStringLiteral("--chaos: '%1' is not one of %2")
                    .arg(name, components().join(QStringLiteral(", "))));
        out << name;
    }
    return out;
}

ChaosMonkey::ChaosMonkey(QStringList components, QString stackDir, QString stackScript,
                         QString databaseUrl, quint16 adminPort)
    : m_components(std::move(components))
    , m_stackDir(std::move(stackDir))
    , m_stackScript(std::move(stackScript))
    , m_databaseUrl(std::move(databaseUrl))
    , m_adminPort(adminPort)
{ }

ChaosMonkey::~ChaosMonkey()
{
    join();
}

void ChaosMonkey::start(double firstAtS, double downS, double gapS, std::function<double()> clock)
{
    join();
    m_clock = std::move(clock);
    m_finished.store(false);
    m_thread = std::thread([this, firstAtS, downS, gapS] {
        run(firstAtS, downS, gapS);
        m_finished.store(true);
    });
}

void ChaosMonkey::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

QList<ChaosEvent> ChaosMonkey::events() const
{
    QMutexLocker lock(&m_lock);
    return m_events;
}

void ChaosMonkey::say(const QString &line) const
{
    std::fprintf(stderr, "\nflashsale-bench: chaos at %.1f s: %s\n", m_clock(), qPrintable(line));
}

void ChaosMonkey::run(double firstAtS, double downS, double gapS)
{
    double next = firstAtS;
    for (const QString &component : m_components) {
        while (m_clock() < next)
            sleepS(0.05);
        const ChaosEvent event = hit(component, downS);
        {
            QMutexLocker lock(&m_lock);
            m_events.append(event);
        }
        next = m_clock() + gapS;
    }
}

ChaosEvent ChaosMonkey::hit(const QString &component, double downS)
{
    ChaosEvent e;
    e.component = component;
    auto stackStart = [&](const QString &service) {
        e.restartedAtS = m_clock();
        QProcess stack;
        stack.setProcessChannelMode(QProcess::MergedChannels);
        stack.start(m_stackScript, {QStringLiteral("start"), service, m_stackDir});
        const bool done = stack.waitForFinished(300'000);
        if (done && stack.exitStatus() == QProcess::NormalExit && stack.exitCode() == 0) {
            e.backAtS = m_clock();
            say(QStringLiteral("%1 is back").arg(service));
        } else {
            e.detail +=
                QStringLiteral("; `%1 start %2` failed: %3")
                    .arg(m_stackScript, service, QString::fromLocal8Bit(stack.readAll()).trimmed());
            say(QStringLiteral("%1 did not start again").arg(service));
        }
    };
    auto killPid = [&](qint64 pid, int signal, const QString &how) {
        if (!alive(pid)) {
            e.detail = QStringLiteral("not running (pid %1)").arg(pid);
            return false;
        }
        ::kill(pid_t(pid), signal);
        e.killedAtS = m_clock();
        e.detail = how;
        say(QStringLiteral("%1 (pid %2): %3").arg(component).arg(pid).arg(how));
        if (!waitGone(pid, 30))
            e.detail += QStringLiteral(", still running 30 s later");
        return true;
    };

    if (component == u"redis") {
        if (killPid(readPid(m_stackDir + QStringLiteral("/redis/redis.pid")), SIGKILL,
                    QStringLiteral("kill -9"))) {
            sleepS(downS);
            stackStart(component);
        }
    } else if (component == u"rabbitmq") {
        const QString base = m_stackDir + QStringLiteral("/rabbitmq/");
        if (killPid(readPid(base + QStringLiteral("rabbitmq.pid")), SIGKILL,
                    QStringLiteral("kill -9"))) {
            const qint64 launcher = readPid(base + QStringLiteral("launcher.pid"));
            if (alive(launcher))
                ::kill(pid_t(launcher), SIGKILL);
            waitGone(launcher, 10);
            sleepS(downS);
            stackStart(component);
        }
    } else if (component == u"postgres") {
        QFile datadir(m_stackDir + QStringLiteral("/postgres.datadir"));
        QString data;
        if (datadir.open(QIODevice::ReadOnly))
            data = QString::fromLocal8Bit(datadir.readAll().trimmed());
        if (killPid(readPid(data + QStringLiteral("/db/postmaster.pid")), SIGQUIT,
                    QStringLiteral("immediate shutdown (SIGQUIT)"))) {
            sleepS(downS);
            stackStart(component);
        }
    } else {
        const std::optional<ServerLaunch> server = findServer(component, m_databaseUrl);
        if (!server) {
            e.detail = QStringLiteral("no flashsale-server in role %1 on this machine with the "
                                      "database %2")
                           .arg(component, m_databaseUrl.section(u'@', -1));
            say(e.detail);
            return e;
        }
        ServerLaunch launch = *server;
        keepPorts(launch, m_adminPort);
        if (!killPid(launch.pid, SIGKILL, QStringLiteral("kill -9")))
            return e;
        sleepS(downS);
        QProcess process;
        process.setProgram(launch.program);
        process.setArguments(launch.arguments);
        process.setProcessEnvironment(launch.environment);
        process.setWorkingDirectory(launch.directory);
        const QString log = m_stackDir + QStringLiteral("/chaos-%1.log").arg(component);
        process.setStandardOutputFile(log, QIODevice::Append);
        process.setStandardErrorFile(log, QIODevice::Append);
        e.restartedAtS = m_clock();
        if (!process.startDetached(&e.newPid)) {
            e.detail += QStringLiteral("; could not start %1 again").arg(launch.program);
            say(e.detail);
            return e;
        }
        say(QStringLiteral("%1 started again (pid %2)").arg(component).arg(e.newPid));
        if (waitReady(launch.listen, 120)) {
            e.backAtS = m_clock();
            say(QStringLiteral("%1 is back (pid %2, log %3)")
                    .arg(component)
                    .arg(e.newPid)
                    .arg(log));
        } else {
            e.detail += QStringLiteral("; not ready on %1 within 120 s").arg(launch.listen);
            say(e.detail);
        }
    }
    return e;
}

} // namespace flashsale::bench
