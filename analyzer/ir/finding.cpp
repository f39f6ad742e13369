#include "analyzer/ir/finding.hpp"

#include <cstdio>
#include <tuple>

#include <xxhash.h>

namespace dbaudit::ir {

const char* ToString(Severity severity) {
  switch (severity) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "note";
}

std::string ComputeFingerprint(const Finding& finding, const std::string& discriminator) {
  // A unit separator keeps ("ab","c") and ("a","bc") apart.
  std::string key = finding.rule_id;
  auto append = [&key](const std::string& part) {
    key += '\x1f';
    key += part;
  };
  append(finding.subject.schema);
  append(finding.subject.table);
  for (const auto& column : finding.subject.columns) append(column);
  append(finding.subject.constraint);
  // Findings without a database subject (unreadable files, syntax errors) are keyed by file.
  if (finding.subject.table.empty() && finding.subject.schema.empty()) append(finding.location.file);
  append(discriminator);
  const XXH64_hash_t hash = XXH64(key.data(), key.size(), 0);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

bool FindingLess(const Finding& a, const Finding& b) {
  // Findings with a file come first, in path order; database-only findings follow by object.
  const bool a_db_only = !a.location.HasFile();
  const bool b_db_only = !b.location.HasFile();
  return std::tie(a_db_only, a.location.file, a.location.line, a.location.column, a.location.object, a.rule_id,
                  a.message, a.fingerprint) < std::tie(b_db_only, b.location.file, b.location.line, b.location.column,
                                                       b.location.object, b.rule_id, b.message, b.fingerprint);
}

}  // namespace dbaudit::ir
