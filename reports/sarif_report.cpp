#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/report.hpp"
#include "reports/report_support.hpp"

namespace dbaudit::reports {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kInformationUri = "https://github.com/dbaudit/dbaudit";
constexpr const char* kSourceRoot = "%SRCROOT%";
constexpr const char* kFingerprintKey = "dbaudit/v1";

const char* Level(ir::Severity severity) {
  switch (severity) {
    case ir::Severity::kError: return "error";
    case ir::Severity::kWarning: return "warning";
    case ir::Severity::kNote: return "note";
  }
  return "note";
}

// "model-table-not-in-database" -> "ModelTableNotInDatabase" (SARIF's reportingDescriptor.name).
std::string CamelCase(const std::string& id) {
  std::string name;
  bool upper = true;
  for (const char c : id) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

// Percent-encodes everything but RFC 3986's unreserved characters and the path separator,
// so that a file name with spaces or '#' still makes a valid relative URI reference.
std::string EncodePath(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      uri += c;
      continue;
    }
    uri += '%';
    uri += kHex[byte >> 4];
    uri += kHex[byte & 0xF];
  }
  return uri;
}

Json ArtifactLocation(std::string file) {
  if (detail::HasUriScheme(file)) return Json{{"uri", file}};
  if (file.starts_with('/')) return Json{{"uri", "file://" + EncodePath(file)}};
  while (file.starts_with("./")) file.erase(0, 2);
  return Json{{"uri", EncodePath(file)}, {"uriBaseId", kSourceRoot}};
}

Json Region(const ir::Location& location) {
  Json region;
  region["startLine"] = location.line;
  if (location.column > 0) region["startColumn"] = location.column;
  // An end before the start would make the region invalid: then the start alone is said.
  const bool end_after_start =
      location.end_line > location.line ||
      (location.end_line == location.line && location.column > 0 && location.end_column > location.column);
  if (location.end_line > 0 && end_after_start) {
    region["endLine"] = location.end_line;
    if (location.end_column > 0 && location.column > 0) region["endColumn"] = location.end_column;
  }
  return region;
}

// A file position, or the schema file a database object was read from ("schema.sql#...").
// A live database object has none.
std::optional<Json> PhysicalLocation(const ir::Location& location) {
  const std::string file = location.HasFile() ? location.file : detail::ObjectFile(location);
  if (file.empty()) return std::nullopt;
  Json physical;
  physical["artifactLocation"] = ArtifactLocation(file);
  if (location.line > 0) physical["region"] = Region(location);
  return physical;
}

std::string LastSegment(const std::string& dotted) {
  const auto dot = dotted.rfind('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

// The database object the finding is about, from its structured subject.
std::optional<Json> SubjectLogicalLocation(const ir::Subject& subject) {
  const std::string qualified = detail::QualifiedName(subject);
  if (qualified.empty()) return std::nullopt;
  std::string kind = "schema";
  if (!subject.constraint.empty()) {
    kind = "constraint";
  } else if (!subject.table.empty()) {
    kind = subject.columns.size() == 1 ? "column" : "table";
  }
  return Json{{"name", LastSegment(qualified)}, {"fullyQualifiedName", qualified}, {"kind", kind}};
}

// Only the object URI is known: its fragment names the object, its kind stays unsaid.
std::optional<Json> ObjectLogicalLocation(const ir::Location& location) {
  if (!location.HasObject()) return std::nullopt;
  const std::string qualified = detail::SplitObject(location.object).fragment;
  if (qualified.empty()) return std::nullopt;
  return Json{{"name", LastSegment(qualified)}, {"fullyQualifiedName", qualified}};
}

// GitHub code scanning shows a result only where it has a physical location. An object of a
// live database has none; then the first related file position (e.g. the model that maps the
// table) carries the annotation, and the logical location still names the database object.
std::optional<Json> PrimaryPhysicalLocation(const ir::Finding& finding) {
  if (auto physical = PhysicalLocation(finding.location)) return physical;
  for (const auto& related : finding.related) {
    if (related.location.HasFile()) return PhysicalLocation(related.location);
  }
  return std::nullopt;
}

Json PrimaryLocation(const ir::Finding& finding) {
  Json location = Json::object();
  if (auto physical = PrimaryPhysicalLocation(finding)) location["physicalLocation"] = std::move(*physical);
  std::optional<Json> logical = SubjectLogicalLocation(finding.subject);
  if (!logical) logical = ObjectLogicalLocation(finding.location);
  if (logical) location["logicalLocations"] = Json::array({std::move(*logical)});
  return location;
}

Json RelatedLocations(const ir::Finding& finding) {
  Json related = Json::array();
  int id = 0;
  for (const auto& entry : finding.related) {
    Json location;
    location["id"] = id++;
    if (auto physical = PhysicalLocation(entry.location)) location["physicalLocation"] = std::move(*physical);
    if (auto logical = ObjectLogicalLocation(entry.location)) {
      location["logicalLocations"] = Json::array({std::move(*logical)});
    }
    if (!entry.message.empty()) location["message"] = Json{{"text", entry.message}};
    related.push_back(std::move(location));
  }
  return related;
}

Json Result(const ir::Finding& finding, std::size_t rule_index) {
  Json result;
  result["ruleId"] = finding.rule_id;
  result["ruleIndex"] = rule_index;
  result["level"] = Level(finding.severity);
  result["message"] = Json{{"text", finding.message}};
  result["locations"] = Json::array({PrimaryLocation(finding)});
  if (!finding.related.empty()) result["relatedLocations"] = RelatedLocations(finding);
  result["partialFingerprints"] = Json{{kFingerprintKey, detail::FingerprintOf(finding)}};
  if (finding.incomplete) result["properties"] = Json{{"incomplete", true}};
  return result;
}

Json RuleJson(const RuleDescriptor& rule) {
  const std::string& short_text = rule.summary.empty() ? rule.id : rule.summary;
  const std::string& full_text = rule.full_description.empty() ? short_text : rule.full_description;
  Json json;
  json["id"] = rule.id;
  json["name"] = CamelCase(rule.id);
  json["shortDescription"] = Json{{"text", short_text}};
  json["fullDescription"] = Json{{"text", full_text}};
  Json help{{"text", full_text}};
  if (!rule.help_markdown.empty()) help["markdown"] = rule.help_markdown;
  json["help"] = std::move(help);
  // SARIF wants an absolute URI here; a relative doc path would make the log invalid.
  if (detail::HasUriScheme(rule.help_uri)) json["helpUri"] = rule.help_uri;
  json["defaultConfiguration"] = Json{{"level", Level(rule.default_severity)}};
  Json tags = Json::array();
  tags.push_back(rule.id.substr(0, rule.id.find('-')));  // the family: "model", "input", ...
  if (!rule.category.empty()) tags.push_back(rule.category);
  json["properties"] = Json{{"tags", std::move(tags)}};
  return json;
}

// Every rule of the input, then (should the driver have missed one) a minimal descriptor for
// any rule a finding names, so that every result's ruleIndex resolves.
std::vector<RuleDescriptor> DescribedRules(const ReportInput& input) {
  std::vector<RuleDescriptor> rules = input.rules;
  std::set<std::string> known;
  for (const auto& rule : rules) known.insert(rule.id);
  std::map<std::string, ir::Severity> missing;
  for (const auto& finding : input.findings) {
    if (!known.contains(finding.rule_id)) missing.emplace(finding.rule_id, finding.severity);
  }
  for (const auto& [id, severity] : missing) {
    RuleDescriptor rule;
    rule.id = id;
    rule.default_severity = severity;
    rule.summary = "Rule " + id + " (no description was provided to the report).";
    rules.push_back(std::move(rule));
  }
  return rules;
}

Json Driver(const ReportInput& input, const std::vector<RuleDescriptor>& rules) {
  Json driver;
  driver["name"] = "dbaudit";
  if (!input.tool_version.empty()) {
    driver["version"] = input.tool_version;
    driver["semanticVersion"] = input.tool_version;
  }
  driver["informationUri"] = kInformationUri;
  Json rules_json = Json::array();
  for (const auto& rule : rules) rules_json.push_back(RuleJson(rule));
  driver["rules"] = std::move(rules_json);
  return driver;
}

}  // namespace

std::string RenderSarif(const ReportInput& input) {
  const std::vector<RuleDescriptor> rules = DescribedRules(input);
  std::map<std::string, std::size_t> rule_index;
  for (std::size_t i = 0; i < rules.size(); ++i) rule_index.emplace(rules[i].id, i);

  Json run;
  run["tool"] = Json{{"driver", Driver(input, rules)}};
  if (!input.project_root_uri.empty()) {
    std::string root = input.project_root_uri;
    if (!root.ends_with('/')) root += '/';  // SARIF: a base URI must end with a slash
    run["originalUriBaseIds"] = Json{{kSourceRoot, Json{{"uri", root}}}};
  }
  Json results = Json::array();
  for (const auto& finding : input.findings) results.push_back(Result(finding, rule_index.at(finding.rule_id)));
  run["results"] = std::move(results);
  run["columnKind"] = "unicodeCodePoints";

  Json log;
  log["$schema"] = kSchemaUri;
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace dbaudit::reports
