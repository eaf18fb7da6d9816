// LoRA/LyCORIS formats on small synthetic tensors: the weight change of LoRA (plain and Tucker
// LoCon), LoHa (plain and Tucker), LoKr (full factors, a·b factors, Tucker), DoRA and full diffs,
// each against the format's formula written out element by element here; key spellings (kohya,
// PEFT, diffusers attention processors) and the LDM <-> diffusers UNet names.

#include <QtTest>

#include <torch/torch.h>

#include "engine/adapters/lora_file.h"
#include "engine/adapters/lora_math.h"
#include "engine/adapters/lora_targets.h"
#include "engine/io/key_map.h"
#include "engine/io/safetensors.h"
#include "tests/support/golden.h"

using namespace easel;
using adapters::LoRAModule;

namespace {

torch::Tensor rnd(std::vector<int64_t> shape, int seed)
{
    torch::manual_seed(seed);
    return torch::randn(shape, torch::kFloat64);
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

LoRAModule moduleWith(std::map<std::string, torch::Tensor> tensors)
{
    LoRAModule m;
    m.key = "test";
    for (auto& [k, v] : tensors)
        m.tensors[k] = v.to(torch::kFloat32);
    return m;
}

/// Plain triple loop matrix product.
torch::Tensor matmulLoops(const torch::Tensor& a, const torch::Tensor& b)
{
    const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
    torch::Tensor out = torch::zeros({n, m}, torch::kFloat64);
    auto A = a.accessor<double, 2>();
    auto B = b.accessor<double, 2>();
    auto O = out.accessor<double, 2>();
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < m; ++j)
            for (int64_t r = 0; r < k; ++r)
                O[i][j] += A[i][r] * B[r][j];
    return out;
}

/// out[p,q,x,y] = Σ_ij t[i,j,x,y] a[i,p] b[j,q].
torch::Tensor tuckerLoops(const torch::Tensor& t, const torch::Tensor& a, const torch::Tensor& b)
{
    const int64_t r1 = t.size(0), r2 = t.size(1), kh = t.size(2), kw = t.size(3), P = a.size(1), Q = b.size(1);
    torch::Tensor out = torch::zeros({P, Q, kh, kw}, torch::kFloat64);
    auto T = t.accessor<double, 4>();
    auto A = a.accessor<double, 2>();
    auto B = b.accessor<double, 2>();
    auto O = out.accessor<double, 4>();
    for (int64_t p = 0; p < P; ++p)
        for (int64_t q = 0; q < Q; ++q)
            for (int64_t x = 0; x < kh; ++x)
                for (int64_t y = 0; y < kw; ++y)
                    for (int64_t i = 0; i < r1; ++i)
                        for (int64_t j = 0; j < r2; ++j)
                            O[p][q][x][y] += T[i][j][x][y] * A[i][p] * B[j][q];
    return out;
}

/// Kronecker product of two matrices.
torch::Tensor kronLoops(const torch::Tensor& a, const torch::Tensor& b)
{
    const int64_t ar = a.size(0), ac = a.size(1), br = b.size(0), bc = b.size(1);
    torch::Tensor out = torch::zeros({ar * br, ac * bc}, torch::kFloat64);
    auto A = a.accessor<double, 2>();
    auto B = b.accessor<double, 2>();
    auto O = out.accessor<double, 2>();
    for (int64_t i = 0; i < ar; ++i)
        for (int64_t j = 0; j < ac; ++j)
            for (int64_t k = 0; k < br; ++k)
                for (int64_t l = 0; l < bc; ++l)
                    O[i * br + k][j * bc + l] = A[i][j] * B[k][l];
    return out;
}

} // namespace

class TestLoRAFormats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loraLinearWithAlpha()
    {
        const torch::Tensor up = rnd({6, 3}, 1), down = rnd({3, 5}, 2);
        const LoRAModule m = moduleWith({{"up", up}, {"down", down}, {"alpha", torch::tensor(1.5, torch::kFloat64)}});
        QCOMPARE(QString::fromStdString(adapters::moduleFormat(m)), QString("LoRA"));
        const torch::Tensor expected = matmulLoops(up, down) * (1.5 / 3.0);
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {6, 5}, torch::kCPU), expected) < 1e-5);
    }

    void loconConv3x3DownAnd1x1Up()
    {
        const torch::Tensor up = rnd({4, 2, 1, 1}, 3), down = rnd({2, 3, 3, 3}, 4);
        const LoRAModule m = moduleWith({{"up", up}, {"down", down}});
        const torch::Tensor expected = matmulLoops(up.reshape({4, 2}), down.reshape({2, 27})).reshape({4, 3, 3, 3});
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {4, 3, 3, 3}, torch::kCPU), expected) < 1e-5);
    }

    void loconTuckerMid()
    {
        // ΔW[i,j,x,y] = Σ_nm mid[n,m,x,y] up[i,n] down[m,j]  (alpha 2, rank 2)
        const torch::Tensor up = rnd({4, 2, 1, 1}, 5), down = rnd({2, 3, 1, 1}, 6), mid = rnd({2, 2, 3, 3}, 7);
        const LoRAModule m = moduleWith({{"up", up}, {"down", down}, {"mid", mid}, {"alpha", torch::tensor(2.0)}});
        const torch::Tensor expected = tuckerLoops(mid, up.reshape({4, 2}).t(), down.reshape({2, 3}));
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {4, 3, 3, 3}, torch::kCPU), expected) < 1e-5);
    }

    void lohaPlain()
    {
        const torch::Tensor w1a = rnd({6, 2}, 8), w1b = rnd({2, 5}, 9), w2a = rnd({6, 2}, 10), w2b = rnd({2, 5}, 11);
        const LoRAModule m = moduleWith({{"hada_w1_a", w1a}, {"hada_w1_b", w1b}, {"hada_w2_a", w2a}, {"hada_w2_b", w2b},
                                         {"alpha", torch::tensor(1.0)}});
        QCOMPARE(QString::fromStdString(adapters::moduleFormat(m)), QString("LoHa"));
        const torch::Tensor expected = matmulLoops(w1a, w1b) * matmulLoops(w2a, w2b) * 0.5;
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {6, 5}, torch::kCPU), expected) < 1e-5);
    }

    void lohaTucker()
    {
        // Tucker: w_a [rank, out], w_b [rank, in], t [rank, rank, kh, kw].
        const torch::Tensor w1a = rnd({2, 4}, 12), w1b = rnd({2, 3}, 13), t1 = rnd({2, 2, 3, 3}, 14);
        const torch::Tensor w2a = rnd({2, 4}, 15), w2b = rnd({2, 3}, 16), t2 = rnd({2, 2, 3, 3}, 17);
        const LoRAModule m = moduleWith({{"hada_w1_a", w1a}, {"hada_w1_b", w1b}, {"hada_t1", t1}, {"hada_w2_a", w2a},
                                         {"hada_w2_b", w2b}, {"hada_t2", t2}, {"alpha", torch::tensor(4.0)}});
        const torch::Tensor expected = tuckerLoops(t1, w1a, w1b) * tuckerLoops(t2, w2a, w2b) * 2.0;
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {4, 3, 3, 3}, torch::kCPU), expected) < 1e-4);
    }

    void lokrFullFactors()
    {
        // No rank anywhere: alpha is ignored (scale 1).
        const torch::Tensor w1 = rnd({2, 3}, 18), w2 = rnd({4, 2}, 19);
        const LoRAModule m = moduleWith({{"lokr_w1", w1}, {"lokr_w2", w2}, {"alpha", torch::tensor(7.0)}});
        QCOMPARE(QString::fromStdString(adapters::moduleFormat(m)), QString("LoKr"));
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {8, 6}, torch::kCPU), kronLoops(w1, w2)) < 1e-5);
    }

    void lokrLowRankFactors()
    {
        const torch::Tensor w1 = rnd({2, 3}, 20), w2a = rnd({4, 2}, 21), w2b = rnd({2, 5}, 22);
        const LoRAModule m = moduleWith({{"lokr_w1", w1}, {"lokr_w2_a", w2a}, {"lokr_w2_b", w2b}, {"alpha", torch::tensor(1.0)}});
        const torch::Tensor expected = kronLoops(w1, matmulLoops(w2a, w2b)) * 0.5;
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {8, 15}, torch::kCPU), expected) < 1e-5);
    }

    void lokrConvWithTucker()
    {
        // w2 = Tucker(t2, w2a, w2b) [4, 2, 3, 3]; ΔW[a*4+c, b*2+d, x, y] = w1[a,b] · w2[c,d,x,y].
        const torch::Tensor w1 = rnd({2, 3}, 23), w2a = rnd({2, 4}, 24), w2b = rnd({2, 2}, 25), t2 = rnd({2, 2, 3, 3}, 26);
        const LoRAModule m = moduleWith({{"lokr_w1", w1}, {"lokr_w2_a", w2a}, {"lokr_w2_b", w2b}, {"lokr_t2", t2}});
        const torch::Tensor w2 = tuckerLoops(t2, w2a, w2b);
        torch::Tensor expected = torch::zeros({8, 6, 3, 3}, torch::kFloat64);
        for (int a = 0; a < 2; ++a)
            for (int b = 0; b < 3; ++b)
                for (int c = 0; c < 4; ++c)
                    for (int d = 0; d < 2; ++d)
                        expected[a * 4 + c][b * 2 + d] = w1[a][b] * w2[c][d];
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {8, 6, 3, 3}, torch::kCPU), expected) < 1e-4);
    }

    void doraInputAxis()
    {
        // dora_scale [1, in]: Wc = W + s·ΔW; column norms; W' = W + m·(Wc·scale/‖col‖ − W).
        const torch::Tensor w = rnd({4, 3}, 27), up = rnd({4, 2}, 28), down = rnd({2, 3}, 29), mag = rnd({1, 3}, 30).abs();
        const LoRAModule m = moduleWith({{"up", up}, {"down", down}, {"alpha", torch::tensor(1.0)}, {"dora_scale", mag}});
        const double mult = 0.7;
        const torch::Tensor wc = w + matmulLoops(up, down) * 0.5;
        torch::Tensor expected = w.clone();
        for (int j = 0; j < 3; ++j) {
            double norm = 0;
            for (int i = 0; i < 4; ++i)
                norm += wc[i][j].item<double>() * wc[i][j].item<double>();
            norm = std::sqrt(norm) + std::numeric_limits<float>::epsilon();
            for (int i = 0; i < 4; ++i)
                expected[i][j] = w[i][j] + mult * (wc[i][j] * mag[0][j] / norm - w[i][j]);
        }
        const torch::Tensor delta = adapters::weightDelta(m, {4, 3}, torch::kCPU);
        const torch::Tensor merged = adapters::mergedWeight(w.to(torch::kFloat32), delta, m.at("dora_scale"), mult);
        QVERIFY(maxAbsDiff(merged, expected) < 1e-5);
    }

    void doraOutputAxis()
    {
        // dora_scale [out, 1]: row norms.
        const torch::Tensor w = rnd({4, 3}, 31), diff = rnd({4, 3}, 32) * 0.1, mag = rnd({4, 1}, 33).abs();
        const LoRAModule m = moduleWith({{"diff", diff}, {"dora_scale", mag}});
        const torch::Tensor wc = w + diff;
        torch::Tensor expected = torch::empty({4, 3}, torch::kFloat64);
        for (int i = 0; i < 4; ++i) {
            const double norm = wc[i].norm().item<double>() + std::numeric_limits<float>::epsilon();
            for (int j = 0; j < 3; ++j)
                expected[i][j] = wc[i][j] * mag[i][0] / norm;
        }
        const torch::Tensor merged = adapters::mergedWeight(w.to(torch::kFloat32), adapters::weightDelta(m, {4, 3}, torch::kCPU),
                                                            m.at("dora_scale"), 1.0);
        QVERIFY(maxAbsDiff(merged, expected) < 1e-5);
    }

    void fullDiffAndBias()
    {
        const torch::Tensor diff = rnd({3, 2}, 34), diffB = rnd({3}, 35);
        const LoRAModule m = moduleWith({{"diff", diff}, {"diff_b", diffB}});
        QVERIFY(adapters::changesWeight(m) && adapters::changesBias(m));
        QVERIFY(maxAbsDiff(adapters::weightDelta(m, {3, 2}, torch::kCPU), diff) < 1e-6);
        QVERIFY(maxAbsDiff(adapters::biasDelta(m, {3}, torch::kCPU), diffB) < 1e-6);
    }

    void shapeMismatchIsAnError()
    {
        const LoRAModule m = moduleWith({{"up", rnd({6, 3}, 1)}, {"down", rnd({3, 5}, 2)}});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, adapters::weightDelta(m, {6, 6}, torch::kCPU));
    }

    void keySpellings()
    {
        const torch::Tensor t = torch::zeros({1});
        const std::map<std::string, torch::Tensor> keys = {
            {"lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", t},
            {"lora_te2_text_model_encoder_layers_0_mlp_fc1.hada_w1_a", t},
            {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", t},
            {"text_encoder.text_model.encoder.layers.1.self_attn.k_proj.lora_B.weight", t},
            {"down_blocks.1.attentions.0.transformer_blocks.0.attn2.processor.to_out_lora.up.weight", t},
            {"lora_unet_input_blocks_4_1_proj_out.dora_scale", t},
            {"something.else", t},
        };
        const adapters::LoRAFile file = adapters::loraFromTensors(keys);
        std::map<std::string, std::pair<adapters::LoRAComponent, std::string>> got;
        for (const auto& m : file.modules)
            got[m.flatName] = {m.component, m.tensors.begin()->first};
        using C = adapters::LoRAComponent;
        const std::vector<std::tuple<std::string, C, std::string>> expected = {
            {"down_blocks_0_attentions_0_proj_in", C::UNet, "down"},
            {"text_model_encoder_layers_0_mlp_fc1", C::TextEncoder2, "hada_w1_a"},
            {"down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", C::UNet, "down"},
            {"text_model_encoder_layers_1_self_attn_k_proj", C::TextEncoder1, "up"},
            {"down_blocks_1_attentions_0_transformer_blocks_0_attn2_to_out_0", C::UNet, "up"},
            {"input_blocks_4_1_proj_out", C::UNet, "dora_scale"},
        };
        QCOMPARE(got.size(), expected.size());
        for (const auto& [flat, component, role] : expected) {
            QVERIFY2(got.count(flat), flat.c_str());
            QVERIFY(got[flat].first == component);
            QCOMPARE(got[flat].second, role);
        }
        QCOMPARE(file.unknownKeys, std::vector<std::string>{"something.else"});
    }

    void ldmToDiffusersInvertsTheIoKeyMap()
    {
        // Every diffusers UNet key of the golden diffusers folder, mapped to LDM by io/, comes back.
        const auto file = io::SafetensorsFile::open(
            test::goldenPath("models/sd1_tiny_diffusers/unet/diffusion_pytorch_model.safetensors"));
        std::vector<std::string> keys;
        for (const auto& info : file.tensors())
            keys.push_back(info.name);
        const io::KeyMap map = io::unetDiffusersToLdm(keys);
        QVERIFY(map.size() > 100);
        for (const auto& [diff, ldm] : map) {
            const std::string diffModule = diff.substr(0, diff.rfind('.'));
            const std::string ldmModule = ldm.substr(0, ldm.rfind('.'));
            QCOMPARE(QString::fromStdString(adapters::unetLdmToDiffusers(ldmModule, 2)), QString::fromStdString(diffModule));
        }
    }
};

QTEST_GUILESS_MAIN(TestLoRAFormats)
#include "test_lora_formats.moc"
