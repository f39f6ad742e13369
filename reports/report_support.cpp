#include "reports/report_support.hpp"

#include <cctype>

#include <fmt/format.h>

namespace dbaudit::reports::detail {

SeverityCounts CountBySeverity(const ReportInput& input) {
  SeverityCounts counts;
  for (const auto& finding : input.findings) {
    switch (finding.severity) {
      case ir::Severity::kError: ++counts.errors; break;
      case ir::Severity::kWarning: ++counts.warnings; break;
      case ir::Severity::kNote: ++counts.notes; break;
    }
  }
  return counts;
}

std::map<std::string, std::size_t> CountByRule(const ReportInput& input) {
  std::map<std::string, std::size_t> counts;
  for (const auto& finding : input.findings) ++counts[finding.rule_id];
  return counts;
}

namespace {

std::string Plural(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

}  // namespace

std::string SummaryLine(const SeverityCounts& counts) {
  if (counts.Total() == 0) return "No findings.";
  return fmt::format("{}: {}, {}, {}", Plural(counts.Total(), "finding"), Plural(counts.errors, "error"),
                     Plural(counts.warnings, "warning"), Plural(counts.notes, "note"));
}

std::string FingerprintOf(const ir::Finding& finding) {
  if (!finding.fingerprint.empty()) return finding.fingerprint;
  return ir::ComputeFingerprint(finding);
}

ObjectParts SplitObject(std::string_view object) {
  const auto hash = object.find('#');
  if (hash == std::string_view::npos) return {"", std::string(object)};
  return {std::string(object.substr(0, hash)), std::string(object.substr(hash + 1))};
}

bool HasUriScheme(std::string_view text) {
  // RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by ':'.
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text.front()))) return false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ':') return i > 1;  // a one-letter "scheme" is a Windows drive letter
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

std::string ObjectFile(const ir::Location& location) {
  if (!location.HasObject()) return "";
  const ObjectParts parts = SplitObject(location.object);
  if (parts.base.empty() || HasUriScheme(parts.base)) return "";
  return parts.base;
}

std::string QualifiedName(const ir::Subject& subject) {
  std::string name = subject.schema;
  auto append = [&name](const std::string& part) {
    if (part.empty()) return;
    if (!name.empty()) name += '.';
    name += part;
  };
  append(subject.table);
  if (!subject.constraint.empty()) {
    append(subject.constraint);
  } else if (subject.columns.size() == 1) {
    append(subject.columns.front());
  }
  return name;
}

std::string OneLine(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    line += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return line;
}

std::string MarkdownCell(std::string_view text) {
  std::string cell;
  for (const char c : OneLine(text)) {
    if (c == '|') cell += '\\';
    cell += c;
  }
  if (cell.empty()) return "-";
  return cell;
}

}  // namespace dbaudit::reports::detail
