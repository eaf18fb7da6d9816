#include "engine/io/hashes.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <xxhash.h>

#include "engine/api/error.h"
#include "engine/io/mapped_file.h"
#include "engine/io/safetensors.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

namespace {

// Large reads keep syscall overhead negligible; 8 MiB measured as fast as larger blocks.
constexpr size_t kBlock = 8u << 20;

struct Fd {
    int fd;
    explicit Fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC))
    {
        if (fd < 0)
            throw Error(ErrorCode::FileUnreadable, std::string("cannot open file: ") + std::strerror(errno), path);
    }
    ~Fd() { ::close(fd); }
};

size_t preadSome(int fd, char* buf, size_t n, uint64_t offset, const std::string& path)
{
    size_t done = 0;
    while (done < n) {
        const ssize_t r = ::pread(fd, buf + done, n - done, static_cast<off_t>(offset + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            throw Error(ErrorCode::FileUnreadable, std::string("read error: ") + std::strerror(errno), path);
        if (r == 0)
            break;
        done += static_cast<size_t>(r);
    }
    return done;
}

std::string hex(const unsigned char* d, size_t n)
{
    static const char* k = "0123456789abcdef";
    std::string s(2 * n, '0');
    for (size_t i = 0; i < n; ++i) {
        s[2 * i] = k[d[i] >> 4];
        s[2 * i + 1] = k[d[i] & 15];
    }
    return s;
}

struct Sha256 {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
    Sha256()
    {
        if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
            throw Error(ErrorCode::Internal, "OpenSSL sha256 unavailable");
    }
    void update(const void* p, size_t n) { EVP_DigestUpdate(ctx.get(), p, n); }
    std::string final()
    {
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx.get(), d, &n);
        return hex(d, n);
    }
};

} // namespace

std::string sha256FileRange(const std::string& path, uint64_t offset, uint64_t length, const HashProgress& progress)
{
    const uint64_t size = checkRegularFile(path);
    Fd fd(path);
    const uint64_t end = std::min(size, offset > size ? size : offset + std::min(length, size - std::min(offset, size)));
    const uint64_t begin = std::min(offset, size);
    ::posix_fadvise(fd.fd, static_cast<off_t>(begin), static_cast<off_t>(end - begin), POSIX_FADV_SEQUENTIAL);
    Sha256 sha;
    std::vector<char> buf(std::min<uint64_t>(kBlock, std::max<uint64_t>(end - begin, 1)));
    for (uint64_t pos = begin; pos < end;) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), end - pos));
        const size_t got = preadSome(fd.fd, buf.data(), want, pos, path);
        if (got == 0)
            throw Error(ErrorCode::FileUnreadable, "file became shorter while it was being hashed", path);
        sha.update(buf.data(), got);
        pos += got;
        if (progress && !progress(pos - begin, end - begin))
            throw Error(ErrorCode::Cancelled, "hashing cancelled", path);
    }
    return sha.final();
}

std::string sha256File(const std::string& path, const HashProgress& progress)
{
    return sha256FileRange(path, 0, UINT64_MAX, progress);
}

std::string sha256Bytes(std::string_view bytes)
{
    Sha256 sha;
    sha.update(bytes.data(), bytes.size());
    return sha.final();
}

std::string autoV2(const std::string& sha256Hex) { return sha256Hex.substr(0, 10); }

std::string autoV1(const std::string& path)
{
    // Ref: A1111 sd_models.model_hash: seek 0x100000, read 0x10000, sha256, [0:8].
    return sha256FileRange(path, 0x100000, 0x10000).substr(0, 8);
}

std::string autoV3(const std::string& path, const HashProgress& progress)
{
    const bool safetensors = path.size() >= 12 && path.compare(path.size() - 12, 12, ".safetensors") == 0;
    if (!safetensors)
        return sha256File(path, progress).substr(0, 12);
    const SafetensorsFile f = SafetensorsFile::openHeaderOnly(path);
    const auto it = f.metadata().find("sshs_model_hash");
    if (it != f.metadata().end() && it->second.size() >= 12)
        return it->second.substr(0, 12);
    return sha256FileRange(path, f.dataOffset(), UINT64_MAX, progress).substr(0, 12);
}

std::string fastIdentityHash(const std::string& path)
{
    const uint64_t size = checkRegularFile(path);
    Fd fd(path);
    XXH3_state_t* state = XXH3_createState();
    if (!state)
        throw Error(ErrorCode::OutOfMemory, "cannot allocate hash state");
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> guard(state, &XXH3_freeState);
    XXH3_64bits_reset(state);
    XXH3_64bits_update(state, &size, sizeof size);
    constexpr uint64_t kHead = 1u << 20, kSample = 64u << 10;
    constexpr int kSamples = 16;
    std::vector<char> buf(kHead);
    size_t got = preadSome(fd.fd, buf.data(), static_cast<size_t>(std::min(size, kHead)), 0, path);
    XXH3_64bits_update(state, buf.data(), got);
    if (size > kHead) {
        for (int i = 0; i < kSamples; ++i) {
            const uint64_t off = kHead + (size - kHead) / kSamples * static_cast<uint64_t>(i);
            got = preadSome(fd.fd, buf.data(), static_cast<size_t>(std::min(kSample, size - off)), off, path);
            XXH3_64bits_update(state, buf.data(), got);
        }
    }
    const uint64_t h = XXH3_64bits_digest(state);
    unsigned char b[8];
    for (int i = 0; i < 8; ++i)
        b[i] = static_cast<unsigned char>(h >> (56 - 8 * i));
    return hex(b, 8);
}

} // namespace easel::io
