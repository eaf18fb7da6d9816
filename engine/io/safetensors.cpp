#include "engine/io/safetensors.h"

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cstring>
#include <numeric>
#include <set>

#include <fcntl.h>
#include <unistd.h>


#include "engine/api/error.h"
#include "engine/io/mapped_file.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

namespace {

struct DTypeEntry {
    DType dtype;
    const char* name;
    size_t size;
};

constexpr DTypeEntry kDTypes[] = {
    {DType::F64, "F64", 8},  {DType::F32, "F32", 4},   {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8},  {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},  {DType::I8, "I8", 1},     {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};

// Nesting deeper than this is never a valid header; refusing it keeps a hostile header from
// exhausting the stack in the JSON library.
constexpr int kMaxJsonDepth = 8;

[[noreturn]] void corrupt(const std::string& path, const std::string& what)
{
    throw Error(ErrorCode::CorruptFile, "invalid safetensors file: " + what + "; the file is damaged or not a safetensors file",
                path);
}

uint64_t readHeaderLength(const unsigned char* b)
{
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | b[i];
    return n;
}

std::string preadExact(int fd, uint64_t offset, uint64_t length, const std::string& path)
{
    std::string buf(length, '\0');
    uint64_t done = 0;
    while (done < length) {
        const ssize_t r = ::pread(fd, buf.data() + done, length - done, static_cast<off_t>(offset + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            throw Error(ErrorCode::FileUnreadable, "read error while reading the header", path);
        done += static_cast<uint64_t>(r);
    }
    return buf;
}

} // namespace

size_t dtypeSize(DType dtype)
{
    for (const auto& e : kDTypes)
        if (e.dtype == dtype)
            return e.size;
    return 0;
}

const char* dtypeName(DType dtype)
{
    for (const auto& e : kDTypes)
        if (e.dtype == dtype)
            return e.name;
    return "?";
}

bool parseDType(std::string_view name, DType& out)
{
    for (const auto& e : kDTypes)
        if (name == e.name) {
            out = e.dtype;
            return true;
        }
    return false;
}

bool isFloatingPoint(DType dtype)
{
    switch (dtype) {
    case DType::F64: case DType::F32: case DType::F16: case DType::BF16: case DType::F8_E4M3: case DType::F8_E5M2:
        return true;
    default:
        return false;
    }
}

uint64_t TensorInfo::numel() const
{
    uint64_t n = 1;
    for (int64_t d : shape)
        n *= static_cast<uint64_t>(d);
    return n;
}

SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

namespace {

/// A strict, allocation-light reader of the one JSON shape safetensors headers have. A general JSON
/// DOM (nlohmann) took ~10-20 ms on a 1100-tensor header; this reads it in well under 1 ms.
class HeaderReader {
public:
    HeaderReader(std::string_view text, const std::string& path) : m_t(text), m_path(path) {}

    [[noreturn]] void fail(const std::string& what) const
    {
        corrupt(m_path, "header is not valid JSON (" + what + " at byte " + std::to_string(m_i) + ")");
    }
    void ws()
    {
        while (m_i < m_t.size() && (m_t[m_i] == ' ' || m_t[m_i] == '\n' || m_t[m_i] == '\r' || m_t[m_i] == '\t'))
            ++m_i;
    }
    bool peek(char c)
    {
        ws();
        return m_i < m_t.size() && m_t[m_i] == c;
    }
    void expect(char c)
    {
        if (!peek(c))
            fail(std::string("expected '") + c + "'");
        ++m_i;
    }
    bool atEnd()
    {
        ws();
        return m_i == m_t.size();
    }

    std::string string()
    {
        expect('"');
        std::string out;
        while (true) {
            if (m_i >= m_t.size())
                fail("unterminated string");
            const unsigned char c = static_cast<unsigned char>(m_t[m_i++]);
            if (c == '"')
                break;
            if (c < 0x20)
                fail("control character in string");
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            if (m_i >= m_t.size())
                fail("unterminated escape");
            const char e = m_t[m_i++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t cp = hex4();
                if (cp >= 0xD800 && cp < 0xDC00) { // surrogate pair
                    if (m_i + 2 > m_t.size() || m_t[m_i] != '\\' || m_t[m_i + 1] != 'u')
                        fail("lone surrogate");
                    m_i += 2;
                    const uint32_t lo = hex4();
                    if (lo < 0xDC00 || lo >= 0xE000)
                        fail("bad surrogate pair");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    fail("lone surrogate");
                }
                appendUtf8(out, cp);
                break;
            }
            default: fail("bad escape");
            }
        }
        if (!validUtf8(out))
            fail("string is not UTF-8");
        return out;
    }

    uint64_t unsignedInteger(const std::string& what)
    {
        ws();
        const size_t start = m_i;
        uint64_t v = 0;
        while (m_i < m_t.size() && m_t[m_i] >= '0' && m_t[m_i] <= '9') {
            if (__builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, static_cast<uint64_t>(m_t[m_i] - '0'), &v))
                corrupt(m_path, what + " is absurdly large");
            ++m_i;
        }
        if (m_i == start || (m_i < m_t.size() && (m_t[m_i] == '.' || m_t[m_i] == 'e' || m_t[m_i] == 'E')))
            corrupt(m_path, what + " is not a non-negative integer");
        return v;
    }

    /// Skips any JSON value (unknown fields), returning its text.
    std::string_view skipValue(int depth)
    {
        if (depth > kMaxJsonDepth)
            corrupt(m_path, "header JSON is nested too deeply");
        ws();
        const size_t start = m_i;
        if (m_i >= m_t.size())
            fail("expected a value");
        const char c = m_t[m_i];
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_i;
            if (!peek(close)) {
                do {
                    if (c == '{') {
                        string();
                        expect(':');
                    }
                    skipValue(depth + 1);
                } while (peek(',') && ++m_i);
            }
            expect(close);
        } else {
            while (m_i < m_t.size() && std::strchr("0123456789+-.eEtruefalsn", m_t[m_i]))
                ++m_i;
            const std::string_view lit = m_t.substr(start, m_i - start);
            if (lit.empty() || (std::isalpha(static_cast<unsigned char>(lit[0])) && lit != "true" && lit != "false" && lit != "null"))
                fail("bad literal");
        }
        return m_t.substr(start, m_i - start);
    }

private:
    uint32_t hex4()
    {
        if (m_i + 4 > m_t.size())
            fail("short \\u escape");
        uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = m_t[m_i++];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
            else fail("bad \\u escape");
        }
        return v;
    }
    static void appendUtf8(std::string& out, uint32_t cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    static bool validUtf8(const std::string& s)
    {
        for (size_t i = 0; i < s.size();) {
            const unsigned char c = static_cast<unsigned char>(s[i]);
            const int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
            if (n < 0 || (n > 0 && c < 0xC2 && n == 1) || i + n >= s.size() + (n == 0 ? 1 : 0))
                return false;
            for (int k = 1; k <= n; ++k)
                if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
                    return false;
            i += n + 1;
        }
        return true;
    }

    std::string_view m_t;
    const std::string& m_path;
    size_t m_i = 0;
};

} // namespace

SafetensorsFile SafetensorsFile::parseHeader(std::string_view text, uint64_t dataSize, const std::string& path)
{
    SafetensorsFile f;
    f.m_path = path;
    f.m_headerSize = text.size();
    HeaderReader r(text, path);
    if (!r.peek('{'))
        corrupt(path, "header JSON is not an object");
    r.expect('{');
    bool first = true;
    while (!r.peek('}')) {
        if (!first)
            r.expect(',');
        first = false;
        const std::string name = r.string();
        r.expect(':');
        if (name == "__metadata__") {
            if (!r.peek('{'))
                corrupt(path, "__metadata__ is not an object");
            r.expect('{');
            bool firstMeta = true;
            while (!r.peek('}')) {
                if (!firstMeta)
                    r.expect(',');
                firstMeta = false;
                std::string key = r.string();
                r.expect(':');
                f.m_metadata[std::move(key)] = r.peek('"') ? r.string() : std::string(r.skipValue(2));
            }
            r.expect('}');
            continue;
        }
        if (!r.peek('{'))
            corrupt(path, "entry '" + name + "' is not an object");
        r.expect('{');
        TensorInfo t;
        t.name = name;
        bool hasDType = false, hasShape = false, hasOffsets = false;
        bool firstField = true;
        while (!r.peek('}')) {
            if (!firstField)
                r.expect(',');
            firstField = false;
            const std::string field = r.string();
            r.expect(':');
            if (field == "dtype" && r.peek('"')) {
                const std::string dtypeText = r.string();
                if (!parseDType(dtypeText, t.dtype))
                    throw Error(ErrorCode::UnsupportedFormat,
                                "tensor '" + name + "' has dtype '" + dtypeText + "', which Easel does not support", path);
                hasDType = true;
            } else if (field == "shape" && r.peek('[')) {
                r.expect('[');
                t.shape.clear();
                while (!r.peek(']')) {
                    if (!t.shape.empty())
                        r.expect(',');
                    if (r.peek('-'))
                        corrupt(path, "tensor '" + name + "' has an invalid shape");
                    const uint64_t dim = r.unsignedInteger("a dimension of tensor '" + name + "'");
                    if (dim > static_cast<uint64_t>(INT64_MAX) || t.shape.size() > 64)
                        corrupt(path, "tensor '" + name + "' has an invalid shape");
                    t.shape.push_back(static_cast<int64_t>(dim));
                }
                r.expect(']');
                hasShape = true;
            } else if (field == "data_offsets" && r.peek('[')) {
                r.expect('[');
                if (r.peek('-'))
                    corrupt(path, "tensor '" + name + "' has invalid data_offsets");
                t.begin = r.unsignedInteger("data_offsets of '" + name + "'");
                r.expect(',');
                if (r.peek('-'))
                    corrupt(path, "tensor '" + name + "' has invalid data_offsets");
                t.end = r.unsignedInteger("data_offsets of '" + name + "'");
                if (!r.peek(']'))
                    corrupt(path, "tensor '" + name + "' has invalid data_offsets");
                r.expect(']');
                hasOffsets = true;
            } else {
                r.skipValue(2);
            }
        }
        r.expect('}');
        if (!hasDType || !hasShape || !hasOffsets)
            corrupt(path, "entry '" + name + "' lacks dtype, shape or data_offsets");
        if (t.begin > t.end)
            corrupt(path, "tensor '" + name + "' has invalid data_offsets");
        uint64_t numel = 1;
        for (int64_t d : t.shape)
            if (__builtin_mul_overflow(numel, static_cast<uint64_t>(d), &numel))
                corrupt(path, "tensor '" + name + "' has an absurdly large shape");
        if (t.end > dataSize)
            corrupt(path, "tensor '" + name + "' lies beyond the end of the file (offsets " + std::to_string(t.begin) + ".." +
                              std::to_string(t.end) + ", data section " + std::to_string(dataSize) +
                              " bytes); the file is probably truncated");
        uint64_t bytes = 0;
        if (__builtin_mul_overflow(numel, static_cast<uint64_t>(dtypeSize(t.dtype)), &bytes) || bytes != t.byteSize())
            corrupt(path, "tensor '" + name + "' has " + std::to_string(t.byteSize()) + " bytes but its shape and dtype need " +
                              std::to_string(bytes));
        if (!f.m_index.emplace(name, f.m_tensors.size()).second)
            corrupt(path, "tensor name '" + name + "' appears twice in the header");
        f.m_tensors.push_back(std::move(t));
    }
    r.expect('}');
    if (!r.atEnd())
        corrupt(path, "header is not valid JSON (trailing characters after the object)");

    // No two tensors may share bytes (Ref: safetensors validate(): offsets must not overlap).
    std::vector<const TensorInfo*> byOffset;
    for (const auto& t : f.m_tensors)
        if (t.byteSize() > 0)
            byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < byOffset.size(); ++i)
        if (byOffset[i]->begin < byOffset[i - 1]->end)
            corrupt(path, "tensors '" + byOffset[i - 1]->name + "' and '" + byOffset[i]->name + "' overlap");
    return f;
}

namespace {

SafetensorsFile readHeader(const std::string& path, uint64_t fileSize, int fd)
{
    if (fileSize < 8)
        corrupt(path, "file is shorter than the 8-byte header length (" + std::to_string(fileSize) + " bytes)");
    const std::string lenBytes = preadExact(fd, 0, 8, path);
    const uint64_t n = readHeaderLength(reinterpret_cast<const unsigned char*>(lenBytes.data()));
    if (n > kMaxSafetensorsHeader)
        corrupt(path, "header length " + std::to_string(n) + " is absurdly large (limit " +
                          std::to_string(kMaxSafetensorsHeader) + ")");
    if (n > fileSize - 8)
        corrupt(path, "header length " + std::to_string(n) + " goes beyond the end of the file (" +
                          std::to_string(fileSize) + " bytes); the file is truncated");
    if (n < 2)
        corrupt(path, "header is too short");
    const std::string text = preadExact(fd, 8, n, path);
    SafetensorsFile f = SafetensorsFile::parseHeader(text, fileSize - 8 - n, path);
    return f;
}

int openFd(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        throw Error(ErrorCode::FileUnreadable, std::string("cannot open file: ") + std::strerror(err) + "; check its permissions",
                    path);
    }
    return fd;
}

struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

} // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path)
{
    const uint64_t size = checkRegularFile(path);
    SafetensorsFile f;
    {
        const int fd = openFd(path);
        FdCloser closer{fd};
        f = readHeader(path, size, fd);
    }
    f.m_mapping = MappedFile::open(path);
    f.m_fileSize = f.m_mapping->size();
    if (f.m_fileSize != size)
        throw Error(ErrorCode::FileUnreadable, "file changed while it was being opened", path);
    return f;
}

SafetensorsFile SafetensorsFile::openHeaderOnly(const std::string& path)
{
    const uint64_t size = checkRegularFile(path);
    const int fd = openFd(path);
    FdCloser closer{fd};
    SafetensorsFile f = readHeader(path, size, fd);
    f.m_fileSize = size;
    return f;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const
{
    const auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_tensors[it->second];
}

const std::byte* SafetensorsFile::data(const TensorInfo& t) const
{
    if (!m_mapping)
        throw Error(ErrorCode::Internal, "safetensors header was read without mapping the data", m_path);
    return m_mapping->data() + dataOffset() + t.begin;
}

} // namespace easel::io
