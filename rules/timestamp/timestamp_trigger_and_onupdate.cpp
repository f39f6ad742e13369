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
                               "A database trigger and the model's Python onupdate= both set a column on UPDATE.",
                               "trigger_and_onupdate"};
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
    const std::string& onupdate = *column.model->python_onupdate;
    // onupdate=func.now() is a SQL expression the database evaluates; onupdate=datetime.utcnow is
    // a Python callable: only the second brings the application's clock into it.
    const bool sql_expression = onupdate.starts_with("func.") || onupdate.find(".func.") != std::string::npos ||
                                onupdate.starts_with("text(") || onupdate.find(".text(") != std::string::npos ||
                                onupdate.find("literal_column(") != std::string::npos;
    const std::string consequence =
        sql_expression
            ? "the ORM adds the SQL expression to every UPDATE it sends and the trigger then sets the column "
              "again: double work, and two places to keep in step"
            : "the application computes a value with its own clock, the trigger replaces it with the database's "
              "clock, and the object in memory keeps the application's value: the two clocks disagree";
    ir::Finding finding = MakeFinding(
        *this,
        fmt::format("column {} is set twice on every ORM UPDATE: by {} in the database and by onupdate={} in "
                    "the model; {}",
                    DisplayColumn(table, column.db->name), timestamp::DescribeTrigger(trigger), onupdate, consequence));
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
