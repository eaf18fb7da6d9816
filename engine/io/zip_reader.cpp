// ZipReader over minizip. minizip walks the central directory (ZIP64 included) and checks each
// local header against it; we add what zero-copy loading relies on: every entry lies inside the
// file, a stored entry's sizes agree, the entry count is bounded, inflating is capped.
#include "engine/io/zip_reader.h"

#include <algorithm>
#include <memory>

#include "engine/api/error.h"
#include "engine/io/mapped_file.h"
#include "engine/io/zip_reader_io.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

namespace {

constexpr uint64_t kMaxEntries = 1u << 20;
constexpr int kStored = 0, kDeflated = 8;

struct ZipCloser {
    void operator()(void* z) const { unzClose(z); }
};
using ZipHandle = std::unique_ptr<void, ZipCloser>;

[[noreturn]] void corrupt(const std::string& what, const std::string& path)
{
    throw Error(ErrorCode::CorruptFile, "invalid zip archive: " + what + "; the file is damaged or truncated", path);
}

ZipHandle open(const MappedFile& file)
{
    ZipHandle z(openMappedZip(file));
    if (!z)
        corrupt("no readable end-of-central-directory record", file.path());
    return z;
}

} // namespace

bool ZipReader::looksLikeZip(const std::byte* data, uint64_t size)
{
    return size >= 4 && static_cast<uint8_t>(data[0]) == 'P' && static_cast<uint8_t>(data[1]) == 'K' &&
           static_cast<uint8_t>(data[2]) == 3 && static_cast<uint8_t>(data[3]) == 4;
}

ZipReader::ZipReader(std::shared_ptr<const MappedFile> file) : m_file(std::move(file))
{
    const std::string& path = m_file->path();
    const uint64_t size = m_file->size();
    const ZipHandle z = open(*m_file);
    unz_global_info64 global{};
    if (unzGetGlobalInfo64(z.get(), &global) != UNZ_OK)
        corrupt("unreadable central directory", path);
    if (global.number_entry > kMaxEntries)
        corrupt("absurd number of entries", path);
    m_entries.reserve(global.number_entry);
    int rc = unzGoToFirstFile(z.get());
    for (uint64_t i = 0; i < global.number_entry; ++i) {
        if (rc != UNZ_OK)
            corrupt("bad central directory entry", path);
        unz_file_info64 info{};
        if (unzGetCurrentFileInfo64(z.get(), &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK)
            corrupt("bad central directory entry", path);
        ZipEntry e;
        e.name.resize(info.size_filename);
        if (unzGetCurrentFileInfo64(z.get(), &info, e.name.data(), static_cast<uLong>(e.name.size()), nullptr, 0, nullptr, 0) != UNZ_OK)
            corrupt("bad central directory entry", path);
        e.method = static_cast<uint16_t>(info.compression_method);
        e.compressedSize = info.compressed_size;
        e.size = info.uncompressed_size;
        e.directoryOffset = unzGetOffset64(z.get());
        if (e.method == kStored || e.method == kDeflated) {
            // Raw open: minizip checks the local header against the directory and tells where the
            // (compressed) bytes start, without inflating anything.
            int method = 0, level = 0;
            if (unzOpenCurrentFile2(z.get(), &method, &level, 1) != UNZ_OK)
                corrupt("bad local header for '" + e.name + "'", path);
            e.dataOffset = unzGetCurrentFileZStreamPos64(z.get());
            unzCloseCurrentFile(z.get());
            if (e.dataOffset > size || e.compressedSize > size - e.dataOffset)
                corrupt("entry '" + e.name + "' extends beyond the end of the file", path);
            if (e.method == kStored && e.compressedSize != e.size)
                corrupt("stored entry '" + e.name + "' has inconsistent sizes", path);
        }
        m_entries.push_back(std::move(e));
        rc = unzGoToNextFile(z.get());
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
    return e.method == kStored ? m_file->data() + e.dataOffset : nullptr;
}

std::string ZipReader::read(const ZipEntry& e, uint64_t maxSize) const
{
    const std::string& path = m_file->path();
    if (e.size > maxSize)
        throw Error(ErrorCode::CorruptFile, "zip entry '" + e.name + "' is larger than allowed (" + std::to_string(e.size) + " bytes)", path);
    if (e.method == kStored)
        return std::string(reinterpret_cast<const char*>(m_file->data() + e.dataOffset), e.size);
    if (e.method != kDeflated)
        throw Error(ErrorCode::UnsupportedFormat, "zip entry '" + e.name + "' uses compression method " + std::to_string(e.method), path);
    // A handle of our own per call: minizip handles have a read position, ZipReader is shared.
    const ZipHandle z = open(*m_file);
    if (unzSetOffset64(z.get(), e.directoryOffset) != UNZ_OK || unzOpenCurrentFile(z.get()) != UNZ_OK)
        corrupt("cannot open entry '" + e.name + "'", path);
    std::string out(e.size, '\0');
    uint64_t produced = 0;
    int rc = 1;
    // minizip stops at the directory's uncompressed size, so `out` never grows; a stream that ends
    // early shows as produced < size.
    while (produced < e.size && rc > 0) {
        const unsigned chunk = static_cast<unsigned>(std::min<uint64_t>(e.size - produced, 1u << 30));
        rc = unzReadCurrentFile(z.get(), out.data() + produced, chunk);
        if (rc > 0)
            produced += static_cast<uint64_t>(rc);
    }
    const int closed = unzCloseCurrentFile(z.get()); // UNZ_CRCERROR once the whole entry was read
    if (rc < 0 || produced != e.size)
        throw Error(ErrorCode::CorruptFile, "zip entry '" + e.name + "' does not decompress to its declared size", path);
    if (closed == UNZ_CRCERROR)
        throw Error(ErrorCode::CorruptFile, "zip entry '" + e.name + "' fails its CRC check; the file is damaged", path);
    return out;
}

} // namespace easel::io
