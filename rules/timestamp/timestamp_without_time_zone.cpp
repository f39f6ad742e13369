#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"
#include "rules/timestamp/timestamp_support.hpp"

namespace dbaudit::rules {

namespace {

using timestamp::AuditedColumn;

class TimestampWithoutTimeZone final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"timestamp-without-time-zone", ir::Severity::kNote,
                               "A created_at / updated_at column is timestamp without time zone.",
                               "timestamps_without_time_zone"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.timestamps.require_time_zone) return;
    for (const AuditedColumn& column : timestamp::ColumnsToAudit(facts)) {
      const std::string key = timestamp::PolicyKey(facts.timestamps, column.Name());
      if (key.empty()) continue;
      // The database is the truth; the model's type only counts for a column the database lacks.
      const ir::Column& declared = column.db ? *column.db : *column.model;
      if (!timestamp::IsTimestampWithoutTimeZone(declared.type)) continue;
      sink.Report(MakeReport(column, declared, key));
    }
  }

 private:
  ir::Finding MakeReport(const AuditedColumn& column, const ir::Column& declared, const std::string& key) const {
    const ir::Table& table = column.AnyTable();
    const std::string side = column.db ? "in the database" : "in the model (the database lacks the column)";
    ir::Finding finding =
        MakeFinding(*this, fmt::format("column {} is {} {}: the value carries no time zone, so its meaning depends "
                                       "on every writer's clock setting (policy: {}, timestamps.require-time-zone)",
                                       DisplayColumn(table, declared.name), declared.type, side, key));
    if (column.model && column.db) {
      Locate(finding, column.model->location, column.db->location, kDeclaredInDatabase);
    } else {
      Locate(finding, declared.location, {}, "");
    }
    finding.subject = {table.schema, table.name, {declared.name}, {}};
    ir::Fix fix;
    fix.description =
        "use timestamp with time zone (DateTime(timezone=True) in the model); the SQL assumes the stored values are "
        "UTC and rewrites the table under an ACCESS EXCLUSIVE lock";
    if (column.db) {
      fix.sql = fmt::format(
          "ALTER TABLE {0} ALTER COLUMN {1} TYPE timestamp with time zone USING {1} AT TIME ZONE "
          "'UTC';",
          QualifiedSql(table.schema, table.name), QuoteIdent(declared.name));
    }
    if (column.model) {
      fix.edit = "DateTime(timezone=True)";
      fix.edit_location = column.model->location;
    }
    finding.fix = std::move(fix);
    return finding;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeTimestampWithoutTimeZone() {
  return std::make_unique<TimestampWithoutTimeZone>();
}

}  // namespace dbaudit::rules
