#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/driver/schema_source.hpp"
#include "analyzer/ir/finding.hpp"
#include "reports/report.hpp"
#include "rules/compare/catalog_diff.hpp"

namespace dbaudit::docs {
struct Document;
}

// `dbaudit docs diff`: the team's schema document against the schema, through the docs- rules.
namespace dbaudit::driver {

struct DocsDiffOptions {
  std::filesystem::path project_root;  // display paths are relative to it
  std::filesystem::path document;      // the Markdown schema document
  SchemaSourceRequest schema;
  // The schema another step of the same run already read (`audit`): used instead of reading
  // `schema` again, which costs a second catalog read and could see a changed database.
  const ir::Catalog* preloaded_schema = nullptr;
  std::vector<std::string> select;  // empty: every docs- rule
  std::map<std::string, ir::Severity> severity_overrides;
};

struct DocsDiffRun {
  // Set when the run could not do its job (no schema, document unreadable): exit code 2.
  std::optional<std::string> fatal_error;
  reports::ReportInput report;
  std::string document_display;  // the document's path as reports print it
  bool incomplete = false;
};

DocsDiffRun RunDocsDiff(const DocsDiffOptions& options);

// Drops every difference about a fact the document does not state (docs::StatedFacts), and
// adds the database defaults a document with a Default column leaves empty. `diff` compares
// `document.catalog` (left) with the schema (right).
void KeepStatedDifferences(const docs::Document& document, rules::CatalogDiff& diff);

// schema_discrepancies.json: {"tool", "version", "document", "schema_source", "summary":
// {"total", "by_category"}, "categories": {<category>: [discrepancy...]}}; every category
// present (in a fixed order), entries in report order. Deterministic.
std::string RenderDiscrepancies(const DocsDiffRun& run);

}  // namespace dbaudit::driver
