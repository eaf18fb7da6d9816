#pragma once
/// Easel's own version. Any thread.

namespace easel::api {

/// "0.1.0" — from the CMake project version.
const char* easelVersion();

} // namespace easel::api
