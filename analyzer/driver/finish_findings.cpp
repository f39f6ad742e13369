#include "analyzer/driver/finish_findings.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>

#include "analyzer/driver/suppression.hpp"

namespace dbaudit::driver {

namespace fs = std::filesystem;

std::string ProjectRootUri(const fs::path& root) {
  std::error_code error;
  std::string path = fs::absolute(root, error).lexically_normal().generic_string();
  if (path.empty() || path.back() != '/') path += '/';
  std::string uri = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::string_view("/-._~").find(static_cast<char>(c)) != std::string_view::npos) {
      uri += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789ABCDEF";
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    }
  }
  return uri;
}

std::vector<ir::Finding> FinishFindings(std::vector<ir::Finding> findings,
                                        const std::map<std::string, ir::Severity>& severity_overrides,
                                        const fs::path& project_root) {
  for (auto& finding : findings) {
    if (auto it = severity_overrides.find(finding.rule_id); it != severity_overrides.end()) {
      finding.severity = it->second;
    }
  }
  findings = ApplySuppressions(std::move(findings), project_root);
  std::sort(findings.begin(), findings.end(), ir::FindingLess);
  for (auto& finding : findings) {
    if (finding.fingerprint.empty()) finding.fingerprint = ir::ComputeFingerprint(finding);
  }
  // Two findings of one rule on one subject (two unreadable constructs in one file, one bad
  // column in two queries of a file) get a running number, in the stable report order.
  std::unordered_map<std::string, int> seen;
  for (auto& finding : findings) {
    const int count = seen[finding.fingerprint]++;
    if (count > 0)
      finding.fingerprint = ir::ComputeFingerprint(finding, finding.fingerprint + "#" + std::to_string(count));
  }
  return findings;
}

}  // namespace dbaudit::driver
