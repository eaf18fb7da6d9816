#include "engine/io/sd15_layout.h"

namespace easel::io {

namespace {

class Builder {
public:
    std::vector<LayoutEntry> out;
    void add(const std::string& n, std::vector<int64_t> s) { out.push_back({n, std::move(s), false}); }
    void linear(const std::string& p, int64_t o, int64_t i, bool bias = true)
    {
        add(p + ".weight", {o, i});
        if (bias)
            add(p + ".bias", {o});
    }
    void conv(const std::string& p, int64_t o, int64_t i, int64_t k)
    {
        add(p + ".weight", {o, i, k, k});
        add(p + ".bias", {o});
    }
    void norm(const std::string& p, int64_t c)
    {
        add(p + ".weight", {c});
        add(p + ".bias", {c});
    }
    // Ref: LDM openaimodel.ResBlock parameter names.
    void unetRes(const std::string& p, int64_t in, int64_t out, int64_t emb)
    {
        norm(p + ".in_layers.0", in);
        conv(p + ".in_layers.2", out, in, 3);
        linear(p + ".emb_layers.1", out, emb);
        norm(p + ".out_layers.0", out);
        conv(p + ".out_layers.3", out, out, 3);
        if (in != out)
            conv(p + ".skip_connection", out, in, 1);
    }
    // Ref: LDM attention.SpatialTransformer with one BasicTransformerBlock (SD1: conv proj).
    void transformer(const std::string& p, int64_t c, int64_t ctx)
    {
        norm(p + ".norm", c);
        conv(p + ".proj_in", c, c, 1);
        const std::string b = p + ".transformer_blocks.0";
        linear(b + ".attn1.to_q", c, c, false);
        linear(b + ".attn1.to_k", c, c, false);
        linear(b + ".attn1.to_v", c, c, false);
        linear(b + ".attn1.to_out.0", c, c);
        linear(b + ".ff.net.0.proj", 8 * c, c);
        linear(b + ".ff.net.2", c, 4 * c);
        linear(b + ".attn2.to_q", c, c, false);
        linear(b + ".attn2.to_k", c, ctx, false);
        linear(b + ".attn2.to_v", c, ctx, false);
        linear(b + ".attn2.to_out.0", c, c);
        norm(b + ".norm1", c);
        norm(b + ".norm2", c);
        norm(b + ".norm3", c);
        conv(p + ".proj_out", c, c, 1);
    }
    void vaeRes(const std::string& p, int64_t in, int64_t out)
    {
        norm(p + ".norm1", in);
        conv(p + ".conv1", out, in, 3);
        norm(p + ".norm2", out);
        conv(p + ".conv2", out, out, 3);
        if (in != out)
            conv(p + ".nin_shortcut", out, in, 1);
    }
    void vaeAttn(const std::string& p, int64_t c)
    {
        norm(p + ".norm", c);
        for (const char* n : {".q", ".k", ".v", ".proj_out"})
            conv(p + n, c, c, 1);
    }
};

} // namespace

std::vector<LayoutEntry> sd15Layout()
{
    Builder b;
    // UNet. Ref: LDM openaimodel.UNetModel.__init__ block order.
    const std::string u = "model.diffusion_model.";
    const int64_t mc = 320, emb = 1280, ctx = 768;
    const int64_t mult[] = {1, 2, 4, 4};
    b.linear(u + "time_embed.0", emb, mc);
    b.linear(u + "time_embed.2", emb, emb);
    b.conv(u + "input_blocks.0.0", mc, 4, 3);
    std::vector<int64_t> skips{mc};
    int64_t ch = mc;
    int block = 1;
    for (int level = 0; level < 4; ++level) {
        for (int r = 0; r < 2; ++r) {
            const std::string p = u + "input_blocks." + std::to_string(block);
            b.unetRes(p + ".0", ch, mc * mult[level], emb);
            ch = mc * mult[level];
            if (level < 3)
                b.transformer(p + ".1", ch, ctx);
            skips.push_back(ch);
            ++block;
        }
        if (level < 3) {
            b.conv(u + "input_blocks." + std::to_string(block) + ".0.op", ch, ch, 3);
            skips.push_back(ch);
            ++block;
        }
    }
    b.unetRes(u + "middle_block.0", ch, ch, emb);
    b.transformer(u + "middle_block.1", ch, ctx);
    b.unetRes(u + "middle_block.2", ch, ch, emb);
    block = 0;
    for (int level = 3; level >= 0; --level) {
        for (int r = 0; r < 3; ++r) {
            const std::string p = u + "output_blocks." + std::to_string(block);
            const int64_t skip = skips.back();
            skips.pop_back();
            b.unetRes(p + ".0", ch + skip, mc * mult[level], emb);
            ch = mc * mult[level];
            int sub = 1;
            if (level < 3)
                b.transformer(p + "." + std::to_string(sub++), ch, ctx);
            if (level > 0 && r == 2)
                b.conv(p + "." + std::to_string(sub) + ".conv", ch, ch, 3);
            ++block;
        }
    }
    b.norm(u + "out.0", mc);
    b.conv(u + "out.2", 4, mc, 3);

    // VAE. Ref: LDM diffusionmodules.model Encoder/Decoder.
    const std::string v = "first_stage_model.";
    const int64_t vch[] = {128, 256, 512, 512};
    b.conv(v + "encoder.conv_in", 128, 3, 3);
    int64_t c = 128;
    for (int l = 0; l < 4; ++l) {
        for (int r = 0; r < 2; ++r) {
            b.vaeRes(v + "encoder.down." + std::to_string(l) + ".block." + std::to_string(r), c, vch[l]);
            c = vch[l];
        }
        if (l < 3)
            b.conv(v + "encoder.down." + std::to_string(l) + ".downsample.conv", c, c, 3);
    }
    for (const char* part : {"encoder", "decoder"}) {
        const std::string p = v + part;
        b.vaeRes(p + ".mid.block_1", 512, 512);
        b.vaeAttn(p + ".mid.attn_1", 512);
        b.vaeRes(p + ".mid.block_2", 512, 512);
    }
    b.norm(v + "encoder.norm_out", 512);
    b.conv(v + "encoder.conv_out", 8, 512, 3);
    b.conv(v + "decoder.conv_in", 512, 4, 3);
    c = 512;
    for (int l = 3; l >= 0; --l) {
        for (int r = 0; r < 3; ++r) {
            b.vaeRes(v + "decoder.up." + std::to_string(l) + ".block." + std::to_string(r), c, vch[l]);
            c = vch[l];
        }
        if (l > 0)
            b.conv(v + "decoder.up." + std::to_string(l) + ".upsample.conv", c, c, 3);
    }
    b.norm(v + "decoder.norm_out", 128);
    b.conv(v + "decoder.conv_out", 3, 128, 3);
    b.conv(v + "quant_conv", 8, 8, 1);
    b.conv(v + "post_quant_conv", 4, 4, 1);

    // CLIP ViT-L/14 text encoder, HF layout.
    const std::string t = "cond_stage_model.transformer.text_model.";
    b.add(t + "embeddings.token_embedding.weight", {49408, 768});
    b.add(t + "embeddings.position_embedding.weight", {77, 768});
    b.out.push_back({t + "embeddings.position_ids", {1, 77}, true});
    for (int l = 0; l < 12; ++l) {
        const std::string p = t + "encoder.layers." + std::to_string(l);
        for (const char* n : {".self_attn.q_proj", ".self_attn.k_proj", ".self_attn.v_proj", ".self_attn.out_proj"})
            b.linear(p + n, 768, 768);
        b.norm(p + ".layer_norm1", 768);
        b.norm(p + ".layer_norm2", 768);
        b.linear(p + ".mlp.fc1", 3072, 768);
        b.linear(p + ".mlp.fc2", 768, 3072);
    }
    b.norm(t + "final_layer_norm", 768);
    return b.out;
}

} // namespace easel::io
