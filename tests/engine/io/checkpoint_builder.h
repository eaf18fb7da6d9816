#pragma once
// Builds PyTorch-style zip checkpoints byte by byte for tests (no Python here): a tiny pickle
// writer (protocol 2 opcodes) and a stored-entries zip writer.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace easel::test {

class PickleBuilder {
public:
    PickleBuilder& proto() { return raw("\x80\x02"); }
    PickleBuilder& op(char c) { m_b += c; return *this; }
    PickleBuilder& mark() { return op('('); }
    PickleBuilder& str(const std::string& s) { op('X'); u32(static_cast<uint32_t>(s.size())); m_b += s; return *this; }
    PickleBuilder& integer(int32_t v) { op('J'); u32(static_cast<uint32_t>(v)); return *this; }
    PickleBuilder& global(const std::string& module, const std::string& name) { op('c'); m_b += module + "\n" + name + "\n"; return *this; }
    PickleBuilder& raw(const std::string& bytes) { m_b += bytes; return *this; }
    PickleBuilder& u32(uint32_t v)
    {
        for (int i = 0; i < 4; ++i)
            m_b += static_cast<char>((v >> (8 * i)) & 0xff);
        return *this;
    }
    PickleBuilder& ints(const std::vector<int64_t>& v)
    {
        mark();
        for (int64_t x : v)
            integer(static_cast<int32_t>(x));
        return op('t');
    }
    /// Pushes a tensor: _rebuild_tensor_v2(storage(key, numel), offset, shape, stride, False, OrderedDict()).
    PickleBuilder& tensor(const std::string& storageClass, const std::string& key, int64_t numel, int64_t offset,
                          const std::vector<int64_t>& shape, const std::vector<int64_t>& stride)
    {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", storageClass).str(key).str("cpu").integer(static_cast<int32_t>(numel)).op('t').op('Q');
        integer(static_cast<int32_t>(offset));
        ints(shape);
        ints(stride);
        op('\x89');
        global("collections", "OrderedDict").op(')').op('R');
        return op('t').op('R');
    }
    std::string bytes() const { return m_b; }

private:
    std::string m_b;
};

/// A zip with stored (uncompressed) entries, no CRC (Easel's reader does not need it).
inline std::string makeZip(const std::vector<std::pair<std::string, std::string>>& entries)
{
    std::string out, dir;
    auto u16 = [](std::string& s, uint32_t v) { s += static_cast<char>(v & 0xff); s += static_cast<char>((v >> 8) & 0xff); };
    auto u32 = [&](std::string& s, uint32_t v) { u16(s, v & 0xffff); u16(s, v >> 16); };
    for (const auto& [name, data] : entries) {
        const uint32_t offset = static_cast<uint32_t>(out.size());
        u32(out, 0x04034b50); u16(out, 20); u16(out, 0); u16(out, 0); u16(out, 0); u16(out, 0);
        u32(out, 0); u32(out, static_cast<uint32_t>(data.size())); u32(out, static_cast<uint32_t>(data.size()));
        u16(out, static_cast<uint32_t>(name.size())); u16(out, 0);
        out += name + data;
        u32(dir, 0x02014b50); u16(dir, 20); u16(dir, 20); u16(dir, 0); u16(dir, 0); u16(dir, 0); u16(dir, 0);
        u32(dir, 0); u32(dir, static_cast<uint32_t>(data.size())); u32(dir, static_cast<uint32_t>(data.size()));
        u16(dir, static_cast<uint32_t>(name.size())); u16(dir, 0); u16(dir, 0); u16(dir, 0); u16(dir, 0); u32(dir, 0);
        u32(dir, offset);
        dir += name;
    }
    const uint32_t dirOffset = static_cast<uint32_t>(out.size());
    out += dir;
    u32(out, 0x06054b50); u16(out, 0); u16(out, 0);
    u16(out, static_cast<uint32_t>(entries.size())); u16(out, static_cast<uint32_t>(entries.size()));
    u32(out, static_cast<uint32_t>(dir.size())); u32(out, dirOffset); u16(out, 0);
    return out;
}

/// A pickle "memo bomb": `levels` lists, each holding `fanOut` references to the one before it
/// (BINGET once, DUP for the rest, MEMOIZE each list), so a naive unpickler that copies shared
/// references would build fanOut^levels leaves. With `leafTensor` the innermost list holds one
/// tensor of storage "0" (4 floats). The result is {"model": <outermost list>}.
inline std::string memoBombPickle(int levels = 40, int fanOut = 10, bool leafTensor = false)
{
    PickleBuilder p;
    p.proto().op(']');
    if (leafTensor)
        p.tensor("FloatStorage", "0", 4, 0, {4}, {1}).op('a');
    p.op('\x94'); // MEMOIZE: memo 0
    for (int level = 1; level <= levels; ++level) {
        p.op('0'); // POP the list below: it comes back from the memo
        p.op(']').mark().op('j').u32(static_cast<uint32_t>(level - 1)); // LONG_BINGET it
        for (int i = 1; i < fanOut; ++i)
            p.op('2'); // DUP
        p.op('e').op('\x94'); // APPENDS, MEMOIZE: memo `level`
    }
    PickleBuilder top;
    top.proto().op('}').str("model");
    return top.bytes() + p.bytes().substr(2) + "s.";
}

/// memoBombPickle() as a torch.save zip (.ckpt); its storage entry is there when a leaf tensor is.
inline std::string memoBombCheckpoint(int levels = 40, int fanOut = 10, bool leafTensor = false)
{
    std::vector<std::pair<std::string, std::string>> entries{{"archive/data.pkl", memoBombPickle(levels, fanOut, leafTensor)}};
    if (leafTensor)
        entries.push_back({"archive/data/0", std::string(16, '\0')});
    entries.push_back({"archive/version", "3\n"});
    return makeZip(entries);
}

} // namespace easel::test
