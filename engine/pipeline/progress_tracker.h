#pragma once
// Step bookkeeping across a whole generation job (all batches, first pass and hires), for progress
// reports, the ETA and latent previews at the job's preview cadence. Engine thread only.

#include <chrono>

#include <torch/torch.h>

#include "engine/api/progress.h"
#include "engine/io/model_config.h"

namespace easel::pipeline {

class ProgressTracker {
public:
    ProgressTracker(const api::ProgressCallback* callback, int imageCount, int previewEvery);

    void setFamily(io::ModelFamily family) { m_family = family; }
    /// Steps the whole job will run (for the ETA).
    void setTotalSteps(int steps) { m_totalSteps = steps; }

    /// A stage starts (loading, text, sampling, hires, decoding) for the batch starting at `imageIndex`.
    void stage(api::Stage stage, int imageIndex);
    /// One sampler step done; `denoised` gives the preview when the cadence asks for one.
    void step(api::Stage stage, int imageIndex, int stepInStage, int stageTotal, const torch::Tensor& denoised);

private:
    const api::ProgressCallback* m_callback = nullptr;
    int m_totalSteps = 0;
    int m_doneSteps = 0;
    int m_imageCount = 1;
    int m_previewEvery = 0;
    io::ModelFamily m_family = io::ModelFamily::SD1;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

} // namespace easel::pipeline
