#include "engine/text/chunking.h"

#include <algorithm>

#include "engine/text/tokenizer.h"

namespace easel::text {

void EmbeddingVocabulary::add(const std::string& name, int vectorCount) {
    // A1111 tokenizes the embedding's name with the model's tokenizer (no BOS/EOS).
    addTokens(name, CLIPTokenizer::instance().encode(name), vectorCount);
}

void EmbeddingVocabulary::addTokens(const std::string& name, std::vector<int> nameTokens, int vectorCount) {
    if (nameTokens.empty()) return;  // a name that tokenizes to nothing can never match
    // Replace an earlier registration of the same name.
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].name == name) {
            m_entries[i].ids = std::move(nameTokens);
            m_entries[i].vectorCount = vectorCount;
            nameTokens.clear();
            break;
        }
    }
    if (!nameTokens.empty()) m_entries.push_back({name, std::move(nameTokens), vectorCount});
    // Rebuild the index: per first token, longest names first (stable: earlier registrations first).
    m_byFirstToken.clear();
    for (std::size_t i = 0; i < m_entries.size(); ++i) m_byFirstToken[m_entries[i].ids.front()].push_back(i);
    for (auto& [first, list] : m_byFirstToken) {
        std::stable_sort(list.begin(), list.end(),
            [this](std::size_t a, std::size_t b) { return m_entries[a].ids.size() > m_entries[b].ids.size(); });
    }
}

EmbeddingVocabulary::Match EmbeddingVocabulary::findAt(const std::vector<int>& tokens, std::size_t offset) const {
    Match match;
    if (offset >= tokens.size()) return match;
    const auto it = m_byFirstToken.find(tokens[offset]);
    if (it == m_byFirstToken.end()) return match;
    for (std::size_t index : it->second) {
        const Entry& e = m_entries[index];
        if (offset + e.ids.size() <= tokens.size()
            && std::equal(e.ids.begin(), e.ids.end(), tokens.begin() + static_cast<std::ptrdiff_t>(offset))) {
            match.name = &e.name;
            match.tokenLength = static_cast<int>(e.ids.size());
            match.vectorCount = e.vectorCount;
            return match;
        }
    }
    return match;
}

namespace {

struct OpenChunk {
    std::vector<int> tokens;
    std::vector<float> multipliers;
    std::vector<EmbeddingSlot> embeddings;  // position = offset in `tokens` (BOS not yet added)
};

} // namespace

ChunkedPrompt chunkAttention(const std::vector<AttentionSpan>& spans, const ChunkingOptions& options) {
    // Ref: A1111 sd_hijack_clip.py TextConditionalModel.tokenize_line.
    const CLIPTokenizer& tokenizer = CLIPTokenizer::instance();
    ChunkedPrompt result;
    OpenChunk chunk;
    int lastComma = -1;

    auto closeChunk = [&](bool isLast) {
        result.tokenCount += isLast ? static_cast<int>(chunk.tokens.size()) : kChunkLength;
        Chunk out;
        out.contentCount = static_cast<int>(chunk.tokens.size());
        out.tokens77.reserve(kChunkTokens);
        out.multipliers77.reserve(kChunkTokens);
        out.tokens77.push_back(CLIPTokenizer::kStartOfText);
        out.multipliers77.push_back(1.0f);
        out.tokens77.insert(out.tokens77.end(), chunk.tokens.begin(), chunk.tokens.end());
        out.multipliers77.insert(out.multipliers77.end(), chunk.multipliers.begin(), chunk.multipliers.end());
        while (static_cast<int>(out.tokens77.size()) < kChunkLength + 1) {
            out.tokens77.push_back(CLIPTokenizer::kEndOfText);
            out.multipliers77.push_back(1.0f);
        }
        out.tokens77.push_back(CLIPTokenizer::kEndOfText);
        out.multipliers77.push_back(1.0f);
        // A1111 process_tokens: with a pad id other than EOS, everything after the first EOS is pad.
        if (options.padToken != CLIPTokenizer::kEndOfText) {
            const auto firstEnd = std::find(out.tokens77.begin(), out.tokens77.end(), CLIPTokenizer::kEndOfText);
            if (firstEnd != out.tokens77.end()) std::fill(firstEnd + 1, out.tokens77.end(), options.padToken);
        }
        for (EmbeddingSlot slot : chunk.embeddings) {
            slot.position += 1;  // BOS
            out.embeddings.push_back(std::move(slot));
        }
        result.chunks.push_back(std::move(out));
        chunk = OpenChunk{};
        lastComma = -1;
    };

    for (const AttentionSpan& span : spans) {
        if (span.isBreak()) {
            closeChunk(false);
            continue;
        }
        const std::vector<int> tokens = tokenizer.encode(span.text);
        const float weight = static_cast<float>(span.weight);
        std::size_t position = 0;
        while (position < tokens.size()) {
            const int token = tokens[position];
            if (token == kCommaToken) {
                lastComma = static_cast<int>(chunk.tokens.size());
            } else if (options.commaBacktrack != 0 && static_cast<int>(chunk.tokens.size()) == kChunkLength
                       && lastComma != -1 && kChunkLength - lastComma <= options.commaBacktrack) {
                // Move the words after the last comma into the next chunk. Embedding slots stay in
                // the closed chunk, exactly as A1111 does (its PromptChunkFix entries are not moved).
                const std::size_t breakAt = static_cast<std::size_t>(lastComma) + 1;
                std::vector<int> movedTokens(chunk.tokens.begin() + static_cast<std::ptrdiff_t>(breakAt), chunk.tokens.end());
                std::vector<float> movedWeights(chunk.multipliers.begin() + static_cast<std::ptrdiff_t>(breakAt), chunk.multipliers.end());
                chunk.tokens.resize(breakAt);
                chunk.multipliers.resize(breakAt);
                closeChunk(false);
                chunk.tokens = std::move(movedTokens);
                chunk.multipliers = std::move(movedWeights);
            }
            if (static_cast<int>(chunk.tokens.size()) == kChunkLength) closeChunk(false);

            const EmbeddingVocabulary::Match match =
                options.embeddings ? options.embeddings->findAt(tokens, position) : EmbeddingVocabulary::Match{};
            if (!match.name) {
                chunk.tokens.push_back(token);
                chunk.multipliers.push_back(weight);
                ++position;
                continue;
            }
            if (static_cast<int>(chunk.tokens.size()) + match.vectorCount > kChunkLength) closeChunk(false);
            chunk.embeddings.push_back({static_cast<int>(chunk.tokens.size()), match.vectorCount, *match.name});
            chunk.tokens.insert(chunk.tokens.end(), static_cast<std::size_t>(match.vectorCount), kEmbeddingPlaceholderToken);
            chunk.multipliers.insert(chunk.multipliers.end(), static_cast<std::size_t>(match.vectorCount), weight);
            position += static_cast<std::size_t>(match.tokenLength);
        }
    }
    if (!chunk.tokens.empty() || result.chunks.empty()) closeChunk(true);
    return result;
}

ChunkedPrompt chunkPrompt(std::string_view line, const ChunkingOptions& options) {
    if (options.parseEmphasis) return chunkAttention(parsePromptAttention(line), options);
    return chunkAttention({AttentionSpan{std::string(line), 1.0}}, options);
}

int targetTokenCount(int tokenCount) {
    // Ref: A1111 get_target_prompt_token_count: math.ceil(max(token_count, 1) / 75) * 75
    const int n = std::max(tokenCount, 1);
    return (n + kChunkLength - 1) / kChunkLength * kChunkLength;
}

} // namespace easel::text
