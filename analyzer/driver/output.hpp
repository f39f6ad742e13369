#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <sys/types.h>

namespace dbaudit::driver {

// A file's permission bits, owner and group.
struct FileOwnership {
  mode_t mode = 0;
  uid_t user = 0;
  gid_t group = 0;
};

// Writes `contents` to `path` through a temporary file in the same folder and a rename, so a
// failed run never leaves a half-written file. Returns an error message on failure.
// The file gets `ownership` when given (a backup takes its original's), else it keeps the
// mode, owner and group of the file it replaces (0640 stays 0640), else a new file's default.
std::optional<std::string> WriteFileAtomically(const std::filesystem::path& path, const std::string& contents,
                                               std::optional<FileOwnership> ownership = std::nullopt);

// The mode, owner and group of a regular file; nullopt when there is none at `path`.
std::optional<FileOwnership> OwnershipOf(const std::filesystem::path& path);

}  // namespace dbaudit::driver
