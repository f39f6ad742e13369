#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/finding.hpp"
#include "analyzer/ir/query.hpp"
#include "rules/compare/catalog_diff.hpp"

namespace dbaudit::rules {

// The team's created_at / updated_at conventions ([timestamps] in the configuration).
struct TimestampPolicy {
  // Column names (lower-case) that record when a row was inserted / last updated.
  std::vector<std::string> created_columns = {"created_at", "created_on", "inserted_at"};
  std::vector<std::string> updated_columns = {"updated_at", "updated_on", "modified_at"};
  // Audit timestamps must be `timestamp with time zone` (timestamp-without-time-zone).
  bool require_time_zone = true;
  // The trigger function `dbaudit plan` creates to maintain updated_at columns. Existing
  // triggers are recognised by what their function's body does, never by this name.
  std::string trigger_function = "dbaudit_set_updated_at";
};

// Everything a rule may read: finished IR, never parsers or connections.
struct Facts {
  const ir::Catalog* models = nullptr;      // null when no model was found
  const ir::Catalog* schema = nullptr;      // null when no schema source was given
  const CatalogDiff* model_diff = nullptr;  // models (left) vs schema (right), when both exist
  // `docs diff` only: the schema document (left) vs the schema (right). The driver has already
  // removed every difference about a fact the document does not state, so each entry is a
  // discrepancy. Null for `check`: the docs- rules then say nothing.
  const ir::Catalog* document = nullptr;
  const CatalogDiff* document_diff = nullptr;
  // Table names (unqualified, lower-case) that appear as identifiers or strings anywhere in
  // the analysed code outside the model definitions, sorted.
  std::vector<std::string> names_in_code;
  // Every diagnostic the readers produced (input-* and model-unreadable-construct rules).
  std::vector<ir::Diagnostic> diagnostics;

  // Query sites of the analysed code, the mapped model classes, and the SQL analysis of each
  // raw SQL site whose text is known (query- rules).
  const std::vector<ir::FileQueries>* queries = nullptr;       // sorted by display_path
  const std::vector<ir::ModelClass>* model_classes = nullptr;  // sorted by qualified_name
  struct AnalyzedSite {
    const ir::QuerySite* site = nullptr;
    ir::SqlAnalysis analysis;
  };
  std::vector<AnalyzedSite> analyzed_sites;  // in file, then site order

  TimestampPolicy timestamps;
};

class FindingSink {
 public:
  void Report(ir::Finding finding) { findings_.push_back(std::move(finding)); }
  std::vector<ir::Finding>& findings() { return findings_; }

 private:
  std::vector<ir::Finding> findings_;
};

struct RuleInfo {
  std::string id;  // kebab-case <family>-<pattern>; stable forever
  ir::Severity default_severity;
  std::string summary;  // one line
  // The model_comparison_results.md section the rule's findings go in, named as the audit
  // plan names its categories ("tables_only_in_models"); empty for rules outside it.
  std::string category;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& Info() const = 0;
  // Pure: reads facts, reports findings with rule_id = Info().id and the default severity
  // (the driver applies configured severities afterwards). Never throws.
  virtual void Check(const Facts& facts, FindingSink& sink) const = 0;
};

// Every rule, sorted by id (rules/registry.cpp).
std::vector<std::unique_ptr<Rule>> MakeAllRules();

// Glob selection as in `--select 'model-*,-model-index-not-in-models'`: patterns apply in
// order; a leading '-' removes. An empty selection selects every rule.
bool IsSelected(const std::string& rule_id, const std::vector<std::string>& patterns);

}  // namespace dbaudit::rules
