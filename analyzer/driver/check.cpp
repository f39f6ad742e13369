#include "analyzer/driver/check.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <unordered_map>

#include "analyzer/driver/discovery.hpp"
#include "analyzer/driver/finish_findings.hpp"
#include "analyzer/driver/name_scan.hpp"
#include "analyzer/driver/rule_docs.hpp"
#include "analyzer/driver/schema_source.hpp"
#include "analyzer/driver/suppression.hpp"
#include "analyzer/driver/version.hpp"
#include "analyzer/python/python_project.hpp"
#include "analyzer/sql/query_analysis.hpp"
#include "rules/compare/catalog_diff.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

// Parses and resolves the SQL of every raw SQL site whose text is known, on all cores: the
// sites are independent and libpg_query keeps no shared state.
std::vector<rules::Facts::AnalyzedSite> AnalyzeQuerySites(const std::vector<ir::FileQueries>& queries,
                                                          const ir::Catalog* schema, unsigned threads) {
  std::vector<rules::Facts::AnalyzedSite> analyzed;
  for (const ir::FileQueries& file : queries) {
    for (const ir::QuerySite& site : file.sites) {
      if (site.kind == ir::QueryKind::kRawSql && site.sql) analyzed.push_back({&site, {}});
    }
  }
  if (analyzed.empty()) return analyzed;
  unsigned workers = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min<unsigned>(workers, static_cast<unsigned>(analyzed.size()));
  std::optional<sql::SchemaIndex> index;
  if (schema) index.emplace(*schema);
  const sql::SchemaIndex* index_pointer = index ? &*index : nullptr;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < analyzed.size(); i = next++) {
      sql::QueryAnalysisOptions analysis_options;
      analysis_options.param_style = analyzed[i].site->param_style;
      analysis_options.position = analyzed[i].site->position;
      analyzed[i].analysis = sql::AnalyzeQuery(analyzed[i].site->sql->text, index_pointer, analysis_options);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < workers; ++i) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  return analyzed;
}

// A model table whose __tablename__ comes from a recipe the reader could not evaluate exactly
// carries the spellings it may have (ir::Table::name_alternatives): keep the one the database
// has. With none of them there, the name is unknown: the table is left out with a note rather
// than reported under a guessed name.
void BindTableNames(ir::Catalog& models, const ir::Catalog& schema, std::vector<ir::ModelClass>& classes,
                    std::vector<ir::Diagnostic>& diagnostics) {
  auto rename = [&](ir::Table& table, const std::string& name) {
    for (ir::ModelClass& model : classes) {
      if (model.schema == table.schema && model.table == table.name) model.table = name;
    }
    for (ir::Table& other : models.tables) {
      for (ir::ForeignKey& key : other.foreign_keys) {
        if (key.referenced_schema == table.schema && key.referenced_table == table.name) key.referenced_table = name;
      }
    }
    table.name = name;
  };
  std::vector<const ir::Table*> dropped;
  for (ir::Table& table : models.tables) {
    if (table.name_alternatives.empty()) continue;
    const auto found = std::find_if(table.name_alternatives.begin(), table.name_alternatives.end(),
                                    [&](const std::string& name) { return schema.FindTable(table.schema, name); });
    if (found != table.name_alternatives.end()) {
      if (*found != table.name && !models.FindTable(table.schema, *found)) rename(table, *found);
      continue;
    }
    std::string tried;
    for (const auto& name : table.name_alternatives) tried += (tried.empty() ? "" : ", ") + name;
    ir::Diagnostic note;
    note.rule_id = ir::kRuleModelUnreadable;
    note.severity = ir::Severity::kNote;
    note.location = table.location;
    note.message = "the table name of " + (table.mapped_by.empty() ? std::string("a model") : table.mapped_by[0]) +
                   " is computed by a recipe the analyzer cannot read, and the database has no table named as it "
                   "may be (" +
                   tried + "); the model is not compared";
    diagnostics.push_back(std::move(note));
    dropped.push_back(&table);
  }
  // Tables of a MetaData none of whose tables the database has, while the other MetaData's
  // tables are there, describe another database (an analytics store, a second service): they
  // are said once and not compared, rather than reported as missing one by one. A single table
  // is not enough to tell that from a dropped table.
  std::map<std::string, std::vector<const ir::Table*>> by_metadata;
  for (const ir::Table& table : models.tables) {
    if (!table.metadata.empty()) by_metadata[table.metadata].push_back(&table);
  }
  auto in_database = [&](const ir::Table* table) { return schema.FindTable(table->schema, table->name) != nullptr; };
  const auto present_elsewhere = std::count_if(models.tables.begin(), models.tables.end(),
                                               [&](const ir::Table& table) { return in_database(&table); });
  for (const auto& [metadata, tables] : by_metadata) {
    if (tables.size() < 2 || present_elsewhere == 0 || std::any_of(tables.begin(), tables.end(), in_database)) {
      continue;
    }
    std::string names;
    for (const ir::Table* table : tables) names += (names.empty() ? "" : ", ") + table->name;
    ir::Diagnostic note;
    note.rule_id = ir::kRuleModelUnreadable;
    note.severity = ir::Severity::kNote;
    note.location = tables.front()->location;
    note.message = "none of the " + std::to_string(tables.size()) + " tables of the MetaData made at " + metadata +
                   " (" + names +
                   ") is in the database, while the other models' tables are: they are taken to belong to another "
                   "database and are not compared";
    diagnostics.push_back(std::move(note));
    dropped.insert(dropped.end(), tables.begin(), tables.end());
  }
  std::erase_if(models.tables, [&](const ir::Table& table) {
    return std::find(dropped.begin(), dropped.end(), &table) != dropped.end();
  });
  models.Normalize();
}

}  // namespace

SchemaSourceRequest SchemaRequestOf(const CheckOptions& options) {
  SchemaSourceRequest request;
  request.database_url = options.database_url;
  request.schema_sql = options.schema_sql;
  request.schema_json = options.schema_json;
  request.allow_environment = options.allow_environment_connection;
  request.environment = options.environment;
  request.project_root = options.project_root;
  request.schemas = options.schemas;
  request.ignore_tables = options.ignore_tables;
  return request;
}

CheckRun RunCheck(const CheckOptions& options) {
  CheckRun run;
  run.report.tool_version = kVersion;
  run.report.project_root_uri = ProjectRootUri(options.project_root);

  // 1. The schema first: without it there is nothing to compare against.
  const SchemaSourceRequest request = SchemaRequestOf(options);
  if (options.require_schema || HasSchemaSource(request)) {
    auto schema = LoadSchema(request);
    if (!schema.ok()) {
      run.fatal_error = schema.error().message;
      return run;
    }
    run.schema = schema.take().catalog;
    run.report.schema_source = run.schema->source_name;
  }

  // 2. The code.
  DiscoveryOptions discovery;
  discovery.project_root = options.project_root;
  discovery.exclude = options.exclude;
  DiscoveredFiles files = DiscoverPythonFiles(options.paths, discovery);
  run.python_file_count = files.python_files.size();
  python::ModelReaderOptions reader_options;
  reader_options.threads = options.threads;
  reader_options.read_migration_models = options.models_in_migrations;
  reader_options.read_test_models = options.models_in_tests;
  python::PythonProject project = python::ReadPythonProject(files.python_files, reader_options);
  run.models = std::move(project.models);
  run.model_classes = std::move(project.classes);
  run.queries = std::move(project.queries);
  run.report.models_source = std::to_string(run.python_file_count) + " Python files";
  const ir::Catalog* schema_catalog = run.schema ? &*run.schema : nullptr;
  run.analyzed_sites = AnalyzeQuerySites(run.queries, schema_catalog, options.threads);

  rules::Facts facts;
  facts.schema = schema_catalog;
  facts.queries = &run.queries;
  facts.model_classes = &run.model_classes;
  facts.analyzed_sites = run.analyzed_sites;
  facts.timestamps = options.timestamps;
  facts.diagnostics = files.diagnostics;
  facts.diagnostics.insert(facts.diagnostics.end(), run.models.diagnostics.begin(), run.models.diagnostics.end());
  if (options.allow_no_models) {
    // Allowed: said on stderr, neither a finding nor a reason for exit code 2.
    std::erase_if(facts.diagnostics, [&](const ir::Diagnostic& diagnostic) {
      if (diagnostic.rule_id != ir::kRuleModelsNotRead) return false;
      run.warnings.push_back(diagnostic.message + " (allowed by --allow-no-models)");
      return true;
    });
  }
  if (run.schema) {
    facts.diagnostics.insert(facts.diagnostics.end(), run.schema->diagnostics.begin(), run.schema->diagnostics.end());
  }
  // `# dbaudit: ignore[...]` naming no rule (input-suppression-unknown-rule).
  AddUnknownSuppressions(files.python_files, options.select, facts.diagnostics);

  std::optional<rules::CatalogDiff> diff;
  if (run.python_file_count == 0) {
    run.warnings.push_back("no Python files found under the given paths: nothing to compare with the schema");
  } else if (!run.schema) {
    // No schema (inventory without a source): the query sites are listed, not checked.
  } else if (run.models.tables.empty()) {
    // With SQLAlchemy imported, input-models-not-read says why; this is the plain case.
    run.warnings.push_back("no SQLAlchemy models found in " + std::to_string(run.python_file_count) +
                           " Python files: model rules were skipped");
  } else {
    BindTableNames(run.models, *run.schema, run.model_classes, facts.diagnostics);
    rules::CompareOptions compare_options;
    compare_options.ignored_tables = options.ignore_tables;
    diff = rules::CompareCatalogs(run.models, *run.schema, compare_options);
    facts.models = &run.models;
    facts.model_diff = &*diff;
    // A table no model maps may still be used through raw SQL: the rules say which.
    std::vector<std::string> unmapped;
    for (const ir::Table* table : diff->tables_only_right) unmapped.push_back(table->name);
    facts.names_in_code = NamesMentionedInCode(files.python_files, unmapped, options.threads);
  }

  // 3. The rules.
  rules::FindingSink sink;
  for (const auto& rule : rules::MakeAllRules()) {
    // The docs- family compares a schema document, which only `docs diff` reads: listing
    // those rules here would describe checks this run cannot make.
    if (rule->Info().id.starts_with("docs-")) continue;
    if (!rules::IsSelected(rule->Info().id, options.select)) continue;
    run.report.rules.push_back(DescribeRule(rule->Info()));
    rule->Check(facts, sink);
  }
  std::vector<ir::Finding> findings = std::move(sink.findings());
  findings = FinishFindings(std::move(findings), options.severity_overrides, options.project_root);
  // Lost input makes the run incomplete even when its finding is deselected or suppressed.
  run.incomplete = std::any_of(facts.diagnostics.begin(), facts.diagnostics.end(),
                               [](const ir::Diagnostic& d) { return d.incomplete; });
  run.report.findings = std::move(findings);
  // After the bind step: the names the comparison used.
  std::vector<std::string> model_tables;
  for (const ir::Table& table : run.models.tables) model_tables.push_back(table.QualifiedName());
  std::sort(model_tables.begin(), model_tables.end());
  run.report.model_tables = std::move(model_tables);
  return run;
}

int ExitCode(const CheckRun& run, const std::optional<ir::Severity>& fail_on) {
  if (run.fatal_error || run.incomplete) return 2;
  if (!fail_on) return 0;
  for (const auto& finding : run.report.findings) {
    if (finding.severity >= *fail_on) return 1;
  }
  return 0;
}

}  // namespace dbaudit::driver
