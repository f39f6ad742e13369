#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"
#include "rules/timestamp/timestamp_support.hpp"

namespace dbaudit::rules {

namespace {

using timestamp::AuditedColumn;
using timestamp::TriggerAnswer;

class TimestampCreatedAtWithoutDatabaseDefault final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"timestamp-created-at-without-database-default", ir::Severity::kWarning,
                               "A created_at column has no database default that sets the current time.",
                               "created_at_without_database_default"};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    for (const AuditedColumn& column : timestamp::ColumnsToAudit(facts)) {
      if (!column.db || !timestamp::NameIn(column.Name(), facts.timestamps.created_columns)) continue;
      if (!Applies(facts, column)) continue;
      sink.Report(
          MakeReport(column, timestamp::TriggerSetting(*facts.schema, *column.db_table, column.db->name, "INSERT")));
    }
  }

 private:
  bool Applies(const Facts& facts, const AuditedColumn& column) const {
    const ir::Column& db = *column.db;
    // An epoch integer or a text column is outside the policy; a generated column is computed.
    if (!timestamp::IsTemporalOrUnknownType(db.type) || db.generated) return false;
    if (db.server_default && timestamp::IsCurrentTimeExpression(*db.server_default)) return false;
    // model-server-default-mismatch already reports a model server_default the database lacks.
    if (column.model && column.model->server_default && InDefaultMismatches(facts, column.model)) return false;
    // A BEFORE INSERT trigger that sets the column is a database-managed value too; a trigger
    // whose body was not read may be one: say nothing rather than guess.
    return timestamp::TriggerSetting(*facts.schema, *column.db_table, db.name, "INSERT").answer == TriggerAnswer::kNone;
  }

  static bool InDefaultMismatches(const Facts& facts, const ir::Column* model) {
    const auto& mismatches = facts.model_diff->default_mismatches;
    return std::any_of(mismatches.begin(), mismatches.end(),
                       [&](const ColumnPair& pair) { return pair.left == model; });
  }

  ir::Finding MakeReport(const AuditedColumn& column, const timestamp::TriggerVerdict& verdict) const {
    const ir::Table& table = *column.db_table;
    const ir::Column& db = *column.db;
    const std::string name = DisplayColumn(table, db.name);
    std::string problem;
    if (db.server_default) {
      problem =
          fmt::format("column {} has DEFAULT {} in the database, not the time of the insert", name, *db.server_default);
    } else {
      problem = fmt::format("column {} has no default in the database", name);
    }
    const bool not_null = db.nullable && !*db.nullable;
    std::string consequence = "rows inserted outside the ORM get that default";
    if (!db.server_default) {
      consequence = not_null ? "inserts outside the ORM that omit it fail (the column is NOT NULL)"
                             : "rows inserted outside the ORM get NULL";
    }
    // A trigger that assigns the column on insert but cannot make it stick (AFTER) is named.
    if (verdict.ineffective) problem += " (" + verdict.ineffective_reason + ")";
    std::string model_side;
    if (!column.model) {
      model_side = column.model_table ? "no model maps the column" : "no model maps the table";
    } else if (column.model->python_default) {
      model_side = fmt::format("the model sets it only in Python (default={})", *column.model->python_default);
    } else if (column.model->server_default) {
      model_side = fmt::format("the model agrees (server_default={})", *column.model->server_default);
    } else {
      model_side = "the model sets no default either";
    }
    ir::Finding finding =
        MakeFinding(*this, fmt::format("{}; {}: {} (policy: timestamps.created-at)", problem, model_side, consequence));
    if (column.model) {
      Locate(finding, column.model->location, db.location, kDeclaredInDatabase);
    } else {
      Locate(finding, db.location, {}, "");
    }
    finding.subject = {table.schema, table.name, {db.name}, {}};
    ir::Fix fix;
    fix.description = column.model ? "give the column a database default (ALTER TABLE ... SET DEFAULT now()) and "
                                     "declare server_default=func.now() in the model"
                                   : "give the column a database default (ALTER TABLE ... SET DEFAULT now())";
    fix.sql = fmt::format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT now();", QualifiedSql(table.schema, table.name),
                          QuoteIdent(db.name));
    if (column.model) {
      fix.edit = "server_default=func.now()";
      fix.edit_location = column.model->location;
    }
    finding.fix = std::move(fix);
    return finding;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeTimestampCreatedAtWithoutDatabaseDefault() {
  return std::make_unique<TimestampCreatedAtWithoutDatabaseDefault>();
}

}  // namespace dbaudit::rules
