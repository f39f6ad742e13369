#include <nlohmann/json.hpp>

#include "reports/report.hpp"
#include "reports/report_support.hpp"

namespace dbaudit::reports {
namespace {

using Json = nlohmann::ordered_json;

// Only what is known: zero lines and columns mean "unknown" in the IR and are left out.
Json LocationJson(const ir::Location& location) {
  Json json = Json::object();
  if (location.HasFile()) json["file"] = location.file;
  if (location.HasObject()) json["object"] = location.object;
  if (location.line > 0) json["line"] = location.line;
  if (location.column > 0) json["column"] = location.column;
  if (location.end_line > 0) json["end_line"] = location.end_line;
  if (location.end_column > 0) json["end_column"] = location.end_column;
  return json;
}

Json SubjectJson(const ir::Subject& subject) {
  Json json = Json::object();
  if (!subject.schema.empty()) json["schema"] = subject.schema;
  if (!subject.table.empty()) json["table"] = subject.table;
  if (subject.columns.size() == 1) json["column"] = subject.columns.front();
  if (subject.columns.size() > 1) json["columns"] = subject.columns;
  if (!subject.constraint.empty()) json["constraint"] = subject.constraint;
  return json;
}

Json FixJson(const ir::Fix& fix) {
  Json json = Json::object();
  if (!fix.description.empty()) json["description"] = fix.description;
  if (!fix.sql.empty()) json["sql"] = fix.sql;
  if (!fix.edit.empty()) json["edit"] = fix.edit;
  if (fix.edit_location.IsKnown()) json["edit_location"] = LocationJson(fix.edit_location);
  return json;
}

Json FindingJson(const ir::Finding& finding) {
  Json json;
  json["rule"] = finding.rule_id;
  json["severity"] = ir::ToString(finding.severity);
  json["message"] = finding.message;
  json["location"] = LocationJson(finding.location);
  if (Json subject = SubjectJson(finding.subject); !subject.empty()) json["subject"] = std::move(subject);
  if (!finding.related.empty()) {
    Json related = Json::array();
    for (const auto& entry : finding.related) {
      related.push_back(Json{{"location", LocationJson(entry.location)}, {"message", entry.message}});
    }
    json["related"] = std::move(related);
  }
  if (finding.fix) {
    if (Json fix = FixJson(*finding.fix); !fix.empty()) json["fix"] = std::move(fix);
  }
  json["fingerprint"] = detail::FingerprintOf(finding);
  if (finding.incomplete) json["incomplete"] = true;
  return json;
}

Json SummaryJson(const ReportInput& input) {
  const detail::SeverityCounts counts = detail::CountBySeverity(input);
  Json by_rule = Json::object();
  for (const auto& [rule, count] : detail::CountByRule(input)) by_rule[rule] = count;
  return Json{{"total", counts.Total()},
              {"errors", counts.errors},
              {"warnings", counts.warnings},
              {"notes", counts.notes},
              {"by_rule", std::move(by_rule)}};
}

}  // namespace

std::string RenderJson(const ReportInput& input) {
  Json root;
  root["tool"] = "dbaudit";
  root["version"] = input.tool_version;
  root["schema_source"] = input.schema_source;
  root["models_source"] = input.models_source;
  if (input.model_tables) root["model_tables"] = *input.model_tables;
  root["summary"] = SummaryJson(input);
  Json findings = Json::array();
  for (const auto& finding : input.findings) findings.push_back(FindingJson(finding));
  root["findings"] = std::move(findings);
  // Invalid UTF-8 (a file in a legacy encoding) is replaced rather than thrown on.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace dbaudit::reports
