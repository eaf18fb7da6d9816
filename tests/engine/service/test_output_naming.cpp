// The one output-naming function: placeholders, file-name safety, A1111's running number, and
// never replacing a finished image.

#include <QtTest>
#include <QTemporaryDir>

#include <fstream>

#include "engine/api/error.h"
#include "engine/service/output_naming.h"

using namespace easel;

namespace {

void touch(const QString& path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    std::ofstream(path.toStdString()) << "x";
}

api::GenerationRequest request()
{
    api::GenerationRequest r;
    r.model = "/models/Stable-diffusion/dream shaper:8.safetensors";
    r.prompt = "a cat / on a mat?";
    r.sampler = "DPM++ 2M";
    r.width = 512;
    r.height = 768;
    r.steps = 20;
    return r;
}

} // namespace

class TestOutputNaming : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fillsEveryPlaceholder()
    {
        service::NameFields f = service::nameFieldsFor(request(), 42, 7);
        f.time = 1765000000; // a fixed moment
        const std::string name = service::expandNamePattern(
            "{date}/{index}-{seed}-{model}-{prompt}-{sampler}-{width}x{height}-{steps}", f);
        QVERIFY2(name.find("/00007-42-dream shaper_8-a cat _ on a mat_-DPM++ 2M-512x768-20") != std::string::npos,
                 name.c_str());
        QCOMPARE(name.substr(0, 4), std::string("2025")); // {date} is YYYY-MM-DD
    }

    void valuesCannotOpenFoldersButThePatternCan()
    {
        service::NameFields f;
        f.prompt = "../../etc/passwd";
        const std::string name = service::expandNamePattern("out/{prompt}", f);
        QCOMPARE(name, std::string("out/.._.._etc_passwd"));
    }

    void patternsThatLeaveTheFolderAreRefused()
    {
        for (const char* bad : {"../x", "a/../../x", "/etc/x"}) {
            try {
                service::expandNamePattern(bad, {});
                QFAIL(bad);
            } catch (const api::Error& e) {
                QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
            }
        }
    }

    void fileNameSafeKeepsUtf8Whole()
    {
        const std::string text = "猫猫猫猫"; // 12 bytes
        QCOMPARE(service::fileNameSafe(text, 7), std::string("猫猫"));
        QCOMPARE(service::fileNameSafe("  a\tb  c.  "), std::string("a b c"));
        QCOMPARE(service::fileNameSafe("x:y*z"), std::string("x_y_z"));
    }

    void runningNumberFollowsTheFolder()
    {
        QTemporaryDir dir;
        QCOMPARE(service::nextImageIndex(dir.filePath("missing").toStdString()), 0);
        touch(dir.filePath("00003-1.png"));
        touch(dir.filePath("00011-9.png"));
        touch(dir.filePath("notes.txt"));
        QCOMPARE(service::nextImageIndex(dir.path().toStdString()), 12);
    }

    void theDefaultPatternIsDatedAndNumbered()
    {
        QTemporaryDir dir;
        service::OutputOptions o;
        o.folder = dir.path().toStdString();
        const std::string path = service::outputPathFor(o, "unused", request(), 5, 0, 1);
        QVERIFY2(QString::fromStdString(path).endsWith("/00000-5.png"), path.c_str());
        QVERIFY(QString::fromStdString(path).startsWith(dir.path()));
        QCOMPARE(std::string(service::kDefaultNamePattern), std::string("{date}/{index}-{seed}"));
    }

    void aTakenNameGetsASuffixNeverOverwritten()
    {
        QTemporaryDir dir;
        service::OutputOptions o;
        o.folder = dir.path().toStdString();
        o.pattern = "{seed}";
        const std::string first = service::outputPathFor(o, "", request(), 5, 0, 1);
        touch(QString::fromStdString(first));
        const std::string second = service::outputPathFor(o, "", request(), 5, 0, 1);
        QCOMPARE(QFileInfo(QString::fromStdString(second)).fileName(), QStringLiteral("5-2.png"));
    }

    void anExactPathIsNumberedForSeveralImagesAndReplacedOnlyWhenAsked()
    {
        QTemporaryDir dir;
        service::OutputOptions o;
        o.exactPath = dir.filePath("out.webp").toStdString();
        QCOMPARE(service::outputExtension(o), std::string(".webp"));
        QCOMPARE(service::outputPathFor(o, "", request(), 1, 0, 1), o.exactPath);
        QVERIFY(QString::fromStdString(service::outputPathFor(o, "", request(), 1, 1, 3)).endsWith("out-00001.webp"));
        touch(QString::fromStdString(o.exactPath));
        QVERIFY(QString::fromStdString(service::outputPathFor(o, "", request(), 1, 0, 1)).endsWith("out-2.webp"));
        o.overwrite = true;
        QCOMPARE(service::outputPathFor(o, "", request(), 1, 0, 1), o.exactPath);
    }
};

QTEST_GUILESS_MAIN(TestOutputNaming)
#include "test_output_naming.moc"
