#include "analyzer/driver/backup.hpp"

#include <fstream>
#include <sstream>

namespace dbaudit::driver {

namespace fs = std::filesystem;

fs::path BackupPath(const fs::path& folder, const fs::path& file, const std::string& timestamp) {
  const std::string stem = file.stem().string();
  const std::string extension = file.has_extension() ? file.extension().string() : ".md";
  fs::path candidate = folder / (stem + "." + timestamp + extension);
  std::error_code error;
  for (int attempt = 2; fs::exists(candidate, error); ++attempt) {
    candidate = folder / (stem + "." + timestamp + "-" + std::to_string(attempt) + extension);
  }
  return candidate;
}

std::optional<std::string> ReadFileBytes(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return buffer.str();
}

}  // namespace dbaudit::driver
