#include "analyzer/driver/suppression.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "analyzer/driver/comma_list.hpp"
#include "rules/query/query_support.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

namespace {

// `# dbaudit: ignore` with an optional `[id, id]`; group 2 is the bracket's content.
const std::regex& Marker() {
  static const std::regex marker(R"(#\s*dbaudit:\s*ignore(\[([^\]]*)\])?)");
  return marker;
}

// The cheap test that comes before the regular expression.
constexpr std::string_view kMarkerWord = "dbaudit:";

class LineCache {
 public:
  explicit LineCache(std::filesystem::path root) : root_(std::move(root)) {}

  const std::string* Line(const std::string& file, std::uint32_t line) {
    auto it = files_.find(file);
    if (it == files_.end()) {
      std::vector<std::string> lines;
      std::ifstream in(root_ / file, std::ios::binary);
      std::string text;
      while (std::getline(in, text)) lines.push_back(std::move(text));
      it = files_.emplace(file, std::move(lines)).first;
    }
    if (line == 0 || line > it->second.size()) return nullptr;
    return &it->second[line - 1];
  }

 private:
  std::filesystem::path root_;
  std::map<std::string, std::vector<std::string>> files_;
};

bool IsGlob(const std::string& written) {
  return written.find_first_of("*?") != std::string::npos;
}

// `# dbaudit: ignore[model-x` without its `]`: a typo, not the bare form, so it silences
// nothing (reading it as the bare form would silence every rule on the line).
bool OpensUnclosedBracket(const std::string& line, const std::smatch& match) {
  const auto after = static_cast<std::size_t>(match.position(0) + match.length(0));
  return !match[1].matched && after < line.size() && line[after] == '[';
}

bool Suppresses(const std::string& line, const std::string& rule_id) {
  if (line.find(kMarkerWord) == std::string::npos) return false;
  std::smatch match;
  if (!std::regex_search(line, match, Marker())) return false;
  if (OpensUnclosedBracket(line, match)) return false;
  if (!match[1].matched) return true;
  const std::vector<std::string> ids = SplitCommaList({match[2].str()});
  return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return SuppressionNames(id, rule_id); });
}

// Locations count characters, not bytes: UTF-8 continuation bytes do not start one.
std::uint32_t CharacterColumn(const std::string& line, std::size_t byte_offset) {
  std::uint32_t column = 1;
  for (std::size_t i = 0; i < byte_offset && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

// The hint for a glob is another glob: the families' "model-*", "query-*", ...
std::vector<std::string> FamilyGlobs(const std::vector<std::string>& known_ids) {
  std::set<std::string> families;
  for (const auto& id : known_ids) {
    const auto dash = id.find('-');
    if (dash != std::string::npos) families.insert(id.substr(0, dash + 1) + "*");
  }
  return {families.begin(), families.end()};
}

std::string UnknownIdMessage(const std::string& written, const std::vector<std::string>& known_ids) {
  const bool glob = IsGlob(written);
  std::string message = "`# dbaudit: ignore[...]` names \"" + written + "\", which " +
                        (glob ? "matches no rule" : "is no rule") + ", so it silences nothing";
  const std::string hint = rules::query::DidYouMean(written, glob ? FamilyGlobs(known_ids) : known_ids);
  return message + (hint.empty() ? " (`dbaudit rules` lists the ids)" : hint);
}

void ScanLine(const std::string& line, std::uint32_t line_number, const std::string& display_path,
              const std::vector<std::string>& known_ids, std::vector<ir::Diagnostic>& out) {
  if (line.find(kMarkerWord) == std::string::npos) return;
  std::smatch match;
  if (!std::regex_search(line, match, Marker())) return;
  if (OpensUnclosedBracket(line, match)) {
    const auto bracket = static_cast<std::size_t>(match.position(0) + match.length(0));
    ir::Diagnostic diagnostic;
    diagnostic.rule_id = kRuleSuppressionUnknownRule;
    diagnostic.severity = ir::Severity::kWarning;
    diagnostic.message = "`# dbaudit: ignore[` has no closing `]`, so it silences nothing";
    diagnostic.location.file = display_path;
    diagnostic.location.line = line_number;
    diagnostic.location.column = CharacterColumn(line, bracket);
    out.push_back(std::move(diagnostic));
    return;
  }
  if (!match[1].matched) return;
  const std::size_t content_begin = static_cast<std::size_t>(match.position(2));
  const std::string content = match[2].str();
  std::size_t start = 0;
  while (start <= content.size()) {
    const std::size_t comma = std::min(content.find(',', start), content.size());
    std::size_t first = start, last = comma;
    while (first < last && std::isspace(static_cast<unsigned char>(content[first]))) ++first;
    while (last > first && std::isspace(static_cast<unsigned char>(content[last - 1]))) --last;
    const std::string written = content.substr(first, last - first);
    const bool known = std::any_of(known_ids.begin(), known_ids.end(),
                                   [&](const std::string& id) { return SuppressionNames(written, id); });
    if (!written.empty() && !known) {
      ir::Diagnostic diagnostic;
      diagnostic.rule_id = kRuleSuppressionUnknownRule;
      diagnostic.severity = ir::Severity::kWarning;
      diagnostic.message = UnknownIdMessage(written, known_ids);
      diagnostic.location.file = display_path;
      diagnostic.location.line = line_number;
      diagnostic.location.column = CharacterColumn(line, content_begin + first);
      diagnostic.location.end_line = line_number;
      diagnostic.location.end_column = CharacterColumn(line, content_begin + last);
      out.push_back(std::move(diagnostic));
    }
    start = comma + 1;
  }
}

}  // namespace

bool SuppressionNames(const std::string& written, const std::string& rule_id) {
  if (written == rule_id) return true;
  // A leading '-' means "remove" in --select; in a suppression it names nothing.
  if (!IsGlob(written) || written.starts_with("-")) return false;
  return rules::IsSelected(rule_id, {written});
}

std::vector<ir::Finding> ApplySuppressions(std::vector<ir::Finding> findings,
                                           const std::filesystem::path& project_root) {
  LineCache cache(project_root);
  std::vector<ir::Finding> kept;
  kept.reserve(findings.size());
  for (auto& finding : findings) {
    const auto& location = finding.location;
    const bool is_source = location.file.size() > 3 && location.file.ends_with(".py");
    if (is_source && location.line > 0) {
      if (const std::string* line = cache.Line(location.file, location.line);
          line && Suppresses(*line, finding.rule_id)) {
        continue;
      }
    }
    kept.push_back(std::move(finding));
  }
  return kept;
}

std::vector<ir::Diagnostic> FindUnknownSuppressions(const std::string& text, const std::string& display_path,
                                                    const std::vector<std::string>& known_ids) {
  std::vector<ir::Diagnostic> out;
  if (text.find(kMarkerWord) == std::string::npos) return out;
  std::istringstream lines(text);
  std::string line;
  for (std::uint32_t number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ScanLine(line, number, display_path, known_ids, out);
  }
  return out;
}

void AddUnknownSuppressions(const std::vector<python::SourceFile>& files, const std::vector<std::string>& select,
                            std::vector<ir::Diagnostic>& diagnostics) {
  if (!rules::IsSelected(kRuleSuppressionUnknownRule, select)) return;
  std::vector<std::string> known_ids;
  for (const auto& rule : rules::MakeAllRules()) known_ids.push_back(rule->Info().id);
  for (const auto& file : files) {
    // An unreadable file is the model reader's to report (input-file-unreadable).
    std::ifstream in(file.absolute_path, std::ios::binary);
    if (!in) continue;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    for (auto& diagnostic : FindUnknownSuppressions(buffer.str(), file.display_path, known_ids)) {
      diagnostics.push_back(std::move(diagnostic));
    }
  }
}

}  // namespace dbaudit::driver
