#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/inventory.hpp"
#include "reports/report_support.hpp"

namespace dbaudit::reports {

const char* ToString(RiskLevel risk) {
  switch (risk) {
    case RiskLevel::kLow: return "low";
    case RiskLevel::kMedium: return "medium";
    case RiskLevel::kHigh: return "high";
  }
  return "low";
}

namespace {

std::string InteractionList(const InventoryFile& file) {
  std::string text;
  for (const ir::InteractionCount& interaction : file.interactions) {
    if (!text.empty()) text += ", ";
    text += fmt::format("{} ×{}", ir::ToString(interaction.interaction), interaction.count);
  }
  return text;
}

std::string Status(const InventoryFile& file) {
  if (file.findings.empty()) return "OK";
  std::size_t errors = 0;
  for (const InventoryFinding& finding : file.findings) errors += finding.severity == ir::Severity::kError;
  if (errors > 0)
    return fmt::format("fix: {} finding{} ({} error{})", file.findings.size(), file.findings.size() == 1 ? "" : "s",
                       errors, errors == 1 ? "" : "s");
  return fmt::format("fix: {} finding{}", file.findings.size(), file.findings.size() == 1 ? "" : "s");
}

std::string JoinTables(const std::vector<std::string>& tables) {
  std::string text;
  for (const std::string& table : tables) {
    if (!text.empty()) text += ", ";
    text += table;
  }
  return text;
}

// Backticks around a path keep underscores and asterisks literal on GitHub.
std::string CodeCell(const std::string& text) {
  return "`" + detail::MarkdownCell(text) + "`";
}

}  // namespace

std::string RenderInventoryMarkdown(const InventoryReport& report) {
  std::string out = "# Database inventory\n\n";
  out +=
      "Every Python file that touches the database: what it does with it, how risky that is, and whether the "
      "query checks found something to fix.\n\n";
  out += fmt::format("- Tool: dbaudit {}\n", report.tool_version);
  out += fmt::format("- Schema checked against: {}\n",
                     report.schema_source.empty() ? "none (query sites listed, not checked)" : report.schema_source);
  out += fmt::format("- Python files scanned: {}; touching the database: {}\n\n", report.python_files_scanned,
                     report.files.size());

  std::map<RiskLevel, std::size_t> by_risk;
  std::map<std::string, std::size_t> by_role;
  std::size_t to_fix = 0;
  for (const InventoryFile& file : report.files) {
    ++by_risk[file.risk];
    ++by_role[file.role];
    to_fix += !file.findings.empty();
  }
  out += "## Summary\n\n| Risk | Files |\n|---|---|\n";
  for (RiskLevel risk : {RiskLevel::kHigh, RiskLevel::kMedium, RiskLevel::kLow}) {
    out += fmt::format("| {} | {} |\n", ToString(risk), by_risk[risk]);
  }
  out += fmt::format("\nFiles with findings to fix: {}.\n\n| Role | Files |\n|---|---|\n", to_fix);
  for (const auto& [role, count] : by_role) out += fmt::format("| {} | {} |\n", role, count);

  out += "\n## Files\n\n";
  out +=
      "Risk: high = string-built SQL, or DDL / destructive statements outside migrations; medium = raw SQL "
      "literals; low = ORM only.\n\n";
  if (report.files.empty()) {
    out += "No file touches the database.\n";
    return out;
  }
  out += "| File | Role | Interactions | ORM sites | Raw SQL sites | Tables | Risk | Reason | OK / fix |\n";
  out += "|---|---|---|---|---|---|---|---|---|\n";
  for (const InventoryFile& file : report.files) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", CodeCell(file.path), file.role,
                       detail::MarkdownCell(InteractionList(file)), file.orm_sites, file.raw_sql_sites,
                       detail::MarkdownCell(JoinTables(file.tables)), ToString(file.risk),
                       detail::MarkdownCell(file.risk_reason), Status(file));
  }

  if (to_fix == 0) return out;
  out += "\n## Fixes\n";
  for (const InventoryFile& file : report.files) {
    if (file.findings.empty()) continue;
    out += fmt::format("\n### `{}`\n\n", file.path);
    for (const InventoryFinding& finding : file.findings) {
      out += fmt::format("- line {}: {}: {} [{}]\n", finding.line, ir::ToString(finding.severity),
                         detail::OneLine(finding.message), finding.rule_id);
    }
  }
  return out;
}

std::string RenderInventoryJson(const InventoryReport& report) {
  using nlohmann::ordered_json;
  ordered_json root;
  root["tool"] = "dbaudit";
  root["version"] = report.tool_version;
  if (!report.schema_source.empty()) root["schema_source"] = report.schema_source;
  std::map<std::string, std::size_t> by_risk;
  for (const InventoryFile& file : report.files) ++by_risk[ToString(file.risk)];
  ordered_json summary;
  summary["python_files_scanned"] = report.python_files_scanned;
  summary["files"] = report.files.size();
  std::size_t orm_sites = 0;
  std::size_t raw_sql_sites = 0;
  for (const InventoryFile& file : report.files) {
    orm_sites += file.orm_sites;
    raw_sql_sites += file.raw_sql_sites;
  }
  summary["orm_sites"] = orm_sites;
  summary["raw_sql_sites"] = raw_sql_sites;
  summary["high"] = by_risk["high"];
  summary["medium"] = by_risk["medium"];
  summary["low"] = by_risk["low"];
  root["summary"] = summary;
  ordered_json files = ordered_json::array();
  for (const InventoryFile& file : report.files) {
    ordered_json entry;
    entry["path"] = file.path;
    entry["role"] = file.role;
    ordered_json interactions = ordered_json::object();
    for (const ir::InteractionCount& interaction : file.interactions) {
      interactions[ir::ToString(interaction.interaction)] = interaction.count;
    }
    entry["interactions"] = interactions;
    entry["orm_sites"] = file.orm_sites;
    entry["raw_sql_sites"] = file.raw_sql_sites;
    entry["tables"] = file.tables;
    entry["risk"] = ToString(file.risk);
    entry["risk_reason"] = file.risk_reason;
    entry["status"] = file.findings.empty() ? "ok" : "fix";
    ordered_json findings = ordered_json::array();
    for (const InventoryFinding& finding : file.findings) {
      findings.push_back({{"rule", finding.rule_id},
                          {"severity", ir::ToString(finding.severity)},
                          {"line", finding.line},
                          {"message", finding.message}});
    }
    entry["findings"] = findings;
    files.push_back(entry);
  }
  root["files"] = files;
  return root.dump(2) + "\n";
}

}  // namespace dbaudit::reports
