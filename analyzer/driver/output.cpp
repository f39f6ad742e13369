#include "analyzer/driver/output.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <unistd.h>

namespace dbaudit::driver {

namespace fs = std::filesystem;

std::optional<std::string> WriteFileAtomically(const fs::path& path, const std::string& contents) {
  std::error_code error;
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
