#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/ir/diagnostic.hpp"
#include "analyzer/ir/finding.hpp"
#include "analyzer/python/model_reader.hpp"

namespace dbaudit::driver {

inline constexpr const char* kRuleSuppressionUnknownRule = "input-suppression-unknown-rule";

// Drops findings whose source line carries `# dbaudit: ignore[rule-id, ...]` naming their
// rule, exactly or as a glob (`model-*`), or `# dbaudit: ignore` alone, which silences every
// rule on that line.
std::vector<ir::Finding> ApplySuppressions(std::vector<ir::Finding> findings,
                                           const std::filesystem::path& project_root);

// True when the id written in `ignore[...]` names `rule_id`: the same id, or a glob
// ('*' and '?') that matches it.
bool SuppressionNames(const std::string& written, const std::string& rule_id);

// One input-suppression-unknown-rule diagnostic for every id in a `# dbaudit: ignore[...]`
// comment of `text` that names none of `known_ids` (an exact id or a glob that matches
// none), located at the id, with the closest known id as a hint.
std::vector<ir::Diagnostic> FindUnknownSuppressions(const std::string& text, const std::string& display_path,
                                                    const std::vector<std::string>& known_ids);

// The same for every file of the run, when the rule is selected: appends to `diagnostics`.
// Only files whose text holds the marker are looked at closely (a substring search), so
// the cost is one read of each file.
void AddUnknownSuppressions(const std::vector<python::SourceFile>& files, const std::vector<std::string>& select,
                            std::vector<ir::Diagnostic>& diagnostics);

}  // namespace dbaudit::driver
