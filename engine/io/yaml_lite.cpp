// yaml-cpp parses; we copy its node graph into YamlNode under the limits, so callers never see
// yaml-cpp types and an alias-heavy file cannot expand without bound.
#include "engine/io/yaml_lite.h"

#include <sstream>

#include <yaml-cpp/yaml.h>

#include "engine/api/error.h"

namespace easel::io {

namespace {

class Converter {
public:
    Converter(const std::string& file, const YamlLimits& limits) : m_file(file), m_limits(limits) {}

    YamlNode convert(const YAML::Node& in, int depth)
    {
        if (depth > m_limits.maxDepth)
            fail(in, "nested too deeply");
        if (++m_nodes > m_limits.maxNodes)
            fail(in, "too many nodes (more than " + std::to_string(m_limits.maxNodes) + ", counting aliases)");
        YamlNode out;
        switch (in.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            break;
        case YAML::NodeType::Scalar:
            out.type = YamlNode::Type::Scalar;
            out.scalar = in.Scalar();
            break;
        case YAML::NodeType::Sequence:
            out.type = YamlNode::Type::List;
            out.list.reserve(in.size());
            for (const YAML::Node& item : in)
                out.list.push_back(convert(item, depth + 1));
            break;
        case YAML::NodeType::Map:
            out.type = YamlNode::Type::Map;
            out.map.reserve(in.size());
            for (const auto& kv : in) {
                if (!kv.first.IsScalar())
                    fail(kv.first, "map keys must be plain values");
                out.map.emplace_back(kv.first.Scalar(), convert(kv.second, depth + 1));
            }
            applyMergeKey(out);
            break;
        }
        return out;
    }

private:
    /// YAML 1.1 merge key (`<<: *base`, or a list of bases): yaml-cpp follows YAML 1.2, which
    /// dropped it, but PyYAML/OmegaConf (how A1111 reads these configs) honour it. Keys written in
    /// the map itself win over merged ones.
    static void applyMergeKey(YamlNode& map)
    {
        std::vector<YamlNode> bases;
        std::erase_if(map.map, [&](auto& kv) {
            if (kv.first != "<<")
                return false;
            if (kv.second.type == YamlNode::Type::Map)
                bases.push_back(std::move(kv.second));
            else if (kv.second.type == YamlNode::Type::List)
                for (YamlNode& b : kv.second.list)
                    bases.push_back(std::move(b));
            return true;
        });
        for (YamlNode& base : bases)
            for (auto& [key, value] : base.map)
                if (!map.get(key))
                    map.map.emplace_back(key, std::move(value));
    }

    [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const
    {
        const YAML::Mark mark = at.Mark();
        const std::string where = mark.is_null() ? std::string() : " at line " + std::to_string(mark.line + 1);
        throw api::Error(api::ErrorCode::CorruptFile, "cannot read YAML config" + where + ": " + what, m_file);
    }

    const std::string& m_file;
    const YamlLimits& m_limits;
    size_t m_nodes = 0;
};

} // namespace

const YamlNode* YamlNode::get(const std::string& key) const
{
    if (type != Type::Map)
        return nullptr;
    for (const auto& [k, v] : map)
        if (k == key)
            return &v;
    return nullptr;
}

const YamlNode* YamlNode::path(const std::string& dotted) const
{
    const YamlNode* n = this;
    std::stringstream ss(dotted);
    std::string part;
    while (n && std::getline(ss, part, '.'))
        n = n->get(part);
    return n;
}

YamlNode parseYaml(const std::string& text, const std::string& file, const YamlLimits& limits)
{
    if (text.size() > limits.maxBytes)
        throw api::Error(api::ErrorCode::CorruptFile,
                         "YAML config is too large (" + std::to_string(text.size()) + " bytes; at most " +
                             std::to_string(limits.maxBytes) + " are read)",
                         file);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        // e.msg is yaml-cpp's sentence without its "yaml-cpp: error at line..." prefix.
        const std::string where = e.mark.is_null() ? std::string() : " at line " + std::to_string(e.mark.line + 1);
        throw api::Error(api::ErrorCode::CorruptFile, "cannot read YAML config" + where + ": " + e.msg, file);
    }
    return Converter(file, limits).convert(root, 0);
}

} // namespace easel::io
