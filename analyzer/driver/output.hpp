#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace dbaudit::driver {

// Writes `contents` to `path` through a temporary file in the same folder and a rename, so a
// failed run never leaves a half-written file. Returns an error message on failure.
std::optional<std::string> WriteFileAtomically(const std::filesystem::path& path, const std::string& contents);

}  // namespace dbaudit::driver
