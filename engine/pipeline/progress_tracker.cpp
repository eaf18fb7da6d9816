#include "engine/pipeline/progress_tracker.h"

#include <algorithm>

#include "engine/pipeline/latent_image.h"

namespace easel::pipeline {

ProgressTracker::ProgressTracker(const api::ProgressCallback* callback, int imageCount, int previewEvery)
    : m_callback(callback), m_imageCount(imageCount), m_previewEvery(previewEvery)
{
}

void ProgressTracker::stage(api::Stage stage, int imageIndex)
{
    // Step timing starts with the first sampling step, not with model loading.
    if (m_doneSteps == 0 && (stage == api::Stage::Sampling || stage == api::Stage::Hires))
        m_start = std::chrono::steady_clock::now();
    if (!m_callback || !*m_callback)
        return;
    api::Progress p;
    p.stage = stage;
    p.imageIndex = imageIndex;
    p.imageCount = m_imageCount;
    p.totalSteps = m_totalSteps;
    p.step = m_doneSteps;
    (*m_callback)(p);
}

void ProgressTracker::step(api::Stage stage, int imageIndex, int stepInStage, int stageTotal,
                           const torch::Tensor& denoised)
{
    ++m_doneSteps;
    if (!m_callback || !*m_callback)
        return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    api::Progress p;
    p.stage = stage;
    p.step = stepInStage;
    p.totalSteps = stageTotal;
    p.imageIndex = imageIndex;
    p.imageCount = m_imageCount;
    p.secondsPerStep = elapsed / std::max(1, m_doneSteps);
    p.etaSeconds = p.secondsPerStep * std::max(0, m_totalSteps - m_doneSteps);
    if (m_previewEvery > 0 && (stepInStage % m_previewEvery == 0 || stepInStage == stageTotal))
        p.preview = latentPreview(denoised[0], m_family);
    (*m_callback)(p);
}

} // namespace easel::pipeline
