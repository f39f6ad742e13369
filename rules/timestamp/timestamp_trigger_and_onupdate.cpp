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

class TimestampTriggerAndOnupdate final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"timestamp-trigger-and-onupdate", ir::Severity::kWarning,
                               "A database trigger and the model's Python onupdate= both set a column on UPDATE.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    for (const AuditedColumn& column : timestamp::ColumnsToAudit(facts)) {
      // server_onupdate=FetchedValue() with a trigger is the intended setup: only Python onupdate= counts.
      if (!column.model || !column.db || !column.model->python_onupdate) continue;
      const TriggerVerdict verdict =
          timestamp::TriggerSetting(*facts.schema, *column.db_table, column.db->name, "UPDATE");
      if (verdict.answer != TriggerAnswer::kSets) continue;
      sink.Report(MakeReport(column, *verdict.trigger));
    }
  }

 private:
  ir::Finding MakeReport(const AuditedColumn& column, const ir::Trigger& trigger) const {
    const ir::Table& table = *column.db_table;
    ir::Finding finding = MakeFinding(
        *this, fmt::format("column {} is set twice on every ORM UPDATE: by {} in the database and by onupdate={} in "
                           "the model; the trigger overwrites the application's value, so the Python side is "
                           "wasted work and its clock (not the database's) is what the ORM believes it wrote",
                           DisplayColumn(table, column.db->name), timestamp::DescribeTrigger(trigger),
                           *column.model->python_onupdate));
    Locate(finding, column.model->location, trigger.location, "the trigger that sets it in the database");
    finding.subject = {table.schema, table.name, {column.db->name}, {}};
    ir::Fix fix;
    fix.description =
        "let the trigger own the column: replace onupdate= with server_onupdate=FetchedValue() in the model";
    fix.edit = "server_onupdate=FetchedValue()";
    fix.edit_location = column.model->location;
    finding.fix = std::move(fix);
    return finding;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeTimestampTriggerAndOnupdate() {
  return std::make_unique<TimestampTriggerAndOnupdate>();
}

}  // namespace dbaudit::rules
