#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/ir/finding.hpp"
#include "reports/report.hpp"

// Hand-built report inputs shared by the emitter tests.
namespace dbaudit::reports::testing {

inline ir::Location FileAt(std::string file, std::uint32_t line, std::uint32_t column) {
  ir::Location location;
  location.file = std::move(file);
  location.line = line;
  location.column = column;
  return location;
}

inline ir::Location Object(std::string object, std::uint32_t line = 0, std::uint32_t column = 0) {
  ir::Location location;
  location.object = std::move(object);
  location.line = line;
  location.column = column;
  return location;
}

inline ir::Subject SubjectOf(std::string schema, std::string table, std::vector<std::string> columns = {},
                             std::string constraint = {}) {
  return ir::Subject{std::move(schema), std::move(table), std::move(columns), std::move(constraint)};
}

inline ir::Finding MakeFinding(std::string rule, ir::Severity severity, std::string message, ir::Location location,
                               ir::Subject subject = {}) {
  ir::Finding finding;
  finding.rule_id = std::move(rule);
  finding.severity = severity;
  finding.message = std::move(message);
  finding.location = std::move(location);
  finding.subject = std::move(subject);
  finding.fingerprint = ir::ComputeFingerprint(finding);
  return finding;
}

inline RuleDescriptor Rule(std::string id, ir::Severity severity, std::string category) {
  RuleDescriptor rule;
  rule.id = id;
  rule.default_severity = severity;
  rule.summary = "Summary of " + id + ".";
  rule.full_description = "What " + id + " does, in full.";
  rule.help_markdown = "## What it does\n\nWhat " + id + " does, in full.\n\n## Why is this bad?\n\nDrift.\n";
  rule.help_uri = "https://github.com/dbaudit/dbaudit/blob/main/docs/rules/" + id + ".md";
  rule.category = std::move(category);
  return rule;
}

inline std::vector<RuleDescriptor> AllRules() {
  using ir::Severity;
  std::vector<RuleDescriptor> rules = {
      Rule("input-python-syntax-error", Severity::kWarning, ""),
      Rule("input-sql-not-parsed", Severity::kWarning, ""),
      Rule("model-enum-mismatch", Severity::kError, "enum_mismatches"),
      Rule("model-foreign-key-not-in-database", Severity::kWarning, "foreign_keys_only_in_models"),
      Rule("model-index-not-in-models", Severity::kNote, "indexes_only_in_schema"),
      Rule("model-nullable-mismatch", Severity::kWarning, "nullable_mismatches"),
      Rule("model-table-not-in-database", Severity::kError, "tables_only_in_models"),
      Rule("model-table-not-in-models", Severity::kWarning, "tables_only_in_schema"),
      Rule("model-type-mismatch", Severity::kError, "type_mismatches"),
      Rule("model-unique-not-in-database", Severity::kWarning, "unique_constraints_only_in_models"),
      Rule("model-unreadable-construct", Severity::kNote, ""),
  };
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return rules;
}

// A realistic run: model findings with related database locations and fixes, database-only
// findings from a schema dump and from a live database, a reader diagnostic, odd characters.
inline ReportInput RealisticInput() {
  using ir::Severity;
  ReportInput input;
  input.tool_version = "0.1.0";
  input.project_root_uri = "file:///work/project/";
  input.models_source = "3 files";
  input.schema_source = "schema.sql";
  input.rules = AllRules();

  auto type = MakeFinding("model-type-mismatch", Severity::kError,
                          "users.email is String(255) in the model but character varying(100) in the database",
                          FileAt("app/models.py", 12, 5), SubjectOf("public", "users", {"email"}));
  type.location.end_line = 12;
  type.location.end_column = 40;
  type.related.push_back({Object("schema.sql#public.users.email", 30, 3), "the database declares it here"});
  type.fix =
      ir::Fix{"widen the column", "ALTER TABLE public.users ALTER COLUMN email TYPE character varying(255);", "", {}};

  auto missing_table = MakeFinding("model-table-not-in-database", Severity::kError,
                                   "model AuditLog maps table public.audit_log, which the database lacks",
                                   FileAt("app/models.py", 40, 1), SubjectOf("public", "audit_log"));
  missing_table.fix = ir::Fix{"create the table", "CREATE TABLE public.audit_log (id bigint PRIMARY KEY);", "", {}};

  auto nullable = MakeFinding("model-nullable-mismatch", Severity::kWarning,
                              "users.name is nullable in the model but NOT NULL in the database",
                              FileAt("app/models.py", 14, 5), SubjectOf("public", "users", {"name"}));
  nullable.related.push_back({Object("schema.sql#public.users.name", 31, 3), "declared NOT NULL here"});

  auto unique = MakeFinding("model-unique-not-in-database", Severity::kWarning,
                            "UniqueConstraint(tenant_id, email) is enforced by nothing in the database",
                            FileAt("app/models.py", 20, 5),
                            SubjectOf("public", "users", {"tenant_id", "email"}, "uq_users_tenant_email"));

  auto syntax = MakeFinding("input-python-syntax-error", Severity::kWarning,
                            "invalid syntax; the rest of the file was not read", FileAt("app/broken file.py", 3, 7));
  syntax.incomplete = true;

  auto orphan = MakeFinding("model-table-not-in-models", Severity::kWarning,
                            "table public.legacy_sessions | no model maps it, and nothing in the code names it",
                            Object("schema.sql#public.legacy_sessions", 52, 1), SubjectOf("public", "legacy_sessions"));

  auto index = MakeFinding("model-index-not-in-models", Severity::kNote,
                           "index idx_orders_created (created_at, id) is declared by no model",
                           Object("postgresql://db/app#public.orders.idx_orders_created"),
                           SubjectOf("public", "orders", {"created_at", "id"}, "idx_orders_created"));
  index.related.push_back({FileAt("app/models.py", 60, 1), "model Order maps the table here"});

  input.findings = {type, missing_table, nullable, unique, syntax, orphan, index};
  std::sort(input.findings.begin(), input.findings.end(), ir::FindingLess);
  return input;
}

}  // namespace dbaudit::reports::testing
