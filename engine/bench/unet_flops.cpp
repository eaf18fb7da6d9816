#include "engine/bench/unet_flops.h"

#include <algorithm>
#include <vector>

namespace easel::models {

namespace {

// Mirrors the block structure of unet_encoder.cpp / unet.cpp (LDM openaimodel.UNetModel).
struct Counter {
    const io::UNetConfig& c;
    int64_t contextTokens;
    UNetWork work;

    void conv(int64_t cin, int64_t cout, int64_t k, int64_t h, int64_t w) { work.macs += double(cin) * cout * k * k * h * w; }
    void linear(int64_t in, int64_t out, int64_t rows) { work.macs += double(in) * out * rows; }

    void resBlock(int64_t cin, int64_t cout, int64_t h, int64_t w)
    {
        conv(cin, cout, 3, h, w);
        linear(c.timeEmbedDim(), cout, 1);
        conv(cout, cout, 3, h, w);
        if (cin != cout)
            conv(cin, cout, 1, h, w);
    }

    void transformer(int64_t ch, int depth, int64_t h, int64_t w)
    {
        const int64_t n = h * w;
        linear(ch, ch, n); // proj_in (1x1 conv or linear: same work)
        for (int d = 0; d < depth; ++d) {
            linear(ch, 3 * ch, n);                        // self-attention q, k, v
            work.attentionMacs += 2.0 * double(n) * n * ch; // QKᵀ and AV
            linear(ch, ch, n);                            // out
            linear(ch, ch, n);                            // cross-attention q
            linear(c.contextDim, 2 * ch, contextTokens);  // k, v from the text
            work.attentionMacs += 2.0 * double(n) * contextTokens * ch;
            linear(ch, ch, n);                            // out
            linear(ch, 8 * ch, n);                        // GEGLU in (2 × 4C)
            linear(4 * ch, ch, n);                        // GEGLU out
        }
        linear(ch, ch, n); // proj_out
    }

    bool hasAttention(size_t level) const
    {
        const bool listed = std::find(c.attentionLevels.begin(), c.attentionLevels.end(), static_cast<int>(level))
                            != c.attentionLevels.end();
        const int depth = level < c.transformerDepth.size() ? c.transformerDepth[level] : 1;
        return listed && depth > 0;
    }
};

} // namespace

UNetWork unetWork(const io::UNetConfig& config, int64_t latentH, int64_t latentW, int64_t contextTokens)
{
    Counter k{config, contextTokens, {}};
    const int64_t mc = config.modelChannels;
    k.linear(mc, config.timeEmbedDim(), 1);
    k.linear(config.timeEmbedDim(), config.timeEmbedDim(), 1);
    if (config.admInChannels > 0) {
        k.linear(config.admInChannels, config.timeEmbedDim(), 1);
        k.linear(config.timeEmbedDim(), config.timeEmbedDim(), 1);
    }
    int64_t h = latentH, w = latentW, ch = mc;
    k.conv(config.inChannels, mc, 3, h, w);
    std::vector<int64_t> skips{mc};
    const size_t levels = config.channelMult.size();
    for (size_t level = 0; level < levels; ++level) {
        const int64_t out = mc * config.channelMult[level];
        for (int r = 0; r < config.numResBlocks; ++r) {
            k.resBlock(ch, out, h, w);
            ch = out;
            if (k.hasAttention(level))
                k.transformer(ch, config.transformerDepth[level], h, w);
            skips.push_back(ch);
        }
        if (level + 1 != levels) {
            h = (h + 1) / 2;
            w = (w + 1) / 2;
            k.conv(ch, ch, 3, h, w); // stride-2 conv: output resolution
            skips.push_back(ch);
        }
    }
    k.resBlock(ch, ch, h, w);
    if (config.transformerDepthMiddle > 0)
        k.transformer(ch, config.transformerDepthMiddle, h, w);
    k.resBlock(ch, ch, h, w);
    for (size_t level = levels; level-- > 0;) {
        const int64_t out = mc * config.channelMult[level];
        for (int r = 0; r <= config.numResBlocks; ++r) {
            const int64_t skip = skips.back();
            skips.pop_back();
            k.resBlock(ch + skip, out, h, w);
            ch = out;
            if (k.hasAttention(level))
                k.transformer(ch, config.transformerDepth[level], h, w);
            if (level != 0 && r == config.numResBlocks) {
                h *= 2;
                w *= 2;
                k.conv(ch, ch, 3, h, w); // upsample conv at the new size
            }
        }
    }
    k.conv(mc, config.outChannels, 3, latentH, latentW);
    k.work.macs += k.work.attentionMacs;
    return k.work;
}

} // namespace easel::models
