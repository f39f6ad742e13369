#pragma once

#include <optional>
#include <string>
#include <vector>

// The SQL change script `dbaudit plan` writes: a psql script that a person reviews and runs.
// The driver builds every statement (it owns quoting, through rules::QuoteIdent); this
// emitter lays them out: header, transaction, hazard comments, destructive statements
// commented out, statements that cannot run in a transaction after COMMIT, and dollar-quote
// tags that never collide with the quoted text. It never sees a rule.
namespace dbaudit::reports {

// One SQL statement. With `dollar_body` set it is rendered as
//   text + $tag$ + dollar_body + $tag$ + after_body
// where the tag is chosen so that the body cannot end the quote early (DO blocks, function
// bodies). Without it, `text` is emitted as is (it carries its own ';' or psql meta-command).
struct ScriptStatement {
  std::string text;
  std::optional<std::string> dollar_body;
  std::string after_body;

  static ScriptStatement Plain(std::string sql);
  // DO $tag$<body>$tag$;
  static ScriptStatement Do(std::string body);
};

enum class ChangePlacement {
  kInTransaction,  // between BEGIN and COMMIT
  kAfterCommit,    // CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT: one autocommit statement each
};

struct PlannedChange {
  // Dependency order: the script sorts changes by (placement, phase, sort_key).
  int phase = 0;
  std::string sort_key;
  std::string summary;               // "add column users.nickname"
  std::vector<std::string> hazards;  // each printed as "-- hazard: <text>"
  std::vector<std::string> notes;    // each printed as "-- <text>"
  std::vector<ScriptStatement> statements;
  ChangePlacement placement = ChangePlacement::kInTransaction;
  // Loses data or integrity: written commented out unless the script allows it.
  bool destructive = false;
  // Fingerprints of the findings this change addresses.
  std::vector<std::string> fingerprints;
};

struct ScriptFinding {
  std::string rule_id;
  std::string message;
  std::string fingerprint;
};

// A selected finding no change addresses, and why.
struct NotPlannedFinding {
  ScriptFinding finding;
  std::string reason;
};

struct ChangeScriptInput {
  std::string tool_version;
  std::string schema_source;  // redacted, as the reports print it
  std::string date;           // UTC, YYYY-MM-DD
  std::string lock_timeout = "5s";
  std::string statement_timeout = "15min";
  bool allow_destructive = false;
  std::vector<ScriptFinding> findings;  // every selected finding, in report order
  std::vector<PlannedChange> changes;
  std::vector<NotPlannedFinding> not_planned;
};

// The whole script. Deterministic: the same input gives the same bytes.
std::string RenderChangeScript(const ChangeScriptInput& input);

// A dollar-quote tag ("$dbaudit$", "$dbaudit_1$", ...) such that `body` + tag contains the
// tag first at the very end, i.e. the quoted body ends exactly where it should.
std::string DollarTag(const std::string& body);

// Text safe to put after "-- ": line breaks and other control characters become spaces, so
// a name or message can never end the comment and start a statement.
std::string CommentText(const std::string& text);

// Summary counts the command prints and the change log records.
struct ChangeCounts {
  std::size_t applied = 0;                // changes that run
  std::size_t destructive_commented = 0;  // destructive changes left commented out
  std::size_t not_planned = 0;            // findings needing a manual change
};
ChangeCounts CountChanges(const ChangeScriptInput& input);

}  // namespace dbaudit::reports
