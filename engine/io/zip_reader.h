#pragma once
/// Read-only ZIP access for PyTorch checkpoints (torch.save since 1.6 writes a zip of
/// `archive/data.pkl` + one entry per storage, usually stored uncompressed, ZIP64 when large).
/// minizip (zlib's contrib, Debian libminizip) parses the archive; it was chosen over libzip because
/// it reports where an entry's bytes start in the file, which zero-copy loading needs: stored tensor
/// entries are used in place in the memory mapping, never read or copied. Around it we keep our own
/// bounds (entry count, entries inside the file, stored sizes consistent, a size cap on inflating).
/// Plain C++; any thread (immutable after open).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace easel::io {

class MappedFile;

struct ZipEntry {
    std::string name;
    uint16_t method = 0;          ///< 0 stored, 8 deflate
    uint64_t compressedSize = 0;
    uint64_t size = 0;
    uint64_t dataOffset = 0;      ///< file offset of the entry's (compressed) bytes; 0 for methods we cannot read
    uint64_t directoryOffset = 0; ///< minizip's position of the entry in the central directory
};

class ZipReader {
public:
    /// Reads the central directory of a mapped file. Throws api::Error(CorruptFile) naming the
    /// file for anything inconsistent (offsets out of range, truncated records).
    explicit ZipReader(std::shared_ptr<const MappedFile> file);

    const std::vector<ZipEntry>& entries() const { return m_entries; }
    const ZipEntry* find(const std::string& name) const;
    /// Pointer to a stored (uncompressed) entry's bytes inside the mapping; nullptr for deflated ones.
    const std::byte* storedData(const ZipEntry& e) const;
    /// The entry's bytes (inflating deflate entries and checking their CRC). `maxSize` bounds
    /// memory: larger entries throw api::Error(CorruptFile).
    std::string read(const ZipEntry& e, uint64_t maxSize) const;
    const std::shared_ptr<const MappedFile>& file() const { return m_file; }

    /// True when the bytes start with a ZIP local header signature.
    static bool looksLikeZip(const std::byte* data, uint64_t size);

private:
    std::shared_ptr<const MappedFile> m_file;
    std::vector<ZipEntry> m_entries;
};

} // namespace easel::io
