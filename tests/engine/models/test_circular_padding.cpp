// A1111 "Tiling" (models/conv_padding.h): with circular padding every padded conv wraps around, so
// a conv stack commutes with circular shifts. The property is exact (up to float32 summation
// order), and it fails with zero padding, which proves the per-call mode reaches every conv of the
// UNet and the VAE on every fast path. Also: our Conv2d equals torch's padding_mode='circular'
// (what A1111 sets), the ControlNet stays zero-padded, and the mode leaves nothing behind.

#include <QtTest>

#include "engine/controlnet/control_model.h"
#include "engine/models/circular_pad.h"
#include "engine/models/controlnet.h"
#include "engine/models/conv_padding.h"
#include "engine/models/fast_path.h"
#include "engine/models/layers.h"
#include "engine/models/unet.h"
#include "engine/models/vae.h"
#include "tests/engine/models/tiny_models.h"

using namespace easel;
using models::ConvPadding;

namespace {

namespace F = torch::nn::functional;

/// `x` rolled by (dy, dx) over its last two dimensions.
torch::Tensor roll(const torch::Tensor& x, int64_t dy, int64_t dx) { return torch::roll(x, {dy, dx}, {-2, -1}); }

/// The UNet's total downsampling (2 per level below the top).
int64_t unetDownsampling(const models::UNet& unet) { return int64_t{1} << (unet.config().channelMult.size() - 1); }

struct UNetInputs {
    torch::Tensor x, t, context;
    std::optional<torch::Tensor> y;
};

UNetInputs unetInputs(const models::UNet& unet, int64_t side)
{
    const io::UNetConfig& c = unet.config();
    UNetInputs in;
    in.x = torch::randn({2, c.inChannels, side, side});
    in.t = torch::tensor({500.0});
    in.context = torch::randn({2, 77, c.contextDim});
    if (c.admInChannels > 0)
        in.y = torch::randn({2, c.admInChannels});
    return in;
}

/// max |f(roll(x)) − roll(f(x))| of the UNet for a shift of (dy, dx) latent pixels.
double unetShiftError(const models::UNet& unet, const UNetInputs& in, int64_t dy, int64_t dx, ConvPadding padding)
{
    const torch::Tensor direct = unet.forward(in.x, in.t, in.context, in.y, nullptr, padding);
    const torch::Tensor shifted = unet.forward(roll(in.x, dy, dx), in.t, in.context, in.y, nullptr, padding);
    return test::maxAbsDiff(shifted, roll(direct, dy, dx));
}

} // namespace

class TestCircularPadding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void padCircularIsTorchsCircularPadInTheInputsLayout()
    {
        torch::manual_seed(3);
        const torch::Tensor x = torch::randn({2, 3, 5, 7});
        for (int64_t pad : {0, 1, 2, 5}) {
            const torch::Tensor expected = F::pad(x, F::PadFuncOptions({pad, pad, pad, pad}).mode(torch::kCircular));
            QVERIFY(torch::equal(models::padCircular(x, pad), expected));
            const torch::Tensor nhwc = models::padCircular(x.contiguous(torch::MemoryFormat::ChannelsLast), pad);
            QVERIFY(torch::equal(nhwc, expected));
            QVERIFY(pad == 0 || nhwc.is_contiguous(torch::MemoryFormat::ChannelsLast));
        }
        QVERIFY_THROWS_EXCEPTION(std::exception, models::padCircular(x, 6)); // wider than the 5 rows
    }

    void convEqualsTorchsCircularConv_data()
    {
        QTest::addColumn<int>("stride");
        QTest::addColumn<bool>("channelsLast");
        QTest::newRow("stride 1 NCHW") << 1 << false;
        QTest::newRow("stride 1 NHWC") << 1 << true;
        QTest::newRow("stride 2 NCHW") << 2 << false; // the UNet's Downsample
        QTest::newRow("stride 2 NHWC") << 2 << true;
    }

    void convEqualsTorchsCircularConv()
    {
        // The reference is torch's own nn.Conv2d(padding_mode='circular'), what A1111 switches to.
        QFETCH(int, stride);
        QFETCH(bool, channelsLast);
        torch::manual_seed(5);
        auto ours = std::make_shared<models::Conv2d>(3, 4, 3, stride, 1);
        torch::nn::Conv2d circular(torch::nn::Conv2dOptions(3, 4, 3).stride(stride).padding(1).padding_mode(torch::kCircular));
        torch::nn::Conv2d zeros(torch::nn::Conv2dOptions(3, 4, 3).stride(stride).padding(1));
        {
            torch::NoGradGuard noGrad; // the same weights in all three
            zeros->weight.copy_(circular->weight);
            zeros->bias.copy_(circular->bias);
            ours->replaceParameter("weight", circular->weight.clone());
            ours->replaceParameter("bias", circular->bias.clone());
        }
        c10::InferenceMode inference;
        torch::Tensor x = torch::randn({2, 3, 10, 12});
        if (channelsLast)
            x = x.contiguous(torch::MemoryFormat::ChannelsLast);
        {
            const models::ConvPaddingScope scope(ConvPadding::Circular);
            QVERIFY(test::maxAbsDiff(ours->forward(x), circular->forward(x)) < 1e-6);
        }
        QCOMPARE(models::convPadding(), ConvPadding::Zeros); // the scope restored the default
        QVERIFY(test::maxAbsDiff(ours->forward(x), zeros->forward(x)) < 1e-6);
        QVERIFY(test::maxAbsDiff(ours->forward(x), circular->forward(x)) > 1e-3);
    }

    void vaeDecoderCommutesWithShifts_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("sd1") << "models/sd1_tiny.safetensors";
        QTest::newRow("sdxl") << "models/sdxl_tiny.safetensors";
        QTest::newRow("vae_alt") << "models/vae_tiny_alt.safetensors";
    }

    void vaeDecoderCommutesWithShifts()
    {
        // decode(roll(z, k)) == roll(decode(z), f·k) with circular padding, f = the VAE's factor.
        QFETCH(QString, model);
        c10::InferenceMode inference;
        const auto vae = test::loadGoldenVAE(model.toStdString());
        const int64_t f = vae->downscaleFactor();
        torch::manual_seed(11);
        const torch::Tensor z = torch::randn({1, vae->config().embedDim, 12, 16});
        auto error = [&](ConvPadding padding) {
            const torch::Tensor direct = vae->decode(z, padding);
            return test::maxAbsDiff(vae->decode(roll(z, 3, 5), padding), roll(direct, 3 * f, 5 * f));
        };
        const torch::Tensor before = vae->decode(z);
        const double circular = error(ConvPadding::Circular), zeros = error(ConvPadding::Zeros);
        qInfo("%s decoder shift error: circular %.3g, zeros %.3g", qPrintable(model), circular, zeros);
        QVERIFY2(circular <= 1e-4, qPrintable(QString::number(circular)));
        QVERIFY2(zeros > 1e-2, qPrintable(QString::number(zeros)));
        // Switching back needs no reload and leaves no trace: the zero-padded decode is bit-identical.
        QVERIFY(torch::equal(vae->decode(z), before));
    }

    void vaeEncoderWrapsExceptItsDownsamplePad()
    {
        // Ref: LDM model.py Downsample pads (right, bottom) with zeros before its padding-0 conv, and
        // A1111's circular mode cannot reach that pad. So the encoder is not exactly equivariant,
        // but circular padding brings it far closer than zeros (the rest of its convs wrap).
        c10::InferenceMode inference;
        const auto vae = test::loadGoldenVAE("models/sd1_tiny.safetensors");
        const int64_t f = vae->downscaleFactor();
        torch::manual_seed(12);
        const torch::Tensor image = torch::rand({1, 3, 8 * f, 8 * f}) * 2 - 1;
        auto error = [&](ConvPadding padding) {
            const torch::Tensor direct = vae->moments(image, padding);
            return test::maxAbsDiff(vae->moments(roll(image, 2 * f, 3 * f), padding), roll(direct, 2, 3));
        };
        const double circular = error(ConvPadding::Circular), zeros = error(ConvPadding::Zeros);
        qInfo("encoder shift error: circular %.3g, zeros %.3g", circular, zeros);
        QVERIFY2(circular < zeros, qPrintable(QString("%1 %2").arg(circular).arg(zeros)));
    }

    void unetCommutesWithShifts_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("fast");
        QTest::newRow("sd1 fast paths") << "models/sd1_tiny.safetensors" << true;
        QTest::newRow("sd1 no fast path") << "models/sd1_tiny.safetensors" << false;
        QTest::newRow("sd2 fast paths") << "models/sd2_tiny.safetensors" << true;
        QTest::newRow("sdxl fast paths") << "models/sdxl_tiny.safetensors" << true;
        QTest::newRow("sdxl no fast path") << "models/sdxl_tiny.safetensors" << false;
    }

    void unetCommutesWithShifts()
    {
        // Shifts by multiples of the total downsampling: every level then sees a whole-pixel shift.
        // "fast paths": all of models/fast_path.h on (NHWC trunk, fused attention, oneDNN linears);
        // "no fast path": NCHW and the plain paths.
        QFETCH(QString, model);
        QFETCH(bool, fast);
        const models::FastPathGuard path(fast ? models::FastPath::all() : models::FastPath::none());
        c10::InferenceMode inference;
        const auto unet = test::loadGoldenUNet(model.toStdString());
        const int64_t d = unetDownsampling(*unet);
        torch::manual_seed(13);
        const UNetInputs in = unetInputs(*unet, 4 * d);
        const double circular = unetShiftError(*unet, in, d, 3 * d, ConvPadding::Circular);
        const double zeros = unetShiftError(*unet, in, d, 3 * d, ConvPadding::Zeros);
        qInfo("%s UNet shift error (%s): circular %.3g, zeros %.3g", qPrintable(model), fast ? "fast" : "plain",
              circular, zeros);
        QVERIFY2(circular <= 1e-4, qPrintable(QString::number(circular)));
        QVERIFY2(zeros > 1e-2, qPrintable(QString::number(zeros)));
    }

    void controlNetStaysZeroPadded()
    {
        // A1111 applies Tiling to the checkpoint's modules only; the ControlNet extension's model is
        // loaded apart from them. Even inside a caller's Circular scope it pads with zeros.
        c10::InferenceMode inference;
        const std::string unetFile = "models/sd1_tiny.safetensors";
        const io::DetectedModel checkpoint = test::detectGoldenModel(unetFile);
        const auto loaded = controlnet::loadControlNet(test::goldenPath("models/controlnet_sd1_tiny.safetensors"),
                                                       torch::kCPU, torch::kFloat32, &checkpoint,
                                                       test::goldenPath(unetFile));
        const io::StateDict ref = io::loadStateDict(test::goldenPath("ref/controlnet.safetensors"));
        const torch::Tensor x = ref.at("x"), t = ref.at("t"), context = ref.at("context"), hint = ref.at("hint");
        const models::ControlResiduals plain = loaded->net->forward(x, hint, t, context);
        const models::ConvPaddingScope scope(ConvPadding::Circular);
        const models::ControlResiduals inScope = loaded->net->forward(x, hint, t, context);
        QVERIFY(torch::equal(inScope.mid, plain.mid));
        for (size_t i = 0; i < plain.down.size(); ++i)
            QVERIFY(torch::equal(inScope.down[i], plain.down[i]));
        QCOMPARE(models::convPadding(), ConvPadding::Circular); // and the caller's mode is back
    }

    void tiledCircularDecodeFollowsTheFullCircularDecode()
    {
        // The out-of-memory fallback in tiles: wrapped by the overlap so the border tiles blend
        // with the opposite side. Like any tiled pass it only approximates the full one (GroupNorm
        // and attention see a tile); a single tile is the full circular pass exactly.
        c10::InferenceMode inference;
        const auto vae = test::loadGoldenVAE("models/vae_tiny_alt.safetensors");
        torch::manual_seed(7);
        const torch::Tensor z = test::smoothLatent(vae->config().embedDim, 24);
        const models::VAETiling tiles{.tile = 16, .overlap = 8};
        const torch::Tensor full = vae->decode(z, ConvPadding::Circular);
        const torch::Tensor tiled = vae->decodeTiled(z, tiles, ConvPadding::Circular);
        QCOMPARE(tiled.sizes().vec(), full.sizes().vec());
        const double corr = test::correlation(tiled, full);
        qInfo("correlation tiled vs full circular decode: %.3f", corr);
        QVERIFY2(corr > 0.6, qPrintable(QString::number(corr))); // measured 0.73 (zeros, tiled: 0.78)
        const torch::Tensor small = z.slice(2, 0, 16).slice(3, 0, 16);
        QVERIFY(test::maxAbsDiff(vae->decodeTiled(small, tiles, ConvPadding::Circular),
                                 vae->decode(small, ConvPadding::Circular)) < 1e-5);
    }
};

QTEST_GUILESS_MAIN(TestCircularPadding)
#include "test_circular_padding.moc"
