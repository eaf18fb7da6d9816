#include "engine/io/zip_reader.h"

#include <algorithm>
#include <cstring>

#include <zlib.h>

#include "engine/api/error.h"
#include "engine/io/mapped_file.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

namespace {

// Ref: PKWARE APPNOTE.TXT 6.3 (4.3.7 local header, 4.3.12 central directory, 4.3.14-16 ZIP64, 4.5.3).
constexpr uint32_t kLocalSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50;
constexpr uint32_t kEnd64Sig = 0x06064b50, kLocator64Sig = 0x07064b50;
constexpr uint64_t kMaxEntries = 1u << 20;

class Cursor {
public:
    Cursor(const std::byte* base, uint64_t size, const std::string& path) : m_base(base), m_size(size), m_path(path) {}
    uint64_t u(uint64_t at, int bytes) const
    {
        if (at > m_size || m_size - at < static_cast<uint64_t>(bytes))
            fail("record extends beyond the end of the file");
        uint64_t v = 0;
        for (int i = bytes - 1; i >= 0; --i)
            v = (v << 8) | static_cast<uint8_t>(m_base[at + i]);
        return v;
    }
    std::string str(uint64_t at, uint64_t n) const
    {
        if (at > m_size || m_size - at < n)
            fail("name extends beyond the end of the file");
        return std::string(reinterpret_cast<const char*>(m_base + at), n);
    }
    [[noreturn]] void fail(const std::string& what) const
    {
        throw Error(ErrorCode::CorruptFile, "invalid zip archive: " + what + "; the file is damaged or truncated", m_path);
    }
    uint64_t size() const { return m_size; }

private:
    const std::byte* m_base;
    uint64_t m_size;
    const std::string& m_path;
};

} // namespace

bool ZipReader::looksLikeZip(const std::byte* data, uint64_t size)
{
    return size >= 4 && static_cast<uint8_t>(data[0]) == 'P' && static_cast<uint8_t>(data[1]) == 'K' &&
           static_cast<uint8_t>(data[2]) == 3 && static_cast<uint8_t>(data[3]) == 4;
}

ZipReader::ZipReader(std::shared_ptr<const MappedFile> file) : m_file(std::move(file))
{
    const Cursor c(m_file->data(), m_file->size(), m_file->path());
    const uint64_t size = m_file->size();
    if (size < 22)
        c.fail("file too short");
    // The end record sits in the last 22 + 65535 (comment) bytes.
    uint64_t end = UINT64_MAX;
    const uint64_t lowest = size > 22 + 65535 ? size - 22 - 65535 : 0;
    for (uint64_t at = size - 22 + 1; at-- > lowest;)
        if (c.u(at, 4) == kEndSig) {
            end = at;
            break;
        }
    if (end == UINT64_MAX)
        c.fail("no end-of-central-directory record");
    uint64_t count = c.u(end + 10, 2);
    uint64_t dirSize = c.u(end + 12, 4);
    uint64_t dirOffset = c.u(end + 16, 4);
    if ((count == 0xffff || dirOffset == 0xffffffff || dirSize == 0xffffffff) && end >= 20 && c.u(end - 20, 4) == kLocator64Sig) {
        const uint64_t end64 = c.u(end - 20 + 8, 8);
        if (c.u(end64, 4) != kEnd64Sig)
            c.fail("bad ZIP64 end record");
        count = c.u(end64 + 32, 8);
        dirSize = c.u(end64 + 40, 8);
        dirOffset = c.u(end64 + 48, 8);
    }
    if (count > kMaxEntries)
        c.fail("absurd number of entries");
    if (dirOffset > size || dirSize > size - dirOffset)
        c.fail("central directory out of range");
    uint64_t at = dirOffset;
    m_entries.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
        if (c.u(at, 4) != kCentralSig)
            c.fail("bad central directory entry");
        ZipEntry e;
        e.method = static_cast<uint16_t>(c.u(at + 10, 2));
        e.compressedSize = c.u(at + 20, 4);
        e.size = c.u(at + 24, 4);
        const uint64_t nameLen = c.u(at + 28, 2), extraLen = c.u(at + 30, 2), commentLen = c.u(at + 32, 2);
        uint64_t localOffset = c.u(at + 42, 4);
        e.name = c.str(at + 46, nameLen);
        // ZIP64 extra field: the 0xffffffff fields follow in order size, compressed size, offset.
        for (uint64_t x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen;) {
            const uint64_t id = c.u(x, 2), len = c.u(x + 2, 2);
            if (id == 0x0001) {
                uint64_t p = x + 4;
                if (e.size == 0xffffffff) { e.size = c.u(p, 8); p += 8; }
                if (e.compressedSize == 0xffffffff) { e.compressedSize = c.u(p, 8); p += 8; }
                if (localOffset == 0xffffffff) { localOffset = c.u(p, 8); }
            }
            x += 4 + len;
        }
        if (c.u(localOffset, 4) != kLocalSig)
            c.fail("bad local header for '" + e.name + "'");
        e.dataOffset = localOffset + 30 + c.u(localOffset + 26, 2) + c.u(localOffset + 28, 2);
        if (e.dataOffset > size || e.compressedSize > size - e.dataOffset)
            c.fail("entry '" + e.name + "' extends beyond the end of the file");
        if (e.method == 0 && e.compressedSize != e.size)
            c.fail("stored entry '" + e.name + "' has inconsistent sizes");
        m_entries.push_back(std::move(e));
        at += 46 + nameLen + extraLen + commentLen;
    }
}

const ZipEntry* ZipReader::find(const std::string& name) const
{
    for (const ZipEntry& e : m_entries)
        if (e.name == name)
            return &e;
    return nullptr;
}

const std::byte* ZipReader::storedData(const ZipEntry& e) const
{
    return e.method == 0 ? m_file->data() + e.dataOffset : nullptr;
}

std::string ZipReader::read(const ZipEntry& e, uint64_t maxSize) const
{
    if (e.size > maxSize)
        throw Error(ErrorCode::CorruptFile, "zip entry '" + e.name + "' is larger than allowed (" + std::to_string(e.size) + " bytes)",
                    m_file->path());
    if (e.method == 0)
        return std::string(reinterpret_cast<const char*>(m_file->data() + e.dataOffset), e.size);
    if (e.method != 8)
        throw Error(ErrorCode::UnsupportedFormat, "zip entry '" + e.name + "' uses compression method " + std::to_string(e.method),
                    m_file->path());
    std::string out(e.size, '\0');
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
        throw Error(ErrorCode::Internal, "zlib init failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(m_file->data() + e.dataOffset));
    zs.avail_in = static_cast<uInt>(std::min<uint64_t>(e.compressedSize, UINT32_MAX));
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(std::min<uint64_t>(e.size, UINT32_MAX));
    const int r = inflate(&zs, Z_FINISH);
    const uint64_t produced = zs.total_out;
    inflateEnd(&zs);
    if (r != Z_STREAM_END || produced != e.size)
        throw Error(ErrorCode::CorruptFile, "zip entry '" + e.name + "' does not decompress to its declared size", m_file->path());
    return out;
}

} // namespace easel::io
