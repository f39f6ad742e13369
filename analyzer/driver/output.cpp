#include "analyzer/driver/output.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

// A device, a pipe or a socket (`-o /dev/stdout`, `-o /dev/null`, a FIFO) cannot be replaced
// by a rename: it is written in place.
std::optional<std::string> WriteInPlace(const fs::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return "cannot write " + path.generic_string() + ": " + std::strerror(errno);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.flush();
  if (!out) return "cannot write " + path.generic_string() + ": " + std::strerror(errno);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> WriteFileAtomically(const fs::path& requested, const std::string& contents,
                                               std::optional<FileOwnership> ownership) {
  std::error_code error;
  // Through a symbolic link, replace the file it points to, not the link.
  fs::path path = requested;
  if (fs::is_symlink(fs::symlink_status(requested, error))) {
    const fs::path target = fs::weakly_canonical(requested, error);
    if (!error) path = target;
    error.clear();
  }
  const fs::file_status status = fs::status(path, error);
  if (!error && fs::exists(status) && !fs::is_regular_file(status)) {
    if (fs::is_directory(status)) return "cannot write " + path.generic_string() + ": it is a folder";
    return WriteInPlace(path, contents);
  }
  error.clear();
  // A file that is replaced keeps its mode and, where allowed, its owner and group.
  if (!ownership) ownership = OwnershipOf(path);
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), error);
  if (error) return "cannot create folder " + path.parent_path().generic_string() + ": " + error.message();
  const fs::path temporary = path.string() + ".tmp." + std::to_string(getpid());
  const auto fail = [&](const std::string& what) {
    const std::string message = what + " " + temporary.generic_string() + ": " + std::strerror(errno);
    fs::remove(temporary, error);
    return message;
  };
  // A new file gets the umask's default. One that takes another's mode is created owner-only,
  // so that a private file's contents are never readable by others on the way, and gets its
  // mode before anything is written.
  fs::remove(temporary, error);
  const int descriptor =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, ownership ? 0600 : 0666);
  if (descriptor < 0) return "cannot write " + temporary.generic_string() + ": " + std::strerror(errno);
  if (ownership) {
    // Not being allowed to give the file away (not root) is expected: it then stays the
    // user's, with the group kept where the user is in it.
    if (::fchown(descriptor, ownership->user, ownership->group) != 0) {
      if (::fchown(descriptor, static_cast<uid_t>(-1), ownership->group) != 0) errno = 0;
    }
    if (::fchmod(descriptor, ownership->mode) != 0) {
      const int saved = errno;
      ::close(descriptor);
      errno = saved;
      return fail("cannot set the mode of");
    }
  }
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t count = ::write(descriptor, contents.data() + written, contents.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      const int saved = errno;
      ::close(descriptor);
      errno = saved;
      return fail("cannot write");
    }
    written += static_cast<std::size_t>(count);
  }
  if (::close(descriptor) != 0) return fail("cannot write");
  fs::rename(temporary, path, error);
  if (error) {
    const std::string message = "cannot replace " + path.generic_string() + ": " + error.message();
    fs::remove(temporary, error);
    return message;
  }
  return std::nullopt;
}

std::optional<FileOwnership> OwnershipOf(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return FileOwnership{static_cast<mode_t>(info.st_mode & 07777), info.st_uid, info.st_gid};
}

}  // namespace dbaudit::driver
