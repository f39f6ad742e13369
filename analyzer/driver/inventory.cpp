#include "analyzer/driver/inventory.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace dbaudit::driver {

namespace {

std::vector<std::string> PathParts(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    if (end > start) parts.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool IsDestructiveOrDdl(const ir::SqlStatement& statement) {
  return statement.is_ddl || statement.is_destructive;
}

std::string DisplayTable(const ir::SqlReference& reference) {
  if (reference.schema.empty() || reference.schema == "public") return reference.table;
  return reference.schema + "." + reference.table;
}

}  // namespace

std::string FileRole(const std::string& display_path, bool is_migration) {
  if (is_migration) return "migrations";
  const std::vector<std::string> parts = PathParts(display_path);
  if (parts.size() <= 1) return "root script";
  const std::string& file = parts.back();
  // The innermost folder that says what the file is for decides.
  for (auto it = parts.rbegin() + 1; it != parts.rend(); ++it) {
    const std::string& folder = *it;
    if (folder == "migrations" || folder == "alembic" || folder == "versions") return "migrations";
    if (folder == "scripts-debug" || folder == "scripts_debug" || folder == "debug") return "scripts-debug";
    if (folder == "temp" || folder == "tmp") return "temp";
    if (folder == "tests" || folder == "test") return "tests";
    if (folder == "models" || folder == "model") return "models";
    if (folder == "routes" || folder == "views" || folder == "api" || folder == "blueprints" ||
        folder == "controllers" || folder == "endpoints") {
      return "routes";
    }
    if (folder == "utils" || folder == "util" || folder == "helpers" || folder == "services" || folder == "lib") {
      return "utils";
    }
    if (folder == "scripts" || folder == "bin" || folder == "tools" || folder == "management") return "scripts";
  }
  if (file == "models.py") return "models";
  if (file == "routes.py" || file == "views.py") return "routes";
  if (file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py") return "tests";
  return "other";
}

reports::InventoryReport BuildInventory(const CheckRun& run) {
  reports::InventoryReport report;
  report.tool_version = run.report.tool_version;
  report.schema_source = run.report.schema_source;
  report.python_files_scanned = run.python_file_count;

  // The analyses of each file, found by the address of their site inside the file's list.
  std::map<const ir::FileQueries*, std::vector<const rules::Facts::AnalyzedSite*>> analyses_by_file;
  for (const rules::Facts::AnalyzedSite& analyzed : run.analyzed_sites) {
    for (const ir::FileQueries& file : run.queries) {
      if (!file.sites.empty() && analyzed.site >= &file.sites.front() && analyzed.site <= &file.sites.back()) {
        analyses_by_file[&file].push_back(&analyzed);
        break;
      }
    }
  }
  std::map<std::string, std::vector<const ir::Finding*>> findings_by_file;
  for (const ir::Finding& finding : run.report.findings) {
    if (finding.rule_id.starts_with("query-") && finding.location.HasFile()) {
      findings_by_file[finding.location.file].push_back(&finding);
    }
  }

  for (const ir::FileQueries& file : run.queries) {
    reports::InventoryFile row;
    row.path = file.display_path;
    row.role = FileRole(file.display_path, file.is_migration);
    row.interactions = file.interactions;
    std::set<std::string> tables;
    std::vector<std::string> high_reasons;
    for (const ir::QuerySite& site : file.sites) {
      if (site.kind == ir::QueryKind::kOrm) {
        ++row.orm_sites;
        continue;
      }
      ++row.raw_sql_sites;
      if (site.build == ir::SqlBuild::kDynamic) {
        const ir::Location& where = site.build_location.IsKnown() ? site.build_location : site.location;
        std::string reason = fmt::format("string-built SQL at line {}", where.line);
        if (!site.build_detail.empty()) reason += " (" + site.build_detail + ")";
        high_reasons.push_back(std::move(reason));
      }
    }
    for (const rules::Facts::AnalyzedSite* analyzed : analyses_by_file[&file]) {
      for (const ir::SqlReference& reference : analyzed->analysis.references) {
        if (reference.kind == ir::SqlReference::Kind::kTable && reference.status == ir::SqlReferenceStatus::kResolved) {
          tables.insert(DisplayTable(reference));
        }
      }
      if (file.is_migration) continue;
      for (const ir::SqlStatement& statement : analyzed->analysis.statements) {
        if (!IsDestructiveOrDdl(statement)) continue;
        const ir::Location where = ir::LocateInSql(*analyzed->site->sql, statement.offset, analyzed->site->location);
        high_reasons.push_back(fmt::format("{}{} at line {} outside migrations", statement.command,
                                           statement.write_without_where ? " without WHERE" : "", where.line));
      }
    }
    if (!file.is_migration) {
      for (const ir::InteractionCount& interaction : file.interactions) {
        if (interaction.interaction == ir::Interaction::kDdl) {
          high_reasons.push_back(
              fmt::format("schema changes (DDL) at line {} outside migrations", interaction.first.line));
        }
      }
    }
    row.tables.assign(tables.begin(), tables.end());
    if (!high_reasons.empty()) {
      row.risk = reports::RiskLevel::kHigh;
      row.risk_reason = high_reasons.front();
      if (high_reasons.size() > 1) row.risk_reason += fmt::format(" and {} more", high_reasons.size() - 1);
    } else if (row.raw_sql_sites > 0) {
      row.risk = reports::RiskLevel::kMedium;
      row.risk_reason = fmt::format("{} raw SQL site{}", row.raw_sql_sites, row.raw_sql_sites == 1 ? "" : "s");
    } else {
      row.risk = reports::RiskLevel::kLow;
      row.risk_reason = row.orm_sites > 0 ? "ORM only" : "no queries (imports or model definitions)";
    }
    for (const ir::Finding* finding : findings_by_file[file.display_path]) {
      row.findings.push_back({finding->rule_id, finding->severity, finding->location.line, finding->message});
    }
    report.files.push_back(std::move(row));
  }
  std::sort(report.files.begin(), report.files.end(),
            [](const reports::InventoryFile& a, const reports::InventoryFile& b) { return a.path < b.path; });
  return report;
}

}  // namespace dbaudit::driver
