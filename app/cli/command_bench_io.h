#pragma once
// `easel-cli bench io` / `easel-cli bench-io`: exposed so the `bench` dispatcher can forward `io`.

#include <string>
#include <vector>

namespace easel::cli {

/// Runs the I/O benchmark with the arguments after `io`. Returns the exit code.
int runBenchIo(const std::vector<std::string>& args);

} // namespace easel::cli
