#include <fmt/format.h>

#include "reports/report.hpp"
#include "reports/report_support.hpp"

namespace dbaudit::reports {
namespace {

// Where a line points: "file:line:col" for files, the object URI for database objects.
std::string Where(const ir::Location& location) {
  if (!location.IsKnown()) return "<unknown location>";
  return ir::Describe(location);
}

std::string FixLine(const ir::Fix& fix) {
  if (!fix.description.empty()) return detail::OneLine(fix.description);
  if (!fix.sql.empty()) return detail::OneLine(fix.sql);
  if (!fix.edit.empty()) return fmt::format("replace with `{}`", detail::OneLine(fix.edit));
  return "";
}

void AppendFinding(const ir::Finding& finding, std::string& out) {
  out += fmt::format("{}: {}: {} [{}]\n", Where(finding.location), ir::ToString(finding.severity),
                     detail::OneLine(finding.message), finding.rule_id);
  for (const auto& related : finding.related) {
    out += fmt::format("  {}: note: {}\n", Where(related.location), detail::OneLine(related.message));
  }
  if (finding.fix) {
    const std::string fix = FixLine(*finding.fix);
    if (!fix.empty()) out += fmt::format("  fix: {}\n", fix);
  }
}

}  // namespace

std::string RenderText(const ReportInput& input) {
  std::string out;
  for (const auto& finding : input.findings) AppendFinding(finding, out);
  if (!input.findings.empty()) out += '\n';
  out += detail::SummaryLine(detail::CountBySeverity(input));
  out += '\n';
  return out;
}

}  // namespace dbaudit::reports
