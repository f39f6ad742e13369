#pragma once

#include <string>
#include <vector>

namespace dbaudit::testing {

// Runs Microsoft's SARIF Multitool (pinned, fetched by cmake/SarifMultitool.cmake) with
// `validate --rule-kind "Gh;Sarif"`: the SARIF 2.1.0 schema, the spec's rules and GitHub code
// scanning's ingestion rules. Returns every error it reports (empty: valid). `name` keeps
// parallel runs apart.
std::vector<std::string> SarifMultitoolErrors(const std::string& sarif, const std::string& name);

// Where the multitool is; the tests assert it exists (they never skip).
const char* SarifMultitoolPath();

}  // namespace dbaudit::testing
