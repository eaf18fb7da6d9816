#pragma once
/// PyTorch `.ckpt` / `.pt` / `.pth` / `.bin` (torch.save zip format) read through the restricted
/// unpickler (io/pickle.h): nothing in the file is executed. Plain C++; any thread.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/io/pickle.h"

namespace easel::io {

class MappedFile;
class ZipReader;

class CheckpointFile {
public:
    /// Opens and validates. Throws api::Error: UnsafeFile (the pickle references code), CorruptFile,
    /// UnsupportedFormat (legacy pre-1.6 non-zip torch.save, other pickles), FileNotFound/Unreadable.
    static CheckpointFile open(const std::string& path);

    const std::vector<PickledTensor>& tensors() const { return m_tensors; }
    /// First byte of a tensor's storage (its element 0; apply storageOffset/strides) and the storage
    /// size in bytes. Stored entries point into the mapping; compressed ones are inflated once.
    const std::byte* storage(const PickledTensor& t, uint64_t& bytes) const;
    const std::shared_ptr<const MappedFile>& mapping() const;
    /// Owns everything storage() pointers point into (the mapping and inflated entries).
    std::shared_ptr<const void> keepAlive() const;
    const std::string& path() const { return m_path; }

    /// True when `data` starts like a zip archive / a bare pickle.
    static bool isZip(const std::byte* data, uint64_t size);

private:
    std::string m_path;
    std::string m_prefix; ///< "archive/" (the folder holding data.pkl)
    std::shared_ptr<ZipReader> m_zip;
    std::vector<PickledTensor> m_tensors;
    std::shared_ptr<std::map<std::string, std::string>> m_inflated;
};

} // namespace easel::io
