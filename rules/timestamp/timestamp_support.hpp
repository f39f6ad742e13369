#pragma once

#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "rules/rule.hpp"

// What the timestamp- rules share: which columns they audit, whether a database default is
// "the current time", and whether a trigger sets a column (read from the trigger function's
// body, never from a name).
namespace dbaudit::rules::timestamp {

// One column as the models and the database each declare it. Either side may be missing: a
// table no model maps, a model column the database lacks.
struct AuditedColumn {
  const ir::Table* model_table = nullptr;
  const ir::Column* model = nullptr;
  const ir::Table* db_table = nullptr;
  const ir::Column* db = nullptr;

  const std::string& Name() const { return model ? model->name : db->name; }
  const ir::Table& AnyTable() const { return db_table ? *db_table : *model_table; }
};

// Every column of every table of both sides, models and database paired by table and column
// name (tables the driver ignores are not in the diff). Empty unless both sides were read.
std::vector<AuditedColumn> ColumnsToAudit(const Facts& facts);

// Case-insensitive membership in a policy list ([timestamps] created-at / updated-at).
bool NameIn(const std::string& column, const std::vector<std::string>& names);

// True for a default that yields the time of the insert: now(), CURRENT_TIMESTAMP,
// clock_timestamp(), statement_timestamp(), transaction_timestamp(), LOCALTIMESTAMP, and the
// same inside timezone('utc', ...), AT TIME ZONE, date_trunc(...) and casts; case, white space
// and redundant parentheses do not matter.
bool IsCurrentTimeExpression(const std::string& expression);

// A date/time column type (timestamp with or without time zone, date) or an unknown one.
bool IsTemporalOrUnknownType(const std::string& type);
// "timestamp without time zone", "timestamp(3) without time zone".
bool IsTimestampWithoutTimeZone(const std::string& type);

enum class TriggerAnswer { kNone, kSets, kUnknown };

struct TriggerVerdict {
  TriggerAnswer answer = TriggerAnswer::kNone;
  // kSets: the trigger that sets the column. kUnknown: the trigger whose effect is not known.
  const ir::Trigger* trigger = nullptr;
  std::string unknown_reason;  // kUnknown: why
  // kNone: a trigger that assigns the column but cannot make it stick (AFTER, FOR EACH
  // STATEMENT) or does not fire on the event; messages name it.
  const ir::Trigger* ineffective = nullptr;
  std::string ineffective_reason;
};

// Whether a BEFORE ... FOR EACH ROW trigger of `table` firing on `event` ("INSERT", "UPDATE")
// assigns NEW.<column> in its function's body.
TriggerVerdict TriggerSetting(const ir::Catalog& schema, const ir::Table& table, const std::string& column,
                              const std::string& event);

// "trigger orders_touch (function public.touch_row)"
std::string DescribeTrigger(const ir::Trigger& trigger);

// The policy key a column falls under: "timestamps.created-at", "timestamps.updated-at" or "".
std::string PolicyKey(const TimestampPolicy& policy, const std::string& column);

}  // namespace dbaudit::rules::timestamp
