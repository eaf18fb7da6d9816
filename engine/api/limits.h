#pragma once
/// The bounds every front end holds a GenerationRequest to (the pipeline checks them again), so the
/// CLI, the studio and the server refuse the same values with the same numbers. Plain C++.

namespace easel::api {

inline constexpr int kMaxSteps = 1000; ///< sampling steps per pass
inline constexpr int kMinSide = 8;     ///< pixels
inline constexpr int kMaxSide = 8192;  ///< pixels

} // namespace easel::api
