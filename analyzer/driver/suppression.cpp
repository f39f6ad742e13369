#include "analyzer/driver/suppression.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>

#include "analyzer/driver/comma_list.hpp"

namespace dbaudit::driver {

namespace {

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

bool Suppresses(const std::string& line, const std::string& rule_id) {
  static const std::regex marker(R"(#\s*dbaudit:\s*ignore(\[([^\]]*)\])?)");
  std::smatch match;
  if (!std::regex_search(line, match, marker)) return false;
  if (!match[1].matched) return true;
  const std::vector<std::string> ids = SplitCommaList({match[2].str()});
  return std::find(ids.begin(), ids.end(), rule_id) != ids.end();
}

}  // namespace

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

}  // namespace dbaudit::driver
