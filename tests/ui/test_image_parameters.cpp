// Reading A1111 parameters back from PNG/JPEG files Easel (or A1111) wrote, as the drop onto the
// window does, and the reasons given when a file has none.

#include <QtTest>
#include <QTemporaryDir>

#include "engine/image/image_file.h"
#include "ui/image_parameters.h"

using namespace easel;

namespace {

api::Image smallImage()
{
    api::Image image;
    image.width = 8;
    image.height = 8;
    image.pixels.assign(8 * 8 * 3, 128);
    return image;
}

const char* kParameters =
    "masterpiece, (a cat:1.2), <lora:add_detail:0.5>\n"
    "Negative prompt: lowres, bad hands\n"
    "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 1234567890, Size: 832x1216, "
    "Model hash: 31e35c80fc, Model: sd_xl_base_1.0, Clip skip: 2, RNG: CPU";

} // namespace

class TestImageParameters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsPngAndJpeg_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::newRow("png") << "png";
        QTest::newRow("jpeg") << "jpg";
        QTest::newRow("webp") << "webp";
    }

    void readsPngAndJpeg()
    {
        QFETCH(QString, suffix);
        QTemporaryDir dir;
        const QString path = dir.filePath("image." + suffix);
        image::writeImageFile(smallImage(), path.toStdString(), kParameters);
        QVERIFY(ui::mayCarryParameters(path));
        api::GenerationRequest base;
        base.batchCount = 4; // not in the text: kept
        const ui::ImageParameters result = ui::readImageParameters(path, base);
        QVERIFY2(result.ok, qPrintable(result.error));
        const api::GenerationRequest& r = result.request;
        QCOMPARE(r.prompt, std::string("masterpiece, (a cat:1.2), <lora:add_detail:0.5>"));
        QCOMPARE(r.negativePrompt, std::string("lowres, bad hands"));
        QCOMPARE(r.steps, 28);
        QCOMPARE(r.sampler, std::string("DPM++ 2M"));
        QCOMPARE(r.scheduler, std::string("Karras"));
        QCOMPARE(r.cfgScale, 6.5);
        QCOMPARE(r.seed, 1234567890);
        QCOMPARE(r.width, 832);
        QCOMPARE(r.height, 1216);
        QCOMPARE(r.clipSkip, 2);
        QCOMPARE(r.rng, api::RngSource::Cpu);
        QCOMPARE(r.model, std::string("sd_xl_base_1.0"));
        QCOMPARE(r.batchCount, 4);
    }

    void saysWhyNothingApplies()
    {
        QTemporaryDir dir;
        const QString plain = dir.filePath("plain.png");
        image::writeImageFile(smallImage(), plain.toStdString(), "");
        ui::ImageParameters result = ui::readImageParameters(plain, {});
        QVERIFY(!result.ok);
        QVERIFY(result.error.contains("plain.png"));

        result = ui::readImageParameters(dir.filePath("missing.png"), {});
        QVERIFY(!result.ok);
        QVERIFY(!result.error.isEmpty());

        QFile broken(dir.filePath("broken.png"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a png");
        broken.close();
        result = ui::readImageParameters(broken.fileName(), {});
        QVERIFY(!result.ok);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(!ui::mayCarryParameters("notes.txt"));
    }
};

QTEST_GUILESS_MAIN(TestImageParameters)
#include "test_image_parameters.moc"
