#include "engine/catalog/sidecars.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace easel::catalog {

namespace {

using nlohmann::json;

/// Sidecars are small; anything larger is not what we expect and is skipped.
constexpr std::streamsize kMaxSidecarBytes = 16 * 1024 * 1024;

bool readText(const std::string& path, std::string& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    in.seekg(0, std::ios::end);
    const std::streamsize size = in.tellg();
    if (size < 0 || size > kMaxSidecarBytes)
        return false;
    in.seekg(0);
    out.resize(static_cast<size_t>(size));
    return static_cast<bool>(in.read(out.data(), size));
}

std::string stringField(const json& j, const char* key)
{
    const auto it = j.find(key);
    if (it == j.end())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_number())
        return it->dump();
    return {};
}

void note(SidecarFacts& out, const std::string& text)
{
    if (!out.problems.empty())
        out.problems += "; ";
    out.problems += text;
}

} // namespace

std::vector<std::string> previewCandidates(const std::string& stem)
{
    std::vector<std::string> names;
    for (const char* ext : {"png", "jpg", "jpeg", "webp", "gif"}) {
        names.push_back(stem + "." + ext);
        names.push_back(stem + ".preview." + ext);
    }
    return names;
}

std::string userMetadataName(const std::string& stem) { return stem + ".json"; }
std::string civitaiInfoName(const std::string& stem) { return stem + ".civitai.info"; }

void readUserMetadata(const std::string& jsonText, SidecarFacts& out)
{
    const json j = json::parse(jsonText, nullptr, false);
    if (!j.is_object()) {
        note(out, "user metadata (.json) is not a JSON object");
        return;
    }
    out.activationText = stringField(j, "activation text");
    out.sdVersion = stringField(j, "sd version");
    out.description = stringField(j, "description");
    out.notes = stringField(j, "notes");
    out.negativeText = stringField(j, "negative text");
    const auto w = j.find("preferred weight");
    // A1111 writes 0 for "not set" (the slider's default).
    if (w != j.end() && w->is_number() && w->get<double>() != 0.0)
        out.preferredWeight = w->get<double>();
    else if (w != j.end() && w->is_string()) {
        try {
            const double v = std::stod(w->get<std::string>());
            if (v != 0.0)
                out.preferredWeight = v;
        } catch (...) {
            note(out, "preferred weight is not a number");
        }
    }
}

void readCivitaiInfo(const std::string& jsonText, SidecarFacts& out)
{
    const json j = json::parse(jsonText, nullptr, false);
    if (!j.is_object()) {
        note(out, "civitai.info is not a JSON object");
        return;
    }
    if (const auto model = j.find("model"); model != j.end() && model->is_object())
        out.civitaiName = stringField(*model, "name");
    out.civitaiBaseModel = stringField(j, "baseModel");
    if (const auto words = j.find("trainedWords"); words != j.end() && words->is_array()) {
        std::string joined;
        for (const auto& w : *words) {
            if (!w.is_string() || w.get<std::string>().empty())
                continue;
            if (!joined.empty())
                joined += ", ";
            joined += w.get<std::string>();
        }
        out.civitaiTrainedWords = joined;
    }
}

void readSidecars(ModelFacts& facts)
{
    const uint64_t signature = facts.sidecars.signature;
    facts.sidecars = SidecarFacts{};
    facts.sidecars.signature = signature;
    facts.sidecars.previewPath = facts.sidecarPreview;
    std::string text;
    if (!facts.sidecarJson.empty()) {
        if (readText(facts.sidecarJson, text))
            readUserMetadata(text, facts.sidecars);
        else
            note(facts.sidecars, "cannot read " + facts.sidecarJson);
    }
    if (!facts.sidecarCivitai.empty()) {
        if (readText(facts.sidecarCivitai, text))
            readCivitaiInfo(text, facts.sidecars);
        else
            note(facts.sidecars, "cannot read " + facts.sidecarCivitai);
    }
}

} // namespace easel::catalog
