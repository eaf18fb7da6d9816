#pragma once
/// The CLIP BPE tokenizer (openai CLIP / HF CLIPTokenizer), vocabulary built into the binary.
/// Plain C++ (no torch). instance() and every const method may be called from any thread.
///
/// Ref: openai/CLIP clip/simple_tokenizer.py; transformers models/clip/tokenization_clip.py.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace easel::text {

/// How raw text is cleaned before pre-tokenisation.
enum class TextCleaning {
    HuggingFace,  ///< ftfy-like fixes, whitespace collapse, lowercase (HF CLIPTokenizer: what A1111 uses)
    OpenAI,       ///< same plus html.unescape twice before the whitespace collapse (openai SimpleTokenizer)
};

class CLIPTokenizer {
public:
    static constexpr int kStartOfText = 49406;  ///< BOS
    static constexpr int kEndOfText = 49407;    ///< EOS; CLIP-L also pads with it
    static constexpr int kVocabSize = 49408;

    /// The shared tokenizer over the built-in vocabulary (built on first use, thread-safe).
    static const CLIPTokenizer& instance();

    /// Token ids without BOS/EOS, no truncation or padding.
    std::vector<int> encode(std::string_view text, TextCleaning cleaning = TextCleaning::HuggingFace) const;
    /// The BPE token strings of encode() (byte-level alphabet, word ends marked "</w>").
    std::vector<std::string> tokenStrings(const std::vector<int>& ids) const;
    /// openai decode: tokens joined, byte-level alphabet mapped back to UTF-8, "</w>" -> " ".
    std::string decode(const std::vector<int>& ids) const;

    /// The vocabulary entry of `id` ("" when out of range).
    const std::string& token(int id) const;
    /// Id of a vocabulary entry, -1 when absent.
    int tokenId(std::string_view token) const;

    /// Cleaning alone (ftfy-like fix, optional HTML unescape, whitespace collapse, lowercase).
    static std::string cleanText(std::string_view text, TextCleaning cleaning = TextCleaning::HuggingFace);

    ~CLIPTokenizer();
    CLIPTokenizer(const CLIPTokenizer&) = delete;
    CLIPTokenizer& operator=(const CLIPTokenizer&) = delete;

private:
    CLIPTokenizer();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace easel::text
