#include "analyzer/driver/docs_diff.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "analyzer/docs/document.hpp"
#include "analyzer/driver/discovery.hpp"
#include "analyzer/driver/finish_findings.hpp"
#include "analyzer/driver/rule_docs.hpp"
#include "analyzer/driver/version.hpp"
#include "analyzer/sql/normalize.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

// The discrepancy categories of schema_discrepancies.json, in this order, and their rules.
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kCategories = {{
    {"tables_only_in_docs", "docs-table-not-in-database"},
    {"tables_only_in_database", "docs-table-undocumented"},
    {"columns_only_in_docs", "docs-column-not-in-database"},
    {"columns_only_in_database", "docs-column-undocumented"},
    {"type_mismatches", "docs-type-mismatch"},
    {"nullable_mismatches", "docs-nullable-mismatch"},
    {"default_mismatches", "docs-default-mismatch"},
    {"key_mismatches", "docs-key-mismatch"},
    {"foreign_key_mismatches", "docs-foreign-key-mismatch"},
    {"index_mismatches", "docs-index-mismatch"},
    {"unreadable_sections", "docs-section-unreadable"},
}};

using StatedMap = std::map<std::pair<std::string, std::string>, const docs::DocumentedTable*>;

// What the document states about `table` (a document-side table); nothing when unknown.
docs::StatedFacts StatedFor(const StatedMap& stated, const ir::Table* table) {
  if (!table) return {};
  const auto it = stated.find({table->schema, table->name});
  return it == stated.end() ? docs::StatedFacts{} : it->second->stated;
}

template <typename T, typename Keep>
void KeepIf(std::vector<T>& items, Keep keep) {
  items.erase(std::remove_if(items.begin(), items.end(), [&](const T& item) { return !keep(item); }), items.end());
}

// A default the document need not spell: sequences and identities are how keys are made.
bool IsKeyGeneratorDefault(const ir::Column& column) {
  if (column.identity != ir::IdentityKind::kNone) return true;
  return column.server_default && sql::IsSequenceDefault(*column.server_default);
}

// The comparison leaves out views no model maps (models rarely map views); a document should
// describe them like any relation.
void AddUndocumentedViews(const ir::Catalog& document, const ir::Catalog& schema,
                          const std::vector<std::string>& ignored_tables, rules::CatalogDiff& diff) {
  for (const auto& table : schema.tables) {
    if (table.kind != ir::TableKind::kView && table.kind != ir::TableKind::kMaterializedView) continue;
    if (std::find(ignored_tables.begin(), ignored_tables.end(), table.name) != ignored_tables.end()) continue;
    if (document.FindTable(table.schema, table.name)) continue;
    if (std::find(diff.tables_only_right.begin(), diff.tables_only_right.end(), &table) !=
        diff.tables_only_right.end()) {
      continue;
    }
    diff.tables_only_right.push_back(&table);
  }
}

}  // namespace

void KeepStatedDifferences(const docs::Document& document, rules::CatalogDiff& diff) {
  StatedMap stated;
  for (const auto& table : document.tables) stated[{table.schema, table.name}] = &table;
  auto facts = [&](const ir::Table* left) { return StatedFor(stated, left); };

  // A section that lists no columns (prose, a one-line mention) states none of them.
  KeepIf(diff.columns_only_right,
         [&](const rules::ColumnPair& pair) { return pair.left_table && !pair.left_table->columns.empty(); });
  KeepIf(diff.type_mismatches, [&](const rules::ColumnPair& pair) { return facts(pair.left_table).types; });
  KeepIf(diff.nullable_mismatches, [&](const rules::ColumnPair& pair) { return facts(pair.left_table).nullability; });
  KeepIf(diff.default_mismatches, [&](const rules::ColumnPair& pair) { return facts(pair.left_table).defaults; });
  KeepIf(diff.primary_key_mismatches, [&](const rules::TablePair& pair) { return facts(pair.left).primary_key; });
  auto keys_stated = [&](const rules::ForeignKeyDifference& d) { return facts(d.left_table).foreign_keys; };
  KeepIf(diff.foreign_keys_only_left, keys_stated);
  KeepIf(diff.foreign_keys_only_right, keys_stated);
  KeepIf(diff.foreign_key_action_mismatches, keys_stated);
  // A reference written without its actions states none: only a stated action can differ.
  KeepIf(diff.foreign_key_action_mismatches, [](const rules::ForeignKeyDifference& d) {
    auto differs = [](ir::ReferentialAction documented, ir::ReferentialAction actual) {
      if (documented == ir::ReferentialAction::kUnspecified) return false;
      const auto effective = actual == ir::ReferentialAction::kUnspecified ? ir::ReferentialAction::kNoAction : actual;
      return documented != effective;
    };
    return differs(d.left->on_delete, d.right->on_delete) || differs(d.left->on_update, d.right->on_update);
  });
  auto unique_stated = [&](const rules::UniqueDifference& d) { return facts(d.left_table).unique; };
  KeepIf(diff.uniques_only_left, unique_stated);
  KeepIf(diff.uniques_only_right, unique_stated);
  auto indexes_stated = [&](const rules::IndexDifference& d) { return facts(d.left_table).indexes; };
  KeepIf(diff.indexes_only_left, indexes_stated);
  KeepIf(diff.indexes_only_right, indexes_stated);
  // Enums have no docs- rule yet; the comparison's enum lists are left for the models.
  diff.enum_mismatches.clear();
  diff.enums_only_left.clear();

  // The comparison treats a missing left default as harmless (the models' view); a document
  // with a Default column that leaves it empty says "no default".
  std::set<std::pair<const ir::Column*, const ir::Column*>> reported;
  for (const auto& pair : diff.default_mismatches) reported.insert({pair.left, pair.right});
  for (const auto& pair : diff.matched_tables) {
    if (!facts(pair.left).defaults) continue;
    for (const auto& column : pair.left->columns) {
      const ir::Column* other = pair.right->FindColumn(column.name);
      if (!other || column.server_default || column.autoincrement || column.identity != ir::IdentityKind::kNone ||
          column.generated) {
        continue;
      }
      if (!other->server_default || IsKeyGeneratorDefault(*other)) continue;
      if (reported.count({&column, other})) continue;
      diff.default_mismatches.push_back({pair.left, pair.right, &column, other});
    }
  }
}

DocsDiffRun RunDocsDiff(const DocsDiffOptions& options) {
  DocsDiffRun run;
  run.report.tool_version = kVersion;
  run.report.project_root_uri = ProjectRootUri(options.project_root);

  std::optional<ir::Catalog> loaded;
  if (!options.preloaded_schema) {
    auto schema = LoadSchema(options.schema);
    if (!schema.ok()) {
      run.fatal_error = schema.error().message;
      return run;
    }
    loaded = schema.take().catalog;
  }
  const ir::Catalog& catalog = options.preloaded_schema ? *options.preloaded_schema : *loaded;
  run.report.schema_source = catalog.source_name;

  run.document_display = DisplayPath(options.document, options.project_root);
  auto read = docs::ReadSchemaDocument(options.document, run.document_display);
  if (!read.ok()) {
    run.fatal_error = read.error().message;
    return run;
  }
  const docs::Document document = read.take();
  run.report.models_source = run.document_display;

  rules::CompareOptions compare_options;
  compare_options.ignored_tables = options.schema.ignore_tables;
  rules::CatalogDiff diff = rules::CompareCatalogs(document.catalog, catalog, compare_options);
  KeepStatedDifferences(document, diff);
  AddUndocumentedViews(document.catalog, catalog, options.schema.ignore_tables, diff);

  rules::Facts facts;
  facts.schema = &catalog;
  facts.document = &document.catalog;
  facts.document_diff = &diff;
  facts.diagnostics = document.catalog.diagnostics;

  const std::vector<std::string> select = options.select.empty() ? std::vector<std::string>{"docs-*"} : options.select;
  rules::FindingSink sink;
  for (const auto& rule : rules::MakeAllRules()) {
    const std::string& id = rule->Info().id;
    // Only the docs- family reads a document; the others would see a run without models.
    if (!id.starts_with("docs-") || !rules::IsSelected(id, select)) continue;
    run.report.rules.push_back(DescribeRule(rule->Info()));
    rule->Check(facts, sink);
  }
  std::vector<ir::Finding> findings = std::move(sink.findings());
  findings = FinishFindings(std::move(findings), options.severity_overrides, options.project_root);
  run.incomplete = std::any_of(facts.diagnostics.begin(), facts.diagnostics.end(),
                               [](const ir::Diagnostic& d) { return d.incomplete; });
  run.report.findings = std::move(findings);
  return run;
}

std::string RenderDiscrepancies(const DocsDiffRun& run) {
  using Json = nlohmann::ordered_json;
  Json categories = Json::object();
  Json by_category = Json::object();
  for (const auto& [category, rule_id] : kCategories) {
    Json entries = Json::array();
    for (const auto& finding : run.report.findings) {
      if (finding.rule_id != rule_id) continue;
      Json entry;
      entry["rule"] = finding.rule_id;
      entry["severity"] = ir::ToString(finding.severity);
      entry["message"] = finding.message;
      if (!finding.subject.schema.empty()) entry["schema"] = finding.subject.schema;
      if (!finding.subject.table.empty()) entry["table"] = finding.subject.table;
      if (!finding.subject.columns.empty()) entry["columns"] = finding.subject.columns;
      if (!finding.subject.constraint.empty()) entry["constraint"] = finding.subject.constraint;
      // Where the document says it (a line of the document), and where the database does.
      auto document_side = [&](const ir::Location& location) { return location.file == run.document_display; };
      std::vector<const ir::Location*> locations = {&finding.location};
      for (const auto& related : finding.related) locations.push_back(&related.location);
      for (const ir::Location* location : locations) {
        if (document_side(*location) && !entry.contains("document_line")) {
          entry["document_line"] = location->line;
        } else if (!document_side(*location) && location->IsKnown() && !entry.contains("database")) {
          entry["database"] = ir::Describe(*location);
        }
      }
      if (finding.fix && !finding.fix->description.empty()) entry["fix"] = finding.fix->description;
      entry["fingerprint"] = finding.fingerprint;
      entries.push_back(std::move(entry));
    }
    by_category[std::string(category)] = entries.size();
    categories[std::string(category)] = std::move(entries);
  }
  Json json;
  json["tool"] = "dbaudit";
  json["version"] = run.report.tool_version;
  json["document"] = run.document_display;
  json["schema_source"] = run.report.schema_source;
  json["summary"] = Json{{"total", run.report.findings.size()}, {"by_category", std::move(by_category)}};
  json["categories"] = std::move(categories);
  return json.dump(2) + "\n";
}

}  // namespace dbaudit::driver
