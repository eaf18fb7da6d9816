#pragma once
/// A reader for the small YAML subset of LDM/sgm model configs (block maps and lists, inline
/// `[a, b]` lists, scalars, comments). Not a general YAML parser: anchors, multi-line strings and
/// flow maps with content are not supported (they do not occur in these configs). Plain C++.

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

/// Parses `text`. Throws api::Error(CorruptFile) naming `file` on input it cannot read.
YamlNode parseYaml(const std::string& text, const std::string& file = {});

} // namespace easel::io
