#include "analyzer/driver/output.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

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

std::optional<std::string> WriteFileAtomically(const fs::path& requested, const std::string& contents) {
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
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), error);
  if (error) return "cannot create folder " + path.parent_path().generic_string() + ": " + error.message();
  const fs::path temporary = path.string() + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + temporary.generic_string() + ": " + std::strerror(errno);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      fs::remove(temporary, error);
      return "cannot write " + temporary.generic_string() + ": " + std::strerror(errno);
    }
  }
  fs::rename(temporary, path, error);
  if (error) {
    fs::remove(temporary, error);
    return "cannot replace " + path.generic_string() + ": " + error.message();
  }
  return std::nullopt;
}

}  // namespace dbaudit::driver
