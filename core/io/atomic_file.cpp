#include "io/atomic_file.h"

#include "common/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace core {

namespace {
std::string systemError() { return std::strerror(errno); }
}  // namespace

void writeFileAtomically(const std::string& path, const std::string& bytes) {
    std::vector<char> temp(path.begin(), path.end());
    const std::string suffix = ".tmp-XXXXXX";
    temp.insert(temp.end(), suffix.begin(), suffix.end());
    temp.push_back('\0');
    const int fd = mkstemp(temp.data());
    if (fd < 0) throw Error("cannot create a file next to it: " + systemError(), path);
    const std::string tempPath(temp.data());
    auto fail = [&](const std::string& what) {
        const std::string reason = systemError();
        ::close(fd);
        std::remove(tempPath.c_str());
        throw Error(what + ": " + reason, path);
    };
    for (size_t written = 0; written < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write");
        }
        written += static_cast<size_t>(n);
    }
    // mkstemp creates 0600: keep the replaced file's mode, or the usual 0644.
    struct stat existing {};
    ::fchmod(fd, ::stat(path.c_str(), &existing) == 0 ? existing.st_mode & 07777 : 0644);
    if (::fsync(fd) != 0) fail("cannot flush to disk");
    if (::close(fd) != 0) {
        std::remove(tempPath.c_str());
        throw Error("cannot close: " + systemError(), path);
    }
    if (std::rename(tempPath.c_str(), path.c_str()) != 0) {
        const std::string reason = systemError();
        std::remove(tempPath.c_str());
        throw Error("cannot replace the file: " + reason, path);
    }
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open: " + systemError(), path);
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) throw Error("cannot read", path);
    return s.str();
}

}  // namespace core
