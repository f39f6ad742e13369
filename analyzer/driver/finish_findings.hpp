#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analyzer/ir/finding.hpp"

// What every command does with the findings its rules reported, so that `check`, `docs diff`
// and `inventory` agree on severities, suppressions, order and fingerprints.
namespace dbaudit::driver {

// "file:///abs/root/" (percent-encoded), SARIF's %SRCROOT% for paths relative to the root.
std::string ProjectRootUri(const std::filesystem::path& root);

// Configured severities, inline `dbaudit: ignore[...]` suppressions, the report order
// (ir::FindingLess), and a fingerprint for every finding, unique within the report: a second
// finding with the same fingerprint gets one derived from it and a running number.
std::vector<ir::Finding> FinishFindings(std::vector<ir::Finding> findings,
                                        const std::map<std::string, ir::Severity>& severity_overrides,
                                        const std::filesystem::path& project_root);

}  // namespace dbaudit::driver
