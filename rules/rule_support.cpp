#include "rules/rule_support.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "analyzer/sql/normalize.hpp"

namespace dbaudit::rules {

std::string QuoteIdent(const std::string& identifier) {
  return sql::QuoteIdentifier(identifier);
}

std::string QuoteLiteral(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

std::string QualifiedSql(const std::string& schema, const std::string& name) {
  if (schema.empty()) return QuoteIdent(name);
  return QuoteIdent(schema) + "." + QuoteIdent(name);
}

std::string ColumnListSql(const std::vector<std::string>& columns) {
  std::string text = "(";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) text += ", ";
    text += QuoteIdent(columns[i]);
  }
  return text + ")";
}

std::string DisplayName(const std::string& schema, const std::string& name) {
  if (schema.empty() || schema == "public") return name;
  return schema + "." + name;
}

std::string DisplayName(const ir::Table& table) {
  return DisplayName(table.schema, table.name);
}

std::string DisplayColumn(const ir::Table& table, const std::string& column) {
  return DisplayName(table) + "." + column;
}

std::string DisplayList(const std::vector<std::string>& items) {
  std::string text = "(";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += ", ";
    text += items[i];
  }
  return text + ")";
}

std::string DisplayType(const std::string& type) {
  return type.empty() ? "an unknown type" : type;
}

std::string DescribeModels(const ir::Table& table) {
  if (table.mapped_by.empty()) return "the models";
  std::string text = table.mapped_by.size() == 1 ? "model " : "models ";
  for (std::size_t i = 0; i < table.mapped_by.size(); ++i) {
    if (i > 0) text += ", ";
    text += table.mapped_by[i];
  }
  return text;
}

std::string DescribeModelsWithVerb(const ir::Table& table, const std::string& singular, const std::string& plural) {
  return DescribeModels(table) + " " + (table.mapped_by.size() == 1 ? singular : plural);
}

std::string DescribeForeignKey(const ir::Table& table, const ir::ForeignKey& key) {
  const std::string schema = key.referenced_schema.empty() ? table.schema : key.referenced_schema;
  std::string text =
      DisplayName(table) + DisplayList(key.columns) + " referencing " + DisplayName(schema, key.referenced_table);
  if (!key.referenced_columns.empty()) text += DisplayList(key.referenced_columns);
  return text;
}

std::string DescribeActions(const ir::ForeignKey& key) {
  return std::string("ON DELETE ") + ir::ToSql(key.on_delete) + " ON UPDATE " + ir::ToSql(key.on_update);
}

std::string ForeignKeyDefinitionSql(const ir::Table& table, const ir::ForeignKey& key) {
  const std::string schema = key.referenced_schema.empty() ? table.schema : key.referenced_schema;
  std::string sql =
      "FOREIGN KEY " + ColumnListSql(key.columns) + " REFERENCES " + QualifiedSql(schema, key.referenced_table);
  if (!key.referenced_columns.empty()) sql += " " + ColumnListSql(key.referenced_columns);
  auto is_default = [](ir::ReferentialAction action) {
    return action == ir::ReferentialAction::kUnspecified || action == ir::ReferentialAction::kNoAction;
  };
  if (!is_default(key.on_delete)) sql += std::string(" ON DELETE ") + ir::ToSql(key.on_delete);
  if (!is_default(key.on_update)) sql += std::string(" ON UPDATE ") + ir::ToSql(key.on_update);
  return sql;
}

std::string DefaultConstraintName(const std::string& table, const std::vector<std::string>& columns,
                                  const std::string& suffix) {
  std::string name = table;
  for (const auto& column : columns) name += "_" + column;
  name += "_" + suffix;
  // NAMEDATALEN - 1: PostgreSQL truncates longer identifiers.
  if (name.size() > 63) name.resize(63);
  return name;
}

ir::Finding MakeFinding(const Rule& rule, std::string message) {
  ir::Finding finding;
  finding.rule_id = rule.Info().id;
  finding.severity = rule.Info().default_severity;
  finding.message = std::move(message);
  return finding;
}

void Locate(ir::Finding& finding, const ir::Location& preferred, const ir::Location& fallback,
            const std::string& related_message) {
  if (preferred.IsKnown()) {
    finding.location = preferred;
    if (fallback.IsKnown()) finding.related.push_back({fallback, related_message});
    return;
  }
  finding.location = fallback;
}

void ReportDiagnostics(const Rule& rule, const Facts& facts, FindingSink& sink) {
  // Diagnostics have no database subject, so the fingerprint is keyed by file; the message
  // and an occurrence count keep several diagnostics of one file apart without line numbers.
  std::map<std::pair<std::string, std::string>, int> occurrences;
  for (const auto& diagnostic : facts.diagnostics) {
    if (diagnostic.rule_id != rule.Info().id) continue;
    ir::Finding finding = MakeFinding(rule, diagnostic.message);
    finding.location = diagnostic.location;
    finding.incomplete = diagnostic.incomplete;
    const int count = occurrences[{diagnostic.location.file, diagnostic.message}]++;
    finding.fingerprint = ir::ComputeFingerprint(finding, diagnostic.message + "#" + std::to_string(count));
    sink.Report(std::move(finding));
  }
}

}  // namespace dbaudit::rules
