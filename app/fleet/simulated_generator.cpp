#include "app/fleet/simulated_generator.h"

#include <chrono>
#include <thread>

#include "engine/api/error.h"

namespace easel::fleet {

namespace {

/// 64×64 RGB, every byte a function of the seed: equal seeds give equal pictures.
api::Image pictureOf(std::int64_t seed)
{
    api::Image img;
    img.width = img.height = 64;
    img.pixels.resize(img.byteSize());
    std::mt19937 bytes(static_cast<std::uint32_t>(seed));
    for (auto& p : img.pixels)
        p = static_cast<std::uint8_t>(bytes());
    return img;
}

} // namespace

api::GenerationResult SimulatedGenerator::generate(const api::GenerationRequest& request,
                                                   const api::GenerateOptions& options)
{
    // Test mode of the delivery rules: a retriable fault on every worker, as a broken GPU gives.
    if (request.prompt.find("[simulate-failure]") != std::string::npos)
        throw api::Error(api::ErrorCode::Internal, "simulated device fault ([simulate-failure] in the prompt)");
    api::GenerationResult result;
    result.firstSeed = request.seed >= 0 ? request.seed : std::int64_t(m_random() & 0xffffffff);
    const int images = std::max(1, request.batchCount) * std::max(1, request.batchSize);
    const int steps = std::max(1, request.steps);
    // Steps end on a fixed grid from the start: a late wake-up (a loaded machine oversleeps by a
    // millisecond or so) does not add up over the steps, so the job's compute is steps × N ms and
    // the benchmark's "overhead" is the queue path's, not the sleeps'.
    auto stepEnd = std::chrono::steady_clock::now();
    for (int i = 0; i < images; ++i) {
        for (int s = 1; s <= steps; ++s) {
            if (options.stop && options.stop->stopRequested())
                throw api::Error(api::ErrorCode::Cancelled, "cancelled");
            stepEnd += std::chrono::milliseconds(m_stepMs);
            std::this_thread::sleep_until(stepEnd);
            if (options.progress) {
                api::Progress p;
                p.stage = api::Stage::Sampling;
                p.step = s;
                p.totalSteps = steps;
                p.imageIndex = i;
                p.imageCount = images;
                p.secondsPerStep = m_stepMs / 1000.0;
                p.etaSeconds = p.secondsPerStep * ((images - i) * steps - s);
                options.progress(p);
            }
        }
        api::GeneratedImage g;
        g.seed = result.firstSeed + i;
        g.image = pictureOf(g.seed);
        g.infotext = request.prompt + "\nSteps: " + std::to_string(steps) + ", Seed: " + std::to_string(g.seed)
                     + ", Simulated: " + std::to_string(m_stepMs) + " ms/step";
        if (options.imageReady)
            options.imageReady(g, i);
        result.images.push_back(std::move(g));
    }
    return result;
}

} // namespace easel::fleet
