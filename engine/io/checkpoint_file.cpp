#include "engine/io/checkpoint_file.h"

#include "engine/api/error.h"
#include "engine/io/mapped_file.h"
#include "engine/io/zip_reader.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

namespace {
constexpr uint64_t kMaxPickle = 256ull << 20;
constexpr uint64_t kMaxInflatedStorage = 8ull << 30;
} // namespace

bool CheckpointFile::isZip(const std::byte* data, uint64_t size) { return ZipReader::looksLikeZip(data, size); }

CheckpointFile CheckpointFile::open(const std::string& path)
{
    std::shared_ptr<const MappedFile> file = MappedFile::open(path);
    if (!ZipReader::looksLikeZip(file->data(), file->size())) {
        if (file->size() >= 2 && static_cast<uint8_t>(file->data()[0]) == 0x80)
            throw Error(ErrorCode::UnsupportedFormat,
                        "legacy PyTorch checkpoint format (saved before PyTorch 1.6) is not supported; convert it to "
                        ".safetensors with another tool",
                        path);
        throw Error(ErrorCode::CorruptFile, "not a PyTorch checkpoint (no zip archive inside)", path);
    }
    CheckpointFile c;
    c.m_path = path;
    c.m_zip = std::make_shared<ZipReader>(file);
    c.m_inflated = std::make_shared<std::map<std::string, std::string>>();
    const ZipEntry* pkl = nullptr;
    for (const ZipEntry& e : c.m_zip->entries()) {
        const std::string suffix = "data.pkl";
        if (e.name.size() >= suffix.size() && e.name.compare(e.name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            (e.name.size() == suffix.size() || e.name[e.name.size() - suffix.size() - 1] == '/')) {
            pkl = &e;
            break;
        }
    }
    if (!pkl)
        throw Error(ErrorCode::CorruptFile, "zip archive without data.pkl; not a PyTorch checkpoint", path);
    c.m_prefix = pkl->name.substr(0, pkl->name.size() - 8);
    const std::string pickle = c.m_zip->read(*pkl, kMaxPickle);
    c.m_tensors = unpickleTensors(pickle, path);

    // Every view must lie inside its storage.
    for (const PickledTensor& t : c.m_tensors) {
        const ZipEntry* e = c.m_zip->find(c.m_prefix + "data/" + t.storageKey);
        if (!e)
            throw Error(ErrorCode::CorruptFile, "tensor '" + t.name + "' refers to missing storage " + t.storageKey, path);
        const uint64_t elements = e->size / dtypeSize(t.dtype);
        bool empty = false;
        for (size_t i = 0; i < t.shape.size(); ++i) {
            if (t.shape[i] < 0 || t.strides[i] < 0)
                throw Error(ErrorCode::CorruptFile, "tensor '" + t.name + "' has a negative size or stride", path);
            empty = empty || t.shape[i] == 0;
        }
        // Largest element index the view touches: sum of (size - 1) * stride.
        uint64_t last = 0;
        for (size_t i = 0; i < t.shape.size() && !empty; ++i) {
            uint64_t term = 0;
            if (__builtin_mul_overflow(static_cast<uint64_t>(t.shape[i] - 1), static_cast<uint64_t>(t.strides[i]), &term) ||
                __builtin_add_overflow(last, term, &last))
                throw Error(ErrorCode::CorruptFile, "tensor '" + t.name + "' has an absurd shape", path);
        }
        if (!empty && (t.storageOffset < 0 || static_cast<uint64_t>(t.storageOffset) + last + 1 > elements))
            throw Error(ErrorCode::CorruptFile, "tensor '" + t.name + "' extends beyond its storage", path);
    }
    return c;
}

const std::byte* CheckpointFile::storage(const PickledTensor& t, uint64_t& bytes) const
{
    const ZipEntry* e = m_zip->find(m_prefix + "data/" + t.storageKey);
    if (!e)
        throw Error(ErrorCode::CorruptFile, "missing storage " + t.storageKey, m_path);
    bytes = e->size;
    if (const std::byte* p = m_zip->storedData(*e))
        return p;
    auto it = m_inflated->find(e->name);
    if (it == m_inflated->end())
        it = m_inflated->emplace(e->name, m_zip->read(*e, kMaxInflatedStorage)).first;
    return reinterpret_cast<const std::byte*>(it->second.data());
}

const std::shared_ptr<const MappedFile>& CheckpointFile::mapping() const { return m_zip->file(); }

std::shared_ptr<const void> CheckpointFile::keepAlive() const
{
    return std::make_shared<std::pair<std::shared_ptr<ZipReader>, std::shared_ptr<std::map<std::string, std::string>>>>(
        m_zip, m_inflated);
}

} // namespace easel::io
