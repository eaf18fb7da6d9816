#pragma once
/// Progress reports and cancellation of engine jobs. Plain C++.

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "engine/api/image.h"

namespace easel::api {

/// The stages of a generation, in the order they run.
enum class Stage { Queued, Loading, Text, Sampling, Hires, Decoding, Saving };

/// Stable English name of a stage ("loading", "sampling", …) for logs, JSON and the CLI.
const char* stageName(Stage stage);

/// Where a generation is. Sent from the engine thread; copy it, don't keep references.
struct Progress {
    Stage stage = Stage::Queued;
    int step = 0;               ///< 1-based step within the stage's total (sampling)
    int totalSteps = 0;
    int imageIndex = 0;         ///< first image of the current batch (0-based)
    int imageCount = 1;         ///< images in the whole job (batch count × batch size)
    double secondsPerStep = 0;  ///< running mean over the steps done so far
    double etaSeconds = 0;      ///< for the whole job, from the mean step time
    std::optional<Image> preview; ///< cheap latent->RGB preview, every N steps when asked for
};

using ProgressCallback = std::function<void(const Progress&)>;

/// Set from any thread (the UI's cancel button); the engine checks it every step and between stages
/// and then throws Error(Cancelled). Images finished before the cancel are kept (the service has
/// already saved them).
class StopToken {
public:
    void requestStop() { m_stop.store(true, std::memory_order_relaxed); }
    bool stopRequested() const { return m_stop.load(std::memory_order_relaxed); }
    void reset() { m_stop.store(false, std::memory_order_relaxed); }

private:
    std::atomic<bool> m_stop{false};
};

} // namespace easel::api
