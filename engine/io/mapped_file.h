#pragma once
/// A read-only view of a whole file through mmap. Plain C++; any thread (immutable after open).
///
/// The mapping is MAP_PRIVATE with write permission so tensors that wrap it (zero-copy loading)
/// may be modified in place (e.g. a LoRA merge): the first write to a page copies it, the file on
/// disk never changes. Mapping does not read anything: pages are faulted in on first access, so
/// opening a 7 GB file costs the same as opening a 7 KB one.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace easel::io {

class MappedFile {
public:
    /// Maps `path`. Throws api::Error: FileNotFound, FileUnreadable (permissions, a directory,
    /// I/O error) or CorruptFile (empty file).
    static std::shared_ptr<const MappedFile> open(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::byte* data() const { return m_data; }
    uint64_t size() const { return m_size; }
    const std::string& path() const { return m_path; }
    /// Tells the kernel the range will be read sequentially soon (read-ahead). Best effort.
    void adviseSequential(uint64_t offset, uint64_t length) const;

private:
    MappedFile() = default;
    std::byte* m_data = nullptr;
    uint64_t m_size = 0;
    std::string m_path;
};

/// stat() checks shared by every reader: a regular, readable, non-empty file. Throws api::Error.
/// Returns the size.
uint64_t checkRegularFile(const std::string& path);

} // namespace easel::io
