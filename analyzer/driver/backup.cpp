#include "analyzer/driver/backup.hpp"

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

}  // namespace dbaudit::driver
