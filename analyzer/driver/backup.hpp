#pragma once

#include <filesystem>
#include <optional>
#include <string>

// Old versions of the files dbaudit rewrites (`docs sync`, the artifacts of `audit`).
namespace dbaudit::driver {

// <folder>/<stem>.<timestamp><extension> (".md" when the file has none); when that exists
// already (a second run in the same second), "-2", "-3", ... before the extension.
std::filesystem::path BackupPath(const std::filesystem::path& folder, const std::filesystem::path& file,
                                 const std::string& timestamp);

// The whole file as bytes; nullopt when it is no regular file or cannot be read. Used to
// compare a file with what would replace it before backing it up.
std::optional<std::string> ReadFileBytes(const std::filesystem::path& path);

}  // namespace dbaudit::driver
