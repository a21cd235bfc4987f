#include "layeredconfig.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>

namespace flashsale {

namespace {
const QString configOptionName = QStringLiteral("config");
}

LayeredConfig::LayeredConfig(QList<ConfigOption> options)
    : m_options(std::move(options))
{ }

QString LayeredConfig::environmentName(const QString &name)
{
    return QStringLiteral("FLASHSALE_") + name.toUpper().replace(u'-', u'_');
}

QString LayeredConfig::sourceName(Source source)
{
    switch (source) {
    case Source::Default:
        return QStringLiteral("default");
    case Source::File:
        return QStringLiteral("file");
    case Source::Environment:
        return QStringLiteral("environment");
    case Source::CommandLine:
        return QStringLiteral("command line");
    }
    return {};
}

void LayeredConfig::addCommandLineOptions(QCommandLineParser &parser) const
{
    parser.addOption(QCommandLineOption(
        configOptionName,
        QStringLiteral("INI file with settings (env FLASHSALE_CONFIG). Precedence: "
                       "command line > environment > file > default."),
        QStringLiteral("file")));
    for (const ConfigOption &option : m_options) {
        QString help = option.description + QStringLiteral(" (env ") + environmentName(option.name)
            + QStringLiteral(", default: ")
            + (option.defaultValue.isEmpty() ? QStringLiteral("none") : option.defaultValue) + u')';
        // Every setting takes a value: an empty value name would make it a flag.
        const QString valueName =
            option.valueName.isEmpty() ? QStringLiteral("value") : option.valueName;
        parser.addOption(QCommandLineOption(option.name, help, valueName));
    }
}

Status LayeredConfig::load(const QCommandLineParser &parser, const QProcessEnvironment &environment)
{
    QString file = parser.value(configOptionName);
    if (file.isEmpty())
        file = environment.value(environmentName(configOptionName));
    QHash<QString, QString> commandLine;
    for (const ConfigOption &option : m_options) {
        if (parser.isSet(option.name))
            commandLine.insert(option.name, parser.value(option.name));
    }
    return load(file, environment, commandLine);
}

Status LayeredConfig::load(const QString &iniFile, const QProcessEnvironment &environment,
                           const QHash<QString, QString> &commandLine)
{
    m_values.clear();
    m_sources.clear();
    m_file = iniFile;
    for (const ConfigOption &option : m_options) {
        m_values.insert(option.name, option.defaultValue);
        m_sources.insert(option.name, Source::Default);
    }

    if (!iniFile.isEmpty()) {
        QFileInfo info(iniFile);
        if (!info.isFile() || !info.isReadable())
            return Status::failure(QStringLiteral("config file %1 cannot be read").arg(iniFile));
        QSettings settings(iniFile, QSettings::IniFormat);
        if (settings.status() != QSettings::NoError)
            return Status::failure(QStringLiteral("config file %1 is not valid INI").arg(iniFile));
        // Keys may sit at top level or in a [flashsale] section.
        for (const QString &key : settings.allKeys()) {
            QString name = key;
            if (name.startsWith(QStringLiteral("flashsale/")))
                name = name.mid(10);
            if (!m_values.contains(name))
                return Status::failure(
                    QStringLiteral("config file %1: unknown setting '%2'").arg(iniFile, key));
            m_values.insert(name, settings.value(key).toString().trimmed());
            m_sources.insert(name, Source::File);
        }
    }

    for (const ConfigOption &option : m_options) {
        const QString envName = environmentName(option.name);
        if (environment.contains(envName)) {
            m_values.insert(option.name, environment.value(envName).trimmed());
            m_sources.insert(option.name, Source::Environment);
        }
    }

    for (auto it = commandLine.cbegin(); it != commandLine.cend(); ++it) {
        if (!m_values.contains(it.key()))
            return Status::failure(QStringLiteral("unknown setting '%1'").arg(it.key()));
        m_values.insert(it.key(), it.value().trimmed());
        m_sources.insert(it.key(), Source::CommandLine);
    }
    return Status::success();
}

QString LayeredConfig::value(const QString &name) const
{
    Q_ASSERT_X(m_values.contains(name) || m_values.isEmpty(), "LayeredConfig::value",
               "unknown option");
    return m_values.value(name);
}

Result<qint64> LayeredConfig::integer(const QString &name, qint64 min, qint64 max) const
{
    const QString text = value(name);
    bool ok = false;
    const qint64 number = text.toLongLong(&ok);
    if (!ok || number < min || number > max)
        return Result<qint64>::failure(
            QStringLiteral("%1: '%2' is not a whole number from %3 to %4")
                .arg(name, text)
                .arg(min)
                .arg(max));
    return number;
}

LayeredConfig::Source LayeredConfig::source(const QString &name) const
{
    return m_sources.value(name, Source::Default);
}

} // namespace flashsale
