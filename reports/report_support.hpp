#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "analyzer/ir/finding.hpp"
#include "reports/report.hpp"

// Helpers shared by the emitters of this folder; not part of the reports interface.
namespace dbaudit::reports::detail {

struct SeverityCounts {
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;
  std::size_t Total() const { return errors + warnings + notes; }
};

SeverityCounts CountBySeverity(const ReportInput& input);
// Finding counts per rule id, in id order.
std::map<std::string, std::size_t> CountByRule(const ReportInput& input);

// "12 findings: 3 errors, 7 warnings, 2 notes", or "No findings."
std::string SummaryLine(const SeverityCounts& counts);

// The finding's own fingerprint, or the IR's derivation when the driver left it empty.
std::string FingerprintOf(const ir::Finding& finding);

// A database object URI split at its first '#': "schema.sql#public.users" gives base
// "schema.sql" and fragment "public.users". Without '#', the whole text is the fragment.
struct ObjectParts {
  std::string base;
  std::string fragment;
};
ObjectParts SplitObject(std::string_view object);

// True for "postgresql://...", "file:///...", i.e. text that starts with a URI scheme.
bool HasUriScheme(std::string_view text);

// The project-relative file an object URI points into ("schema.sql" for
// "schema.sql#public.users"), or "" when the object lives in a live database.
std::string ObjectFile(const ir::Location& location);

// "public.users.email" from the subject, falling back to the object URI's fragment.
std::string QualifiedName(const ir::Subject& subject);

// Messages are single-line in line-oriented formats: line breaks become spaces.
std::string OneLine(std::string_view text);

// A GFM table cell: one line, '|' escaped, "-" when empty.
std::string MarkdownCell(std::string_view text);

}  // namespace dbaudit::reports::detail
