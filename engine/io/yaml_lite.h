#pragma once
/// Sidecar model configs (LDM/sgm `model.yaml`) as a small tree of maps, lists and scalars. The YAML
/// itself is parsed by yaml-cpp (full YAML 1.2: anchors, quoting, flow maps, block scalars); this
/// layer bounds what an untrusted file may cost (bytes, nesting, node count after alias expansion)
/// and turns parser errors into api::Error. Plain C++, no yaml-cpp in this header.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace easel::io {

struct YamlNode {
    enum class Type { Null, Scalar, Map, List };
    Type type = Type::Null;
    std::string scalar;
    std::vector<std::pair<std::string, YamlNode>> map;
    std::vector<YamlNode> list;

    /// Child of a map by key; nullptr when absent or not a map.
    const YamlNode* get(const std::string& key) const;
    /// Follows a dotted path of map keys ("model.params.unet_config").
    const YamlNode* path(const std::string& dotted) const;
};

/// What one config may cost. Real LDM/sgm configs are a few KB with a few hundred nodes; the node
/// budget counts nodes after aliases are expanded, so "billion laughs" files stop early.
struct YamlLimits {
    size_t maxBytes = 1u << 20;
    int maxDepth = 64;
    size_t maxNodes = 1u << 17;
};

/// Parses the first document of `text`. Throws api::Error(CorruptFile) naming `file` on input it
/// cannot read or that exceeds `limits`; the message gives the line where yaml-cpp stopped.
YamlNode parseYaml(const std::string& text, const std::string& file = {}, const YamlLimits& limits = {});

} // namespace easel::io
