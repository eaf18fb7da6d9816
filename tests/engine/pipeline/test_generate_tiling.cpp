// request.tiling (A1111 "Tiling") end to end on the tiny checkpoints. Exact: with circular padding
// the whole CFG + Euler loop and the decode commute with circular shifts of the noise, which they
// do not with zeros. Through api::Engine: the image wraps around (its opposite edges continue each
// other like neighbouring columns do, clearly less so without tiling) in txt2img, hires fix and
// img2img; the infotext says "Tiling: True" and reproduces the image.

#include <QtTest>
#include <QTemporaryDir>

#include "engine/api/engine.h"
#include "engine/image/image_file.h"
#include "engine/models/vae.h"
#include "engine/pipeline/cfg_denoiser.h"
#include "engine/pipeline/checkpoint.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"
#include "engine/sampling/discrete_schedule.h"
#include "tests/engine/pipeline/fixed_conditioning.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

api::GenerationRequest tiny(bool tiling)
{
    api::GenerationRequest r;
    r.model = test::goldenPath("models/sd1_tiny.safetensors");
    r.prompt = "a seamless pattern of cats";
    r.sampler = "Euler";
    r.steps = 4;
    r.width = 128;
    r.height = 64;
    r.seed = 321;
    r.tiling = tiling;
    return r;
}

/// Mean |pixel difference| between column (or row) `a` and `b` of `img`.
double lineDifference(const api::Image& img, bool columns, int a, int b)
{
    const int along = columns ? img.height : img.width;
    double sum = 0;
    for (int i = 0; i < along; ++i) {
        for (int c = 0; c < img.channels; ++c) {
            const auto at = [&](int line) {
                const int x = columns ? line : i, y = columns ? i : line;
                return int(img.pixels[(size_t(y) * img.width + x) * img.channels + c]);
            };
            sum += std::abs(at(a) - at(b));
        }
    }
    return sum / (along * img.channels);
}

/// How much the wrap-around seam (last column → first, last row → first) stands out: its mean
/// difference over the mean difference of neighbouring columns / rows inside the image. A seamless
/// texture is ~1 (the seam is just one more neighbour pair); a plain image is usually well above.
double seamRatio(const api::Image& img)
{
    double inner = 0;
    for (int x = 0; x + 1 < img.width; ++x)
        inner += lineDifference(img, true, x, x + 1);
    for (int y = 0; y + 1 < img.height; ++y)
        inner += lineDifference(img, false, y, y + 1);
    inner /= (img.width - 1) + (img.height - 1);
    const double seam = (lineDifference(img, true, img.width - 1, 0) + lineDifference(img, false, img.height - 1, 0)) / 2;
    return seam / std::max(inner, 1e-9);
}

/// Euler (k-diffusion sample_euler) with CFG from `noise`, then the VAE decode, all with `padding`.
torch::Tensor eulerImage(const pipeline::Checkpoint& ckpt, const torch::Tensor& noise, models::ConvPadding padding)
{
    const sampling::DiscreteSchedule schedule = sampling::DiscreteSchedule::stableDiffusion();
    torch::manual_seed(17); // the same prompts for every call
    const auto cond = test::fixedConditioning(torch::randn({1, 77, ckpt.unet->config().contextDim}));
    const auto uncond = test::fixedConditioning(torch::randn({1, 77, ckpt.unet->config().contextDim}));
    pipeline::CfgDenoiserSetup setup;
    setup.unet = ckpt.unet.get();
    setup.schedule = &schedule;
    setup.cond = &cond;
    setup.uncond = &uncond;
    setup.padding = padding;
    pipeline::CfgDenoiser denoiser(setup);
    const torch::Tensor sigmas = schedule.uniformSigmas(4);
    torch::Tensor x = noise * sigmas[0];
    for (int64_t i = 0; i + 1 < sigmas.size(0); ++i)
        x = x + (x - denoiser(x, sigmas[i])) / sigmas[i] * (sigmas[i + 1] - sigmas[i]);
    return ckpt.vae->decode(x / ckpt.vae->scalingFactor(), padding);
}

} // namespace

class TestGenerateTiling : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    api::Engine m_engine;

    /// Seam ratios of the same request without and with tiling (same engine: no reload between).
    std::pair<double, double> seams(api::GenerationRequest r, const char* what)
    {
        r.tiling = false;
        const api::Image plain = m_engine.generate(r).images.at(0).image;
        r.tiling = true;
        const api::Image tiled = m_engine.generate(r).images.at(0).image;
        const double a = seamRatio(plain), b = seamRatio(tiled);
        qInfo("%s seam ratio: without tiling %.2f, with tiling %.2f", what, a, b);
        return {a, b};
    }

private Q_SLOTS:
    void samplingAndDecodeCommuteWithShifts()
    {
        // image(roll(noise, k)) == roll(image(noise), 8k), k a multiple of the UNet's downsampling
        // (8 latent pixels for sd1_tiny's four levels): every conv of every step and of the decode wraps.
        c10::InferenceMode inference;
        const auto ckpt = pipeline::loadCheckpoint(test::goldenPath("models/sd1_tiny.safetensors"));
        torch::manual_seed(5);
        const torch::Tensor noise = torch::randn({1, 4, 16, 24});
        auto error = [&](models::ConvPadding padding) {
            const torch::Tensor direct = eulerImage(*ckpt, noise, padding);
            const torch::Tensor shifted = eulerImage(*ckpt, torch::roll(noise, {8, 16}, {2, 3}), padding);
            return (shifted - torch::roll(direct, {64, 128}, {2, 3})).abs().max().item<double>();
        };
        const double circular = error(models::ConvPadding::Circular), zeros = error(models::ConvPadding::Zeros);
        qInfo("image shift error after 4 Euler steps + decode: circular %.3g, zeros %.3g", circular, zeros);
        QVERIFY2(circular < 1e-3, qPrintable(QString::number(circular))); // images in ~[-1, 1]
        QVERIFY2(zeros > 0.1, qPrintable(QString::number(zeros)));
    }

    void txt2imgWrapsAround()
    {
        // The tiny random model makes noisy pictures, so the seam only stands out by ~25 % without
        // tiling (measured 1.23 against 0.98 with it); the exact property is the test above.
        const auto [plain, tiled] = seams(tiny(false), "txt2img");
        QVERIFY2(tiled < 1.1, qPrintable(QString::number(tiled)));
        QVERIFY2(plain > 1.15 * tiled, qPrintable(QString("%1 vs %2").arg(plain).arg(tiled)));
    }

    void hiresAndImg2imgWrapAround()
    {
        api::GenerationRequest hires = tiny(false);
        hires.width = hires.height = 64;
        hires.hires.enabled = true;
        hires.hires.scale = 2.0;
        hires.hires.denoisingStrength = 0.6;
        // Less than seamless: the "Latent" upscale between the passes is a bilinear resize that
        // clamps at the borders (A1111's too); the circular second pass then pulls the edges together.
        const auto [hiresPlain, hiresTiled] = seams(hires, "hires fix");
        QVERIFY2(hiresTiled < hiresPlain, qPrintable(QString("%1 vs %2").arg(hiresPlain).arg(hiresTiled)));

        api::GenerationRequest img2img = tiny(false);
        img2img.initPixels = api::Image{128, 64, 3, std::vector<unsigned char>(size_t(128) * 64 * 3, 128)};
        img2img.denoisingStrength = 0.9;
        const auto [i2iPlain, i2iTiled] = seams(img2img, "img2img");
        QVERIFY2(i2iTiled < i2iPlain, qPrintable(QString("%1 vs %2").arg(i2iPlain).arg(i2iTiled)));
    }

    void infotextRecordsTilingAndReproducesTheImage()
    {
        const auto first = m_engine.generate(tiny(true)).images.at(0);
        QVERIFY2(first.infotext.find(", Tiling: True") != std::string::npos, first.infotext.c_str());
        const std::string path = m_dir.filePath("tiled.png").toStdString();
        image::writeImageFile(first.image, path, first.infotext);
        api::GenerationRequest again =
            pipeline::requestFromInfotext(pipeline::parseInfotext(image::readParameters(path)));
        QVERIFY(again.tiling);
        again.model = tiny(true).model;
        QVERIFY(m_engine.generate(again).images.at(0).image.pixels == first.image.pixels);

        // Off: no Tiling field, and a different image from the same seed.
        const auto plain = m_engine.generate(tiny(false)).images.at(0);
        QVERIFY(plain.infotext.find("Tiling") == std::string::npos);
        QVERIFY(plain.image.pixels != first.image.pixels);
    }
};

QTEST_GUILESS_MAIN(TestGenerateTiling)
#include "test_generate_tiling.moc"
