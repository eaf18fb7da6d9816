#include "engine/text/embeddings.h"

#include <filesystem>
#include <sstream>

#include "engine/api/error.h"
#include "engine/io/state_dict.h"

namespace easel::text {

namespace {

torch::Tensor asMatrix(const torch::Tensor& t, const std::string& key, const std::string& path)
{
    if (t.dim() != 1 && t.dim() != 2)
        throw api::Error(api::ErrorCode::IncompatibleModel,
                         "Entry \"" + key + "\" has " + std::to_string(t.dim()) +
                             " dimensions; a textual-inversion embedding holds [vectors, width]. "
                             "This is not an embedding file (maybe a LoRA or hypernetwork).",
                         path);
    torch::Tensor m = t.dim() == 1 ? t.unsqueeze(0) : t;
    return m.to(torch::kFloat32).contiguous().clone();
}

std::string keysOf(const io::StateDict& dict)
{
    std::string out;
    for (const auto& [key, tensor] : dict) {
        if (out.size() > 200) {
            out += ", ...";
            break;
        }
        out += (out.empty() ? "" : ", ") + key;
    }
    return out;
}

} // namespace

const torch::Tensor& TextualInversion::vectorsFor(const std::string& key, int64_t width) const
{
    // Exact key only: A1111 skips SDXL embeddings on SD1/SD2 and single-encoder ones on SDXL.
    auto found = vectors.find(key);
    if (found == vectors.end() || found->second.size(1) != width) {
        std::ostringstream what;
        what << "Embedding \"" << name << "\" has ";
        bool first = true;
        for (const auto& [k, v] : vectors) {
            what << (first ? "" : " and ") << (k.empty() ? std::string("vectors") : k) << " of width " << v.size(1);
            first = false;
        }
        what << " but the model's text encoder" << (key.empty() ? "" : " (" + key + ")") << " takes width "
             << width << ". Use an embedding trained for this model family.";
        throw api::Error(api::ErrorCode::IncompatibleModel, what.str(), path);
    }
    return found->second;
}

TextualInversion loadTextualInversion(const std::string& path)
{
    const io::StateDict dict = io::loadStateDict(path, {.dtype = std::nullopt, .prefix = "", .zeroCopy = false});
    TextualInversion out;
    out.path = path;
    out.name = std::filesystem::path(path).stem().string();

    std::vector<std::string> params;
    for (const auto& [key, tensor] : dict)
        if (key.rfind("string_to_param.", 0) == 0)
            params.push_back(key);

    if (!params.empty()) {
        if (params.size() != 1)
            throw api::Error(api::ErrorCode::IncompatibleModel,
                             "The embedding file has " + std::to_string(params.size()) +
                                 " terms in string_to_param; only one is supported (as in A1111).",
                             path);
        out.vectors[""] = asMatrix(dict.at(params.front()), params.front(), path);
    } else if (dict.count(kClipLKey) && dict.count(kClipGKey)) {
        out.vectors[kClipLKey] = asMatrix(dict.at(kClipLKey), kClipLKey, path);
        out.vectors[kClipGKey] = asMatrix(dict.at(kClipGKey), kClipGKey, path);
        if (out.vectors[kClipLKey].size(0) != out.vectors[kClipGKey].size(0))
            throw api::Error(api::ErrorCode::CorruptFile,
                             "The SDXL embedding has a different number of clip_l and clip_g vectors.", path);
    } else if (dict.size() == 1) {
        out.vectors[""] = asMatrix(dict.begin()->second, dict.begin()->first, path);
    } else {
        throw api::Error(api::ErrorCode::IncompatibleModel,
                         "Not a textual-inversion embedding: expected emb_params, string_to_param or clip_l/clip_g, "
                         "found " + (dict.empty() ? std::string("no tensors") : keysOf(dict)) + ".",
                         path);
    }
    out.vectorCount = static_cast<int>(out.vectors.begin()->second.size(0));
    if (out.vectorCount == 0)
        throw api::Error(api::ErrorCode::CorruptFile, "The embedding has no vectors.", path);
    return out;
}

void EmbeddingLibrary::add(TextualInversion embedding)
{
    std::string name = embedding.name;
    m_vocabulary.add(name, embedding.vectorCount);
    m_byName[name] = std::move(embedding);
}

const TextualInversion* EmbeddingLibrary::find(const std::string& name) const
{
    auto found = m_byName.find(name);
    return found == m_byName.end() ? nullptr : &found->second;
}

std::vector<std::string> EmbeddingLibrary::names() const
{
    std::vector<std::string> out;
    for (const auto& [name, embedding] : m_byName)
        out.push_back(name);
    return out;
}

} // namespace easel::text
