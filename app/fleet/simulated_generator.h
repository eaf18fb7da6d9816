#pragma once
// easel-server --simulate-step-ms N: a generator that sleeps N ms per sampling step instead of
// running the model, and returns a small picture made from the seed. It measures the fleet's own
// cost (queue, routing, progress, results) on machines without the compute for real models; it
// is a test mode, said so in every image's infotext. A prompt containing "[simulate-failure]"
// fails with a retriable fault (dead-letter tests). Plain C++.

#include <random>

#include "engine/service/generator.h"

namespace easel::fleet {

class SimulatedGenerator : public service::Generator {
public:
    explicit SimulatedGenerator(int stepMs) : m_stepMs(stepMs) {}
    api::GenerationResult generate(const api::GenerationRequest& request, const api::GenerateOptions& options) override;

private:
    int m_stepMs;
    std::mt19937_64 m_random{std::random_device{}()};
};

} // namespace easel::fleet
