#include "engine/adapters/embedding_resolver.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "engine/io/hashes.h"

namespace easel::adapters {

namespace fs = std::filesystem;

namespace {

bool isDirectory(const fs::path& p)
{
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool wordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80; }

/// Drops `<lora:…>`-style tags: their names are LoRAs, not embeddings.
std::string withoutTags(const std::string& text)
{
    std::string out;
    int depth = 0;
    for (char c : text) {
        if (c == '<')
            ++depth;
        else if (c == '>' && depth > 0)
            --depth;
        else if (depth == 0)
            out += c;
    }
    return out;
}

} // namespace

std::vector<std::string> embeddingSearchFolders(const std::string& checkpointPath)
{
    std::vector<std::string> out;
    auto add = [&](const fs::path& p) {
        const std::string s = p.lexically_normal().string();
        if (isDirectory(p) && std::find(out.begin(), out.end(), s) == out.end())
            out.push_back(s);
    };
    if (const char* env = std::getenv("EASEL_EMBEDDING_DIRS")) {
        const std::string list = env;
        size_t start = 0;
        while (start <= list.size()) {
            const size_t end = std::min(list.find(':', start), list.size());
            if (end > start)
                add(list.substr(start, end - start));
            start = end + 1;
        }
    }
    if (!checkpointPath.empty()) {
        const fs::path folder = fs::absolute(fs::path(checkpointPath)).parent_path();
        add(folder.parent_path().parent_path() / "embeddings");
        add(folder.parent_path() / "embeddings");
        add(folder / "embeddings");
    }
    return out;
}

std::vector<std::string> embeddingCandidates(const std::vector<std::string>& texts)
{
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const std::string& raw : texts) {
        const std::string text = withoutTags(raw);
        size_t i = 0;
        while (i < text.size()) {
            if (!wordChar(static_cast<unsigned char>(text[i]))) {
                ++i;
                continue;
            }
            size_t j = i;
            while (j < text.size() && wordChar(static_cast<unsigned char>(text[j])))
                ++j;
            std::string word = text.substr(i, j - i);
            // "(word:1.2)" leaves "1.2"; trailing dots end sentences.
            while (!word.empty() && word.back() == '.')
                word.pop_back();
            const bool number = word.find_first_not_of("0123456789.-") == std::string::npos;
            if (!word.empty() && !number && seen.insert(word).second)
                out.push_back(word);
            i = j;
        }
    }
    return out;
}

std::vector<EmbeddingFile> findEmbeddings(const std::vector<std::string>& texts, const std::vector<std::string>& folders,
                                          const EmbeddingNameLookup& lookup)
{
    std::vector<EmbeddingFile> out;
    for (const std::string& word : embeddingCandidates(texts)) {
        std::string path = lookup ? lookup(word) : std::string();
        for (size_t f = 0; path.empty() && f < folders.size(); ++f)
            for (const char* ext : {".safetensors", ".pt", ".bin"}) {
                const fs::path candidate = fs::path(folders[f]) / (word + ext);
                if (isFile(candidate)) {
                    path = candidate.string();
                    break;
                }
            }
        if (!path.empty())
            out.push_back({word, path});
    }
    return out;
}

std::string embeddingHash(const std::string& path) { return io::sha256File(path).substr(0, 12); }

} // namespace easel::adapters
