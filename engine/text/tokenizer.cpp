#include "engine/text/tokenizer.h"

#include <climits>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "engine/api/error.h"
#include "engine/core/utf8.h"
#include "engine/text/tokenizer_cleanup.h"
#include "engine/text/tokenizer_unicode.h"
#include "engine/text/vocab.h"

namespace easel::text {
namespace {

constexpr std::string_view kWordEnd = "</w>";
constexpr std::string_view kStartText = "<|startoftext|>";
constexpr std::string_view kEndText = "<|endoftext|>";
// openai: merges = lines[1 : 49152 - 256 - 2 + 1]
constexpr int kMergeCount = 49152 - 256 - 2;
constexpr std::size_t kCacheLimit = 200000;

struct PairHash {
    std::size_t operator()(const std::pair<int, int>& p) const noexcept {
        return std::hash<long long>()((static_cast<long long>(p.first) << 32) ^ static_cast<unsigned>(p.second));
    }
};

/// A pre-token: a piece of the cleaned text as the CLIP regex cuts it, or a special token.
struct PreToken {
    std::u32string text;
    int specialId = -1;
};

bool startsWithAt(const std::u32string& s, std::size_t pos, std::u32string_view what) {
    return s.compare(pos, what.size(), what) == 0;
}

// Ref: CLIP pre-tokenizer, Python `regex` with IGNORECASE:
// <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// Alternatives are tried in order at each position (first match wins); unmatched characters
// (whitespace) are skipped.
std::vector<PreToken> preTokenize(const std::u32string& s) {
    using namespace unicode;
    static const std::u32string_view kContractions[] = {U"'s", U"'t", U"'re", U"'ve", U"'m", U"'ll", U"'d"};
    std::vector<PreToken> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (startsWithAt(s, i, U"<|startoftext|>")) {
            out.push_back({std::u32string(U"<|startoftext|>"), CLIPTokenizer::kStartOfText});
            i += 15;
            continue;
        }
        if (startsWithAt(s, i, U"<|endoftext|>")) {
            out.push_back({std::u32string(U"<|endoftext|>"), CLIPTokenizer::kEndOfText});
            i += 13;
            continue;
        }
        bool matched = false;
        for (std::u32string_view c : kContractions) {
            if (startsWithAt(s, i, c)) {
                out.push_back({std::u32string(c), -1});
                i += c.size();
                matched = true;
                break;
            }
        }
        if (matched) {
            continue;
        }
        const char32_t ch = s[i];
        std::size_t j = i;
        if (isLetter(ch)) {
            while (j < s.size() && isLetter(s[j])) {
                ++j;
            }
        } else if (isNumber(ch)) {
            j = i + 1;
        } else if (!isWhitespace(ch)) {
            while (j < s.size() && !isWhitespace(s[j]) && !isLetter(s[j]) && !isNumber(s[j])) {
                ++j;
            }
        } else {
            ++i;
            continue;
        }
        out.push_back({s.substr(i, j - i), -1});
        i = j;
    }
    return out;
}

} // namespace

struct CLIPTokenizer::Impl {
    std::vector<std::string> byteEncoder;           // byte -> its byte-level character (UTF-8)
    std::unordered_map<std::string, int> byteDecoder; // byte-level character (UTF-8) -> byte
    std::vector<std::string> vocab;                 // id -> token
    std::unordered_map<std::string, int> encoder;   // token -> id
    std::unordered_map<std::pair<int, int>, int, PairHash> mergeRanks;  // (id, id) -> rank
    std::unordered_map<std::pair<int, int>, int, PairHash> mergeResult; // (id, id) -> merged id

    mutable std::shared_mutex cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int>> cache;

    void build() {
        // GPT-2 bytes_to_unicode: printable Latin-1 bytes map to themselves, the rest to U+0100+n.
        std::vector<int> order;
        std::vector<char32_t> chars(256);
        std::vector<bool> printable(256, false);
        for (int b = '!'; b <= '~'; ++b) printable[b] = true;
        for (int b = 0xA1; b <= 0xAC; ++b) printable[b] = true;
        for (int b = 0xAE; b <= 0xFF; ++b) printable[b] = true;
        for (int b = 0; b < 256; ++b) {
            if (printable[b]) {
                order.push_back(b);
                chars[b] = static_cast<char32_t>(b);
            }
        }
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            if (!printable[b]) {
                order.push_back(b);
                chars[b] = static_cast<char32_t>(256 + n++);
            }
        }
        byteEncoder.resize(256);
        for (int b = 0; b < 256; ++b) {
            std::string u;
            core::appendUtf8(u, chars[b]);
            byteEncoder[b] = u;
            byteDecoder[u] = b;
        }

        const std::string text = embeddedVocabText();
        std::vector<std::pair<std::string, std::string>> merges;
        merges.reserve(kMergeCount);
        std::size_t pos = text.find('\n');  // line 0 is the "#version" header
        while (pos != std::string::npos && static_cast<int>(merges.size()) < kMergeCount) {
            const std::size_t start = pos + 1;
            pos = text.find('\n', start);
            const std::string line = text.substr(start, (pos == std::string::npos ? text.size() : pos) - start);
            const std::size_t space = line.find(' ');
            if (space == std::string::npos) {
                break;
            }
            merges.emplace_back(line.substr(0, space), line.substr(space + 1));
        }
        if (static_cast<int>(merges.size()) != kMergeCount) {
            throw api::Error(api::ErrorCode::CorruptFile, "The built-in CLIP vocabulary has "
                + std::to_string(merges.size()) + " merges instead of " + std::to_string(kMergeCount)
                + ". Rebuild Easel from a clean checkout.");
        }

        vocab.reserve(kVocabSize);
        for (int b : order) vocab.push_back(byteEncoder[b]);
        for (int b : order) vocab.push_back(byteEncoder[b] + std::string(kWordEnd));
        for (const auto& [a, b] : merges) vocab.push_back(a + b);
        vocab.emplace_back(kStartText);
        vocab.emplace_back(kEndText);
        encoder.reserve(vocab.size() * 2);
        for (int id = 0; id < static_cast<int>(vocab.size()); ++id) {
            encoder[vocab[id]] = id;  // later duplicates win, as in a Python dict
        }
        mergeRanks.reserve(merges.size() * 2);
        for (int rank = 0; rank < static_cast<int>(merges.size()); ++rank) {
            const auto& [a, b] = merges[rank];
            const auto ia = encoder.find(a);
            const auto ib = encoder.find(b);
            if (ia == encoder.end() || ib == encoder.end()) {
                continue;  // cannot happen in a consistent merges file
            }
            const std::pair<int, int> key{ia->second, ib->second};
            if (!mergeRanks.count(key)) {
                mergeRanks.emplace(key, rank);
                mergeResult.emplace(key, encoder.at(a + b));
            }
        }
    }

    /// BPE of one pre-token (already in the byte-level alphabet), as ids.
    std::vector<int> bpe(const std::string& word) const {
        {
            std::shared_lock lock(cacheMutex);
            const auto it = cache.find(word);
            if (it != cache.end()) {
                return it->second;
            }
        }
        // Split into byte-level characters; the last one carries "</w>".
        std::vector<std::string> chars;
        for (std::size_t i = 0; i < word.size();) {
            const unsigned char b = static_cast<unsigned char>(word[i]);
            const std::size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
            chars.push_back(word.substr(i, len));
            i += len;
        }
        std::vector<int> ids;
        ids.reserve(chars.size());
        for (std::size_t i = 0; i < chars.size(); ++i) {
            const std::string token = i + 1 == chars.size() ? chars[i] + std::string(kWordEnd) : chars[i];
            ids.push_back(encoder.at(token));
        }
        // Repeatedly merge the adjacent pair with the lowest rank (all its occurrences, left to right).
        while (ids.size() > 1) {
            int bestRank = INT_MAX;
            std::pair<int, int> best{-1, -1};
            for (std::size_t i = 0; i + 1 < ids.size(); ++i) {
                const auto it = mergeRanks.find({ids[i], ids[i + 1]});
                if (it != mergeRanks.end() && it->second < bestRank) {
                    bestRank = it->second;
                    best = it->first;
                }
            }
            if (bestRank == INT_MAX) {
                break;
            }
            const int merged = mergeResult.at(best);
            std::vector<int> next;
            next.reserve(ids.size());
            for (std::size_t i = 0; i < ids.size();) {
                if (i + 1 < ids.size() && ids[i] == best.first && ids[i + 1] == best.second) {
                    next.push_back(merged);
                    i += 2;
                } else {
                    next.push_back(ids[i]);
                    ++i;
                }
            }
            ids = std::move(next);
        }
        {
            std::unique_lock lock(cacheMutex);
            if (cache.size() >= kCacheLimit) {
                cache.clear();
            }
            cache.emplace(word, ids);
        }
        return ids;
    }
};

CLIPTokenizer::CLIPTokenizer() : m_impl(std::make_unique<Impl>()) { m_impl->build(); }
CLIPTokenizer::~CLIPTokenizer() = default;

const CLIPTokenizer& CLIPTokenizer::instance() {
    static const CLIPTokenizer tokenizer;  // thread-safe initialisation (C++11 magic statics)
    return tokenizer;
}

std::string CLIPTokenizer::cleanText(std::string_view text, TextCleaning cleaning) {
    std::string s = ftfyFixText(text);
    if (cleaning == TextCleaning::OpenAI) {
        // basic_clean: html.unescape twice, then strip (whitespace_clean strips anyway).
        s = htmlUnescape(htmlUnescape(s));
    }
    return lowercase(collapseWhitespace(s));
}

std::vector<int> CLIPTokenizer::encode(std::string_view text, TextCleaning cleaning) const {
    const std::u32string cleaned = unicode::fromUtf8(cleanText(text, cleaning));
    std::vector<int> ids;
    for (const PreToken& piece : preTokenize(cleaned)) {
        if (piece.specialId >= 0) {
            ids.push_back(piece.specialId);
            continue;
        }
        std::string word;
        for (unsigned char b : unicode::toUtf8(piece.text)) {
            word += m_impl->byteEncoder[b];
        }
        const std::vector<int> pieceIds = m_impl->bpe(word);
        ids.insert(ids.end(), pieceIds.begin(), pieceIds.end());
    }
    return ids;
}

std::vector<std::string> CLIPTokenizer::tokenStrings(const std::vector<int>& ids) const {
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (int id : ids) {
        out.push_back(token(id));
    }
    return out;
}

std::string CLIPTokenizer::decode(const std::vector<int>& ids) const {
    // openai decode: concatenate tokens, map byte-level characters back to bytes, decode UTF-8 with
    // replacement, "</w>" -> " ".
    std::string joined;
    for (int id : ids) {
        joined += token(id);
    }
    std::string bytes;
    const std::u32string chars = unicode::fromUtf8(joined);
    for (char32_t c : chars) {
        std::string u;
        core::appendUtf8(u, c);
        const auto it = m_impl->byteDecoder.find(u);
        if (it != m_impl->byteDecoder.end()) {
            bytes.push_back(static_cast<char>(it->second));
        } else {
            bytes += u;  // only '<', '/', 'w', '>' reach here through "</w>" and they are bytes too
        }
    }
    std::string text = unicode::toUtf8(unicode::fromUtf8(bytes));
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, kWordEnd.size(), kWordEnd) == 0) {
            out.push_back(' ');
            i += kWordEnd.size();
        } else {
            out.push_back(text[i++]);
        }
    }
    return out;
}

const std::string& CLIPTokenizer::token(int id) const {
    static const std::string kEmpty;
    if (id < 0 || id >= static_cast<int>(m_impl->vocab.size())) {
        return kEmpty;
    }
    return m_impl->vocab[static_cast<std::size_t>(id)];
}

int CLIPTokenizer::tokenId(std::string_view tokenText) const {
    const auto it = m_impl->encoder.find(std::string(tokenText));
    return it == m_impl->encoder.end() ? -1 : it->second;
}

} // namespace easel::text
