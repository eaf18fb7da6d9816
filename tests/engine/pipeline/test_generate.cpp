// api::Engine end to end on the tiny checkpoints: every mode produces images, results are
// reproducible from seed and from the written infotext, bad requests fail with clear errors.

#include <QtTest>
#include <QTemporaryDir>

#include "engine/api/engine.h"
#include "engine/api/error.h"
#include "engine/image/image_file.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"
#include "engine/sampling/sampler_registry.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

api::GenerationRequest tiny(const std::string& family = "sd1")
{
    api::GenerationRequest r;
    r.model = test::goldenPath("models/" + family + "_tiny.safetensors");
    r.prompt = "a photo of a cat, (fluffy:1.2)";
    r.negativePrompt = "blurry";
    r.sampler = "Euler a";
    r.steps = 3;
    r.width = 64;
    r.height = 64;
    r.seed = 1234;
    return r;
}

api::Image solid(int w, int h, unsigned char v)
{
    return api::Image{w, h, 3, std::vector<unsigned char>(size_t(w) * h * 3, v)};
}

api::ErrorCode codeOf(api::Engine& engine, const api::GenerationRequest& r)
{
    try {
        engine.generate(r);
    } catch (const api::Error& e) {
        return e.code();
    }
    return api::ErrorCode::Ok;
}

} // namespace

class TestGenerate : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    api::Engine m_engine;

    std::string writeImage(const std::string& name, const api::Image& img)
    {
        const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
        image::writeImageFile(img, path, "");
        return path;
    }

private Q_SLOTS:
    void txt2imgEveryFamily_data()
    {
        QTest::addColumn<QString>("family");
        QTest::newRow("sd1") << "sd1";
        QTest::newRow("sd2") << "sd2";
        QTest::newRow("sdxl") << "sdxl";
    }

    void txt2imgEveryFamily()
    {
        QFETCH(QString, family);
        const auto result = m_engine.generate(tiny(family.toStdString()));
        QCOMPARE(result.images.size(), size_t(1));
        QCOMPARE(result.images[0].image.width, 64);
        QCOMPARE(result.images[0].seed, std::int64_t(1234));
        QVERIFY(result.images[0].infotext.find("Seed: 1234") != std::string::npos);
    }

    void everySamplerRuns()
    {
        // Every registered sampler, by its A1111 label, through the whole pipeline.
        for (const auto& info : sampling::samplerRegistry()) {
            api::GenerationRequest r = tiny();
            r.sampler = info.label;
            r.steps = 2;
            const auto out = m_engine.generate(r);
            QVERIFY2(out.images.size() == 1, info.label.c_str());
            QVERIFY(out.images[0].infotext.find("Sampler: " + info.label) != std::string::npos);
        }
    }

    void sameSeedSameImage_batchSizeDoesNotMatter()
    {
        api::GenerationRequest one = tiny();
        one.seed = 77;
        api::GenerationRequest batch = one;
        batch.batchSize = 2;
        batch.seed = 76;
        const auto a = m_engine.generate(one);
        const auto b = m_engine.generate(batch);
        QCOMPARE(b.images.size(), size_t(2));
        QCOMPARE(b.images[1].seed, std::int64_t(77));
        // Per-image generators: image 2 of a batch seeded 76 is the image seeded 77.
        int maxDiff = 0;
        for (size_t i = 0; i < a.images[0].image.pixels.size(); ++i)
            maxDiff = std::max(maxDiff, std::abs(a.images[0].image.pixels[i] - b.images[1].image.pixels[i]));
        QVERIFY2(maxDiff <= 1, std::to_string(maxDiff).c_str());
    }

    void lowMemoryModeMatchesUpToHalfPrecisionWeights()
    {
        // fp16 storage + fp32 compute: the only change is the fp16 rounding of the UNet/VAE weights.
        const api::GenerationRequest normal = tiny();
        api::GenerationRequest low = normal;
        low.lowMemory = true;
        const auto a = m_engine.generate(normal);
        const auto b = m_engine.generate(low);
        QCOMPARE(b.images.size(), size_t(1));
        double total = 0;
        int maxDiff = 0;
        const auto& pa = a.images[0].image.pixels;
        const auto& pb = b.images[0].image.pixels;
        QCOMPARE(pa.size(), pb.size());
        for (size_t i = 0; i < pa.size(); ++i) {
            const int d = std::abs(pa[i] - pb[i]);
            total += d;
            maxDiff = std::max(maxDiff, d);
        }
        const double mean = total / pa.size();
        qInfo("low-memory vs fp32: mean |diff| %.3f, max %d (of 255)", mean, maxDiff);
        QVERIFY2(mean <= 1.0, std::to_string(mean).c_str());
        QCOMPARE(b.images[0].infotext, a.images[0].infotext); // same settings recorded
    }

    void randomSeedIsRecorded()
    {
        api::GenerationRequest r = tiny();
        r.seed = -1;
        const auto result = m_engine.generate(r);
        QVERIFY(result.firstSeed >= 0);
        QCOMPARE(result.images[0].seed, result.firstSeed);
    }

    void infotextReproducesTheImage()
    {
        api::GenerationRequest r = tiny();
        r.scheduler = "Karras";
        r.clipSkip = 2;
        r.rng = api::RngSource::Cpu;
        const auto first = m_engine.generate(r);
        const std::string path = m_dir.filePath("round.png").toStdString();
        image::writeImageFile(first.images[0].image, path, first.images[0].infotext);
        api::GenerationRequest again = pipeline::requestFromInfotext(pipeline::parseInfotext(image::readParameters(path)));
        again.model = r.model;
        const auto second = m_engine.generate(again);
        QVERIFY(second.images[0].image.pixels == first.images[0].image.pixels);
    }

    void img2imgAndInpaintModes()
    {
        const std::string init = writeImage("init.png", solid(80, 48, 120));
        api::Image mask = solid(80, 48, 0);
        mask.channels = 3;
        for (int y = 10; y < 30; ++y)
            for (int x = 20; x < 50; ++x)
                for (int c = 0; c < 3; ++c)
                    mask.pixels[(size_t(y) * 80 + x) * 3 + c] = 255;
        const std::string maskPath = writeImage("mask.png", mask);

        api::GenerationRequest r = tiny();
        r.initImage = init;
        r.denoisingStrength = 0.6;
        r.resizeMode = api::ResizeMode::CropAndResize;
        QCOMPARE(m_engine.generate(r).images.size(), size_t(1));

        for (auto content : {api::MaskedContent::Original, api::MaskedContent::Fill, api::MaskedContent::LatentNoise,
                             api::MaskedContent::LatentNothing}) {
            for (auto area : {api::InpaintArea::WholePicture, api::InpaintArea::OnlyMasked}) {
                api::GenerationRequest in = r;
                in.inpaint = api::InpaintOptions{};
                in.inpaint->mask = maskPath;
                in.inpaint->maskedContent = content;
                in.inpaint->area = area;
                const auto out = m_engine.generate(in);
                const api::Image& img = out.images[0].image;
                if (area == api::InpaintArea::OnlyMasked) {
                    // Only-masked pastes back into the original: original size, untouched far from the mask.
                    QCOMPARE(img.width, 80);
                    QCOMPARE(img.height, 48);
                    QCOMPARE(int(img.pixels[(size_t(46) * 80 + 2) * 3]), 120);
                }
            }
        }
    }

    void hiresFix()
    {
        for (const std::string upscaler : {"Latent", "Lanczos"}) {
            api::GenerationRequest r = tiny();
            r.hires.enabled = true;
            r.hires.scale = 1.5;
            r.hires.steps = 2;
            r.hires.upscaler = upscaler;
            const auto out = m_engine.generate(r);
            QCOMPARE(out.images[0].image.width, 96);
            QVERIFY(out.images[0].infotext.find("Hires upscaler: " + upscaler) != std::string::npos);
        }
    }

    void cancelWritesNothing()
    {
        api::StopToken stop;
        int steps = 0;
        api::ProgressCallback cb = [&](const api::Progress& p) {
            if (p.stage == api::Stage::Sampling && ++steps == 1)
                stop.requestStop();
        };
        try {
            m_engine.generate(tiny(), cb, &stop);
            QFAIL("expected cancellation");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::Cancelled);
        }
    }

    void badRequests()
    {
        api::GenerationRequest r = tiny();
        r.steps = 0;
        QCOMPARE(codeOf(m_engine, r), api::ErrorCode::InvalidRequest);
        r = tiny();
        r.sampler = "Nonexistent";
        QCOMPARE(codeOf(m_engine, r), api::ErrorCode::InvalidRequest);
        r = tiny();
        r.initImage = "/no/such/image.png";
        QCOMPARE(codeOf(m_engine, r), api::ErrorCode::FileNotFound);
        r = tiny();
        r.model = test::goldenPath("models/lora_sd1_tiny.safetensors");
        QCOMPARE(codeOf(m_engine, r), api::ErrorCode::UnsupportedFormat);
        r = tiny();
        r.model = "/no/such/model.safetensors";
        QCOMPARE(codeOf(m_engine, r), api::ErrorCode::FileNotFound);
        // A size that is not a multiple of 8 is rounded, with a warning.
        r = tiny();
        r.width = 70;
        const auto out = m_engine.generate(r);
        QCOMPARE(out.images[0].image.width, 72);
        QVERIFY(!m_engine.warnings().empty());
    }
};

QTEST_GUILESS_MAIN(TestGenerate)
#include "test_generate.moc"
