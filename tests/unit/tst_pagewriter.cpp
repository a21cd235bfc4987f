#include "pagewriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <zlib.h>

using flashsale::pages::PageWriter;

namespace {
QByteArray gunzip(const QByteArray &gz)
{
    z_stream stream {};
    if (inflateInit2(&stream, 15 + 16) != Z_OK)
        return {};
    QByteArray out(1 << 22, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(gz.constData()));
    stream.avail_in = uInt(gz.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int done = inflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    inflateEnd(&stream);
    return done == Z_STREAM_END ? out : QByteArray();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class tst_PageWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesFoldersFileAndGzipCopyReadableByAll()
    {
        QTemporaryDir dir;
        const PageWriter writer(dir.path() + QStringLiteral("/pages"));
        QVERIFY(writer.prepare().ok());
        const QByteArray page = "<!doctype html><p>hello</p>";
        const auto wrote = writer.write(QStringLiteral("sales/7/index.html"), page);
        QVERIFY2(wrote.ok(), qPrintable(wrote.error()));
        QVERIFY(wrote.value());
        const QString path = writer.root() + QStringLiteral("/sales/7/index.html");
        QCOMPARE(readAll(path), page);
        QCOMPARE(gunzip(readAll(path + QStringLiteral(".gz"))), page);
        QVERIFY(QFile::permissions(path) & QFileDevice::ReadOther);
        QVERIFY(QFile::permissions(path + QStringLiteral(".gz")) & QFileDevice::ReadOther);
    }

    void unchangedContentIsNotWrittenAgain()
    {
        QTemporaryDir dir;
        const PageWriter writer(dir.path());
        QVERIFY(writer.write(QStringLiteral("index.html"), "one").value());
        QCOMPARE(writer.write(QStringLiteral("index.html"), "one").value(), false);
        QVERIFY(writer.write(QStringLiteral("index.html"), "two").value());
        QCOMPARE(readAll(dir.filePath(QStringLiteral("index.html"))), QByteArray("two"));
    }

    void unwritableFolderFailsWithThePath()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const PageWriter writer(dir.filePath(QStringLiteral("file")));
        const auto wrote = writer.write(QStringLiteral("index.html"), "x");
        QVERIFY(!wrote.ok());
        QVERIFY2(wrote.error().contains(dir.filePath(QStringLiteral("file"))),
                 qPrintable(wrote.error()));
        QVERIFY(!writer.prepare().ok());
    }

    // Several writers (as several server instances would) rewrite one page with different
    // contents while a reader reads it: every read is one whole version, never a mix.
    void concurrentWritersNeverLeaveAHalfWrittenFile()
    {
        QTemporaryDir dir;
        const PageWriter writer(dir.path());
        const QList<QByteArray> versions {QByteArray(300'000, 'a'), QByteArray(200'000, 'b'),
                                          QByteArray(400'000, 'c')};
        QVERIFY(writer.write(QStringLiteral("index.html"), versions[0]).ok());
        std::atomic<bool> stop {false};
        std::atomic<int> failures {0};
        QList<QThread *> writers;
        for (int w = 0; w < 3; ++w) {
            writers << QThread::create([&, w] {
                for (int i = 0; i < 40 && !stop; ++i) {
                    if (!writer.write(QStringLiteral("index.html"), versions[(w + i) % 3]).ok())
                        ++failures;
                }
            });
            writers.last()->start();
        }
        int reads = 0;
        int torn = 0;
        const QString path = dir.filePath(QStringLiteral("index.html"));
        auto running = [&] {
            for (QThread *t : writers) {
                if (t->isRunning())
                    return true;
            }
            return false;
        };
        while (running()) {
            const QByteArray seen = readAll(path);
            ++reads;
            if (!versions.contains(seen))
                ++torn;
        }
        stop = true;
        for (QThread *t : writers) {
            t->wait();
            delete t;
        }
        QCOMPARE(failures.load(), 0);
        QVERIFY(reads > 0);
        QCOMPARE(torn, 0);
        QVERIFY(versions.contains(readAll(path)));
        // No temporary file is left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_PageWriter)
#include "tst_pagewriter.moc"
