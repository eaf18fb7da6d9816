#pragma once
// Where the tests find their data. Golden tests are data-driven: they enumerate every case file
// of their kind under goldenDir(), so a new case needs no code.

#include <cstdint>
#include <string>
#include <vector>

namespace easel::test {

/// $EASEL_GOLDEN_DIR, else tests/data/golden of this source tree.
std::string goldenDir();
/// tests/data of this source tree (fixtures that are not reference data).
std::string testDataDir();
/// goldenDir() + "/" + relative.
std::string goldenPath(const std::string& relative);
/// Files in goldenDir()/folder whose names end with `suffix`, sorted (empty when the folder is missing).
std::vector<std::string> goldenFiles(const std::string& folder, const std::string& suffix);
/// The tensor count manifest.json states for a file of the set ("n_tensors" of files.<relative>,
/// e.g. "models/sd1_tiny.safetensors"); -1 when the manifest does not state one.
int64_t manifestTensorCount(const std::string& relative);

} // namespace easel::test
