#include "engine/catalog/model_reader.h"

#include <fcntl.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY // XXH3_state_t on the stack
#include <xxhash.h>

#include <cstring>

#include "engine/api/error.h"
#include "engine/catalog/header_digest.h"
#include "engine/catalog/kohya_metadata.h"
#include "engine/catalog/sidecars.h"
#include "engine/io/safetensors.h"

namespace easel::catalog {

namespace {

/// The first read covers small headers (embeddings, tiny LoRAs); larger ones get exactly their
/// remaining bytes in a second read. Reading ahead further only copies tensor data (or holes) that
/// is thrown away: at 18 000 files that was gigabytes of copying.
constexpr size_t kFirstRead = 16 * 1024;
constexpr size_t kPickleSample = 64 * 1024;

class Fd {
public:
    explicit Fd(const std::string& path)
        : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC))
    {
        // Only the header is read: no read-ahead into tensor data (on a cold disk that would read
        // megabytes per file for nothing).
        if (m_fd >= 0)
            ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_RANDOM);
    }
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    bool ok() const { return m_fd >= 0; }

    /// Reads exactly `length` bytes at `offset` into `out` (appending). False on error/short read.
    bool readAt(uint64_t offset, size_t length, std::string& out) const
    {
        const size_t start = out.size();
        out.resize(start + length);
        size_t done = 0;
        while (done < length) {
            const ssize_t n = ::pread(m_fd, out.data() + start + done, length - done, static_cast<off_t>(offset + done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            done += static_cast<size_t>(n);
        }
        return true;
    }

private:
    int m_fd;
};

std::string hex128(XXH128_hash_t h)
{
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                  static_cast<unsigned long long>(h.low64));
    return text;
}

void markBroken(ModelFacts& facts, const std::string& reason)
{
    facts.status = "broken";
    facts.statusDetail = reason;
}

/// The strict reader's verdict on a header the fast pass could not digest, or the reason it is
/// broken. `bytes` is the whole header including the 8-byte length.
void readStrictly(ModelFacts& facts, std::string_view json, uint64_t dataSize, const ReaderContext& context)
{
    try {
        const io::SafetensorsFile file = io::SafetensorsFile::parseHeader(json, dataSize, facts.path);
        const Classification c = context.classifier ? context.classifier(file) : Classification{};
        std::vector<std::pair<std::string, std::string>> metadata(file.metadata().begin(), file.metadata().end());
        facts.kind = c.kind;
        facts.family = c.family;
        facts.subtype = c.subtype;
        facts.status = c.status;
        facts.statusDetail = c.detail;
        facts.kohya = readKohyaMetadata(metadata);
        facts.metadataJson = metadataToJson(metadata);
    } catch (const api::Error& e) {
        markBroken(facts, e.message());
    }
}

void readSafetensors(ModelFacts& facts, const ReaderContext& context)
{
    const uint64_t size = static_cast<uint64_t>(facts.sizeBytes);
    thread_local std::string buffer;
    buffer.clear();
    const Fd fd(facts.path);
    if (!fd.ok() || size < 8 || !fd.readAt(0, static_cast<size_t>(std::min<uint64_t>(size, kFirstRead)), buffer)) {
        // Let the strict reader say exactly what is wrong (missing, permissions, too short).
        try {
            io::SafetensorsFile::openHeaderOnly(facts.path);
            markBroken(facts, "the file could not be read; check it is not being written or moved");
        } catch (const api::Error& e) {
            markBroken(facts, e.message());
        }
        return;
    }
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(buffer[static_cast<size_t>(i)]);
    if (n > io::kMaxSafetensorsHeader || n > size - 8) {
        try {
            io::SafetensorsFile::openHeaderOnly(facts.path);
            markBroken(facts, "invalid safetensors header length");
        } catch (const api::Error& e) {
            markBroken(facts, e.message());
        }
        return;
    }
    const size_t headerEnd = static_cast<size_t>(8 + n);
    if (buffer.size() < headerEnd && !fd.readAt(buffer.size(), headerEnd - buffer.size(), buffer)) {
        markBroken(facts, "read error while reading the header; check the disk");
        return;
    }
    XXH3_state_t state;
    XXH3_128bits_reset(&state);
    XXH3_128bits_update(&state, &size, sizeof size);
    XXH3_128bits_update(&state, buffer.data(), headerEnd);
    facts.identityHash = hex128(XXH3_128bits_digest(&state));

    const std::string_view json(buffer.data() + 8, static_cast<size_t>(n));
    const uint64_t dataSize = size - 8 - n;
    HeaderDigest digest;
    if (!digestSafetensorsHeader(json, digest)) {
        readStrictly(facts, json, dataSize, context);
        return;
    }
    const uint64_t key = ClassificationCache::key(digest.tensorPartHash, dataSize, digest.metadata);
    Classification c;
    if (!context.cache || !context.cache->find(key, c)) {
        try {
            const io::SafetensorsFile file = io::SafetensorsFile::parseHeader(json, dataSize, facts.path);
            c = context.classifier ? context.classifier(file) : Classification{};
        } catch (const api::Error& e) {
            c = Classification{};
            c.status = "broken";
            c.detail = e.message();
        }
        if (context.cache)
            context.cache->store(key, c);
    }
    facts.kind = c.kind;
    facts.family = c.family;
    facts.subtype = c.subtype;
    facts.status = c.status;
    facts.statusDetail = c.detail;
    if (c.status == "broken")
        return;
    facts.kohya = readKohyaMetadata(digest.metadata);
    facts.metadataJson = metadataToJson(digest.metadata);
}

} // namespace

std::string identityHashOf(const std::string& path, int64_t size)
{
    const Fd fd(path);
    if (!fd.ok() || size < 0)
        throw api::Error(api::ErrorCode::FileUnreadable, std::string("cannot open file: ") + std::strerror(errno), path);
    const uint64_t usize = static_cast<uint64_t>(size);
    std::string bytes;
    if (usize >= 8 && fd.readAt(0, 8, bytes)) {
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i)
            n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
        if (n <= io::kMaxSafetensorsHeader && n <= usize - 8 && bytes.size() == 8 && fd.readAt(8, static_cast<size_t>(n), bytes)) {
            XXH3_state_t state;
            XXH3_128bits_reset(&state);
            XXH3_128bits_update(&state, &usize, sizeof usize);
            XXH3_128bits_update(&state, bytes.data(), bytes.size());
            return hex128(XXH3_128bits_digest(&state));
        }
    }
    bytes.clear();
    const size_t head = static_cast<size_t>(std::min<uint64_t>(usize, kPickleSample));
    const uint64_t tailStart = usize > kPickleSample ? usize - kPickleSample : usize;
    if (!fd.readAt(0, head, bytes) || !fd.readAt(tailStart, static_cast<size_t>(usize - tailStart), bytes))
        throw api::Error(api::ErrorCode::FileUnreadable, "read error; check the disk", path);
    XXH3_state_t state;
    XXH3_128bits_reset(&state);
    XXH3_128bits_update(&state, &usize, sizeof usize);
    XXH3_128bits_update(&state, bytes.data(), bytes.size());
    return hex128(XXH3_128bits_digest(&state));
}

namespace {

/// Pickles (.ckpt/.pt/.pth/.bin): the restricted unpickler reads the tensor list (never their
/// data), so a file without weights is listed as broken now rather than failing when loaded.
void readPickle(ModelFacts& facts, const std::string& kindHint, const ReaderContext& context)
{
    facts.kind = kindHint.empty() ? "unknown" : kindHint;
    try {
        facts.identityHash = identityHashOf(facts.path, facts.sizeBytes);
    } catch (const api::Error& e) {
        markBroken(facts, e.message());
        return;
    }
    if (!context.pickleClassifier) {
        facts.statusDetail = "pickle file: family and contents are checked when it is loaded";
        return;
    }
    try {
        const Classification c = context.pickleClassifier(facts.path);
        if (c.kind != "unknown")
            facts.kind = c.kind;
        facts.family = c.family;
        facts.subtype = c.subtype;
        facts.status = c.status;
        facts.statusDetail = c.detail;
    } catch (const api::Error& e) {
        // Legacy torch.save files are a format not read yet; unsafe and damaged ones are broken.
        if (e.code() == api::ErrorCode::UnsupportedFormat) {
            facts.status = "unsupported";
            facts.statusDetail = e.message();
        } else {
            markBroken(facts, e.message());
        }
    }
}

} // namespace

void readModelFile(ModelFacts& facts, const std::string& kindHint, const ReaderContext& context)
{
    readSidecars(facts);
    if (facts.format == "safetensors")
        readSafetensors(facts, context);
    else
        readPickle(facts, kindHint, context);
    // Not a model at all: listed under its folder's kind, so naming it finds the row and its reason.
    if (facts.status == "broken" && facts.kind == "unknown" && !kindHint.empty())
        facts.kind = kindHint;
}

} // namespace easel::catalog
