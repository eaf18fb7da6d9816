#include "engine/catalog/model_hasher.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <cctype>
#include <cstring>
#include <memory>
#include <vector>

#include "engine/api/error.h"
#include "engine/io/safetensors.h"

namespace easel::catalog {

namespace {

using api::Error;
using api::ErrorCode;

struct DigestDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Digest = std::unique_ptr<EVP_MD_CTX, DigestDeleter>;

Digest newSha256()
{
    Digest d(EVP_MD_CTX_new());
    if (!d || EVP_DigestInit_ex(d.get(), EVP_sha256(), nullptr) != 1)
        throw Error(ErrorCode::Internal, "cannot initialise SHA-256");
    return d;
}

std::string finish(EVP_MD_CTX* d)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(d, out, &n);
    static const char* const kHex = "0123456789abcdef";
    std::string text;
    for (unsigned i = 0; i < n; ++i) {
        text += kHex[out[i] >> 4];
        text += kHex[out[i] & 15];
    }
    return text;
}

bool isHex(const std::string& s)
{
    return !s.empty() && s.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

} // namespace

ModelHashes computeModelHashes(const std::string& path, const std::atomic<bool>* cancel)
{
    // Safetensors: the header tells where the data starts and may carry kohya's precomputed hash.
    uint64_t dataOffset = 0;
    std::string kohyaHash;
    bool safetensors = false;
    try {
        const io::SafetensorsFile header = io::SafetensorsFile::openHeaderOnly(path);
        safetensors = true;
        dataOffset = header.dataOffset();
        if (const auto it = header.metadata().find("sshs_model_hash"); it != header.metadata().end() && isHex(it->second))
            kohyaHash = it->second;
    } catch (const Error&) {
        // Not a safetensors file: whole-file hashes only.
    }

    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(ErrorCode::FileUnreadable, std::string("cannot open file to hash it: ") + std::strerror(errno), path);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    Digest whole = newSha256(), data = newSha256();
    std::vector<unsigned char> buffer(4 << 20);
    uint64_t offset = 0;
    for (;;) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            ::close(fd);
            throw Error(ErrorCode::Cancelled, "hashing cancelled", path);
        }
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            throw Error(ErrorCode::FileUnreadable, std::string("read error while hashing: ") + std::strerror(err), path);
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(whole.get(), buffer.data(), static_cast<size_t>(n));
        const uint64_t end = offset + static_cast<uint64_t>(n);
        if (safetensors && end > dataOffset) {
            const uint64_t skip = dataOffset > offset ? dataOffset - offset : 0;
            EVP_DigestUpdate(data.get(), buffer.data() + skip, static_cast<size_t>(static_cast<uint64_t>(n) - skip));
        }
        // Hashing a 7 GB checkpoint must not evict the user's working set from the page cache.
        ::posix_fadvise(fd, static_cast<off_t>(offset), n, POSIX_FADV_DONTNEED);
        offset = end;
    }
    ::close(fd);
    ModelHashes h;
    h.sha256 = finish(whole.get());
    h.autov2 = h.sha256.substr(0, 10);
    if (!kohyaHash.empty() && kohyaHash.size() >= 12) {
        h.autov3 = kohyaHash.substr(0, 12);
        for (auto& c : h.autov3)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
        h.autov3 = (safetensors ? finish(data.get()) : h.sha256).substr(0, 12);
    }
    return h;
}

void makeThisThreadBackground()
{
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    ::setpriority(PRIO_PROCESS, tid, 19);
#ifdef SYS_ioprio_set
    // ioprio_set(IOPRIO_WHO_PROCESS, tid, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)); class 3 << 13.
    ::syscall(SYS_ioprio_set, 1, static_cast<int>(tid), 3 << 13);
#endif
}

} // namespace easel::catalog
