#include "reports/constraints_gap.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "reports/report_support.hpp"

namespace dbaudit::reports {

namespace {

constexpr std::array<GapKind, 4> kKinds = {GapKind::kUnique, GapKind::kIndex, GapKind::kCheck, GapKind::kForeignKey};

std::string Cell(std::string_view text) {
  return detail::MarkdownCell(text);
}

// A code span cell; "-" when empty. Backticks inside would end the span early: a longer
// fence is not worth it for SQL, which has none.
std::string CodeCell(std::string_view text) {
  if (text.empty()) return "-";
  return "`" + Cell(text) + "`";
}

// "file:line" for source files (the column adds nothing to a table a person reads), the
// object URI for a live database.
std::string DescribeLocation(const ir::Location& location) {
  if (location.HasFile()) {
    if (location.line == 0) return location.file;
    return fmt::format("{}:{}", location.file, location.line);
  }
  if (location.HasObject() && location.line > 0) return fmt::format("{} (line {})", location.object, location.line);
  return location.object;
}

std::size_t Count(const std::vector<GapEntry>& entries, GapKind kind) {
  return static_cast<std::size_t>(
      std::count_if(entries.begin(), entries.end(), [kind](const GapEntry& entry) { return entry.kind == kind; }));
}

void RenderSources(const ConstraintsGap& gap, std::string& out) {
  out += "# Constraints gap\n\n";
  out +=
      "Unique constraints, indexes, check constraints and foreign keys that the models declare and the database "
      "lacks, or that the database has and the models do not declare; then the foreign keys of the database that "
      "no index supports. Names are not compared: a constraint counts as present when its definition is.\n\n";
  out += fmt::format("- Models: {}\n", gap.models_source.empty() ? "none" : gap.models_source);
  out += fmt::format("- Schema: {}\n\n", gap.schema_source.empty() ? "none" : gap.schema_source);
}

void RenderCounts(const ConstraintsGap& gap, std::string& out) {
  out += "## Summary\n\n";
  out += "| Kind | Declared in the models, missing in the database | In the database, not declared in the models |\n";
  out += "|---|---:|---:|\n";
  for (const GapKind kind : kKinds) {
    out += fmt::format("| {} | {} | {} |\n", ToTitle(kind), Count(gap.only_in_models, kind),
                       Count(gap.only_in_database, kind));
  }
  out += fmt::format("| **Total** | {} | {} |\n\n", gap.only_in_models.size(), gap.only_in_database.size());
  out += fmt::format("Foreign keys without a supporting index: {}. Not compared: {}.\n\n",
                     gap.foreign_keys_without_index.size(), gap.notes.size());
}

void RenderDirection(const std::string& title, const std::vector<GapEntry>& entries, std::string& out) {
  out += "## " + title + "\n\n";
  for (const GapKind kind : kKinds) {
    out += fmt::format("### {}\n\n", ToTitle(kind));
    if (Count(entries, kind) == 0) {
      out += "None.\n\n";
      continue;
    }
    out += "| Table | Name | Definition | Model location | Database location |\n";
    out += "|---|---|---|---|---|\n";
    for (const auto& entry : entries) {
      if (entry.kind != kind) continue;
      out +=
          fmt::format("| {} | {} | {} | {} | {} |\n", Cell(entry.table), Cell(entry.name), CodeCell(entry.definition),
                      Cell(DescribeLocation(entry.model_location)), Cell(DescribeLocation(entry.database_location)));
    }
    out += "\n";
  }
}

void RenderForeignKeysWithoutIndex(const ConstraintsGap& gap, std::string& out) {
  out += "## Foreign keys without a supporting index\n\n";
  if (gap.foreign_keys_without_index.empty()) {
    out += "None.\n\n";
    return;
  }
  out +=
      "No btree index, primary key or unique constraint of the referencing table starts with the key's columns: "
      "every DELETE on the referenced table (and every UPDATE of its key) scans the referencing table, and joins "
      "along the key cannot use an index.\n\n";
  out += "| Table | Name | Definition | Model location | Database location |\n";
  out += "|---|---|---|---|---|\n";
  for (const auto& key : gap.foreign_keys_without_index) {
    out += fmt::format("| {} | {} | {} | {} | {} |\n", Cell(key.table), Cell(key.name), CodeCell(key.definition),
                       Cell(DescribeLocation(key.model_location)), Cell(DescribeLocation(key.database_location)));
  }
  out += "\nThe indexes that would support them (run each outside a transaction):\n\n```sql\n";
  for (const auto& key : gap.foreign_keys_without_index) out += key.index_sql + "\n";
  out += "```\n\n";
}

void RenderNotes(const ConstraintsGap& gap, std::string& out) {
  out += "## Not compared\n\n";
  if (gap.notes.empty()) {
    out += "None.\n";
    return;
  }
  for (const auto& note : gap.notes) out += "- " + detail::OneLine(note) + "\n";
}

bool EntryLess(const GapEntry& a, const GapEntry& b) {
  return std::tie(a.table, a.kind, a.definition, a.name) < std::tie(b.table, b.kind, b.definition, b.name);
}

}  // namespace

const char* ToTitle(GapKind kind) {
  switch (kind) {
    case GapKind::kUnique: return "Unique constraints";
    case GapKind::kIndex: return "Indexes";
    case GapKind::kCheck: return "Check constraints";
    case GapKind::kForeignKey: return "Foreign keys";
  }
  return "Constraints";
}

void SortConstraintsGap(ConstraintsGap& gap) {
  std::stable_sort(gap.only_in_models.begin(), gap.only_in_models.end(), EntryLess);
  std::stable_sort(gap.only_in_database.begin(), gap.only_in_database.end(), EntryLess);
  std::stable_sort(gap.foreign_keys_without_index.begin(), gap.foreign_keys_without_index.end(),
                   [](const ForeignKeyWithoutIndex& a, const ForeignKeyWithoutIndex& b) {
                     return std::tie(a.table, a.name, a.definition) < std::tie(b.table, b.name, b.definition);
                   });
  std::sort(gap.notes.begin(), gap.notes.end());
}

std::string RenderConstraintsGap(const ConstraintsGap& gap) {
  std::string out;
  RenderSources(gap, out);
  RenderCounts(gap, out);
  RenderDirection("Declared in the models, missing in the database", gap.only_in_models, out);
  RenderDirection("In the database, not declared in the models", gap.only_in_database, out);
  RenderForeignKeysWithoutIndex(gap, out);
  RenderNotes(gap, out);
  return out;
}

}  // namespace dbaudit::reports
