// easel-cli as a user runs it (issue 21, "Never lose work"): each image is on disk and in the
// catalog the moment its path is printed, Ctrl+C mid-batch keeps the finished ones (exit 130), and
// a file that is not a model (a pickle "memo bomb" without tensors) is an error with the reason in
// `inspect` and `generate`. The process's own output is the event the test waits on, never a clock.

#include <QtTest>
#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/catalog/database.h"
#include "engine/catalog/gallery.h"
#include "tests/engine/io/checkpoint_builder.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

QStringList filesUnder(const QString& dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QFileInfo(it.next()).absoluteFilePath();
    return out;
}

QStringList tinyGenerate(int batchCount)
{
    return {"generate", "-m", QString::fromStdString(test::goldenPath("models/sd1_tiny.safetensors")),
            "-p", "a red apple", "--sampler", "Euler", "--steps", "4", "-W", "64", "-H", "64", "--seed", "5",
            "--batch-count", QString::number(batchCount), "-q"};
}

/// Reads one whole line of stdout, waiting for output as it comes (false when the process ends first).
bool readLine(QProcess& process, QString& line)
{
    while (!process.canReadLine())
        if (!process.waitForReadyRead(120000))
            return false; // ended (or silent for two minutes) without a whole line
    line = QString::fromUtf8(process.readLine()).trimmed();
    return true;
}

} // namespace

class TestCliReliability : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString writeFile(const QString& name, const std::string& bytes)
    {
        const QString path = m_dir.filePath(name);
        std::ofstream(path.toStdString(), std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return path;
    }

private Q_SLOTS:
    void ctrlCMidBatchKeepsEveryFinishedImage()
    {
        const QString out = m_dir.filePath("batch");
        const QString catalogPath = m_dir.filePath("catalog.sqlite");
        const int batchCount = 200; // far more than can finish while the interrupt travels
        QProcess cli;
        cli.start(EASEL_CLI_BIN, tinyGenerate(batchCount) << "-o" << out + "/{index}-{seed}.png" << "--catalog" << catalogPath);
        QVERIFY2(cli.waitForStarted(), qPrintable(cli.errorString()));

        // The first path is printed when its image is decoded: it is already a complete file then,
        // and in the catalog, while the rest of the batch still runs.
        QString first;
        QVERIFY2(readLine(cli, first), cli.readAllStandardError().constData());
        QVERIFY2(QFile::exists(first), qPrintable(first));
        QVERIFY(QFileInfo(first).size() > 0);
        {
            catalog::Database db(catalogPath.toStdString());
            QVERIFY(catalog::Gallery(db).count({}) >= 1);
        }
        QCOMPARE(cli.state(), QProcess::Running);

        ::kill(static_cast<pid_t>(cli.processId()), SIGINT); // what Ctrl+C sends
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QCOMPARE(cli.exitCode(), 130);
        QVERIFY(QString::fromUtf8(cli.readAllStandardError()).contains("finished image(s) kept"));

        QStringList printed{first};
        for (const QByteArray& line : cli.readAllStandardOutput().split('\n'))
            if (!line.trimmed().isEmpty())
                printed << QString::fromUtf8(line.trimmed());
        QVERIFY(printed.size() < batchCount);
        // Every printed image is on disk, nothing else is (no temp files), and each is in the gallery.
        QStringList onDisk = filesUnder(out);
        QStringList expected;
        for (const QString& p : printed)
            expected << QFileInfo(p).absoluteFilePath();
        onDisk.sort();
        expected.sort();
        QCOMPARE(onDisk, expected);
        catalog::Database db(catalogPath.toStdString());
        const auto rows = catalog::Gallery(db).search({});
        QCOMPARE(rows.size(), size_t(printed.size()));
        for (const auto& row : rows)
            QVERIFY2(expected.contains(QString::fromStdString(row.path)), row.path.c_str());
    }

    void inspectDescribesAMemoBombAsUnknownWithNoTensors()
    {
        // Issue 21: read safely, described as it is (kind unknown, 0 tensors), exit 0, with the
        // reason it is no model; using it (generate, below) is the error.
        const QString bomb = writeFile("bomb.ckpt", test::memoBombCheckpoint(40, 10));
        QProcess cli;
        cli.start(EASEL_CLI_BIN, {"inspect", bomb, "--no-hash", "--json"});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        const auto json = nlohmann::json::parse(cli.readAllStandardOutput().toStdString());
        QCOMPARE(json.size(), size_t(1));
        QCOMPARE(json[0].value("kind", ""), std::string("unknown"));
        QCOMPARE(json[0].value("tensors", -1), 0);
        QVERIFY2(json[0].value("not_a_model", "").find("no tensors") != std::string::npos, json.dump().c_str());

        cli.start(EASEL_CLI_BIN, {"inspect", bomb, "--no-hash"});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(out.contains("not a model") && out.contains("0 tensors"), qPrintable(out));
    }

    void generateRefusesAFileThatIsNotAModel()
    {
        const QString bomb = writeFile("bomb-gen.ckpt", test::memoBombCheckpoint(40, 10));
        const QString unknown = writeFile("unknown.ckpt", test::memoBombCheckpoint(10, 3, true));
        for (const QString& model : {bomb, unknown}) {
            const QString out = m_dir.filePath("refused");
            QStringList args = tinyGenerate(1) << "-o" << out + "/{seed}.png" << "--no-record";
            args[2] = model;
            QProcess cli;
            cli.start(EASEL_CLI_BIN, args);
            QVERIFY(cli.waitForFinished(120000));
            const QString err = QString::fromUtf8(cli.readAllStandardError());
            QCOMPARE(cli.exitCode(), 1);
            QVERIFY2(err.contains("no tensors") || err.contains("matching no checkpoint"), qPrintable(err));
            QVERIFY2(!err.contains("a unknown file"), qPrintable(err));
            QCOMPARE(filesUnder(out).size(), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestCliReliability)
#include "test_cli_reliability.moc"
