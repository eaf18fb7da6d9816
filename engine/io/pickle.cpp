#include "engine/io/pickle.h"

#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "engine/api/error.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

namespace {

// Values live in an arena and refer to each other by index: no recursive destructors, and cycles
// (possible through the memo) cannot loop forever.
enum class Kind : uint8_t { None, Bool, Int, Float, Str, Tuple, List, Dict, Set, Global, Storage, Tensor, Opaque, Mark };

struct Node {
    Kind kind = Kind::None;
    int64_t i = 0;
    double f = 0;
    std::string s;              ///< Str; Global "module.name"; Storage key
    std::vector<uint32_t> items; ///< Tuple/List/Set; Dict as key,value,key,value...
    uint32_t tensor = 0;        ///< Tensor: index in m_tensors; Storage: dtype
};

struct Storage {
    DType dtype;
    std::string key;
    int64_t numel;
};

// Allowed globals. "rebuild" ones are callables REDUCE may apply; the rest only appear as values.
const std::unordered_set<std::string> kCallables = {
    "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter",
    "collections.OrderedDict",
    // Harmless values in pytorch-lightning / numpy checkpoints: rebuilt as opaque placeholders.
    "pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint", "numpy.core.multiarray.scalar", "numpy.dtype",
    "_codecs.encode", "__builtin__.set", "builtins.set", "torch.Size",
};

bool storageDType(const std::string& global, DType& out)
{
    static const std::pair<const char*, DType> kStorages[] = {
        {"torch.FloatStorage", DType::F32},    {"torch.HalfStorage", DType::F16},  {"torch.BFloat16Storage", DType::BF16},
        {"torch.DoubleStorage", DType::F64},   {"torch.LongStorage", DType::I64},  {"torch.IntStorage", DType::I32},
        {"torch.ShortStorage", DType::I16},    {"torch.CharStorage", DType::I8},   {"torch.ByteStorage", DType::U8},
        {"torch.BoolStorage", DType::Bool},
    };
    for (const auto& [n, d] : kStorages)
        if (global == n) {
            out = d;
            return true;
        }
    return false;
}

class Unpickler {
public:
    Unpickler(std::string_view data, const std::string& path, const PickleLimits& limits)
        : m_data(data), m_path(path), m_limits(limits)
    {
    }

    uint32_t run()
    {
        while (true) {
            const uint8_t op = byte();
            switch (op) {
            case 0x80: byte(); break;                         // PROTO
            case 0x95: take(8); break;                        // FRAME
            case '.': return pop();                           // STOP
            case '(': m_marks.push_back(m_stack.size()); break; // MARK
            case 'N': push(make(Kind::None)); break;
            case 0x88: push(makeInt(Kind::Bool, 1)); break;
            case 0x89: push(makeInt(Kind::Bool, 0)); break;
            case 'J': push(makeInt(Kind::Int, static_cast<int32_t>(le(4)))); break;
            case 'K': push(makeInt(Kind::Int, static_cast<int64_t>(le(1)))); break;
            case 'M': push(makeInt(Kind::Int, static_cast<int64_t>(le(2)))); break;
            case 0x8a: push(long1(le(1))); break;             // LONG1
            case 0x8b: push(long1(le(4))); break;             // LONG4
            case 'G': {                                       // BINFLOAT (big-endian double)
                uint64_t b = 0;
                for (char c : take(8))
                    b = (b << 8) | static_cast<uint8_t>(c);
                double d;
                std::memcpy(&d, &b, 8);
                const uint32_t n = make(Kind::Float);
                m_nodes[n].f = d;
                push(n);
                break;
            }
            case 'X': push(makeStr(take(le(4)))); break;       // BINUNICODE
            case 0x8c: push(makeStr(take(le(1)))); break;     // SHORT_BINUNICODE
            case 0x8d: push(makeStr(take(le(8)))); break;     // BINUNICODE8
            case 'T': push(makeStr(take(le(4)))); break;      // BINSTRING
            case 'U': push(makeStr(take(le(1)))); break;      // SHORT_BINSTRING
            case 'B': push(makeStr(take(le(4)))); break;      // BINBYTES
            case 'C': push(makeStr(take(le(1)))); break;      // SHORT_BINBYTES
            case 0x8e: push(makeStr(take(le(8)))); break;     // BINBYTES8
            case ')': push(make(Kind::Tuple)); break;
            case ']': push(make(Kind::List)); break;
            case '}': push(make(Kind::Dict)); break;
            case 0x8f: push(make(Kind::Set)); break;          // EMPTY_SET
            case 0x85: tupleOf(1); break;
            case 0x86: tupleOf(2); break;
            case 0x87: tupleOf(3); break;
            case 't': {                                       // TUPLE
                const uint32_t n = make(Kind::Tuple);
                m_nodes[n].items = popMark();
                push(n);
                break;
            }
            case 'l': {                                       // LIST
                const uint32_t n = make(Kind::List);
                m_nodes[n].items = popMark();
                push(n);
                break;
            }
            case 'd': {                                       // DICT
                const uint32_t n = make(Kind::Dict);
                m_nodes[n].items = popMark();
                if (m_nodes[n].items.size() % 2)
                    corrupt("odd number of dict items");
                push(n);
                break;
            }
            case 'a': {                                       // APPEND
                const uint32_t v = pop();
                container(top(), Kind::List).items.push_back(v);
                break;
            }
            case 'e': case 0x90: {                            // APPENDS, ADDITEMS
                std::vector<uint32_t> vs = popMark();
                Node& c = container(top(), op == 'e' ? Kind::List : Kind::Set);
                c.items.insert(c.items.end(), vs.begin(), vs.end());
                break;
            }
            case 's': {                                       // SETITEM
                const uint32_t v = pop(), k = pop();
                Node& d = container(top(), Kind::Dict);
                d.items.push_back(k);
                d.items.push_back(v);
                break;
            }
            case 'u': {                                       // SETITEMS
                std::vector<uint32_t> kv = popMark();
                if (kv.size() % 2)
                    corrupt("odd number of dict items");
                Node& d = container(top(), Kind::Dict);
                d.items.insert(d.items.end(), kv.begin(), kv.end());
                break;
            }
            case 'q': memoPut(le(1)); break;                  // BINPUT
            case 'r': memoPut(le(4)); break;                  // LONG_BINPUT
            case 0x94: memoPut(m_memo.size()); break;         // MEMOIZE
            case 'h': push(memoGet(le(1))); break;            // BINGET
            case 'j': push(memoGet(le(4))); break;            // LONG_BINGET
            case '0': pop(); break;                           // POP
            case '1': popMark(); break;                       // POP_MARK
            case '2': push(top()); break;                     // DUP
            case 'c': {                                       // GLOBAL "module\nname\n"
                const std::string module = line();
                const std::string name = line();
                push(global(module + "." + name));
                break;
            }
            case 0x93: {                                      // STACK_GLOBAL
                const uint32_t name = pop(), module = pop();
                if (m_nodes[name].kind != Kind::Str || m_nodes[module].kind != Kind::Str)
                    corrupt("STACK_GLOBAL needs strings");
                push(global(m_nodes[module].s + "." + m_nodes[name].s));
                break;
            }
            case 'Q': push(persistentLoad(pop())); break;     // BINPERSID
            case 'R': {                                       // REDUCE
                const uint32_t args = pop(), fn = pop();
                push(reduce(fn, args));
                break;
            }
            case 0x81: {                                      // NEWOBJ: cls.__new__(cls, *args)
                const uint32_t args = pop(), cls = pop();
                push(reduce(cls, args));
                break;
            }
            case 'b': pop(); break;                           // BUILD: state ignored (objects stay inert)
            default:
                if (op == 'i' || op == 'o' || op == 0x82 || op == 0x83 || op == 0x84 || op == 0x92)
                    unsafe(std::string("pickle opcode ") + opName(op) + " (creates arbitrary objects)");
                if (op == 'P')
                    unsafe("text persistent ids");
                corrupt("unsupported pickle opcode 0x" + hexByte(op));
            }
        }
    }

    std::vector<PickledTensor> tensors(uint32_t root)
    {
        // pytorch-lightning wraps weights in {"state_dict": {...}, ...}, sometimes twice.
        for (int guard = 0; guard < 4; ++guard) {
            const Node& n = m_nodes[root];
            if (n.kind != Kind::Dict)
                break;
            bool found = false;
            for (size_t i = 0; i + 1 < n.items.size(); i += 2)
                if (m_nodes[n.items[i]].kind == Kind::Str && m_nodes[n.items[i]].s == "state_dict" &&
                    m_nodes[n.items[i + 1]].kind == Kind::Dict) {
                    root = n.items[i + 1];
                    found = true;
                    break;
                }
            if (!found)
                break;
        }
        std::vector<PickledTensor> out;
        // Iterative walk with an explicit stack and depth bound.
        struct Item {
            uint32_t node;
            std::string name;
            int depth;
        };
        std::vector<Item> todo{{root, "", 0}};
        std::unordered_set<uint32_t> visited;
        while (!todo.empty()) {
            Item it = std::move(todo.back());
            todo.pop_back();
            if (it.depth > m_limits.maxDepth)
                corrupt("nesting deeper than " + std::to_string(m_limits.maxDepth));
            const Node& n = m_nodes[it.node];
            if (n.kind == Kind::Tensor) {
                PickledTensor t = m_tensors[n.tensor];
                t.name = it.name;
                out.push_back(std::move(t));
                continue;
            }
            if (!visited.insert(it.node).second)
                continue; // shared or cyclic containers are walked once
            auto child = [&](uint32_t c, const std::string& key) {
                todo.push_back({c, it.name.empty() ? key : it.name + "." + key, it.depth + 1});
            };
            if (n.kind == Kind::Dict) {
                for (size_t i = n.items.size(); i >= 2; i -= 2) {
                    const Node& k = m_nodes[n.items[i - 2]];
                    if (k.kind == Kind::Str)
                        child(n.items[i - 1], k.s);
                    else if (k.kind == Kind::Int)
                        child(n.items[i - 1], std::to_string(k.i));
                }
            } else if (n.kind == Kind::List || n.kind == Kind::Tuple) {
                for (size_t i = n.items.size(); i-- > 0;)
                    child(n.items[i], std::to_string(i));
            }
        }
        return out;
    }

private:
    [[noreturn]] void corrupt(const std::string& what) const
    {
        throw Error(ErrorCode::CorruptFile, "invalid checkpoint pickle: " + what, m_path);
    }
    [[noreturn]] void unsafe(const std::string& what) const
    {
        throw Error(ErrorCode::UnsafeFile,
                    "refused to load: the checkpoint wants to run code (" + what +
                        "). Nothing was executed. Use a .safetensors version of this model, or only load files you trust "
                        "after converting them elsewhere.",
                    m_path);
    }
    static std::string hexByte(uint8_t b)
    {
        const char* k = "0123456789abcdef";
        return {k[b >> 4], k[b & 15]};
    }
    static const char* opName(uint8_t op)
    {
        switch (op) {
        case 'i': return "INST";
        case 'o': return "OBJ";
        case 0x92: return "NEWOBJ_EX";
        default: return "EXT";
        }
    }

    uint8_t byte() { return static_cast<uint8_t>(take(1)[0]); }
    std::string_view take(uint64_t n)
    {
        if (n > m_data.size() - m_pos)
            corrupt("unexpected end of data");
        const std::string_view v = m_data.substr(m_pos, n);
        m_pos += n;
        return v;
    }
    uint64_t le(int n)
    {
        const std::string_view b = take(n);
        uint64_t v = 0;
        for (int i = n - 1; i >= 0; --i)
            v = (v << 8) | static_cast<uint8_t>(b[i]);
        return v;
    }
    std::string line()
    {
        const size_t end = m_data.find('\n', m_pos);
        if (end == std::string_view::npos || end - m_pos > 256)
            corrupt("bad GLOBAL name");
        std::string s(m_data.substr(m_pos, end - m_pos));
        m_pos = end + 1;
        return s;
    }

    uint32_t make(Kind k)
    {
        if (m_nodes.size() >= m_limits.maxNodes)
            corrupt("too many objects (over " + std::to_string(m_limits.maxNodes) + "); possibly a pickle bomb");
        m_nodes.push_back(Node{});
        m_nodes.back().kind = k;
        return static_cast<uint32_t>(m_nodes.size() - 1);
    }
    uint32_t makeInt(Kind k, int64_t v)
    {
        const uint32_t n = make(k);
        m_nodes[n].i = v;
        return n;
    }
    uint32_t makeStr(std::string_view s)
    {
        const uint32_t n = make(Kind::Str);
        m_nodes[n].s = std::string(s);
        return n;
    }
    uint32_t long1(uint64_t n)
    {
        const std::string_view b = take(n);
        if (n > 8)
            return make(Kind::Opaque); // huge integers never matter for tensors
        int64_t v = 0;
        for (size_t i = n; i-- > 0;)
            v = static_cast<int64_t>((static_cast<uint64_t>(v) << 8) | static_cast<uint8_t>(b[i]));
        if (n > 0 && n < 8 && (static_cast<uint8_t>(b[n - 1]) & 0x80))
            v -= static_cast<int64_t>(1) << (8 * n); // two's complement sign
        return makeInt(Kind::Int, v);
    }

    void push(uint32_t n)
    {
        if (m_stack.size() >= m_limits.maxNodes)
            corrupt("stack too deep");
        m_stack.push_back(n);
    }
    uint32_t pop()
    {
        if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back()))
            corrupt("stack underflow");
        const uint32_t n = m_stack.back();
        m_stack.pop_back();
        return n;
    }
    uint32_t top() const
    {
        if (m_stack.empty())
            corrupt("stack underflow");
        return m_stack.back();
    }
    std::vector<uint32_t> popMark()
    {
        if (m_marks.empty())
            corrupt("missing MARK");
        const size_t at = m_marks.back();
        m_marks.pop_back();
        std::vector<uint32_t> items(m_stack.begin() + static_cast<std::ptrdiff_t>(at), m_stack.end());
        m_stack.resize(at);
        return items;
    }
    void tupleOf(int n)
    {
        std::vector<uint32_t> items(n);
        for (int i = n - 1; i >= 0; --i)
            items[i] = pop();
        const uint32_t t = make(Kind::Tuple);
        m_nodes[t].items = std::move(items);
        push(t);
    }
    Node& container(uint32_t n, Kind k)
    {
        Node& c = m_nodes[n];
        if (c.kind == k || (k == Kind::Dict && c.kind == Kind::Opaque) || (k == Kind::List && c.kind == Kind::Opaque))
            return c;
        corrupt("item added to a non-container");
    }
    void memoPut(uint64_t index)
    {
        if (index >= m_limits.maxMemo || m_memo.size() >= m_limits.maxMemo)
            corrupt("memo too large; possibly a pickle bomb");
        m_memo[index] = top();
    }
    uint32_t memoGet(uint64_t index)
    {
        const auto it = m_memo.find(index);
        if (it == m_memo.end())
            corrupt("memo entry " + std::to_string(index) + " read before it was written");
        return it->second;
    }

    uint32_t global(const std::string& name)
    {
        DType d;
        if (!kCallables.count(name) && !storageDType(name, d))
            unsafe("global '" + name + "'");
        const uint32_t n = make(Kind::Global);
        m_nodes[n].s = name;
        return n;
    }

    int64_t intOf(uint32_t n, const char* what)
    {
        if (m_nodes[n].kind != Kind::Int && m_nodes[n].kind != Kind::Bool)
            corrupt(std::string("expected an integer for ") + what);
        return m_nodes[n].i;
    }
    std::vector<int64_t> intsOf(uint32_t n, const char* what)
    {
        if (m_nodes[n].kind != Kind::Tuple && m_nodes[n].kind != Kind::List)
            corrupt(std::string("expected a tuple for ") + what);
        std::vector<int64_t> v;
        for (uint32_t c : m_nodes[n].items)
            v.push_back(intOf(c, what));
        return v;
    }

    uint32_t persistentLoad(uint32_t pid)
    {
        // torch: ('storage', <storage class>, key, location, numel)
        const Node& t = m_nodes[pid];
        if (t.kind != Kind::Tuple || t.items.size() < 5 || m_nodes[t.items[0]].s != "storage")
            corrupt("unknown persistent id");
        const Node& cls = m_nodes[t.items[1]];
        DType d;
        if (cls.kind != Kind::Global || !storageDType(cls.s, d))
            corrupt("persistent id without a storage type");
        const Node& key = m_nodes[t.items[2]];
        if (key.kind != Kind::Str || key.s.empty() || key.s.size() > 64 || key.s.find('/') != std::string::npos ||
            key.s.find("..") != std::string::npos)
            corrupt("bad storage key");
        std::string keyText = key.s; // copy: make() may move the arena
        const int64_t numel = intOf(t.items[4], "storage size");
        const uint32_t n = make(Kind::Storage);
        m_nodes[n].s = std::move(keyText);
        m_nodes[n].tensor = static_cast<uint32_t>(d);
        m_nodes[n].i = numel;
        return n;
    }

    uint32_t reduce(uint32_t fn, uint32_t args)
    {
        const Node f = m_nodes[fn]; // copy: make() below may move the arena
        if (f.kind != Kind::Global)
            unsafe("REDUCE of a non-global callable");
        const std::vector<uint32_t> a = m_nodes[args].kind == Kind::Tuple ? m_nodes[args].items : std::vector<uint32_t>{};
        if (f.s == "torch._utils._rebuild_tensor_v2" || f.s == "torch._utils._rebuild_tensor") {
            if (a.size() < 4 || m_nodes[a[0]].kind != Kind::Storage)
                corrupt("bad tensor record");
            const Node& st = m_nodes[a[0]];
            PickledTensor t;
            t.dtype = static_cast<DType>(st.tensor);
            t.storageKey = st.s;
            t.storageNumel = st.i;
            t.storageOffset = intOf(a[1], "storage offset");
            t.shape = intsOf(a[2], "shape");
            t.strides = intsOf(a[3], "stride");
            if (t.shape.size() != t.strides.size())
                corrupt("shape and stride lengths differ");
            const uint32_t n = make(Kind::Tensor);
            m_nodes[n].tensor = static_cast<uint32_t>(m_tensors.size());
            m_tensors.push_back(std::move(t));
            return n;
        }
        if (f.s == "torch._utils._rebuild_parameter") {
            if (a.empty())
                corrupt("bad parameter record");
            return a[0];
        }
        if (f.s == "collections.OrderedDict") {
            const uint32_t d = make(Kind::Dict);
            // OrderedDict([(k, v), ...]) or OrderedDict()
            if (!a.empty() && (m_nodes[a[0]].kind == Kind::List || m_nodes[a[0]].kind == Kind::Tuple))
                for (uint32_t pair : std::vector<uint32_t>(m_nodes[a[0]].items))
                    if (m_nodes[pair].kind == Kind::Tuple && m_nodes[pair].items.size() == 2) {
                        m_nodes[d].items.push_back(m_nodes[pair].items[0]);
                        m_nodes[d].items.push_back(m_nodes[pair].items[1]);
                    }
            return d;
        }
        if (f.s == "__builtin__.set" || f.s == "builtins.set")
            return make(Kind::Set);
        return make(Kind::Opaque); // allowed harmless classes: an inert placeholder, nothing is called
    }

    std::string_view m_data;
    const std::string& m_path;
    PickleLimits m_limits;
    size_t m_pos = 0;
    std::vector<Node> m_nodes;
    std::vector<uint32_t> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, uint32_t> m_memo;
    std::vector<PickledTensor> m_tensors;
};

} // namespace

std::vector<PickledTensor> unpickleTensors(std::string_view data, const std::string& path, const PickleLimits& limits)
{
    Unpickler u(data, path, limits);
    const uint32_t root = u.run();
    return u.tensors(root);
}

} // namespace easel::io
