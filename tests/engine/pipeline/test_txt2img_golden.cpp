// The whole k-diffusion Euler + CFG loop on a tiny checkpoint reproduces the reference trajectory:
// every step's x and CFG-denoised x0, the final latent and the decoded image. Data-driven over
// every ref/txt2img_<family>.safetensors (model: models/<family>_tiny.safetensors).

#include <QtTest>

#include <filesystem>

#include "engine/io/state_dict.h"
#include "engine/pipeline/cfg_denoiser.h"
#include "engine/pipeline/checkpoint.h"
#include "engine/sampling/discrete_schedule.h"
#include "tests/engine/pipeline/fixed_conditioning.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

double maxAbs(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

} // namespace

class TestTxt2ImgGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trajectoryMatches_data()
    {
        QTest::addColumn<QString>("ref");
        for (const auto& f : test::goldenFiles("ref", ".safetensors"))
            if (std::filesystem::path(f).filename().string().rfind("txt2img_", 0) == 0)
                QTest::newRow(f.c_str()) << QString::fromStdString(f);
    }

    void trajectoryMatches()
    {
        QFETCH(QString, ref);
        c10::InferenceMode guard;
        const io::StateDict r = io::loadStateDict(ref.toStdString());
        const std::string family = std::filesystem::path(ref.toStdString()).stem().string().substr(8);
        const auto ckpt = pipeline::loadCheckpoint(test::goldenPath("models/" + family + "_tiny.safetensors"));

        const sampling::DiscreteSchedule schedule = sampling::DiscreteSchedule::stableDiffusion();
        const torch::Tensor sigmas = r.at("sigmas");
        const int steps = static_cast<int>(sigmas.size(0)) - 1;
        // The reference used k-diffusion get_sigmas(n): our uniform schedule must agree.
        QVERIFY(maxAbs(schedule.uniformSigmas(steps), sigmas) < 1e-5);
        QVERIFY(maxAbs(schedule.sigmaToT(sigmas.narrow(0, 0, steps)), r.at("timesteps")) < 1e-3);

        const auto cond = test::fixedConditioning(r.at("cond"));
        const auto uncond = test::fixedConditioning(r.at("uncond"));
        pipeline::CfgDenoiserSetup setup;
        setup.unet = ckpt->unet.get();
        setup.schedule = &schedule;
        setup.cond = &cond;
        setup.uncond = &uncond;
        setup.cfgScale = 7.0;
        pipeline::CfgDenoiser denoiser(setup);

        torch::Tensor x = r.at("noise") * sigmas[0];
        for (int i = 0; i < steps; ++i) {
            const std::string p = "step" + std::to_string(i) + ".";
            QVERIFY2(maxAbs(x, r.at(p + "x")) < 1e-3, (p + "x").c_str());
            const torch::Tensor denoised = denoiser(x, sigmas[i]);
            const double err = maxAbs(denoised, r.at(p + "denoised"));
            QVERIFY2(err < 1e-3, (p + "denoised: " + std::to_string(err)).c_str());
            // Ref: k-diffusion sample_euler (s_churn 0).
            x = x + (x - denoised) / sigmas[i] * (sigmas[i + 1] - sigmas[i]);
        }
        // Latents reach |x| ~ 50 here, so 1e-4 relative to that scale.
        const double latentErr = maxAbs(x, r.at("final_latent"));
        QVERIFY2(latentErr < 5e-3, std::to_string(latentErr).c_str());
        const torch::Tensor image = ckpt->vae->decode(r.at("final_latent") / ckpt->vae->scalingFactor());
        const double imageErr = maxAbs(image, r.at("image"));
        QVERIFY2(imageErr < 1e-4, std::to_string(imageErr).c_str());
    }
};

QTEST_GUILESS_MAIN(TestTxt2ImgGolden)
#include "test_txt2img_golden.moc"
