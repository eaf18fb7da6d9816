#pragma once
/// The CLIP BPE merges file (openai/CLIP bpe_simple_vocab_16e6.txt.gz, MIT, see
/// resources/vocab/LICENSE-CLIP.txt), compiled into the binary so the tokenizer works from any
/// install location. Plain C++; any thread.

#include <string>
#include <string_view>

namespace easel::text {

/// The gzip file's bytes as built in.
std::string_view embeddedVocabGz();

/// The merges text, gunzipped. Throws api::Error (CorruptFile) if the built-in data is damaged.
std::string embeddedVocabText();

} // namespace easel::text
