#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

namespace flashsale::pages {

/// Writes files into the pages folder so that a reader (nginx) only ever sees a whole old
/// or a whole new file: each file is written to a temporary file beside it and renamed over
/// it (QSaveFile; rename(2) is atomic within a file system). Several processes writing the
/// same file at once each rename their own whole copy, so the last rename wins and no
/// reader sees a mix. Files are made readable by everybody (nginx's workers run as another
/// user) and left alone when their content is unchanged. Each file gets a gzip copy beside
/// it (`index.html.gz`), which nginx's gzip_static sends instead of compressing per request.
class PageWriter
{
public:
    explicit PageWriter(QString root);

    /// The pages folder, made if missing; fails when it cannot be made or written.
    Status prepare() const;

    /// Writes \a content to \a relativePath (folders made as needed). True when the file
    /// changed, false when it already held \a content; fails with the path and the reason.
    Result<bool> write(const QString &relativePath, const QByteArray &content) const;

    QString root() const { return m_root; }

    /// \a content in gzip format (empty if zlib failed).
    static QByteArray gzip(const QByteArray &content);

private:
    QString m_root;
};

} // namespace flashsale::pages
