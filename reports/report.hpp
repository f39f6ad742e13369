#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/finding.hpp"

// Emitters know findings, never rules: the driver hands them rule descriptors.
namespace dbaudit::reports {

struct RuleDescriptor {
  std::string id;
  ir::Severity default_severity = ir::Severity::kWarning;
  std::string summary;           // one line
  std::string full_description;  // the doc's "What it does" paragraph
  std::string help_markdown;     // the whole doc page
  std::string help_uri;          // link to docs/rules/<id>.md
  std::string category;          // model_comparison_results.md section, may be empty
};

struct ReportInput {
  std::vector<ir::Finding> findings;  // sorted with ir::FindingLess
  std::vector<RuleDescriptor> rules;  // every selected rule, sorted by id
  std::string tool_version;
  std::string project_root_uri;  // "file:///abs/path/" for SARIF originalUriBaseIds
  std::string models_source;     // e.g. "12 files"
  std::string schema_source;     // redacted: "schema.sql", "postgresql://app@db/app"
  // "schema.table" of every table read from the models, sorted; unset when the run read none
  // (a document comparison). Lets a user (and CI) see what the comparison covered.
  std::optional<std::vector<std::string>> model_tables;
};

// `file:line:col: severity: message [rule-id]` one a line (`<object>: ...` for database
// objects), related locations as `  where: note: message`, a fix as `  fix: ...`, then a blank
// line and "12 findings: 3 errors, 7 warnings, 2 notes" (or only "No findings.").
std::string RenderText(const ReportInput& input);
// {"tool", "version", "schema_source", "models_source", "model_tables", "summary": {total, errors, warnings,
// notes, by_rule}, "findings": [{rule, severity, message, location, subject, related, fix,
// fingerprint, incomplete}]}; keys in that order, empty and unknown values omitted.
std::string RenderJson(const ReportInput& input);
// SARIF 2.1.0 for GitHub code scanning: one run, every rule described, paths relative to
// %SRCROOT% (= project_root_uri), database objects as logical locations.
std::string RenderSarif(const ReportInput& input);
// model_comparison_results.md: sources, a summary table, then a section per category in the
// audit plan's order (RuleDescriptor::category), then the findings outside the categories.
std::string RenderModelComparison(const ReportInput& input);

}  // namespace dbaudit::reports
