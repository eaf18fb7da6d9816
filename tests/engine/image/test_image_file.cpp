// Image files keep A1111 parameters in every format users share: PNG text, JPEG/WebP EXIF UserComment.

#include <QtTest>
#include <QTemporaryDir>

#include <fstream>

#include "engine/api/error.h"
#include "engine/image/exif_comment.h"
#include "engine/image/image_file.h"

using namespace easel;

class TestImageFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parametersSurviveEveryFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("supported");
        // The headless build (EASEL_PNG_ONLY) has no OpenCV imgcodecs: JPEG/WebP are refused clearly.
#ifdef EASEL_PNG_ONLY
        const bool lossy = false;
#else
        const bool lossy = true;
#endif
        QTest::newRow("png") << "out.png" << true;
        QTest::newRow("jpeg") << "out.jpg" << lossy;
        QTest::newRow("webp") << "out.webp" << lossy;
    }

    void parametersSurviveEveryFormat()
    {
        QFETCH(QString, name);
        QFETCH(bool, supported);
        QTemporaryDir dir;
        const std::string path = dir.filePath(name).toStdString();
        api::Image img{32, 24, 3, std::vector<unsigned char>(32 * 24 * 3, 90)};
        const std::string params = "一只猫 🐱, café\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 32x24";
        if (!supported) {
            try {
                image::writeImageFile(img, path, params, 90);
                QFAIL("a PNG-only build wrote a lossy format");
            } catch (const api::Error& e) {
                QCOMPARE(e.code(), api::ErrorCode::UnsupportedFormat);
                QVERIFY(!QFile::exists(dir.filePath(name)));
            }
            return;
        }
        image::writeImageFile(img, path, params, 90);
        QCOMPARE(image::readParameters(path), params);
        const api::Image back = image::readImageFile(path);
        QCOMPARE(back.width, 32);
        QCOMPARE(back.height, 24);
        QCOMPARE(back.channels, 3);
    }

    void exifIsReadableByStandardLayout()
    {
        const auto exif = image::buildExifUserComment("hello, world");
        QCOMPARE(*image::parseExifUserComment(exif.data(), exif.size()), std::string("hello, world"));
        QVERIFY(!image::parseExifUserComment(exif.data(), 10));
    }

    void hostileExifIsRefusedQuietly()
    {
        // Parsed by libexif and libwebpmux: damaged blocks give "no comment", never a crash.
        auto exif = image::buildExifUserComment("steps 20");
        for (size_t cut : {size_t(0), size_t(7), size_t(30)})
            QVERIFY(!image::parseExifUserComment(exif.data(), cut));
        auto huge = exif;
        huge[38] = huge[39] = huge[40] = huge[41] = 0xFF; // UserComment count = 4 G
        QVERIFY(!image::parseExifUserComment(huge.data(), huge.size()));
        auto badOrder = exif;
        badOrder[0] = badOrder[1] = 'X';
        QVERIFY(!image::parseExifUserComment(badOrder.data(), badOrder.size()));
        const std::vector<unsigned char> noise(300, 0xA5);
        QVERIFY(!image::parseExifUserComment(noise.data(), noise.size()));
        QVERIFY(image::findExif(noise).empty());
        std::vector<unsigned char> riff = {'R', 'I', 'F', 'F', 0xFF, 0xFF, 0xFF, 0x7F, 'W', 'E', 'B', 'P',
                                           'E', 'X', 'I', 'F', 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3};
        QVERIFY(image::findExif(riff).empty());
        std::vector<unsigned char> jpeg = {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M'};
        QVERIFY(!image::parseExifUserComment(image::findExif(jpeg).data(), image::findExif(jpeg).size()));
    }

    void notAnImage()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("x.png").toStdString();
        std::ofstream(path) << "definitely not a png";
        try {
            image::readImageFile(path);
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::CorruptFile);
            QCOMPARE(e.path(), path);
        }
        QVERIFY_THROWS_EXCEPTION(api::Error, image::readImageFile(dir.filePath("missing.png").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestImageFile)
#include "test_image_file.moc"
