#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"
#include "rules/timestamp/timestamp_support.hpp"

namespace dbaudit::rules {

namespace {

using timestamp::AuditedColumn;
using timestamp::TriggerAnswer;
using timestamp::TriggerVerdict;

class TimestampOnupdateWithoutTrigger final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"timestamp-onupdate-without-trigger", ir::Severity::kWarning,
                               "A model says a column changes on UPDATE, but no database trigger sets it.",
                               "onupdate_without_trigger"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    for (const AuditedColumn& column : timestamp::ColumnsToAudit(facts)) {
      if (!column.model || !column.db) continue;
      const ir::Column& model = *column.model;
      const bool claims_database = model.server_onupdate.has_value();
      const bool application_only =
          !claims_database && model.python_onupdate && timestamp::NameIn(model.name, facts.timestamps.updated_columns);
      if (!claims_database && !application_only) continue;
      // Only a definite "no trigger sets it": a trigger whose body was not read may set it.
      const TriggerVerdict verdict =
          timestamp::TriggerSetting(*facts.schema, *column.db_table, column.db->name, "UPDATE");
      if (verdict.answer != TriggerAnswer::kNone) continue;
      sink.Report(claims_database ? DatabaseClaim(facts, column, verdict) : ApplicationOnly(facts, column, verdict));
    }
  }

 private:
  ir::Finding DatabaseClaim(const Facts& facts, const AuditedColumn& column, const TriggerVerdict& verdict) const {
    const ir::Table& table = *column.db_table;
    const std::string message = fmt::format(
        "model declares server_onupdate={} on {}, i.e. that the database updates it, but no BEFORE UPDATE row trigger "
        "on {} sets it{}: the model is lying (or the trigger is missing), and the ORM re-reads a value nothing "
        "changed",
        *column.model->server_onupdate, DisplayColumn(table, column.db->name), DisplayName(table),
        Ineffective(verdict));
    ir::Finding finding = MakeFinding(*this, message);
    Finish(facts, column, verdict, "or drop server_onupdate from the model", finding);
    return finding;
  }

  ir::Finding ApplicationOnly(const Facts& facts, const AuditedColumn& column, const TriggerVerdict& verdict) const {
    const ir::Table& table = *column.db_table;
    const std::string message = fmt::format(
        "column {} is kept current only by the application (onupdate={}); no BEFORE UPDATE row trigger on {} sets "
        "it{}: the database side is missing, so raw SQL UPDATEs and other clients leave it stale (policy: "
        "timestamps.updated-at)",
        DisplayColumn(table, column.db->name), *column.model->python_onupdate, DisplayName(table),
        Ineffective(verdict));
    ir::Finding finding = MakeFinding(*this, message);
    Finish(facts, column, verdict, "then replace onupdate= with server_onupdate=FetchedValue() in the model", finding);
    return finding;
  }

  static std::string Ineffective(const TriggerVerdict& verdict) {
    return verdict.ineffective ? " (" + verdict.ineffective_reason + ")" : std::string();
  }

  void Finish(const Facts& facts, const AuditedColumn& column, const TriggerVerdict& verdict,
              const std::string& alternative, ir::Finding& finding) const {
    const ir::Table& table = *column.db_table;
    // The table is where the missing trigger belongs (and where `plan` will add it).
    Locate(finding, column.model->location, table.location,
           "table " + DisplayName(table) + " in the database, which has no trigger setting it");
    if (verdict.ineffective && verdict.ineffective->location.IsKnown()) {
      finding.related.push_back({verdict.ineffective->location, "this trigger cannot set it"});
    }
    finding.subject = {table.schema, table.name, {column.db->name}, {}};
    ir::Fix fix;
    fix.description = fmt::format(
        "add a BEFORE UPDATE trigger that sets the column (dbaudit plan writes one using "
        "timestamps.trigger-function = {}), {}",
        facts.timestamps.trigger_function, alternative);
    finding.fix = std::move(fix);
  }
};

}  // namespace

std::unique_ptr<Rule> MakeTimestampOnupdateWithoutTrigger() {
  return std::make_unique<TimestampOnupdateWithoutTrigger>();
}

}  // namespace dbaudit::rules
