// The pipeline's ControlNet path (loader + ControlSession hook) against ref/controlnet.safetensors for
// both layouts users download (lllyasviel single file, diffusers folder), then the rules of
// ControlSession: A1111's guidance window (with model calls counted), control modes (soft injection
// ladder, CFG injection on the uncond rows), summing two units, and the family check.

#include <QtTest>

#include <cmath>
#include <regex>

#include "engine/api/error.h"
#include "engine/controlnet/control_session.h"
#include "engine/pipeline/cfg_denoiser.h"
#include "engine/io/state_dict.h"
#include "engine/models/unet.h"
#include "engine/models/weight_loading.h"
#include "tests/engine/models/tiny_models.h"

using namespace easel;

namespace {

const char* kLayouts[] = {"models/controlnet_sd1_tiny.safetensors", "models/controlnet_sd1_tiny_diffusers"};

controlnet::PreparedUnit unitWith(const std::shared_ptr<controlnet::LoadedControlNet>& model, const torch::Tensor& hint,
                                  double weight = 1.0, const std::string& mode = "Balanced")
{
    controlnet::PreparedUnit u;
    u.model = model;
    u.fixedHint = hint;
    u.unit.weight = weight;
    u.unit.preprocessor = "none";
    u.mode = controlnet::parseControlMode(mode);
    u.unit.controlMode = controlnet::controlModeLabel(u.mode);
    return u;
}

/// "s05" = 0.5, "s1" = 1.0: digits after a leading 0 are decimals (the reference file's naming).
double scaleOf(const std::string& digits)
{
    return digits.size() > 1 && digits[0] == '0' ? std::stod("0." + digits.substr(1)) : std::stod(digits);
}

/// The soft-injection ladder of sd-webui-controlnet (hook.py): output i × 0.825^(12 − i) for the
/// first 13 outputs, whatever the ControlNet's number of residuals.
double ladder(size_t i) { return i < 13 ? std::pow(0.825, 12.0 - double(i)) : 1.0; }

const char* const kCheckpoint = "models/sd1_tiny.safetensors";

} // namespace

class TestControlNetSession : public QObject {
    Q_OBJECT
    io::StateDict m_ref;
    io::DetectedModel m_checkpoint;
    std::shared_ptr<models::UNet> m_unet;
    std::shared_ptr<controlnet::LoadedControlNet> m_model;

    /// A pass over the reference inputs: the hint's size, `batchSize` images per row group.
    controlnet::ControlSession::Pass pass(int64_t batchSize, int totalSteps = 1) const
    {
        const torch::Tensor& hint = m_ref.at("hint");
        return {1, static_cast<int>(batchSize), static_cast<int>(hint.size(3)), static_cast<int>(hint.size(2)),
                totalSteps, false};
    }

    /// Residuals of one session call on the reference inputs (batch of the reference x).
    models::ControlResiduals run(controlnet::ControlSession& session, int totalSteps = 1)
    {
        pipeline::CfgDenoiserSetup setup;
        const torch::Tensor x = m_ref.at("x");
        setup.control = session.attach(pass(x.size(0), totalSteps));
        auto r = setup.control(x, m_ref.at("t"), m_ref.at("context"), torch::Tensor(), 0);
        if (!r)
            throw std::runtime_error("no residuals");
        return *r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ref = io::loadStateDict(test::goldenPath("ref/controlnet.safetensors"));
        m_checkpoint = test::detectGoldenModel(kCheckpoint);
        m_unet = test::loadGoldenUNet(kCheckpoint);
        // Paired with the checkpoint, as prepareUnits loads it for a generation.
        m_model = controlnet::loadControlNet(test::goldenPath(kLayouts[0]), torch::kCPU, torch::kFloat32, &m_checkpoint,
                                             test::goldenPath(kCheckpoint));
    }

    void goldenBothLayouts_data()
    {
        QTest::addColumn<QString>("file");
        for (const char* f : kLayouts)
            QTest::newRow(f) << f;
    }

    void goldenBothLayouts()
    {
        QFETCH(QString, file);
        c10::InferenceMode inference;
        controlnet::ControlNetCache cache;
        const auto model = cache.get(test::goldenPath(file.toStdString()), torch::kCPU, torch::kFloat32, &m_checkpoint,
                                     test::goldenPath(kCheckpoint));
        QCOMPARE(model->name, QFileInfo(file).completeBaseName().toStdString());
        controlnet::checkCompatible(*model, m_checkpoint, test::goldenPath(kCheckpoint));
        const torch::Tensor hint = m_ref.at("hint");
        size_t downChecked = 0, residuals = 0;
        int otherChecked = 0;
        double worst = 0;
        for (const auto& [name, expected] : m_ref) {
            std::smatch m;
            torch::Tensor got;
            if (std::regex_match(name, m, std::regex(R"(down_res\.(\d+))"))) {
                controlnet::ControlSession session({unitWith(model, hint)});
                const auto res = run(session);
                QVERIFY(std::stoul(m[1].str()) < res.down.size());
                got = res.down[std::stoul(m[1].str())];
                residuals = res.down.size();
                ++downChecked;
            } else if (name == "mid_res") {
                controlnet::ControlSession session({unitWith(model, hint)});
                got = run(session).mid;
                ++otherChecked;
            } else if (std::regex_match(name, m, std::regex(R"(out\.s(\d+))"))) {
                // The weight plays the reference's conditioning scale; the UNet adds the residuals.
                controlnet::ControlSession session({unitWith(model, hint, scaleOf(m[1].str()))});
                const auto res = run(session);
                got = m_unet->forward(m_ref.at("x"), m_ref.at("t"), m_ref.at("context"), std::nullopt, &res);
                ++otherChecked;
            } else {
                continue;
            }
            // Same tolerance rule as test_controlnet_golden: 1e-4 relative to the tensor's magnitude.
            const double err = test::maxAbsDiff(got, expected) / std::max(1.0, expected.abs().max().item<double>());
            worst = std::max(worst, err);
        }
        // A reference for every down residual, the mid one and at least one scale.
        QVERIFY(downChecked > 0);
        QCOMPARE(downChecked, residuals);
        QVERIFY(otherChecked >= 2);
        QVERIFY2(worst <= 1e-4, qPrintable(QString::number(worst)));
    }

    void guidanceWindowSkipsTheModel()
    {
        c10::InferenceMode inference;
        const torch::Tensor hint = m_ref.at("hint");
        struct Case {
            double start, end;
            int expectedCalls;
        };
        // 4 steps; A1111's sampling_step during steps 0..3 is 0, 0, 1, 2 → percent 0, 0, .25, .5.
        for (const Case c : {Case{0.0, 1.0, 4}, Case{0.5, 1.0, 1}, Case{0.0, 0.3, 3}, Case{0.3, 0.4, 0}, Case{1.0, 1.0, 0}}) {
            auto unit = unitWith(m_model, hint);
            unit.unit.guidanceStart = c.start;
            unit.unit.guidanceEnd = c.end;
            controlnet::ControlSession session({unit});
            pipeline::CfgDenoiserSetup setup;
            setup.control = session.attach(pass(m_ref.at("x").size(0), 4));
            int withResiduals = 0;
            for (int step = 0; step < 4; ++step) {
                withResiduals += setup.control(m_ref.at("x"), m_ref.at("t"), m_ref.at("context"), {}, step).has_value();
                session.stepDone(step + 1);
            }
            QCOMPARE(session.modelCalls(), c.expectedCalls);
            QCOMPARE(withResiduals, c.expectedCalls);
        }
    }

    void controlModesFollowTheExtension()
    {
        c10::InferenceMode inference;
        const torch::Tensor hint = m_ref.at("hint");
        controlnet::ControlSession balanced({unitWith(m_model, hint, 0.8)});
        const auto b = run(balanced);
        // My prompt is more important: output i × 0.825^(12 − i); the mid block comes after the
        // down residuals (with SD1's 12 it is i = 12 and keeps 0.8).
        controlnet::ControlSession prompt({unitWith(m_model, hint, 0.8, "My prompt is more important")});
        const auto p = run(prompt);
        for (size_t i = 0; i < b.down.size(); ++i)
            QVERIFY(torch::allclose(p.down[i], b.down[i] * ladder(i), 1e-5, 1e-6));
        QVERIFY(torch::allclose(p.mid, b.mid * ladder(b.down.size()), 1e-5, 1e-6));
        // ControlNet is more important: soft ladder + no control on the uncond rows. The reference
        // batch is split into cond rows and as many uncond rows (CFG batch cond first).
        const torch::Tensor x = m_ref.at("x");
        QVERIFY(x.size(0) >= 2 && x.size(0) % 2 == 0);
        const int64_t half = x.size(0) / 2;
        auto unit = unitWith(m_model, hint, 0.8, "ControlNet is more important");
        controlnet::ControlSession cn({unit});
        pipeline::CfgDenoiserSetup setup;
        setup.control = cn.attach(pass(half));
        const auto c = *setup.control(x, m_ref.at("t"), m_ref.at("context"), {}, 0);
        for (size_t i = 0; i < b.down.size(); ++i) {
            QVERIFY(torch::allclose(c.down[i].slice(0, 0, half), p.down[i].slice(0, 0, half), 1e-5, 1e-6));
            QCOMPARE(c.down[i].slice(0, half).abs().max().item<double>(), 0.0);
        }
        QCOMPARE(c.mid.slice(0, half).abs().max().item<double>(), 0.0);
        // Separate cond/uncond calls (the whole reference batch is one row group per call): the
        // 2nd call of a denoiser step is the uncond one.
        controlnet::ControlSession separate({unit});
        pipeline::CfgDenoiserSetup setup2;
        setup2.control = separate.attach(pass(x.size(0)));
        const auto first = *setup2.control(m_ref.at("x"), m_ref.at("t"), m_ref.at("context"), {}, 0);
        const auto second = *setup2.control(m_ref.at("x"), m_ref.at("t"), m_ref.at("context"), {}, 0);
        QVERIFY(first.mid.abs().max().item<double>() > 0);
        QCOMPARE(second.mid.abs().max().item<double>(), 0.0);
        // Hires pass: canny is forced to the soft ladder.
        auto canny = unitWith(m_model, hint, 1.0);
        canny.unit.preprocessor = "canny";
        QCOMPARE(controlnet::outputScales(canny, 13, false)[0], 1.0);
        QCOMPARE(controlnet::outputScales(canny, 13, true)[0], std::pow(0.825, 12.0));
        QCOMPARE(controlnet::outputScales(canny, 13, true)[12], 1.0);
    }

    void twoUnitsAreSummed()
    {
        c10::InferenceMode inference;
        const torch::Tensor hint = m_ref.at("hint");
        controlnet::ControlSession one({unitWith(m_model, hint, 0.5)});
        controlnet::ControlSession other({unitWith(m_model, 1.0 - hint, 0.25)});
        controlnet::ControlSession both({unitWith(m_model, hint, 0.5), unitWith(m_model, 1.0 - hint, 0.25)});
        const auto a = run(one), b = run(other), s = run(both);
        for (size_t i = 0; i < s.down.size(); ++i)
            QVERIFY(torch::allclose(s.down[i], a.down[i] + b.down[i], 1e-5, 1e-5));
        QVERIFY(torch::allclose(s.mid, a.mid + b.mid, 1e-5, 1e-5));
        QCOMPARE(both.modelCalls(), 1 * 2);
    }

    /// A ControlNet file without a sidecar cannot show its attention heads: it takes the paired
    /// checkpoint's (whatever they are); one whose config.json states them keeps its own; a trunk of
    /// another shape is left alone (checkCompatible refuses it).
    void headsComeFromThePairedCheckpoint()
    {
        const io::DetectedModel single = io::detectModelFile(test::goldenPath(kLayouts[0]));
        const io::DetectedModel folder = io::detectModelFile(test::goldenPath(kLayouts[1]));
        QCOMPARE(single.configSource, std::string("weights"));
        QVERIFY(folder.configSource != "weights");
        io::DetectedModel other = m_checkpoint; // the same trunk with heads of a fixed size instead
        other.unet.numHeads = -1;
        other.unet.numHeadChannels = m_checkpoint.unet.modelChannels;
        const io::DetectedModel paired = controlnet::pairedWith(single, other, "other.safetensors");
        QCOMPARE(paired.controlNet.unet.numHeads, -1);
        QCOMPARE(paired.controlNet.unet.numHeadChannels, other.unet.numHeadChannels);
        QVERIFY(!paired.notes.empty() && paired.notes.back().find("other") != std::string::npos);
        const io::DetectedModel own = controlnet::pairedWith(folder, other);
        QCOMPARE(own.controlNet.unet.numHeads, folder.controlNet.unet.numHeads);
        QCOMPARE(own.controlNet.unet.numHeadChannels, folder.controlNet.unet.numHeadChannels);
        const io::DetectedModel sdxl = test::detectGoldenModel("models/sdxl_tiny.safetensors");
        const io::DetectedModel unpaired = controlnet::pairedWith(single, sdxl);
        QCOMPARE(unpaired.controlNet.unet.numHeads, single.controlNet.unet.numHeads);
        QCOMPARE(unpaired.controlNet.unet.numHeadChannels, single.controlNet.unet.numHeadChannels);
        // The network generation builds has the checkpoint's heads.
        QCOMPARE(m_model->detected.controlNet.unet.numHeads, m_checkpoint.unet.numHeads);
        QCOMPARE(m_model->detected.controlNet.unet.numHeadChannels, m_checkpoint.unet.numHeadChannels);
    }

    void wrongFamilyIsRefused()
    {
        const io::DetectedModel sdxl = test::detectGoldenModel("models/sdxl_tiny.safetensors");
        try {
            controlnet::checkCompatible(*m_model, sdxl, test::goldenPath("models/sdxl_tiny.safetensors"));
            QFAIL("SD1 ControlNet accepted for an SDXL checkpoint");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::IncompatibleModel);
            QVERIFY(e.message().find("controlnet_sd1_tiny") != std::string::npos);
            QVERIFY(e.message().find("sdxl_tiny") != std::string::npos);
            QVERIFY(e.message().find("SDXL") != std::string::npos);
        }
    }

    void badFiles()
    {
        // A checkpoint is not a ControlNet; a missing name says where it looked.
        try {
            controlnet::loadControlNet(test::goldenPath("models/sd1_tiny.safetensors"), torch::kCPU, torch::kFloat32);
            QFAIL("checkpoint accepted as ControlNet");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::CorruptFile);
            QVERIFY(e.message().find("checkpoint") != std::string::npos);
        }
        try {
            controlnet::resolveControlNetPath("no_such_controlnet", test::goldenPath("models/sd1_tiny.safetensors"));
            QFAIL("missing ControlNet resolved");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::FileNotFound);
        }
        // By name, beside the checkpoint (A1111 users' folders hold both).
        QCOMPARE(controlnet::resolveControlNetPath("controlnet_sd1_tiny", test::goldenPath("models/sd1_tiny.safetensors")),
                 test::goldenPath("models/controlnet_sd1_tiny.safetensors"));
        QTemporaryDir dir;
        const QString corrupt = dir.filePath("broken.safetensors");
        QFile f(corrupt);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":", 13);
        f.close();
        QVERIFY_THROWS_EXCEPTION(api::Error, controlnet::loadControlNet(corrupt.toStdString(), torch::kCPU, torch::kFloat32));
    }
};

QTEST_GUILESS_MAIN(TestControlNetSession)
#include "test_controlnet_session.moc"
