#include "engine/pipeline/model_session.h"

#include <filesystem>

#include "engine/adapters/embedding_resolver.h"
#include "engine/adapters/lora_manager.h"
#include "engine/adapters/lora_resolver.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"

namespace easel::pipeline {

ModelSession::ModelSession() = default;
ModelSession::~ModelSession() = default;

std::shared_ptr<Checkpoint> ModelSession::checkpointFor(const api::GenerationRequest& r, const torch::Device& device)
{
    const std::string key = r.model + "\n" + r.vae + "\n" + device.str() + (r.lowMemory ? "\nlow-memory" : "");
    if (m_checkpoint && m_checkpointKey == key)
        return m_checkpoint;
    m_loras.reset();
    m_checkpoint.reset(); // free the old weights before loading the new ones
    CheckpointLoadOptions options;
    options.vaePath = r.vae;
    options.device = device;
    options.lowMemory = r.lowMemory;
    m_checkpoint = loadCheckpoint(r.model, options);
    m_checkpointKey = key;
    return m_checkpoint;
}

HashList ModelSession::applyLoRAs(const api::GenerationRequest& r, const text::ExtraNetworkPrompt& tags,
                                  std::vector<std::string>& warnings)
{
    adapters::LoRANameLookup lookup;
    if (nameLookup)
        lookup = [this](const std::string& name) { return nameLookup("lora", name); };
    const auto specs = adapters::loraSetFor(r.loras, tags, adapters::loraSearchFolders(m_checkpoint->path), lookup);
    if (!m_loras) {
        if (specs.empty())
            return {};
        std::vector<text::TextEncoder*> encoders;
        for (const auto& role : m_checkpoint->conditioner->roles())
            encoders.push_back(role.encoder.get());
        m_loras = std::make_unique<adapters::LoRAManager>(m_checkpoint->unet.get(), encoders, m_checkpoint->family());
    }
    const adapters::LoRAApplyReport report = m_loras->applySet(specs);
    warnings.insert(warnings.end(), report.warnings.begin(), report.warnings.end());
    if (report.changed && !specs.empty())
        api::logInfo("LoRA set applied: " + std::to_string(specs.size()) + " LoRA(s), " +
                     std::to_string(report.tensorsWritten) + " tensors in " + std::to_string(report.seconds) + " s");
    return report.hashes();
}

HashList ModelSession::loadEmbeddings(const api::GenerationRequest& r, text::EmbeddingLibrary& library,
                                      std::vector<std::string>& warnings)
{
    adapters::EmbeddingNameLookup lookup;
    if (nameLookup)
        lookup = [this](const std::string& name) { return nameLookup("embedding", name); };
    const auto found = adapters::findEmbeddings({r.prompt, r.negativePrompt},
                                                adapters::embeddingSearchFolders(m_checkpoint->path), lookup);
    HashList hashes;
    for (const adapters::EmbeddingFile& f : found) {
        try {
            std::error_code ec;
            const auto mtime = std::filesystem::last_write_time(f.path, ec).time_since_epoch().count();
            const std::string key = f.path + "\n" + std::to_string(mtime);
            auto it = m_embeddingFiles.find(key);
            if (it == m_embeddingFiles.end())
                it = m_embeddingFiles.emplace(key, text::loadTextualInversion(f.path)).first;
            text::TextualInversion ti = it->second;
            ti.name = f.name; // the word as written (catalog lookups ignore case)
            for (const auto& role : m_checkpoint->conditioner->roles())
                (void)ti.vectorsFor(role.embeddingKey, role.encoder->config().hidden); // throws when it does not fit
            hashes.emplace_back(f.name, adapters::embeddingHash(f.path));
            library.add(std::move(ti));
        } catch (const api::Error& e) {
            warnings.push_back("embedding '" + f.name + "' skipped: " + e.message());
        }
    }
    return hashes;
}

void ModelSession::unload()
{
    m_loras.reset();
    m_checkpoint.reset();
    m_checkpointKey.clear();
    m_controlNets.clear();
}

} // namespace easel::pipeline
