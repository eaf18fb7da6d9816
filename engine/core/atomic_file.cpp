#include "engine/core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "engine/api/error.h"

namespace easel::core {

using api::Error;
using api::ErrorCode;

void writeFileAtomically(const std::string& path, const std::vector<unsigned char>& bytes)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::random_device rd;
    const fs::path temp = dir / ("." + target.filename().string() + ".tmp" + std::to_string(rd()));

    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(ErrorCode::FileUnreadable,
                    std::string("cannot write here (") + std::strerror(errno) + "); choose another output folder", path);
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const std::string reason = std::strerror(errno);
            ::close(fd);
            fs::remove(temp, ec);
            throw Error(ErrorCode::FileUnreadable, "writing failed (" + reason + "); is the disk full?", path);
        }
        done += static_cast<size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced || std::rename(temp.c_str(), target.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        fs::remove(temp, ec);
        throw Error(ErrorCode::FileUnreadable, "could not finish writing (" + reason + ")", path);
    }
    // The rename is only durable once the folder is synced: without it a power cut right after a
    // finished image could lose the file the user already saw listed.
    const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        (void)::fsync(dirFd); // best effort: some file systems refuse fsync on folders
        ::close(dirFd);
    }
}

std::vector<unsigned char> readWholeFile(const std::string& path, std::size_t maxBytes)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        throw Error(ErrorCode::FileNotFound, "file not found; check the path", path);
    if (fs::is_directory(status))
        throw Error(ErrorCode::FileUnreadable, "this is a folder, not a file", path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::FileUnreadable, "cannot open the file (permissions?)", path);
    const auto size = fs::file_size(path, ec);
    if (ec || size > maxBytes)
        throw Error(ErrorCode::FileUnreadable, "file is too large to read whole", path);
    std::vector<unsigned char> bytes(size);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<size_t>(in.gcount()) != size)
        throw Error(ErrorCode::FileUnreadable, "read error", path);
    return bytes;
}

} // namespace easel::core
