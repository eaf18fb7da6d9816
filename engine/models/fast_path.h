#pragma once
/// Execution choices of the UNet / VAE / ControlNet forward passes that change speed and memory
/// but not results (beyond fp32 rounding; the golden tests run with every switch on). Each one can
/// be turned off so `easel-cli bench … --compare` times baseline vs optimised in one process.
/// Read at forward time; set from the engine thread only (not synchronised).

#include <string>

namespace easel::models {

struct FastPath {
    /// Run the conv trunk in NHWC ("channels last"): the input is converted once at the model's
    /// entry and every conv, GroupNorm, cat, upsample and the transformer token views keep it, so
    /// oneDNN convolves without per-layer layout reorders and the [B,C,H,W] ↔ [B,HW,C] token
    /// views of the transformers are free instead of copies. UNet and ControlNet only: the VAE
    /// stays NCHW (measured on this CPU's oneDNN: VAE decode 256² took 12.9 CPU-s in NHWC against
    /// 9.8 in NCHW, while a UNet step at 256² went from 15.1 to 13.0 CPU-s).
    bool channelsLast = true;
    /// CPU fp32 attention as (batch·head, query-tile) tasks on torch's threads with single-threaded
    /// GEMMs and a ~1 MB score buffer each, scale folded into the first GEMM, softmax in place
    /// (models/attention.cpp); off: batched bmm over query chunks of attentionChunkBytes().
    /// At 512² attention is ~47 % of an SD1.5 step on the chunked path; tiled it went from
    /// 10.96 s to 6.01 s (step 23.3 → 18.6 s, 38 % → 50 % of the same-run GEMM). VAE: neutral.
    bool fusedAttention = true;
    /// CPU fp32 Linear layers on token batches run as oneDNN 1x1 convolutions (torch's OpenMP
    /// threads) instead of OpenBLAS GEMMs (a second thread pool competing for the same cores).
    /// Off by default: slower in the same-run comparison (UNet 256² step 17.2 against 15.5 CPU-s).
    bool onednnLinear = false;

    /// What the engine runs with unless told otherwise (the switches measured faster here).
    static FastPath defaults() { return {}; }
    static FastPath all() { return {true, true, true}; }
    static FastPath none() { return {false, false, false}; }
    /// "default", "all", "none"/"0", or a comma list of switch names (exactly those on); throws
    /// std::invalid_argument naming the valid switches for an unknown one.
    static FastPath parse(const std::string& text);
    /// "channels_last,fused_attention,onednn_linear" style summary for benchmark output.
    std::string describe() const;
};

/// The switches in force (defaults unless $EASEL_FAST_PATH says otherwise at start-up).
FastPath& fastPath();

/// Sets the switches for the lifetime of the guard (benchmark A/B runs, tests).
class FastPathGuard {
public:
    explicit FastPathGuard(const FastPath& path) : m_saved(fastPath()) { fastPath() = path; }
    ~FastPathGuard() { fastPath() = m_saved; }
    FastPathGuard(const FastPathGuard&) = delete;
    FastPathGuard& operator=(const FastPathGuard&) = delete;

private:
    FastPath m_saved;
};

} // namespace easel::models
