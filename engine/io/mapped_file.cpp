#include "engine/io/mapped_file.h"

#include <cerrno>
#include <algorithm>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/api/error.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

uint64_t checkRegularFile(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT || err == ENOTDIR)
            throw Error(ErrorCode::FileNotFound, "file not found; check the path", path);
        throw Error(ErrorCode::FileUnreadable, std::string("cannot read file: ") + std::strerror(err), path);
    }
    if (S_ISDIR(st.st_mode))
        throw Error(ErrorCode::FileUnreadable, "is a directory, not a model file", path);
    if (!S_ISREG(st.st_mode))
        throw Error(ErrorCode::FileUnreadable, "not a regular file", path);
    if (st.st_size == 0)
        throw Error(ErrorCode::CorruptFile, "file is empty (0 bytes); the download or copy is incomplete", path);
    return static_cast<uint64_t>(st.st_size);
}

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path)
{
    checkRegularFile(path);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        throw Error(ErrorCode::FileUnreadable,
                    std::string("cannot open file: ") + std::strerror(err) + "; check its permissions", path);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
        ::close(fd);
        throw Error(ErrorCode::CorruptFile, "file is empty or cannot be inspected", path);
    }
    const auto size = static_cast<uint64_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    const int err = errno;
    ::close(fd); // the mapping keeps the file alive
    if (p == MAP_FAILED)
        throw Error(ErrorCode::FileUnreadable, std::string("cannot map file into memory: ") + std::strerror(err), path);
    std::shared_ptr<MappedFile> f(new MappedFile());
    f->m_data = static_cast<std::byte*>(p);
    f->m_size = size;
    f->m_path = path;
    return f;
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(m_data, m_size);
}

void MappedFile::adviseSequential(uint64_t offset, uint64_t length) const
{
    const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    const uint64_t begin = offset / page * page;
    if (begin >= m_size)
        return;
    const uint64_t end = std::min(m_size, offset + length);
    ::madvise(m_data + begin, end - begin, MADV_WILLNEED);
}

} // namespace easel::io
