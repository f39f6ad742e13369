#pragma once

#include <filesystem>
#include <vector>

#include "analyzer/ir/finding.hpp"

namespace dbaudit::driver {

// Drops findings whose source line carries `# dbaudit: ignore[rule-id, ...]` naming their
// rule (or `# dbaudit: ignore` alone, which silences every rule on that line).
std::vector<ir::Finding> ApplySuppressions(std::vector<ir::Finding> findings,
                                           const std::filesystem::path& project_root);

}  // namespace dbaudit::driver
