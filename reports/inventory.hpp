#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analyzer/ir/finding.hpp"
#include "analyzer/ir/query.hpp"

// db_inventory.md: every Python file that touches the database, what it does with it, how
// risky that is, and whether the query rules found something to fix (phases 1 and 5 of the
// audit plan). The driver builds the rows; this module only renders them.
namespace dbaudit::reports {

enum class RiskLevel { kLow, kMedium, kHigh };
const char* ToString(RiskLevel risk);  // "low", "medium", "high"

struct InventoryFinding {
  std::string rule_id;
  ir::Severity severity = ir::Severity::kWarning;
  std::uint32_t line = 0;
  std::string message;
};

struct InventoryFile {
  std::string path;  // display path
  // Where the file sits in the project, in the audit plan's words: "models", "routes",
  // "utils", "scripts", "scripts-debug", "temp", "migrations", "tests", "root script", "other".
  std::string role;
  std::vector<ir::InteractionCount> interactions;  // sorted by interaction
  std::size_t orm_sites = 0;
  std::size_t raw_sql_sites = 0;
  std::vector<std::string> tables;  // relations its SQL names (resolved), sorted
  RiskLevel risk = RiskLevel::kLow;
  std::string risk_reason;                 // "string-built SQL at line 42", "ORM only"
  std::vector<InventoryFinding> findings;  // findings of the query- rules in this file, in line order
};

struct InventoryReport {
  std::string tool_version;
  std::string schema_source;         // redacted; empty when the run had no schema
  std::vector<InventoryFile> files;  // sorted by path
  std::size_t python_files_scanned = 0;
};

// Markdown: a summary (files by risk and role), then one table row per file with its
// interaction types and counts, risk and reason, and an OK / fix column, then the fixes per
// file. Deterministic: no timestamps.
std::string RenderInventoryMarkdown(const InventoryReport& report);
// The same as JSON: {"tool", "version", "schema_source", "summary", "files": [...]}.
std::string RenderInventoryJson(const InventoryReport& report);

}  // namespace dbaudit::reports
