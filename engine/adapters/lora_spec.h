#pragma once
/// One LoRA of a set to merge: file, name for infotext, multipliers. Plain C++; any thread.

#include <string>

namespace easel::adapters {

struct LoRASpec {
    std::string path;
    std::string alias;                    ///< name as the user wrote it (infotext `Lora hashes`); default: file stem
    double unetMultiplier = 1.0;
    double textEncoderMultiplier = 1.0;
};

} // namespace easel::adapters
