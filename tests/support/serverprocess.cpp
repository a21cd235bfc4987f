#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace flashsale::test {

ServerProcess::ServerProcess()
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerProcess::binary()
{
    return QStringLiteral(FLASHSALE_SERVER_BINARY);
}

bool ServerProcess::start(const QStringList &args, const QProcessEnvironment &environment,
                          int timeoutMs)
{
    QStringList allArgs = args;
    if (!allArgs.contains(QStringLiteral("--listen")))
        allArgs << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0");
    if (!allArgs.contains(QStringLiteral("--admin-listen")))
        allArgs << QStringLiteral("--admin-listen") << QStringLiteral("127.0.0.1:0");
    // Test processes share one broker: each uses exchanges and queues of its own, so that
    // no other test's workers take its order messages (their goods are not in its database).
    static const QString amqpPrefix =
        QStringLiteral("t%1.").arg(QRandomGenerator::global()->generate64(), 0, 36);
    QProcessEnvironment env = environment;
    // The stack's one nginx serves one pages folder: a test's server renders into it only
    // when told so with --pages-dir (tst_e2e_storefront), not because the stack exports it.
    env.remove(QStringLiteral("FLASHSALE_PAGES_DIR"));
    if (!env.contains(QStringLiteral("FLASHSALE_AMQP_PREFIX")))
        env.insert(QStringLiteral("FLASHSALE_AMQP_PREFIX"), amqpPrefix);
    m_process.setProcessEnvironment(env);
    m_process.start(binary(), allArgs);
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    // The shopper API's address, or in role worker its health and metrics address.
    static const QRegularExpression listening(
        QStringLiteral("(?:shopper API|worker health and metrics) on (http://[^\\s]+)"));
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const QRegularExpressionMatch match = listening.match(output());
        if (match.hasMatch()) {
            m_baseUrl = QUrl(match.captured(1));
            static const QRegularExpression admin(QStringLiteral("admin API on (http://[^\\s]+)"));
            const QRegularExpressionMatch adminMatch = admin.match(output());
            if (adminMatch.hasMatch())
                m_adminUrl = QUrl(adminMatch.captured(1));
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            return false;
        m_process.waitForReadyRead(100);
    }
    return false;
}

int ServerProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return waitForExit(0);
    m_process.terminate();
    return waitForExit(timeoutMs);
}

int ServerProcess::waitForExit(int timeoutMs)
{
    if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return -1;
    }
    output();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QString ServerProcess::output()
{
    m_output += m_process.readAll();
    return QString::fromUtf8(m_output);
}

} // namespace flashsale::test
