#include "pagewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace flashsale::pages {

namespace {
constexpr QFileDevice::Permissions readableByAll = QFileDevice::ReadOwner | QFileDevice::WriteOwner
    | QFileDevice::ReadGroup | QFileDevice::ReadOther;
} // namespace

PageWriter::PageWriter(QString root)
    : m_root(std::move(root))
{ }

Status PageWriter::prepare() const
{
    if (!QDir().mkpath(m_root))
        return Status::failure(QStringLiteral("cannot make the pages folder %1").arg(m_root));
    const QFileInfo info(m_root);
    if (!info.isDir() || !info.isWritable())
        return Status::failure(QStringLiteral("the pages folder %1 is not writable").arg(m_root));
    return Status::success();
}

Result<bool> PageWriter::write(const QString &relativePath, const QByteArray &content) const
{
    const QString path = m_root + u'/' + relativePath;
    {
        QFile existing(path);
        if (existing.open(QIODevice::ReadOnly) && existing.size() == content.size()
            && existing.readAll() == content)
            return false;
    }
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder))
        return Result<bool>::failure(QStringLiteral("cannot make the folder %1").arg(folder));
    // QSaveFile writes a uniquely named temporary file in the same folder and renames it
    // over the page on commit: a reader sees the old page or the new one, never a part.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Result<bool>::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.setPermissions(readableByAll);
    if (file.write(content) != content.size() || !file.commit())
        return Result<bool>::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

} // namespace flashsale::pages
