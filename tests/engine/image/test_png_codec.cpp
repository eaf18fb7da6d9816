// PNG with A1111 metadata: pixels and text survive a round trip; damaged files are refused clearly.

#include <QtTest>
#include <QTemporaryDir>

#include <filesystem>

#include "engine/api/error.h"
#include "engine/core/atomic_file.h"
#include "engine/image/png_codec.h"

using namespace easel;

namespace {
api::Image gradient(int w, int h, int channels)
{
    api::Image img{w, h, channels, {}};
    img.pixels.resize(img.byteSize());
    for (size_t i = 0; i < img.pixels.size(); ++i)
        img.pixels[i] = static_cast<unsigned char>((i * 37) ^ (i >> 3));
    return img;
}
} // namespace

class TestPngCodec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pixelsAndTextRoundTrip()
    {
        for (int channels : {1, 3, 4}) {
            const api::Image img = gradient(37, 19, channels);
            const std::map<std::string, std::string> text = {
                {"parameters", "一只猫, (cat:1.2)\nSteps: 20, Sampler: Euler a, CFG scale: 7"},
                {"Software", "Easel"}};
            const auto png = image::encodePng(img, text);
            QCOMPARE(image::readPngText(png), text);
            const api::Image back = image::decodePng(png);
            QCOMPARE(back.width, 37);
            QCOMPARE(back.height, 19);
            QCOMPARE(back.channels, channels);
            QVERIFY(back.pixels == img.pixels);
        }
    }

    void truncatedFileIsCorrupt()
    {
        auto png = image::encodePng(gradient(16, 16, 3), {{"parameters", "x"}});
        png.resize(png.size() / 2);
        try {
            image::decodePng(png);
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::CorruptFile);
        }
        QVERIFY_THROWS_EXCEPTION(api::Error, image::readPngText({'n', 'o', 't'}));
    }

    void atomicWriteLeavesNoTempFiles()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.png").toStdString();
        core::writeFileAtomically(path, {1, 2, 3});
        QCOMPARE(core::readWholeFile(path), (std::vector<unsigned char>{1, 2, 3}));
        int files = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir.path().toStdString())) {
            (void)e;
            ++files;
        }
        QCOMPARE(files, 1);
        QVERIFY_THROWS_EXCEPTION(api::Error, core::writeFileAtomically("/proc/nope/x.png", {1}));
        QVERIFY_THROWS_EXCEPTION(api::Error, core::readWholeFile(dir.filePath("missing.png").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestPngCodec)
#include "test_png_codec.moc"
