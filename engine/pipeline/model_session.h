#pragma once
// The models a generation needs, kept loaded between jobs on the engine thread: the checkpoint
// (reloaded only when model, VAE, device or low-memory mode change), the LoRA set merged into it
// (re-merged only when the set changes), textual-inversion files and ControlNet models.
// Engine thread only.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "engine/api/engine.h"
#include "engine/controlnet/control_session.h"
#include "engine/pipeline/checkpoint.h"
#include "engine/text/embeddings.h"
#include "engine/text/prompt_extra_networks.h"

namespace easel::adapters {
class LoRAManager;
}

namespace easel::pipeline {

using HashList = std::vector<std::pair<std::string, std::string>>; ///< name -> hash, infotext order

class ModelSession {
public:
    ModelSession();
    ~ModelSession();

    api::ModelNameLookup nameLookup;

    /// The checkpoint for this request, loading it when the key changed (the old one is freed first).
    std::shared_ptr<Checkpoint> checkpointFor(const api::GenerationRequest& request, const torch::Device& device);
    /// Merges the request's LoRA set (panel entries + prompt tags), restoring the previous set first;
    /// nothing happens when the set is unchanged. Returns alias -> AutoV3 ("Lora hashes").
    HashList applyLoRAs(const api::GenerationRequest& request, const text::ExtraNetworkPrompt& tags,
                        std::vector<std::string>& warnings);
    /// Embeddings the prompts name into `library`, skipping (with a warning) files this checkpoint's
    /// encoders cannot take, as A1111 does. Returns name -> "TI hashes".
    HashList loadEmbeddings(const api::GenerationRequest& request, text::EmbeddingLibrary& library,
                            std::vector<std::string>& warnings);

    controlnet::ControlNetCache& controlNets() { return m_controlNets; }
    void unload();

private:
    std::shared_ptr<Checkpoint> m_checkpoint;
    std::string m_checkpointKey;
    std::unique_ptr<adapters::LoRAManager> m_loras; ///< the LoRA set merged into m_checkpoint
    controlnet::ControlNetCache m_controlNets;
    std::map<std::string, text::TextualInversion> m_embeddingFiles; ///< by path + mtime (vectors only)
};

} // namespace easel::pipeline
