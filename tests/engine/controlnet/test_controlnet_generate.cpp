// api::Engine with ControlNet units on the tiny SD1 checkpoint (64×64, 2 steps): one and two units
// change the image, the infotext records every unit the way the A1111 extension does and reading
// it back (the --from-png path) reproduces the image; units outside their window change nothing;
// img2img, inpaint and hires fix run with control; wrong-family and bad units fail clearly.

#include <QtTest>
#include <QTemporaryDir>

#include "engine/api/engine.h"
#include "engine/api/error.h"
#include "engine/image/image_file.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

api::GenerationRequest tiny()
{
    api::GenerationRequest r;
    r.model = test::goldenPath("models/sd1_tiny.safetensors");
    r.prompt = "a house on a hill";
    r.negativePrompt = "blurry";
    r.sampler = "Euler";
    r.steps = 2;
    r.width = 64;
    r.height = 64;
    r.seed = 77;
    return r;
}

/// A white square outline on black plus a diagonal: something canny and scribble both see.
api::Image drawing(int w, int h)
{
    api::Image img{w, h, 3, std::vector<unsigned char>(size_t(w) * h * 3, 0)};
    auto set = [&](int x, int y) {
        for (int c = 0; c < 3; ++c)
            img.pixels[(size_t(y) * w + x) * 3 + c] = 255;
    };
    for (int i = w / 4; i < 3 * w / 4; ++i) {
        set(i, h / 4);
        set(i, 3 * h / 4);
        set(w / 4, i * h / w);
        set(3 * w / 4, i * h / w);
    }
    for (int i = 0; i < std::min(w, h); ++i)
        set(i, i);
    return img;
}

double meanAbsDiff(const api::Image& a, const api::Image& b)
{
    double sum = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i)
        sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
    return sum / double(a.pixels.size());
}

} // namespace

class TestControlNetGenerate : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    api::Engine m_engine;
    std::string m_picture;
    api::Image m_plain;

    api::ControlUnit unit(const std::string& model, const std::string& preprocessor, double weight = 1.0)
    {
        api::ControlUnit u;
        u.model = test::goldenPath(model);
        u.image = m_picture;
        u.preprocessor = preprocessor;
        u.weight = weight;
        u.processorResolution = 64;
        return u;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // 96×80: another size and aspect than the generation, so the resize mode matters.
        m_picture = m_dir.filePath("control.png").toStdString();
        image::writeImageFile(drawing(96, 80), m_picture, "");
        m_plain = m_engine.generate(tiny()).images.at(0).image;
    }

    void oneAndTwoUnitsChangeTheImage()
    {
        api::GenerationRequest one = tiny();
        one.controlNets = {unit("models/controlnet_sd1_tiny.safetensors", "canny")};
        const auto a = m_engine.generate(one).images.at(0);
        QVERIFY2(meanAbsDiff(a.image, m_plain) > 0.5, "one unit left the image unchanged");

        api::GenerationRequest two = one;
        api::ControlUnit second = unit("models/controlnet_sd1_tiny_diffusers", "scribble", 0.6);
        second.controlMode = "My prompt is more important";
        second.resizeMode = api::ResizeMode::JustResize;
        two.controlNets.push_back(second);
        const auto b = m_engine.generate(two).images.at(0);
        QVERIFY2(meanAbsDiff(b.image, a.image) > 0.5, "the second unit changed nothing");
        QVERIFY(meanAbsDiff(b.image, m_plain) > 0.5);

        // The infotext: one `ControlNet N` entry per unit, as the extension writes it.
        const pipeline::Infotext info = pipeline::parseInfotext(b.infotext);
        const auto u0 = info.get("ControlNet 0");
        const auto u1 = info.get("ControlNet 1");
        QVERIFY2(u0 && u1, b.infotext.c_str());
        QVERIFY2(u0->rfind("Module: canny, Model: controlnet_sd1_tiny [", 0) == 0, u0->c_str());
        QVERIFY(u0->find("Weight: 1.0, Resize Mode: Crop and Resize, Processor Res: 64, Threshold A: 100.0, "
                         "Threshold B: 200.0, Guidance Start: 0.0, Guidance End: 1.0, Pixel Perfect: False, "
                         "Control Mode: Balanced") != std::string::npos);
        QVERIFY2(u1->rfind("Module: scribble_threshold, Model: controlnet_sd1_tiny_diffusers", 0) == 0, u1->c_str());
        QVERIFY(u1->find("Weight: 0.6, Resize Mode: Just Resize") != std::string::npos);
        QVERIFY(u1->find("Control Mode: My prompt is more important") != std::string::npos);
        // The quoted form in the text itself.
        QVERIFY(b.infotext.find("ControlNet 0: \"Module: canny") != std::string::npos);
    }

    void fromPngRoundTrip()
    {
        api::GenerationRequest r = tiny();
        api::ControlUnit u = unit("models/controlnet_sd1_tiny.safetensors", "lineart_dog", 0.8);
        u.guidanceEnd = 0.75;
        u.pixelPerfect = true;
        r.controlNets = {u};
        const auto first = m_engine.generate(r).images.at(0);
        const std::string png = m_dir.filePath("out.png").toStdString();
        image::writeImageFile(first.image, png, first.infotext);

        // What `easel-cli generate --from-png` does: parse, then give the model file and pictures.
        api::GenerationRequest back = pipeline::requestFromInfotext(pipeline::parseInfotext(image::readParameters(png)));
        QCOMPARE(back.controlNets.size(), size_t(1));
        const api::ControlUnit& b = back.controlNets[0];
        QCOMPARE(b.model, std::string("controlnet_sd1_tiny")); // a name; resolved beside the checkpoint
        QCOMPARE(b.preprocessor, std::string("lineart_dog"));
        QCOMPARE(b.weight, 0.8);
        QCOMPARE(b.guidanceEnd, 0.75);
        QVERIFY(b.pixelPerfect);
        QCOMPARE(b.thresholdA, 6.0); // the defaults used were recorded
        back.model = r.model;
        back.controlNets[0].image = m_picture;
        const auto again = m_engine.generate(back).images.at(0);
        QCOMPARE(again.image.pixels, first.image.pixels);
        QCOMPARE(again.infotext, first.infotext);
    }

    void unitsOutsideTheirWindowChangeNothing()
    {
        api::GenerationRequest r = tiny();
        api::ControlUnit late = unit("models/controlnet_sd1_tiny.safetensors", "canny");
        late.guidanceStart = 0.9; // 2 steps: A1111's progress is 0 and 0, never ≥ 0.9
        api::ControlUnit off = late;
        off.enabled = false;
        api::ControlUnit zero = unit("models/controlnet_sd1_tiny.safetensors", "canny", 0.0);
        r.controlNets = {late, off, zero};
        const auto result = m_engine.generate(r).images.at(0);
        QCOMPARE(result.image.pixels, m_plain.pixels);
        // Disabled and weight-0 units are not recorded; the out-of-window one is.
        const pipeline::Infotext info = pipeline::parseInfotext(result.infotext);
        QVERIFY(info.get("ControlNet 0").has_value());
        QVERIFY(!info.get("ControlNet 1").has_value());
    }

    void img2imgInpaintAndHires()
    {
        const std::string init = m_dir.filePath("init.png").toStdString();
        image::writeImageFile(api::Image{64, 64, 3, std::vector<unsigned char>(64 * 64 * 3, 128)}, init, "");
        const std::string mask = m_dir.filePath("mask.png").toStdString();
        api::Image maskImage{64, 64, 3, std::vector<unsigned char>(64 * 64 * 3, 0)};
        std::fill(maskImage.pixels.begin() + 64 * 3 * 16, maskImage.pixels.begin() + 64 * 3 * 48, 255);
        image::writeImageFile(maskImage, mask, "");

        // Mean pixel change caused by one soft-edge unit; -1 when the result is malformed.
        auto variants = [&](api::GenerationRequest r) -> double {
            const auto plain = m_engine.generate(r).images.at(0).image;
            r.controlNets = {unit("models/controlnet_sd1_tiny.safetensors", "softedge_sobel")};
            const auto controlled = m_engine.generate(r).images.at(0);
            if (controlled.image.width != plain.width || controlled.infotext.find("ControlNet 0: ") == std::string::npos)
                return -1.0;
            return meanAbsDiff(plain, controlled.image);
        };
        api::GenerationRequest img2img = tiny();
        img2img.initImage = init;
        img2img.denoisingStrength = 0.9;
        img2img.steps = 3;
        QVERIFY(variants(img2img) > 0.1);

        api::GenerationRequest inpaint = img2img;
        inpaint.inpaint = api::InpaintOptions{};
        inpaint.inpaint->mask = mask;
        QVERIFY(variants(inpaint) > 0.05);

        api::GenerationRequest hires = tiny();
        hires.hires.enabled = true;
        hires.hires.scale = 1.5; // 96×96: the hint is resized to the hires size
        hires.hires.steps = 2;
        QVERIFY(variants(hires) > 0.1);
    }

    void badUnitsFailClearly()
    {
        // SDXL checkpoint with the SD1 ControlNet: refused, naming both.
        api::GenerationRequest sdxl = tiny();
        sdxl.model = test::goldenPath("models/sdxl_tiny.safetensors");
        sdxl.controlNets = {unit("models/controlnet_sd1_tiny.safetensors", "canny")};
        try {
            m_engine.generate(sdxl);
            QFAIL("SD1 ControlNet used with an SDXL checkpoint");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::IncompatibleModel);
            QVERIFY(e.message().find("controlnet_sd1_tiny") != std::string::npos);
            QVERIFY(e.message().find("sdxl_tiny") != std::string::npos);
        }
        auto codeOf = [&](const api::GenerationRequest& r) {
            try {
                m_engine.generate(r);
            } catch (const api::Error& e) {
                return e.code();
            }
            return api::ErrorCode::Ok;
        };
        api::GenerationRequest r = tiny();
        r.controlNets = {unit("models/controlnet_sd1_tiny.safetensors", "canny")};
        r.controlNets[0].image.clear();
        QCOMPARE(codeOf(r), api::ErrorCode::InvalidRequest); // no picture
        r.controlNets[0].image = m_dir.filePath("missing.png").toStdString();
        QCOMPARE(codeOf(r), api::ErrorCode::FileNotFound);
        r.controlNets[0].image = m_picture;
        r.controlNets[0].preprocessor = "magic";
        QCOMPARE(codeOf(r), api::ErrorCode::InvalidRequest);
        r.controlNets[0].preprocessor = "canny";
        r.controlNets[0].controlMode = "Loudest";
        QCOMPARE(codeOf(r), api::ErrorCode::InvalidRequest);
        r.controlNets[0].controlMode = "Balanced";
        r.controlNets[0].model = test::goldenPath("models/lora_sd1_tiny.safetensors");
        QCOMPARE(codeOf(r), api::ErrorCode::CorruptFile); // a LoRA is not a ControlNet
        // The engine still works afterwards.
        QCOMPARE(m_engine.generate(tiny()).images.at(0).image.pixels, m_plain.pixels);
    }
};

QTEST_GUILESS_MAIN(TestControlNetGenerate)
#include "test_controlnet_generate.moc"
