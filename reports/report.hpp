#pragma once

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
};

// `file:line:col: severity: message [rule-id]`, one a line, then a summary line.
std::string RenderText(const ReportInput& input);
// {"version", "findings": [{rule, severity, message, location, subject, fingerprint, ...}]}
std::string RenderJson(const ReportInput& input);
// SARIF 2.1.0, valid for GitHub code scanning.
std::string RenderSarif(const ReportInput& input);
// model_comparison_results.md: a section per category (the audit plan's names), with counts.
std::string RenderModelComparison(const ReportInput& input);

}  // namespace dbaudit::reports
