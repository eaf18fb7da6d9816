#pragma once
/// Reader of `.safetensors` files: memory-mapped, lazy, strictly validated. Plain C++ (no torch);
/// the catalog uses it for headers, io/state_dict.h turns entries into tensors. Any thread (immutable
/// after open).
///
/// Format (Ref: huggingface/safetensors README "Format"): u64 little-endian header length N, N bytes
/// of UTF-8 JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}},
/// then the data section; offsets are relative to the data section.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace easel::io {

class MappedFile;

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool, F8_E4M3, F8_E5M2 };

/// Bytes per element.
size_t dtypeSize(DType dtype);
/// Name as written in safetensors headers ("F32", "BOOL", "F8_E4M3").
const char* dtypeName(DType dtype);
/// Parses a header dtype name; false when unknown.
bool parseDType(std::string_view name, DType& out);
bool isFloatingPoint(DType dtype);

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0; ///< byte offsets in the data section
    uint64_t numel() const;
    uint64_t byteSize() const { return end - begin; }
};

/// Largest header accepted; real headers are < 1 MB even for 2000-tensor checkpoints (the reference
/// implementation uses the same 100 MB bound).
inline constexpr uint64_t kMaxSafetensorsHeader = 100ull * 1024 * 1024;

class SafetensorsFile {
public:
    /// Opens and validates `path`. Throws api::Error naming the file and the problem: FileNotFound,
    /// FileUnreadable, CorruptFile (truncated, bad JSON, bad offsets, sizes, duplicates),
    /// UnsupportedFormat (unknown dtype).
    static SafetensorsFile open(const std::string& path);
    /// Validates a header given as bytes (the JSON only), for a data section of `dataSize` bytes.
    /// Used by open() and by the fuzzer; `path` only names the file in errors.
    /// Reads and validates only the header with pread, without mapping the file (data() then
    /// throws): for scanning thousands of files.
    static SafetensorsFile openHeaderOnly(const std::string& path);
    static SafetensorsFile parseHeader(std::string_view json, uint64_t dataSize, const std::string& path = {});

    SafetensorsFile(SafetensorsFile&&) noexcept;
    SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;
    ~SafetensorsFile();

    const std::vector<TensorInfo>& tensors() const { return m_tensors; } ///< in file (header) order
    const TensorInfo* find(const std::string& name) const;               ///< nullptr if absent
    const std::map<std::string, std::string>& metadata() const { return m_metadata; } ///< __metadata__
    /// Pointer into the mapping (not aligned in general). Only for files from open().
    const std::byte* data(const TensorInfo& t) const;
    uint64_t headerSize() const { return m_headerSize; } ///< N, the JSON length
    uint64_t dataOffset() const { return 8 + m_headerSize; } ///< file offset of the data section
    uint64_t fileSize() const { return m_fileSize; }
    const std::string& path() const { return m_path; }
    /// The mapping, for views that must outlive this object (zero-copy tensors).
    const std::shared_ptr<const MappedFile>& mapping() const { return m_mapping; }

private:
    SafetensorsFile() = default;
    std::vector<TensorInfo> m_tensors;
    std::map<std::string, size_t> m_index;
    std::map<std::string, std::string> m_metadata;
    std::shared_ptr<const MappedFile> m_mapping;
    uint64_t m_headerSize = 0;
    uint64_t m_fileSize = 0;
    std::string m_path;
};

} // namespace easel::io
