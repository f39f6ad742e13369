#include "rules/query/query_support.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "rules/compare/catalog_diff.hpp"
#include "rules/rule_support.hpp"

namespace dbaudit::rules::query {

ir::Location LocateInSite(const ir::QuerySite& site, std::uint32_t offset) {
  if (!site.sql) return site.location;
  return ir::LocateInSql(*site.sql, offset, site.location);
}

std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == name) continue;
    const std::size_t distance = LevenshteinDistance(name, candidate);
    if (distance < best_distance || (distance == best_distance && candidate < best)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best_distance <= limit ? best : std::string();
}

std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates) {
  const std::string closest = ClosestName(name, candidates);
  if (closest.empty()) return {};
  return fmt::format("; did you mean \"{}\"?", closest);
}

const ir::ModelClass* FindModelClass(const Facts& facts, const std::string& qualified_name) {
  if (!facts.model_classes) return nullptr;
  const auto& classes = *facts.model_classes;
  auto it =
      std::lower_bound(classes.begin(), classes.end(), qualified_name,
                       [](const ir::ModelClass& model, const std::string& key) { return model.qualified_name < key; });
  if (it == classes.end() || it->qualified_name != qualified_name) return nullptr;
  return &*it;
}

bool IsFrameworkAttribute(const std::string& name) {
  // Dunders (__table__, __mapper__, __tablename__, __name__, ...) and SQLAlchemy's private
  // _sa_* names are the framework's; the rest are the public names mapped classes get.
  if (name.starts_with("__") || name.starts_with("_sa_")) return true;
  static constexpr std::array<std::string_view, 13> kPublic = {
      "c",          "from_orm",     "metadata",          "model_config",   "model_construct",
      "model_dump", "model_fields", "model_json_schema", "model_validate", "parse_obj",
      "query",      "query_class",  "registry"};
  return std::find(kPublic.begin(), kPublic.end(), name) != kPublic.end();
}

void SetQueryFingerprint(ir::Finding& finding, const std::string& file) {
  finding.fingerprint = ir::ComputeFingerprint(finding, file);
}

void ReportBuiltSql(const Rule& rule, const Facts& facts, ir::SqlBuild build, const std::string& what,
                    const std::string& advice, const std::optional<ir::Fix>& fix, FindingSink& sink) {
  if (!facts.queries) return;
  for (const ir::FileQueries& file : *facts.queries) {
    for (const ir::QuerySite& site : file.sites) {
      if (site.kind != ir::QueryKind::kRawSql || site.build != build) continue;
      std::string message = fmt::format("{} reaches {}", what, site.api);
      if (!site.build_detail.empty()) message += ": " + site.build_detail;
      message += "; " + advice;
      ir::Finding finding = MakeFinding(rule, std::move(message));
      finding.location = site.build_location.IsKnown() ? site.build_location : site.location;
      if (site.build_location.IsKnown() && site.build_location != site.location) {
        finding.related.push_back({site.location, "the SQL is sent here"});
      }
      finding.fix = fix;
      SetQueryFingerprint(finding, file.display_path + ":" + site.api + ":" + site.build_detail);
      sink.Report(std::move(finding));
    }
  }
}

std::string ShortClassName(const std::string& qualified_name) {
  const auto dot = qualified_name.rfind('.');
  return dot == std::string::npos ? qualified_name : qualified_name.substr(dot + 1);
}

}  // namespace dbaudit::rules::query
