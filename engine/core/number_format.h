#pragma once
/// Number text as A1111 writes it into infotext (Python's str of an int or float): below pipeline
/// and controlnet, which both format infotext values. Plain C++; any thread.

#include <string>

namespace easel::core {

/// Integers without ".0", otherwise the shortest round-trip decimal.
std::string formatNumber(double value);

} // namespace easel::core
