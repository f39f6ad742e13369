#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/diagnostic.hpp"
#include "analyzer/ir/location.hpp"

namespace dbaudit::ir {

// The database object a finding is about. Fields that do not apply stay empty.
struct Subject {
  std::string schema;
  std::string table;
  std::vector<std::string> columns;
  std::string constraint;  // constraint or index name
  friend bool operator==(const Subject&, const Subject&) = default;
};

struct RelatedLocation {
  Location location;
  std::string message;  // e.g. "the database declares it here"
};

// A suggested change. `sql` converges the database; `edit` is a replacement text for the
// model side at `edit_location`. Never applied by dbaudit itself.
struct Fix {
  std::string description;
  std::string sql;
  std::string edit;
  Location edit_location;
};

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kWarning;
  std::string message;
  Location location;
  std::vector<RelatedLocation> related;
  Subject subject;
  std::optional<Fix> fix;
  // Stable across runs and line moves: derived from the rule and the subject (see
  // ComputeFingerprint), never from line numbers.
  std::string fingerprint;
  bool incomplete = false;  // carried over from a Diagnostic
};

// Hex digest of rule id + subject + `discriminator` (for rules that can fire twice on one
// subject). Filled by the driver after the rules ran when a rule left it empty.
std::string ComputeFingerprint(const Finding& finding, const std::string& discriminator = {});

// Sort order of every report: file, line, column, rule, message.
bool FindingLess(const Finding& a, const Finding& b);

}  // namespace dbaudit::ir
