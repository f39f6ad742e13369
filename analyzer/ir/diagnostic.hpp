#pragma once

#include <string>

#include "analyzer/ir/location.hpp"

namespace dbaudit::ir {

enum class Severity { kNote, kWarning, kError };
const char* ToString(Severity severity);  // "note", "warning", "error"

// Something a reader could not do: a file it could not read, SQL it could not parse, a model
// construct it does not understand. The driver turns each into a finding of the rule named
// by `rule_id` (one of the input-/model- "unreadable" rules), so nothing is dropped silently.
struct Diagnostic {
  std::string rule_id;
  Severity severity = Severity::kNote;
  std::string message;
  Location location;
  // True when input was lost (a file not read, statements skipped): the run is incomplete
  // and ends with exit code 2.
  bool incomplete = false;
};

// Rule ids of the diagnostics the readers emit (each a registered rule with its doc page).
inline constexpr const char* kRuleFileUnreadable = "input-file-unreadable";
inline constexpr const char* kRuleModelsNotRead = "input-models-not-read";
inline constexpr const char* kRulePythonSyntaxError = "input-python-syntax-error";
inline constexpr const char* kRuleSqlNotParsed = "input-sql-not-parsed";
inline constexpr const char* kRuleModelUnreadable = "model-unreadable-construct";

}  // namespace dbaudit::ir
