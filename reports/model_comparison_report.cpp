#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "reports/report.hpp"
#include "reports/report_support.hpp"

namespace dbaudit::reports {
namespace {

// The audit plan's categories, in the plan's order; each becomes a section.
constexpr std::array<std::string_view, 20> kCategories = {
    "tables_only_in_schema",
    "tables_only_in_models",
    "columns_only_in_schema",
    "columns_only_in_models",
    "type_mismatches",
    "nullable_mismatches",
    "primary_key_mismatch",
    "foreign_keys_only_in_schema",
    "foreign_keys_only_in_models",
    "foreign_key_action_mismatches",
    "unique_constraints_only_in_schema",
    "unique_constraints_only_in_models",
    "indexes_only_in_schema",
    "indexes_only_in_models",
    "server_default_mismatches",
    "enum_mismatches",
    // Phase 4: created_at / updated_at handling (the timestamp- rules).
    "created_at_without_database_default",
    "onupdate_without_trigger",
    "trigger_and_onupdate",
    "timestamps_without_time_zone",
};

std::string Cell(std::string_view text) {
  return detail::MarkdownCell(text);
}

// Models are Python source; everything else (object URIs, DDL files) is the database side.
bool IsModelLocation(const ir::Location& location) {
  return location.HasFile() && (location.file.ends_with(".py") || location.file.ends_with(".pyi"));
}

std::string DescribeForReader(const ir::Location& location) {
  if (location.HasFile()) return ir::Describe(location);
  if (location.line > 0) return fmt::format("{} (line {})", location.object, location.line);
  return location.object;
}

struct Sides {
  std::string model;
  std::string database;
};

// The first model-side and the first database-side location among the primary and the
// related locations.
Sides LocateSides(const ir::Finding& finding) {
  Sides sides;
  auto consider = [&sides](const ir::Location& location) {
    if (!location.IsKnown()) return;
    std::string& side = IsModelLocation(location) ? sides.model : sides.database;
    if (side.empty()) side = DescribeForReader(location);
  };
  consider(finding.location);
  for (const auto& related : finding.related) consider(related.location);
  return sides;
}

std::string TableName(const ir::Subject& subject) {
  if (subject.schema.empty()) return subject.table;
  if (subject.table.empty()) return subject.schema;
  return subject.schema + "." + subject.table;
}

std::string ColumnNames(const ir::Subject& subject) {
  std::string names = fmt::format("{}", fmt::join(subject.columns, ", "));
  if (subject.constraint.empty()) return names;
  if (names.empty()) return subject.constraint;
  return fmt::format("{} ({})", names, subject.constraint);
}

void AppendCategorySection(std::string_view category, const std::vector<const ir::Finding*>& findings,
                           std::string& out) {
  out += fmt::format("## {} ({})\n\n", category, findings.size());
  if (findings.empty()) {
    out += "None.\n\n";
    return;
  }
  out += "| Table | Column(s) | Detail | Model location | Database location |\n";
  out += "|---|---|---|---|---|\n";
  for (const ir::Finding* finding : findings) {
    const Sides sides = LocateSides(*finding);
    out += fmt::format("| {} | {} | {} | {} | {} |\n", Cell(TableName(finding->subject)),
                       Cell(ColumnNames(finding->subject)), Cell(finding->message), Cell(sides.model),
                       Cell(sides.database));
  }
  out += '\n';
}

void AppendOtherSection(const std::vector<const ir::Finding*>& findings, std::string& out) {
  out += fmt::format("## Other findings ({})\n\n", findings.size());
  if (findings.empty()) {
    out += "None.\n\n";
    return;
  }
  out += "Findings outside the comparison categories, such as what a reader could not read.\n\n";
  out += "| Rule | Severity | Location | Detail |\n";
  out += "|---|---|---|---|\n";
  for (const ir::Finding* finding : findings) {
    out += fmt::format("| {} | {} | {} | {} |\n", Cell(finding->rule_id), ir::ToString(finding->severity),
                       Cell(DescribeForReader(finding->location)), Cell(finding->message));
  }
  out += '\n';
}

}  // namespace

std::string RenderModelComparison(const ReportInput& input) {
  std::map<std::string, std::string> category_of_rule;
  for (const auto& rule : input.rules) category_of_rule.emplace(rule.id, rule.category);

  // Findings keep their input order inside a section.
  std::map<std::string_view, std::vector<const ir::Finding*>> by_category;
  std::vector<const ir::Finding*> others;
  for (const auto& finding : input.findings) {
    const auto rule = category_of_rule.find(finding.rule_id);
    const std::string_view category = rule == category_of_rule.end() ? std::string_view{} : rule->second;
    const bool known = std::find(kCategories.begin(), kCategories.end(), category) != kCategories.end();
    if (known) {
      by_category[category].push_back(&finding);
    } else {
      others.push_back(&finding);
    }
  }

  std::string out = "# Model comparison results\n\n";
  out += fmt::format("- Models: {}\n", input.models_source.empty() ? "(not given)" : input.models_source);
  out += fmt::format("- Schema: {}\n", input.schema_source.empty() ? "(not given)" : input.schema_source);
  out += fmt::format("- {}\n\n", detail::SummaryLine(detail::CountBySeverity(input)));

  out += "## Summary\n\n| Category | Count |\n|---|---:|\n";
  for (const std::string_view category : kCategories) {
    out += fmt::format("| {} | {} |\n", category, by_category[category].size());
  }
  out += fmt::format("| other findings | {} |\n", others.size());
  out += fmt::format("| **total** | {} |\n\n", input.findings.size());

  for (const std::string_view category : kCategories) AppendCategorySection(category, by_category[category], out);
  AppendOtherSection(others, out);
  out.pop_back();  // one trailing newline, not a blank line
  return out;
}

}  // namespace dbaudit::reports
