#include "core/FileIO.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace toccata::core {

namespace fs = std::filesystem;

Result<std::string> readFileBytes(const std::string& path, uint64_t maxBytes) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return Result<std::string>::failure(path + ": file not found");
    if (fs::is_directory(status))
        return Result<std::string>::failure(path + ": is a folder, not a file");
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) return Result<std::string>::failure(path + ": cannot read size: " + ec.message());
    if (size > maxBytes)
        return Result<std::string>::failure(path + ": file is " + std::to_string(size) +
                                            " bytes, more than the limit of " +
                                            std::to_string(maxBytes));
    std::ifstream in(path, std::ios::binary);
    if (!in) return Result<std::string>::failure(path + ": cannot open: " + std::strerror(errno));
    std::string data(static_cast<size_t>(size), '\0');
    in.read(data.data(), static_cast<std::streamsize>(size));
    if (static_cast<uintmax_t>(in.gcount()) != size)
        return Result<std::string>::failure(path + ": read failed");
    return data;
}

Status writeFileAtomic(const std::string& path, std::string_view data) {
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return Status::failure(path + ": cannot write, folder " + dir.string() + " does not exist");
    std::random_device rd;
    const fs::path temp = dir / ("." + target.filename().string() + ".tmp" + std::to_string(rd()));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Status::failure(path + ": cannot write: " + std::strerror(errno));
    size_t written = 0;
    int writeErrno = 0;
    while (written < data.size() && writeErrno == 0) {
        const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
        if (n >= 0)
            written += static_cast<size_t>(n);
        else if (errno != EINTR)
            writeErrno = errno;
    }
    if (writeErrno != 0) {
        ::close(fd);
        fs::remove(temp, ec);
        return Status::failure(path + ": write failed: " + std::strerror(writeErrno));
    }
    const bool synced = ::fsync(fd) == 0;
    const std::string syncError = synced ? std::string() : std::strerror(errno);
    if (::close(fd) != 0 || !synced) {
        const std::string why = synced ? std::strerror(errno) : syncError;
        fs::remove(temp, ec);
        return Status::failure(path + ": could not flush to disk: " + why);
    }
    fs::rename(temp, target, ec);
    if (ec) {
        const std::string why = ec.message();
        fs::remove(temp, ec);
        return Status::failure(path + ": could not replace the file: " + why);
    }
    return Status::success();
}

}  // namespace toccata::core
