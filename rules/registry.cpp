#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.hpp"

namespace dbaudit::rules {

// One factory per rule, defined in rules/<family>/<id>.cpp.
std::unique_ptr<Rule> MakeDocsColumnNotInDatabase();
std::unique_ptr<Rule> MakeDocsColumnUndocumented();
std::unique_ptr<Rule> MakeDocsDefaultMismatch();
std::unique_ptr<Rule> MakeDocsForeignKeyMismatch();
std::unique_ptr<Rule> MakeDocsIndexMismatch();
std::unique_ptr<Rule> MakeDocsKeyMismatch();
std::unique_ptr<Rule> MakeDocsNullableMismatch();
std::unique_ptr<Rule> MakeDocsSectionUnreadable();
std::unique_ptr<Rule> MakeDocsTableNotInDatabase();
std::unique_ptr<Rule> MakeDocsTableUndocumented();
std::unique_ptr<Rule> MakeDocsTypeMismatch();
std::unique_ptr<Rule> MakeInputFileUnreadable();
std::unique_ptr<Rule> MakeInputModelsNotRead();
std::unique_ptr<Rule> MakeInputPythonSyntaxError();
std::unique_ptr<Rule> MakeInputSqlNotParsed();
std::unique_ptr<Rule> MakeInputSuppressionUnknownRule();
std::unique_ptr<Rule> MakeModelColumnNotInDatabase();
std::unique_ptr<Rule> MakeModelColumnNotInModels();
std::unique_ptr<Rule> MakeModelEnumMismatch();
std::unique_ptr<Rule> MakeModelForeignKeyActionMismatch();
std::unique_ptr<Rule> MakeModelForeignKeyNotInDatabase();
std::unique_ptr<Rule> MakeModelForeignKeyNotInModels();
std::unique_ptr<Rule> MakeModelIndexNotInDatabase();
std::unique_ptr<Rule> MakeModelIndexNotInModels();
std::unique_ptr<Rule> MakeModelNullableMismatch();
std::unique_ptr<Rule> MakeModelPrimaryKeyMismatch();
std::unique_ptr<Rule> MakeModelServerDefaultMismatch();
std::unique_ptr<Rule> MakeModelTableNotInDatabase();
std::unique_ptr<Rule> MakeModelTableNotInModels();
std::unique_ptr<Rule> MakeModelTypeMismatch();
std::unique_ptr<Rule> MakeModelUniqueNotInDatabase();
std::unique_ptr<Rule> MakeModelUniqueNotInModels();
std::unique_ptr<Rule> MakeModelUnreadableConstruct();
std::unique_ptr<Rule> MakeQueryColumnNotInDatabase();
std::unique_ptr<Rule> MakeQueryFilterByUnknownColumn();
std::unique_ptr<Rule> MakeQuerySqlBuiltFromConstants();
std::unique_ptr<Rule> MakeQuerySqlInjectionRisk();
std::unique_ptr<Rule> MakeQuerySqlNotChecked();
std::unique_ptr<Rule> MakeQuerySyntaxError();
std::unique_ptr<Rule> MakeQueryUnknownColumn();
std::unique_ptr<Rule> MakeQueryUnknownModelAttribute();
std::unique_ptr<Rule> MakeQueryUnknownTable();
std::unique_ptr<Rule> MakeQueryWriteWithoutWhere();
std::unique_ptr<Rule> MakeSchemaForeignKeyWithoutIndex();
std::unique_ptr<Rule> MakeSchemaObjectNotReadable();
std::unique_ptr<Rule> MakeTimestampCreatedAtWithoutDatabaseDefault();
std::unique_ptr<Rule> MakeTimestampOnupdateWithoutTrigger();
std::unique_ptr<Rule> MakeTimestampTriggerAndOnupdate();
std::unique_ptr<Rule> MakeTimestampWithoutTimeZone();

std::vector<std::unique_ptr<Rule>> MakeAllRules() {
  // Sorted by rule id (a hygiene test checks it); one line per rule.
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(MakeDocsColumnNotInDatabase());
  rules.push_back(MakeDocsColumnUndocumented());
  rules.push_back(MakeDocsDefaultMismatch());
  rules.push_back(MakeDocsForeignKeyMismatch());
  rules.push_back(MakeDocsIndexMismatch());
  rules.push_back(MakeDocsKeyMismatch());
  rules.push_back(MakeDocsNullableMismatch());
  rules.push_back(MakeDocsSectionUnreadable());
  rules.push_back(MakeDocsTableNotInDatabase());
  rules.push_back(MakeDocsTableUndocumented());
  rules.push_back(MakeDocsTypeMismatch());
  rules.push_back(MakeInputFileUnreadable());
  rules.push_back(MakeInputModelsNotRead());
  rules.push_back(MakeInputPythonSyntaxError());
  rules.push_back(MakeInputSqlNotParsed());
  rules.push_back(MakeInputSuppressionUnknownRule());
  rules.push_back(MakeModelColumnNotInDatabase());
  rules.push_back(MakeModelColumnNotInModels());
  rules.push_back(MakeModelEnumMismatch());
  rules.push_back(MakeModelForeignKeyActionMismatch());
  rules.push_back(MakeModelForeignKeyNotInDatabase());
  rules.push_back(MakeModelForeignKeyNotInModels());
  rules.push_back(MakeModelIndexNotInDatabase());
  rules.push_back(MakeModelIndexNotInModels());
  rules.push_back(MakeModelNullableMismatch());
  rules.push_back(MakeModelPrimaryKeyMismatch());
  rules.push_back(MakeModelServerDefaultMismatch());
  rules.push_back(MakeModelTableNotInDatabase());
  rules.push_back(MakeModelTableNotInModels());
  rules.push_back(MakeModelTypeMismatch());
  rules.push_back(MakeModelUniqueNotInDatabase());
  rules.push_back(MakeModelUniqueNotInModels());
  rules.push_back(MakeModelUnreadableConstruct());
  rules.push_back(MakeQueryColumnNotInDatabase());
  rules.push_back(MakeQueryFilterByUnknownColumn());
  rules.push_back(MakeQuerySqlBuiltFromConstants());
  rules.push_back(MakeQuerySqlInjectionRisk());
  rules.push_back(MakeQuerySqlNotChecked());
  rules.push_back(MakeQuerySyntaxError());
  rules.push_back(MakeQueryUnknownColumn());
  rules.push_back(MakeQueryUnknownModelAttribute());
  rules.push_back(MakeQueryUnknownTable());
  rules.push_back(MakeQueryWriteWithoutWhere());
  rules.push_back(MakeSchemaForeignKeyWithoutIndex());
  rules.push_back(MakeSchemaObjectNotReadable());
  rules.push_back(MakeTimestampCreatedAtWithoutDatabaseDefault());
  rules.push_back(MakeTimestampOnupdateWithoutTrigger());
  rules.push_back(MakeTimestampTriggerAndOnupdate());
  rules.push_back(MakeTimestampWithoutTimeZone());
  return rules;
}

namespace {

// '*' matches any run of characters, '?' one character; everything else literally.
bool GlobMatch(const std::string& pattern, const std::string& text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

bool IsSelected(const std::string& rule_id, const std::vector<std::string>& patterns) {
  std::vector<std::string> cleaned;
  for (const auto& pattern : patterns) {
    std::string trimmed = Trim(pattern);
    if (!trimmed.empty()) cleaned.push_back(std::move(trimmed));
  }
  // Only removals (or nothing): start from every rule.
  bool selected = std::all_of(cleaned.begin(), cleaned.end(), [](const std::string& p) { return p.front() == '-'; });
  for (const auto& pattern : cleaned) {
    const bool remove = pattern.front() == '-';
    const std::string glob = remove ? pattern.substr(1) : pattern;
    if (GlobMatch(glob, rule_id)) selected = !remove;
  }
  return selected;
}

}  // namespace dbaudit::rules
