#include "pagewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <zlib.h>

namespace flashsale::pages {

namespace {
constexpr QFileDevice::Permissions readableByAll = QFileDevice::ReadOwner | QFileDevice::WriteOwner
    | QFileDevice::ReadGroup | QFileDevice::ReadOther;

/// Writes \a content to \a path through a temporary file and a rename.
Status writeAtomically(const QString &path, const QByteArray &content)
{
    // QSaveFile writes a uniquely named temporary file in the same folder and renames it
    // over the file on commit: a reader sees the old file or the new one, never a part.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.setPermissions(readableByAll);
    if (file.write(content) != content.size() || !file.commit())
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return Status::success();
}

} // namespace

QByteArray PageWriter::gzip(const QByteArray &content)
{
    z_stream stream {};
    // 15 + 16: a gzip header and trailer rather than zlib's, as HTTP's gzip wants.
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY)
        != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&stream, uLong(content.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(content.constData()));
    stream.avail_in = uInt(content.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int done = deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return done == Z_STREAM_END ? out : QByteArray();
}

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
    // The compressed copy first (nginx's gzip_static sends it to browsers that take gzip,
    // with no compression per request): each file is whole at every moment, and the pair
    // differs at most for the instant between the two renames.
    const QByteArray compressed = gzip(content);
    if (compressed.isEmpty())
        return Result<bool>::failure(QStringLiteral("cannot compress %1").arg(path));
    if (Status s = writeAtomically(path + QStringLiteral(".gz"), compressed); !s)
        return Result<bool>::failure(s.error());
    if (Status s = writeAtomically(path, content); !s)
        return Result<bool>::failure(s.error());
    return true;
}

} // namespace flashsale::pages
