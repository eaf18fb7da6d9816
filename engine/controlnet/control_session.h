#pragma once
/// The ControlNet units of one generation: prepared once per request (models loaded and checked,
/// hint pictures read and preprocessed), then attached to each sampling pass's CFG denoiser, where
/// they add their summed residuals to the UNet. Engine thread only.
///
/// What follows the A1111 ControlNet extension (scripts/hook.py, UnetHook.forward and
/// guidance_schedule_handler):
/// - Window: a unit runs only while `sampling_step / sampling_steps` lies in [start, end], with
///   A1111's step counter: 0 at launch, then the index of the last finished sampler step (so it
///   lags one step behind the step being computed), over the steps this pass actually runs (img2img
///   and hires: t_enc + 1). Outside its window a unit costs nothing (its model is not called).
/// - Balanced: every residual × weight.
/// - "My prompt is more important" (soft injection): residual i of the model's outputs (12 down in
///   skip order, then mid) × weight · 0.825^(12 − i), i.e. the mid block keeps the full weight and
///   the shallow levels get ~0.1 of it. With fewer outputs (SDXL: 9 + mid) the extension pairs them
///   with the first scales of that list (zip), and so does Easel.
/// - "ControlNet is more important": soft injection as above plus CFG injection: the rows of the
///   batch that carry the negative prompt get no control at all, so CFG pushes towards the control.
/// - Hires fix pass: canny units are forced to soft injection (the extension does this for canny and
///   mlsd to reduce artifacts); the hint is resized to the hires size.
/// - Inpainting (9-channel) checkpoints: the ControlNet sees the first 4 channels of the UNet input.

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/api/image.h"
#include "engine/api/request.h"
#include "engine/controlnet/control_model.h"
#include "engine/controlnet/unit_infotext.h"
#include "engine/models/control_hook.h"

namespace easel::controlnet {

/// One enabled unit, ready to run.
struct PreparedUnit {
    int index = 0;                    ///< position in request.controlNets
    api::ControlUnit unit;            ///< as recorded (canonical preprocessor, thresholds resolved)
    ControlMode mode = ControlMode::Balanced;
    std::shared_ptr<LoadedControlNet> model;
    api::Image control;               ///< preprocessed control picture (before the resize to the pass size)
    torch::Tensor fixedHint;          ///< tests/benchmarks: a ready [1 or N, 3, H, W] hint in [0, 1]
};

struct PrepareOptions {
    int width = 512, height = 512;    ///< generation size (pixel perfect, first pass)
    std::uint64_t seed = 0;           ///< for the shuffle preprocessor
};

/// Loads, checks and preprocesses every enabled unit (disabled ones and weight-0 ones are skipped).
/// Throws api::Error: FileNotFound (model / image / ONNX), IncompatibleModel, InvalidRequest (unit
/// without an image, unknown preprocessor or control mode), CorruptFile.
std::vector<PreparedUnit> prepareUnits(const std::vector<api::ControlUnit>& units, const std::string& checkpointPath,
                                       const io::DetectedModel& checkpoint, const torch::Device& device,
                                       torch::ScalarType dtype, ControlNetCache& cache, const PrepareOptions& options);

/// [1, 3, H, W] float32 in [0, 1]: the control picture resized to width × height by the unit's mode.
torch::Tensor hintTensor(const PreparedUnit& unit, int width, int height);

/// Per-output scale of a unit for a pass: weight, or the soft-injection ladder (see above).
std::vector<double> outputScales(const PreparedUnit& unit, size_t outputs, bool hiresPass);

class ControlSession {
public:
    ControlSession() = default;
    explicit ControlSession(std::vector<PreparedUnit> units);

    bool active() const { return !m_units.empty(); }
    const std::vector<PreparedUnit>& units() const { return m_units; }

    /// One sampling pass as the session needs to know it.
    struct Pass {
        int condParts = 1;   ///< prompt parts (AND) in the cond half of the CFG batch
        int batchSize = 1;   ///< images per denoiser row group
        int width = 512, height = 512;
        int totalSteps = 1;  ///< sampler steps this pass runs
        bool hires = false;
    };

    /// Starts a sampling pass: hints at the pass size; returns the hook for the denoiser (empty when
    /// there is no unit). The CFG batch is cond parts first, uncond last (CfgDenoiser's layout).
    models::ControlHook attach(const Pass& pass);

    /// The sampler finished step `step` (1-based, as pipeline::StepFn reports it).
    void stepDone(int step) { m_samplingStep = step - 1; }

    /// Residuals for one UNet call (the ControlHook).
    std::optional<models::ControlResiduals> residuals(const torch::Tensor& xIn, const torch::Tensor& t,
                                                      const torch::Tensor& context, const torch::Tensor& y,
                                                      int denoiserCall);

    /// Whether unit `i` runs at the current step (A1111's window rule).
    bool inWindow(const PreparedUnit& unit) const;

    /// `ControlNet N` infotext values, in unit order.
    std::vector<std::string> infotextUnits() const;

    /// ControlNet forward passes run so far (all units).
    int modelCalls() const { return m_modelCalls; }

private:
    std::vector<PreparedUnit> m_units;
    std::vector<torch::Tensor> m_hints; ///< per unit, for the current pass
    int m_batchSize = 1;
    int m_condParts = 1;
    int m_samplingStep = 0;
    int m_samplingSteps = 1;
    bool m_hires = false;
    int m_lastCall = -1;
    int m_callPosition = 0;
    int m_modelCalls = 0;
};

} // namespace easel::controlnet
