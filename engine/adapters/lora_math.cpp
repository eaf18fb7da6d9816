#include "engine/adapters/lora_math.h"

#include <limits>
#include <stdexcept>

namespace easel::adapters {

namespace {

torch::Tensor f32(const LoRAModule& m, const char* role, const torch::Device& device)
{
    return m.at(role).to(device, torch::kFloat32);
}

int64_t numel(at::IntArrayRef shape)
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::string shapeText(at::IntArrayRef shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

torch::Tensor fitTo(const torch::Tensor& delta, at::IntArrayRef shape, const LoRAModule& m)
{
    if (delta.numel() != numel(shape))
        throw std::invalid_argument(m.key + ": its change has shape " + shapeText(delta.sizes()) +
                                    " but the model's layer is " + shapeText(shape));
    return delta.reshape(shape);
}

/// Tucker reconstruction: out[p,q,…] = Σ_ij t[i,j,…] a[i,p] b[j,q] (a: [rank, out], b: [rank, in]).
torch::Tensor tucker(const torch::Tensor& t, const torch::Tensor& a, const torch::Tensor& b)
{
    return torch::einsum("ij...,ip,jq->pq...", {t, a.flatten(1), b.flatten(1)});
}

} // namespace

double loraScale(const LoRAModule& m, int64_t rank)
{
    if (!m.has("alpha") || rank <= 0)
        return 1.0;
    return m.at("alpha").to(torch::kFloat64).item<double>() / static_cast<double>(rank);
}

std::string moduleFormat(const LoRAModule& m)
{
    if (m.has("up") && m.has("down"))
        return m.has("mid") ? "LoCon (Tucker)" : "LoRA";
    if (m.has("hada_w1_a") && m.has("hada_w1_b") && m.has("hada_w2_a") && m.has("hada_w2_b"))
        return "LoHa";
    if ((m.has("lokr_w1") || (m.has("lokr_w1_a") && m.has("lokr_w1_b"))) &&
        (m.has("lokr_w2") || (m.has("lokr_w2_a") && m.has("lokr_w2_b"))))
        return "LoKr";
    if (m.has("diff") || m.has("diff_b"))
        return "full";
    if (m.has("w_norm") || m.has("b_norm"))
        return "norm";
    return {};
}

bool changesWeight(const LoRAModule& m)
{
    const std::string f = moduleFormat(m);
    if (f == "full")
        return m.has("diff");
    if (f == "norm")
        return m.has("w_norm");
    return !f.empty();
}

bool changesBias(const LoRAModule& m) { return m.has("diff_b") || m.has("b_norm"); }

torch::Tensor weightDelta(const LoRAModule& m, at::IntArrayRef shape, const torch::Device& device)
{
    const std::string format = moduleFormat(m);
    if (format == "LoRA" || format == "LoCon (Tucker)") {
        // Ref: network_lora.py — up [out, r(,1,1)], down [r, in(,kh,kw)], optional mid [r, r, kh, kw].
        const torch::Tensor up = f32(m, "up", device).flatten(1);
        const torch::Tensor down = f32(m, "down", device).flatten(1);
        if (up.size(1) != down.size(0))
            throw std::invalid_argument(m.key + ": lora_up and lora_down ranks differ");
        torch::Tensor delta = m.has("mid")
            ? torch::einsum("nm...,in,mj->ij...", {f32(m, "mid", device), up, down})
            : torch::mm(up, down);
        return fitTo(delta, shape, m) * loraScale(m, down.size(0));
    }
    if (format == "LoHa") {
        // Ref: network_hada.py — ΔW = (w1a·w1b) ⊙ (w2a·w2b), Tucker cores t1/t2 when present.
        auto half = [&](const char* a, const char* b, const char* t) {
            const torch::Tensor wa = f32(m, a, device), wb = f32(m, b, device);
            const torch::Tensor full = m.has(t) ? tucker(f32(m, t, device), wa, wb) : torch::mm(wa.flatten(1), wb.flatten(1));
            return fitTo(full, shape, m);
        };
        const torch::Tensor delta = half("hada_w1_a", "hada_w1_b", "hada_t1") * half("hada_w2_a", "hada_w2_b", "hada_t2");
        return delta * loraScale(m, m.at("hada_w1_b").size(0));
    }
    if (format == "LoKr") {
        // Ref: network_lokr.py — ΔW = kron(w1, w2); each factor full or a·b (w2 optionally Tucker).
        // Flattening both factors to 2-D first gives the same values as the 4-D kron for convs.
        const torch::Tensor w1 = m.has("lokr_w1") ? f32(m, "lokr_w1", device).flatten(1)
                                                  : torch::mm(f32(m, "lokr_w1_a", device).flatten(1),
                                                              f32(m, "lokr_w1_b", device).flatten(1));
        torch::Tensor w2;
        if (m.has("lokr_w2"))
            w2 = f32(m, "lokr_w2", device).flatten(1);
        else if (m.has("lokr_t2"))
            w2 = tucker(f32(m, "lokr_t2", device), f32(m, "lokr_w2_a", device), f32(m, "lokr_w2_b", device)).flatten(1);
        else
            w2 = torch::mm(f32(m, "lokr_w2_a", device).flatten(1), f32(m, "lokr_w2_b", device).flatten(1));
        const int64_t rank = m.has("lokr_w1_b") ? m.at("lokr_w1_b").size(0)
                             : m.has("lokr_w2_b") ? m.at("lokr_w2_b").size(0)
                                                  : 0;
        return fitTo(torch::kron(w1, w2), shape, m) * loraScale(m, rank);
    }
    if (format == "full" && m.has("diff"))
        return fitTo(f32(m, "diff", device), shape, m);
    if (format == "norm" && m.has("w_norm"))
        return fitTo(f32(m, "w_norm", device), shape, m);
    throw std::invalid_argument(m.key + ": no weight change in this module");
}

torch::Tensor biasDelta(const LoRAModule& m, at::IntArrayRef shape, const torch::Device& device)
{
    if (m.has("diff_b"))
        return fitTo(f32(m, "diff_b", device), shape, m);
    if (m.has("b_norm"))
        return fitTo(f32(m, "b_norm", device), shape, m);
    return {};
}

torch::Tensor mergedWeight(const torch::Tensor& weight, const torch::Tensor& delta, const torch::Tensor& doraScale,
                           double multiplier)
{
    if (!doraScale.defined())
        return weight + delta * multiplier;
    const torch::Tensor combined = weight + delta;
    const int64_t rows = combined.size(0);
    const torch::Tensor scale = doraScale.to(weight.device(), torch::kFloat32);
    std::vector<int64_t> normShape(combined.dim(), 1);
    torch::Tensor norm;
    if (combined.dim() >= 2 && scale.size(0) == rows && scale.numel() == rows) {
        norm = combined.flatten(1).pow(2).sum(1).sqrt();
        normShape[0] = rows;
    } else {
        const int64_t cols = combined.size(1);
        if (scale.numel() != cols)
            throw std::invalid_argument("dora_scale has " + std::to_string(scale.numel()) +
                                        " values; the layer has " + std::to_string(rows) + " rows and " +
                                        std::to_string(cols) + " columns");
        norm = combined.transpose(0, 1).flatten(1).pow(2).sum(1).sqrt();
        normShape[1] = cols;
    }
    const double eps = std::numeric_limits<float>::epsilon();
    const torch::Tensor decomposed = combined * (scale.reshape(normShape) / (norm.reshape(normShape) + eps));
    return weight + (decomposed - weight) * multiplier;
}

} // namespace easel::adapters
