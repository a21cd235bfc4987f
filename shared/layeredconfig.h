#pragma once

#include "result.h"

#include <QHash>
#include <QList>
#include <QProcessEnvironment>
#include <QString>

class QCommandLineParser;

namespace flashsale {

/// One setting, known by one name everywhere: `name` in the INI file, `--name` on the
/// command line, `FLASHSALE_NAME` (upper case, dashes as underscores) in the environment.
struct ConfigOption
{
    QString name; ///< lower case with dashes, e.g. "redis-url"
    QString defaultValue; ///< used when no layer sets the option
    QString description; ///< one line for --help
    QString valueName; ///< placeholder shown in --help, e.g. "url"
};

/// Settings from four layers, each overriding the one before: built-in defaults, an INI
/// file, the environment, the command line.
class LayeredConfig
{
public:
    /// Where a value came from, for logs and --help.
    enum class Source { Default, File, Environment, CommandLine };

    explicit LayeredConfig(QList<ConfigOption> options);

    /// Adds `--name` for every option, with its default in the description, and `--config`.
    void addCommandLineOptions(QCommandLineParser &parser) const;

    /// Loads the layers. The INI file is the one named by `--config`, else
    /// `FLASHSALE_CONFIG`, else none. Fails on an unreadable file or unknown keys in it.
    Status load(const QCommandLineParser &parser,
                const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    /// Loads from explicit layers: INI file (may be empty), environment, command-line values.
    Status load(const QString &iniFile, const QProcessEnvironment &environment,
                const QHash<QString, QString> &commandLine);

    /// The value of option \a name; the default when no layer sets it. Spaces around a
    /// value are dropped as it is loaded, the same for every option and layer.
    QString value(const QString &name) const;
    /// Option \a name as a whole number from \a min to \a max; the error names the option,
    /// its value and the range.
    Result<qint64> integer(const QString &name, qint64 min, qint64 max) const;
    Source source(const QString &name) const;
    /// The INI file the values came from, empty if none.
    QString file() const { return m_file; }
    const QList<ConfigOption> &options() const { return m_options; }

    /// "FLASHSALE_REDIS_URL" for "redis-url".
    static QString environmentName(const QString &name);
    static QString sourceName(Source source);

private:
    QList<ConfigOption> m_options;
    QHash<QString, QString> m_values;
    QHash<QString, Source> m_sources;
    QString m_file;
};

} // namespace flashsale
