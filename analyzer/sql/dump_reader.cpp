#include "analyzer/sql/dump_reader.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "analyzer/sql/pg_query_wrapper.hpp"
#include "analyzer/sql/sql_lexer.hpp"
#include "analyzer/sql/type_names.hpp"

namespace dbaudit::sql {

namespace {

using nlohmann::json;

constexpr const char* kDefaultSchema = "public";
constexpr std::size_t kMaxIdentifierBytes = 63;  // NAMEDATALEN - 1

// One statement of the script: its text, where it starts in the file, its tokens and tree.
struct Statement {
  std::string text;
  std::size_t offset = 0;  // byte offset of text[0] in the file
  LexResult lex;
  json node;         // the statement's node, e.g. {"CreateStmt": {...}}
  std::string kind;  // "CreateStmt"
};

// A statement lexed and parsed ahead of its replay.
struct PreparedStatement {
  Statement statement;
  ParseOutcome outcome;
  bool empty = false;  // nothing but white space, comments or a lone ';'
};

// Runs work(0..count-1) on every core. libpg_query keeps its parser state per thread.
template <typename Work>
void ParallelFor(std::size_t count, Work work) {
  const unsigned threads =
      std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), static_cast<unsigned>(count / 16 + 1)));
  std::atomic<std::size_t> next{0};
  auto run = [&] {
    for (std::size_t i = next++; i < count; i = next++) work(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(run);
  run();
  for (auto& thread : pool) thread.join();
}

std::string Str(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return "";
  const json& value = object[key];
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("String")) return value["String"].value("sval", std::string());
  return "";
}

bool Bool(const json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_boolean() && object[key].get<bool>();
}

long long Int(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return 0;
  return object[key].get<long long>();
}

// -1 when the node has no location.
long long Location(const json& object) {
  if (!object.is_object() || !object.contains("location") || !object["location"].is_number()) return -1;
  return object["location"].get<long long>();
}

// A member object, or an empty object: const operator[] on a missing key is undefined.
const json& Child(const json& object, const char* key) {
  static const json empty = json::object();
  if (!object.is_object() || !object.contains(key)) return empty;
  return object[key];
}

const json& Array(const json& object, const char* key) {
  static const json empty = json::array();
  if (!object.is_object() || !object.contains(key) || !object[key].is_array()) return empty;
  return object[key];
}

// PostgreSQL's makeObjectName(): "<name1>_<name2>_<label>" clipped to 63 bytes by
// shortening the longer part first.
std::string MakeObjectName(const std::string& name1, const std::string& name2, const std::string& label) {
  const std::size_t overhead = (label.empty() ? 0 : label.size() + 1) + (name2.empty() ? 0 : 1);
  std::size_t name1_chars = name1.size();
  std::size_t name2_chars = name2.size();
  const std::size_t available = kMaxIdentifierBytes - std::min(overhead, kMaxIdentifierBytes);
  while (name1_chars + name2_chars > available) {
    if (name1_chars > name2_chars) {
      --name1_chars;
    } else {
      --name2_chars;
    }
  }
  std::string name = name1.substr(0, name1_chars);
  if (!name2.empty()) name += "_" + name2.substr(0, name2_chars);
  if (!label.empty()) name += "_" + label;
  return name;
}

std::string JoinNames(const std::vector<std::string>& names, const char* separator) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : separator) + name;
  return text;
}

void CollectColumnRefs(const json& node, std::set<std::string>& names) {
  if (node.is_object()) {
    if (node.contains("ColumnRef")) {
      const auto fields = NameList(node["ColumnRef"].value("fields", json::array()));
      if (!fields.empty()) names.insert(fields.back());
    }
    for (const auto& [key, value] : node.items()) CollectColumnRefs(value, names);
  } else if (node.is_array()) {
    for (const auto& value : node) CollectColumnRefs(value, names);
  }
}

ir::ReferentialAction ActionFromCode(const std::string& code) {
  if (code == "r") return ir::ReferentialAction::kRestrict;
  if (code == "c") return ir::ReferentialAction::kCascade;
  if (code == "n") return ir::ReferentialAction::kSetNull;
  if (code == "d") return ir::ReferentialAction::kSetDefault;
  return ir::ReferentialAction::kNoAction;
}

bool IsSystemSchema(const std::string& schema) {
  return schema == "information_schema" || schema.rfind("pg_", 0) == 0;
}

bool LooksBinary(const std::string& text) {
  const std::size_t probe = std::min<std::size_t>(text.size(), 8192);
  return std::memchr(text.data(), '\0', probe) != nullptr;
}

bool IsSqlCommandWord(const std::string& word) {
  static const std::set<std::string> words = {
      "ABORT",    "ALTER",    "ANALYZE",   "BEGIN",      "CALL",     "CHECKPOINT", "CLOSE",   "CLUSTER", "COMMENT",
      "COMMIT",   "COPY",     "CREATE",    "DEALLOCATE", "DECLARE",  "DELETE",     "DISCARD", "DO",      "DROP",
      "END",      "EXECUTE",  "EXPLAIN",   "FETCH",      "GRANT",    "INSERT",     "LISTEN",  "LOAD",    "LOCK",
      "MERGE",    "MOVE",     "NOTIFY",    "PREPARE",    "REASSIGN", "REFRESH",    "REINDEX", "RELEASE", "RESET",
      "REVOKE",   "ROLLBACK", "SAVEPOINT", "SECURITY",   "SELECT",   "SET",        "SHOW",    "START",   "TABLE",
      "TRUNCATE", "UNLISTEN", "UPDATE",    "VACUUM",     "VALUES",   "WITH",
  };
  return words.count(word) > 0;
}

// Statements that carry nothing the Catalog models (session settings, ownership, grants,
// extensions, servers): skipped without a note.
bool IsIgnoredKind(const std::string& kind) {
  static const std::set<std::string> kinds = {
      "VariableSetStmt",
      "AlterOwnerStmt",
      "GrantStmt",
      "GrantRoleStmt",
      "AlterDefaultPrivilegesStmt",
      "CreateExtensionStmt",
      "AlterExtensionStmt",
      "CreateForeignServerStmt",
      "CreateUserMappingStmt",
      "CreateFdwStmt",
      "TransactionStmt",
      "CreateRoleStmt",
      "AlterRoleStmt",
      "AlterRoleSetStmt",
      "CreatedbStmt",
      "AlterDatabaseStmt",
      "AlterDatabaseSetStmt",
      "AlterDatabaseRefreshCollStmt",
      "InsertStmt",
      "UpdateStmt",
      "DeleteStmt",
      "CopyStmt",
      "SelectStmt",
      "VacuumStmt",
      "ClusterStmt",
      "CreateStatsStmt",
      "CreatePublicationStmt",
      "AlterPublicationStmt",
      "CreateSubscriptionStmt",
      "AlterSubscriptionStmt",
      "SecLabelStmt",
      "CheckPointStmt",
      "LockStmt",
      "ExplainStmt",
      "RefreshMatViewStmt",
      "AlterSystemStmt",
      "CreateConversionStmt",
      "NotifyStmt",
      "ListenStmt",
      "DiscardStmt",
      "CallStmt",
      "AlterTSConfigurationStmt",
      "AlterTSDictionaryStmt",
      "CreateTableSpaceStmt",
      "ReindexStmt",
  };
  return kinds.count(kind) > 0;
}

class DumpReader {
 public:
  DumpReader(std::string text, std::string display_path, const DumpReaderOptions& options)
      : text_(std::move(text)), display_path_(std::move(display_path)), options_(options), lines_(text_) {
    catalog_.origin = ir::CatalogOrigin::kDump;
    catalog_.source_name = display_path_;
  }

  ir::Result<ir::Catalog> Run() {
    if (LooksBinary(text_)) return Fail("does not look like SQL (it holds binary data)");
    const LexResult file_lex = Lex(text_);
    if (file_lex.tokens.empty()) return Fail("does not look like SQL: it holds no SQL statement");
    std::string blanked = text_;
    for (const auto& [begin, end] : file_lex.meta_commands) {
      for (std::size_t i = begin; i < end; ++i) blanked[i] = ' ';
    }
    const auto spans = Split(blanked, file_lex);
    std::size_t parsed = 0;
    std::string first_word;
    // Lexing and parsing are independent per statement and run on every core; replaying the
    // statements into the catalog is ordered and runs on this thread. Batches bound the
    // number of parse trees held at once.
    constexpr std::size_t kBatch = 512;
    std::vector<PreparedStatement> batch;
    for (std::size_t start = 0; start < spans.size(); start += kBatch) {
      const std::size_t count = std::min(kBatch, spans.size() - start);
      batch.clear();
      batch.resize(count);
      ParallelFor(count, [&](std::size_t i) {
        PreparedStatement& prepared = batch[i];
        const auto& span = spans[start + i];
        prepared.statement.offset = span.offset;
        prepared.statement.text = blanked.substr(span.offset, span.length);
        prepared.statement.lex = Lex(prepared.statement.text);
        const auto& tokens = prepared.statement.lex.tokens;
        prepared.empty = tokens.empty() || (tokens.size() == 1 && tokens[0].kind == TokenKind::kSemicolon);
        if (!prepared.empty) prepared.outcome = Parse(prepared.statement.text);
      });
      for (auto& prepared : batch) {
        if (prepared.empty) continue;
        Statement& statement = prepared.statement;
        if (first_word.empty()) {
          first_word = UpperWord(statement.text, statement.lex.tokens[0]);
          if (first_word.empty()) first_word = "?";
        }
        if (ParseStatement(statement, prepared.outcome)) ++parsed;
      }
    }
    if (first_word.empty()) return Fail("does not look like SQL: it holds no SQL statement");
    if (parsed == 0 && !IsSqlCommandWord(first_word)) {
      return Fail("does not look like SQL: no statement in it parses and it does not begin with an SQL command");
    }
    Finish();
    return std::move(catalog_);
  }

 private:
  ir::Error Fail(const std::string& why) const {
    ir::Error error;
    error.message = display_path_ + ": " + why;
    error.location.file = display_path_;
    return error;
  }

  std::vector<StatementSpan> Split(const std::string& blanked, const LexResult& file_lex) const {
    auto spans = SplitWithScanner(blanked);
    if (spans) {
      for (auto& span : *spans) {
        if (span.offset > blanked.size()) span.offset = blanked.size();
        // A zero length means "to the end of the input" (the last statement).
        if (span.length == 0 || span.offset + span.length > blanked.size()) span.length = blanked.size() - span.offset;
      }
      return *spans;
    }
    // The scanner gave up (e.g. an unterminated quote): cut at top-level semicolons ourselves.
    std::vector<StatementSpan> fallback;
    std::size_t start = 0;
    for (const auto& token : file_lex.tokens) {
      if (token.kind != TokenKind::kSemicolon) continue;
      fallback.push_back({start, token.begin - start});
      start = token.end;
    }
    if (start < blanked.size()) fallback.push_back({start, blanked.size() - start});
    return fallback;
  }

  ir::Location Loc(const Statement& statement, long long offset) const {
    ir::Location location;
    location.file = display_path_;
    std::size_t absolute = statement.offset;
    if (offset >= 0) {
      absolute += static_cast<std::size_t>(offset);
    } else if (!statement.lex.tokens.empty()) {
      absolute += statement.lex.tokens[0].begin;
    }
    lines_.Position(absolute, location.line, location.column);
    return location;
  }

  ir::Location StatementLoc(const Statement& statement) const { return Loc(statement, -1); }

  void Diagnose(const Statement& statement, long long offset, ir::Severity severity, const std::string& rule,
                const std::string& message, bool incomplete) {
    ir::Diagnostic diagnostic;
    diagnostic.rule_id = rule;
    diagnostic.severity = severity;
    diagnostic.location = Loc(statement, offset);
    diagnostic.message = message;
    diagnostic.incomplete = incomplete;
    catalog_.diagnostics.push_back(std::move(diagnostic));
  }

  void Note(const Statement& statement, long long offset, const std::string& message) {
    Diagnose(statement, offset, ir::Severity::kNote, ir::kRuleSqlNotParsed, message, false);
  }

  // The first few words of the statement, for messages: "CREATE POLICY".
  static std::string Headline(const Statement& statement) {
    std::string headline;
    int words = 0;
    for (const auto& token : statement.lex.tokens) {
      if (token.kind != TokenKind::kWord || words == 3) break;
      const std::string word = UpperWord(statement.text, token);
      if (words > 0 && word != "TABLE" && word != "INDEX" && word != "TYPE" && word != "VIEW" && word != "UNIQUE" &&
          word != "OR" && word != "REPLACE" && word != "MATERIALIZED" && word != "FUNCTION" && word != "POLICY" &&
          word != "RULE" && word != "DOMAIN" && word != "AGGREGATE" && word != "OPERATOR" && word != "SCHEMA" &&
          word != "SEQUENCE" && word != "TRIGGER" && word != "EVENT" && word != "CAST")
        break;
      headline += (headline.empty() ? "" : " ") + word;
      ++words;
    }
    return headline.empty() ? "statement" : headline;
  }

  // Converts the parser's 1-based character cursor to a byte offset in the statement.
  static std::size_t CharacterToByte(const std::string& text, std::size_t characters) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
      if (seen == characters) return i;
      ++seen;
    }
    return text.size();
  }

  bool ParseStatement(Statement& statement, ParseOutcome& outcome) {
    if (!outcome.ok) {
      const long long offset =
          outcome.has_error_offset ? static_cast<long long>(CharacterToByte(statement.text, outcome.error_offset)) : -1;
      const ir::Location where = Loc(statement, offset);
      Diagnose(statement, offset, ir::Severity::kWarning, ir::kRuleSqlNotParsed,
               "could not parse SQL statement (" + Headline(statement) + "): " + outcome.error_message + " at line " +
                   std::to_string(where.line) + ", column " + std::to_string(where.column) +
                   " (PostgreSQL 15 grammar); the statement was skipped",
               true);
      return false;
    }
    if (!outcome.tree.is_object() || !outcome.tree.contains("stmts") || !outcome.tree["stmts"].is_array()) return true;
    for (auto& raw : outcome.tree["stmts"]) {
      if (!raw.is_object() || !raw.contains("stmt") || !raw["stmt"].is_object() || raw["stmt"].empty()) continue;
      statement.node = std::move(raw["stmt"]);  // the tree is not needed after this: no deep copy
      statement.kind = statement.node.begin().key();
      try {
        Dispatch(statement, statement.node.begin().value());
      } catch (const std::exception& e) {
        // A tree shape we did not expect: say so instead of guessing.
        Note(statement, -1, Headline(statement) + " could not be read (" + e.what() + ")");
      }
    }
    return true;
  }

  void Dispatch(const Statement& statement, const json& node) {
    const std::string& kind = statement.kind;
    if (kind == "CreateStmt") return CreateTable(statement, node, ir::TableKind::kTable);
    if (kind == "CreateForeignTableStmt")
      return CreateTable(statement, Child(node, "base"), ir::TableKind::kForeignTable);
    if (kind == "AlterTableStmt") return AlterTable(statement, node);
    if (kind == "IndexStmt") return CreateIndex(statement, node);
    if (kind == "CreateSeqStmt") return CreateSequence(statement, node);
    if (kind == "AlterSeqStmt") return AlterSequence(statement, node);
    if (kind == "CreateTrigStmt") return CreateTrigger(statement, node);
    if (kind == "CreateFunctionStmt") return CreateFunction(statement, node);
    if (kind == "ViewStmt") return CreateView(statement, node);
    if (kind == "CreateTableAsStmt") return CreateTableAs(statement, node);
    if (kind == "CommentStmt") return Comment(statement, node);
    if (kind == "CreateEnumStmt") return CreateEnum(statement, node);
    if (kind == "AlterEnumStmt") return AlterEnum(statement, node);
    if (kind == "DropStmt") return Drop(statement, node);
    if (kind == "CreateSchemaStmt") return;
    if (kind == "CreateDomainStmt") {
      Note(statement, -1,
           "domain " + JoinNames(NameList(node.value("domainname", json::array())), ".") +
               " is not modelled: columns of this type keep the domain's name as their type");
      return;
    }
    if (IsIgnoredKind(kind)) return;
    Note(statement, -1, Headline(statement) + " is not read by dbaudit; any schema facts it carries are ignored");
  }

  // ---- tables -----------------------------------------------------------------------------

  static std::pair<std::string, std::string> RangeVarName(const json& range_var) {
    std::string schema = Str(range_var, "schemaname");
    if (schema.empty()) schema = kDefaultSchema;
    return {schema, Str(range_var, "relname")};
  }

  ir::Table* FindTable(const std::string& schema, const std::string& name) {
    const auto it = table_index_.find(schema + "." + name);
    return it == table_index_.end() ? nullptr : &catalog_.tables[it->second];
  }

  ir::Table* FindTable(const json& range_var) {
    const auto [schema, name] = RangeVarName(range_var);
    return FindTable(schema, name);
  }

  ir::Table& AddTable(const std::string& schema, const std::string& name) {
    const std::string key = schema + "." + name;
    const auto it = table_index_.find(key);
    if (it != table_index_.end()) {
      catalog_.tables[it->second] = ir::Table{};
      catalog_.tables[it->second].schema = schema;
      catalog_.tables[it->second].name = name;
      return catalog_.tables[it->second];
    }
    table_index_[key] = catalog_.tables.size();
    ir::Table& table = catalog_.tables.emplace_back();
    table.schema = schema;
    table.name = name;
    return table;
  }

  ir::Table* RequireTable(const Statement& statement, const json& range_var) {
    ir::Table* table = FindTable(range_var);
    if (!table) {
      const auto [schema, name] = RangeVarName(range_var);
      Note(statement, Location(range_var),
           Headline(statement) + " refers to " + schema + "." + name + ", which no earlier statement created; skipped");
    }
    return table;
  }

  void CreateTable(const Statement& statement, const json& node, ir::TableKind kind) {
    const auto [schema, name] = RangeVarName(Child(node, "relation"));
    if (Bool(node, "if_not_exists") && FindTable(schema, name)) return;
    ir::Table& created = AddTable(schema, name);
    created.kind = node.contains("partspec") ? ir::TableKind::kPartitionedTable : kind;
    created.location = StatementLoc(statement);
    // PARTITION OF / INHERITS: the parent's columns come first.
    for (const auto& parent_var : Array(node, "inhRelations")) {
      const ir::Table* parent = FindTable(parent_var.value("RangeVar", json::object()));
      if (!parent) {
        Note(statement, Location(parent_var.value("RangeVar", json::object())),
             "the parent table of " + schema + "." + name +
                 " is not defined earlier; its inherited columns are unknown");
        continue;
      }
      std::vector<ir::Column> inherited = parent->columns;
      ir::Table* table = FindTable(schema, name);
      for (auto& column : inherited) {
        if (!table->FindColumn(column.name)) table->columns.push_back(column);
      }
    }
    const auto& elements = Array(node, "tableElts");
    for (const auto& element : elements) {
      ir::Table* table = FindTable(schema, name);
      if (element.contains("ColumnDef")) {
        AddColumn(statement, *table, element["ColumnDef"]);
      } else if (element.contains("Constraint")) {
        AddConstraint(statement, *table, element["Constraint"], "");
      } else {
        Note(statement, -1,
             "an element of CREATE TABLE " + schema + "." + name + " (" +
                 (element.empty() ? std::string("?") : element.begin().key()) + ") is not read");
      }
    }
  }

  void AddColumn(const Statement& statement, ir::Table& table, const json& column_def) {
    const std::string column_name = Str(column_def, "colname");
    ir::Column* existing = table.FindColumn(column_name);
    ir::Column fresh;
    ir::Column& column = existing ? *existing : fresh;
    column.name = column_name;
    column.location = Loc(statement, Location(column_def));
    if (column_def.contains("typeName")) {
      const json& type_name = column_def["typeName"];
      column.type = FormatTypeName(type_name, kDefaultSchema);
      const std::string serial = SerialBaseType(type_name);
      if (!serial.empty()) {
        const std::string sequence_name = MakeObjectName(table.name, column_name, "seq");
        column.server_default =
            "nextval('" + QuoteIdentifier(table.schema) + "." + QuoteIdentifier(sequence_name) + "'::regclass)";
        column.nullable = false;
        ir::Sequence sequence;
        sequence.schema = table.schema;
        sequence.name = sequence_name;
        sequence.owned_by_table = table.name;
        sequence.owned_by_column = column_name;
        sequence.location = column.location;
        catalog_.sequences.push_back(std::move(sequence));
      }
    }
    if (!column.nullable) column.nullable = !Bool(column_def, "is_not_null");
    if (Bool(column_def, "is_not_null")) column.nullable = false;
    const auto& constraints = Array(column_def, "constraints");
    for (std::size_t i = 0; i < constraints.size(); ++i) {
      const json& constraint = constraints[i].value("Constraint", json::object());
      long long bound = -1;
      for (std::size_t k = i + 1; k < constraints.size() && bound < 0; ++k) {
        bound = Location(constraints[k].value("Constraint", json::object()));
      }
      ColumnConstraint(statement, table, column, constraint, bound);
    }
    if (!existing) table.columns.push_back(std::move(column));
  }

  void ColumnConstraint(const Statement& statement, ir::Table& table, ir::Column& column, const json& constraint,
                        long long bound) {
    const std::string type = Str(constraint, "contype");
    if (type == "CONSTR_NOTNULL") {
      column.nullable = false;
    } else if (type == "CONSTR_NULL") {
      column.nullable = true;
    } else if (type == "CONSTR_DEFAULT") {
      column.server_default = ExpressionAfterKeyword(statement, Location(constraint), "DEFAULT", bound);
    } else if (type == "CONSTR_IDENTITY") {
      column.identity =
          Str(constraint, "generated_when") == "a" ? ir::IdentityKind::kAlways : ir::IdentityKind::kByDefault;
      column.nullable = false;
    } else if (type == "CONSTR_GENERATED") {
      column.generated = ParenthesizedAfterKeyword(statement, Location(constraint), "AS", /*inner=*/true);
    } else {
      AddConstraint(statement, table, constraint, column.name);
    }
  }

  // Table constraints (and column constraints that are really table constraints).
  void AddConstraint(const Statement& statement, ir::Table& table, const json& constraint,
                     const std::string& column_name) {
    const std::string type = Str(constraint, "contype");
    const std::string name = Str(constraint, "conname");
    const ir::Location location = Loc(statement, Location(constraint));
    auto keys = [&](const char* field) {
      auto names = NameList(Array(constraint, field));
      if (names.empty() && !column_name.empty()) names.push_back(column_name);
      return names;
    };
    if (type == "CONSTR_PRIMARY") {
      ir::PrimaryKey key;
      key.columns = keys("keys");
      if (key.columns.empty()) key.columns = TakeIndexColumns(table, Str(constraint, "indexname"));
      key.name = name.empty() ? MakeObjectName(table.name, "", "pkey") : name;
      key.location = location;
      table.primary_key = std::move(key);
    } else if (type == "CONSTR_UNIQUE") {
      ir::UniqueConstraint unique;
      unique.columns = keys("keys");
      if (unique.columns.empty()) unique.columns = TakeIndexColumns(table, Str(constraint, "indexname"));
      unique.name = name.empty() ? UnusedConstraintName(table, JoinNames(unique.columns, "_"), "key") : name;
      unique.location = location;
      table.unique_constraints.push_back(std::move(unique));
    } else if (type == "CONSTR_FOREIGN") {
      ir::ForeignKey key;
      key.columns = keys("fk_attrs");
      const auto [ref_schema, ref_table] = RangeVarName(constraint.value("pktable", json::object()));
      key.referenced_schema = ref_schema;
      key.referenced_table = ref_table;
      key.referenced_columns = NameList(Array(constraint, "pk_attrs"));
      key.on_delete = ActionFromCode(Str(constraint, "fk_del_action"));
      key.on_update = ActionFromCode(Str(constraint, "fk_upd_action"));
      key.deferrable = Bool(constraint, "deferrable");
      key.initially_deferred = Bool(constraint, "initdeferred");
      key.name = name.empty() ? UnusedConstraintName(table, JoinNames(key.columns, "_"), "fkey") : name;
      key.location = location;
      table.foreign_keys.push_back(std::move(key));
    } else if (type == "CONSTR_CHECK") {
      ir::CheckConstraint check;
      const auto group = ParenthesizedAfterKeyword(statement, Location(constraint), "CHECK", /*inner=*/false);
      check.expression = "CHECK " + group.value_or("()");
      if (Bool(constraint, "is_no_inherit")) check.expression += " NO INHERIT";
      if (Bool(constraint, "skip_validation")) check.expression += " NOT VALID";
      if (name.empty()) {
        std::set<std::string> columns;
        CollectColumnRefs(constraint.value("raw_expr", json::object()), columns);
        check.name = UnusedConstraintName(table, columns.size() == 1 ? *columns.begin() : "", "check");
      } else {
        check.name = name;
      }
      check.location = location;
      table.check_constraints.push_back(std::move(check));
    } else if (type == "CONSTR_EXCLUSION") {
      Note(statement, Location(constraint),
           "exclusion constraint " + (name.empty() ? std::string("(unnamed)") : name) + " on " + table.QualifiedName() +
               " is not modelled by dbaudit");
    } else if (type == "CONSTR_ATTR_DEFERRABLE" || type == "CONSTR_ATTR_NOT_DEFERRABLE" ||
               type == "CONSTR_ATTR_DEFERRED" || type == "CONSTR_ATTR_IMMEDIATE") {
      // Folded into the preceding constraint by the grammar.
    } else {
      Note(statement, Location(constraint),
           "constraint kind " + type + " on " + table.QualifiedName() + " is not read");
    }
  }

  // ChooseConstraintName(): the first of "<t>_<x>_<label>", "<t>_<x>_<label>1", ... not taken.
  static std::string UnusedConstraintName(const ir::Table& table, const std::string& name2, const std::string& label) {
    std::set<std::string> taken;
    if (table.primary_key) taken.insert(table.primary_key->name);
    for (const auto& item : table.unique_constraints) taken.insert(item.name);
    for (const auto& item : table.foreign_keys) taken.insert(item.name);
    for (const auto& item : table.check_constraints) taken.insert(item.name);
    std::string name = MakeObjectName(table.name, name2, label);
    for (int pass = 1; taken.count(name); ++pass)
      name = MakeObjectName(table.name, name2, label + std::to_string(pass));
    return name;
  }

  // ADD CONSTRAINT ... USING INDEX idx: the index now belongs to the constraint.
  static std::vector<std::string> TakeIndexColumns(ir::Table& table, const std::string& index_name) {
    if (index_name.empty()) return {};
    for (auto it = table.indexes.begin(); it != table.indexes.end(); ++it) {
      if (it->name != index_name) continue;
      std::vector<std::string> columns = it->keys;
      table.indexes.erase(it);
      return columns;
    }
    return {};
  }

  // ---- expression text ----------------------------------------------------------------------

  // The text after `keyword` (searched from `from`) up to the next top-level ',' / ')' / ';'
  // or the `bound` offset (the next constraint's location).
  std::optional<std::string> ExpressionAfterKeyword(const Statement& statement, long long from, const char* keyword,
                                                    long long bound) const {
    const auto& tokens = statement.lex.tokens;
    std::size_t k = FirstTokenAt(tokens, static_cast<std::size_t>(std::max(0LL, from)));
    while (k < tokens.size() && !IsWord(statement.text, tokens[k], keyword)) ++k;
    if (k >= tokens.size()) return std::nullopt;
    return ExpressionFrom(statement, k + 1, tokens[k].depth, bound);
  }

  std::optional<std::string> ExpressionFrom(const Statement& statement, std::size_t first, int depth,
                                            long long bound) const {
    const auto& tokens = statement.lex.tokens;
    std::size_t last = first;
    bool any = false;
    for (std::size_t k = first; k < tokens.size(); ++k) {
      const Token& token = tokens[k];
      if (bound >= 0 && token.begin >= static_cast<std::size_t>(bound)) break;
      if (token.kind == TokenKind::kSemicolon) break;
      if (token.depth == depth && token.kind == TokenKind::kComma) break;
      if (token.kind == TokenKind::kCloseParen && token.depth < depth) break;
      last = k;
      any = true;
    }
    if (!any) return std::nullopt;
    return Trim(std::string_view(statement.text).substr(tokens[first].begin, tokens[last].end - tokens[first].begin));
  }

  // The parenthesised group after `keyword`: with `inner`, the text inside the parentheses;
  // otherwise the group itself, parentheses included.
  std::optional<std::string> ParenthesizedAfterKeyword(const Statement& statement, long long from, const char* keyword,
                                                       bool inner) const {
    const auto& tokens = statement.lex.tokens;
    std::size_t k = FirstTokenAt(tokens, static_cast<std::size_t>(std::max(0LL, from)));
    while (k < tokens.size() && !IsWord(statement.text, tokens[k], keyword)) ++k;
    if (k + 1 >= tokens.size() || tokens[k + 1].kind != TokenKind::kOpenParen) return std::nullopt;
    return GroupText(statement, k + 1, inner);
  }

  std::string GroupText(const Statement& statement, std::size_t open, bool inner) const {
    const auto& tokens = statement.lex.tokens;
    const std::size_t close = MatchingParen(tokens, open);
    const std::string_view text(statement.text);
    if (inner) {
      const std::size_t begin = tokens[open].end;
      const std::size_t end =
          std::max(begin, tokens[close].kind == TokenKind::kCloseParen ? tokens[close].begin : tokens[close].end);
      return Trim(text.substr(begin, end - begin));
    }
    return std::string(text.substr(tokens[open].begin, tokens[close].end - tokens[open].begin));
  }

  // Text from token `first` to the end of the statement, without the trailing ';'.
  std::string RestOfStatement(const Statement& statement, std::size_t first) const {
    const auto& tokens = statement.lex.tokens;
    if (first >= tokens.size()) return "";
    std::size_t last = tokens.size() - 1;
    while (last > first && tokens[last].kind == TokenKind::kSemicolon) --last;
    return Trim(std::string_view(statement.text).substr(tokens[first].begin, tokens[last].end - tokens[first].begin));
  }

  // ---- ALTER TABLE ------------------------------------------------------------------------

  void AlterTable(const Statement& statement, const json& node) {
    const auto& commands = Array(node, "cmds");
    const std::string object_type = Str(node, "objtype");
    bool only_ignored = true;
    for (const auto& wrapped : commands) {
      const std::string subtype = Str(wrapped.value("AlterTableCmd", json::object()), "subtype");
      if (subtype != "AT_ChangeOwner" && subtype != "AT_SetRelOptions" && subtype != "AT_ReplicaIdentity" &&
          subtype != "AT_ClusterOn" && subtype != "AT_SetStatistics" && subtype != "AT_SetStorage" &&
          subtype != "AT_EnableRowSecurity" && subtype != "AT_ForceRowSecurity" && subtype != "AT_SetCompression" &&
          subtype != "AT_AttachPartition" && subtype != "AT_SetLogged" && subtype != "AT_SetUnLogged" &&
          subtype != "AT_SetAccessMethod" && subtype != "AT_SetTableSpace" && subtype != "AT_ResetRelOptions") {
        only_ignored = false;
      }
    }
    if (only_ignored) return;
    if (object_type != "OBJECT_TABLE" && object_type != "OBJECT_FOREIGN_TABLE" && object_type != "OBJECT_VIEW" &&
        object_type != "OBJECT_MATVIEW") {
      Note(statement, -1, Headline(statement) + " is not read by dbaudit; any schema facts it carries are ignored");
      return;
    }
    ir::Table* table = RequireTable(statement, Child(node, "relation"));
    if (!table) return;
    std::size_t set_default_seen = 0;
    for (const auto& wrapped : commands) {
      const json& command = wrapped.value("AlterTableCmd", json::object());
      const std::string subtype = Str(command, "subtype");
      const std::string column_name = Str(command, "name");
      const json& def = command.contains("def") ? command["def"] : json::object();
      if (subtype == "AT_AddConstraint") {
        AddConstraint(statement, *table, def.value("Constraint", json::object()), "");
      } else if (subtype == "AT_ColumnDefault") {
        ir::Column* column = RequireColumn(statement, *table, column_name);
        const auto text = NthSetDefault(statement, set_default_seen++);
        if (column) column->server_default = command.contains("def") ? text : std::nullopt;
      } else if (subtype == "AT_AddIdentity") {
        ir::Column* column = RequireColumn(statement, *table, column_name);
        if (!column) continue;
        const json& constraint = def.value("Constraint", json::object());
        column->identity =
            Str(constraint, "generated_when") == "a" ? ir::IdentityKind::kAlways : ir::IdentityKind::kByDefault;
        column->nullable = false;
      } else if (subtype == "AT_DropIdentity") {
        if (ir::Column* column = RequireColumn(statement, *table, column_name))
          column->identity = ir::IdentityKind::kNone;
      } else if (subtype == "AT_SetNotNull" || subtype == "AT_DropNotNull") {
        if (ir::Column* column = RequireColumn(statement, *table, column_name))
          column->nullable = subtype == "AT_DropNotNull";
      } else if (subtype == "AT_AddColumn") {
        AddColumn(statement, *table, def.value("ColumnDef", json::object()));
      } else if (subtype == "AT_DropColumn") {
        auto& columns = table->columns;
        columns.erase(
            std::remove_if(columns.begin(), columns.end(), [&](const auto& c) { return c.name == column_name; }),
            columns.end());
      } else if (subtype == "AT_AlterColumnType") {
        ir::Column* column = RequireColumn(statement, *table, column_name);
        const json& column_def = def.value("ColumnDef", json::object());
        if (column && column_def.contains("typeName"))
          column->type = FormatTypeName(column_def["typeName"], kDefaultSchema);
      } else if (subtype == "AT_DropConstraint") {
        DropConstraint(*table, column_name);
      } else if (subtype == "AT_ChangeOwner" || subtype == "AT_SetRelOptions" || subtype == "AT_ReplicaIdentity" ||
                 subtype == "AT_ClusterOn" || subtype == "AT_SetStatistics" || subtype == "AT_SetStorage" ||
                 subtype == "AT_EnableRowSecurity" || subtype == "AT_ForceRowSecurity" ||
                 subtype == "AT_SetCompression" || subtype == "AT_AttachPartition" || subtype == "AT_SetLogged" ||
                 subtype == "AT_SetUnLogged" || subtype == "AT_SetAccessMethod" || subtype == "AT_SetTableSpace" ||
                 subtype == "AT_ResetRelOptions") {
        // Storage, ownership and partition bounds: nothing the Catalog models.
      } else {
        Note(statement, -1,
             "ALTER TABLE " + table->QualifiedName() + ": the " + subtype.substr(subtype.rfind('_') + 1) +
                 " command is not read by dbaudit");
      }
    }
  }

  ir::Column* RequireColumn(const Statement& statement, ir::Table& table, const std::string& column_name) {
    ir::Column* column = table.FindColumn(column_name);
    if (!column) {
      Note(statement, -1,
           "ALTER TABLE " + table.QualifiedName() + " refers to column " + column_name +
               ", which the table does not have; skipped");
    }
    return column;
  }

  // The expression of the n-th top-level "SET DEFAULT" in the statement.
  std::optional<std::string> NthSetDefault(const Statement& statement, std::size_t n) const {
    const auto& tokens = statement.lex.tokens;
    std::size_t seen = 0;
    for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
      if (tokens[k].depth != 0 || !IsWord(statement.text, tokens[k], "SET") ||
          !IsWord(statement.text, tokens[k + 1], "DEFAULT"))
        continue;
      if (seen++ == n) return ExpressionFrom(statement, k + 2, 0, -1);
    }
    return std::nullopt;
  }

  static void DropConstraint(ir::Table& table, const std::string& name) {
    if (table.primary_key && table.primary_key->name == name) table.primary_key.reset();
    auto drop = [&](auto& list) {
      list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& item) { return item.name == name; }),
                 list.end());
    };
    drop(table.foreign_keys);
    drop(table.unique_constraints);
    drop(table.check_constraints);
  }

  // ---- indexes ----------------------------------------------------------------------------

  void CreateIndex(const Statement& statement, const json& node) {
    ir::Table* table = RequireTable(statement, Child(node, "relation"));
    if (!table) return;
    ir::Index index;
    index.unique = Bool(node, "unique");
    index.method = Str(node, "accessMethod");
    if (index.method.empty()) index.method = "btree";
    index.location = StatementLoc(statement);
    const auto& tokens = statement.lex.tokens;
    // The key list is the first parenthesised group after the top-level ON.
    std::size_t k = 0;
    while (k < tokens.size() && !(tokens[k].depth == 0 && IsWord(statement.text, tokens[k], "ON"))) ++k;
    while (k < tokens.size() && tokens[k].kind != TokenKind::kOpenParen) ++k;
    std::vector<std::pair<std::size_t, std::size_t>> elements;  // token ranges of each key
    std::size_t close = k;
    if (k < tokens.size()) {
      close = MatchingParen(tokens, k);
      std::size_t start = k + 1;
      for (std::size_t j = k + 1; j <= close && j < tokens.size(); ++j) {
        if (j == close || (tokens[j].kind == TokenKind::kComma && tokens[j].depth == tokens[k].depth + 1)) {
          elements.emplace_back(start, j);
          start = j + 1;
        }
      }
    }
    std::vector<std::string> name_parts;
    const auto& params = Array(node, "indexParams");
    for (std::size_t i = 0; i < params.size(); ++i) {
      const json& element = params[i].value("IndexElem", json::object());
      const std::string column = Str(element, "name");
      if (!column.empty()) {
        index.keys.push_back(column);
        name_parts.push_back(column);
        continue;
      }
      name_parts.push_back(FigureIndexColumnName(element.value("expr", json::object())));
      if (i < elements.size() && elements[i].first < elements[i].second) {
        index.keys.push_back(ExpressionKeyText(statement, elements[i].first, elements[i].second));
      } else {
        index.keys.push_back("");
        Note(statement, -1, "an expression key of index " + Str(node, "idxname") + " could not be located");
      }
    }
    for (const auto& include : Array(node, "indexIncludingParams")) {
      index.include.push_back(Str(include.value("IndexElem", json::object()), "name"));
    }
    if (node.contains("whereClause")) {
      std::size_t w = close;
      while (w < tokens.size() && !(tokens[w].depth == 0 && IsWord(statement.text, tokens[w], "WHERE"))) ++w;
      if (w + 1 < tokens.size()) index.predicate = RestOfStatement(statement, w + 1);
    }
    index.name = Str(node, "idxname");
    if (index.name.empty()) index.name = DefaultIndexName(table->name, name_parts);
    if (Bool(node, "if_not_exists")) {
      for (const auto& existing : table->indexes) {
        if (existing.name == index.name) return;
      }
    }
    table->indexes.push_back(std::move(index));
  }

  // An expression key is a function call or a parenthesised expression: it ends where its
  // first parenthesised group closes (COLLATE, opclass and ordering follow).
  std::string ExpressionKeyText(const Statement& statement, std::size_t first, std::size_t end) const {
    const auto& tokens = statement.lex.tokens;
    std::size_t last = end - 1;
    for (std::size_t j = first; j < end; ++j) {
      if (tokens[j].kind == TokenKind::kOpenParen) {
        last = std::min(MatchingParen(tokens, j), end - 1);
        break;
      }
    }
    return std::string(
        std::string_view(statement.text).substr(tokens[first].begin, tokens[last].end - tokens[first].begin));
  }

  // FigureColname() as index naming uses it: a function's name, a column's name, else "expr".
  static std::string FigureIndexColumnName(const json& expression) {
    if (expression.contains("FuncCall")) {
      const auto names = NameList(expression["FuncCall"].value("funcname", json::array()));
      if (!names.empty()) return names.back();
    }
    if (expression.contains("ColumnRef")) {
      const auto fields = NameList(expression["ColumnRef"].value("fields", json::array()));
      if (!fields.empty()) return fields.back();
    }
    if (expression.contains("TypeCast")) {
      const std::string inner = FigureIndexColumnName(expression["TypeCast"].value("arg", json::object()));
      if (inner != "expr") return inner;
      const auto names =
          NameList(expression["TypeCast"].value("typeName", json::object()).value("names", json::array()));
      if (!names.empty()) return names.back();
    }
    if (expression.contains("CoalesceExpr")) return "coalesce";
    if (expression.contains("CaseExpr")) return "case";
    if (expression.contains("MinMaxExpr")) {
      return Str(expression["MinMaxExpr"], "op") == "IS_GREATEST" ? "greatest" : "least";
    }
    return "expr";
  }

  // ChooseIndexName(): "<table>_<columns>_idx", expression keys named "expr", "expr1", ...
  static std::string DefaultIndexName(const std::string& table, const std::vector<std::string>& parts) {
    std::vector<std::string> unique_parts;
    for (const auto& part : parts) {
      std::string candidate = part;
      for (int i = 1; std::find(unique_parts.begin(), unique_parts.end(), candidate) != unique_parts.end(); ++i) {
        candidate = part + std::to_string(i);
      }
      unique_parts.push_back(candidate);
    }
    return MakeObjectName(table, JoinNames(unique_parts, "_"), "idx");
  }

  // ---- sequences --------------------------------------------------------------------------

  ir::Sequence* FindSequence(const std::string& schema, const std::string& name) {
    for (auto& sequence : catalog_.sequences) {
      if (sequence.schema == schema && sequence.name == name) return &sequence;
    }
    return nullptr;
  }

  void CreateSequence(const Statement& statement, const json& node) {
    const auto [schema, name] = RangeVarName(Child(node, "sequence"));
    ir::Sequence* sequence = FindSequence(schema, name);
    if (!sequence) {
      sequence = &catalog_.sequences.emplace_back();
      sequence->schema = schema;
      sequence->name = name;
    }
    sequence->location = StatementLoc(statement);
    ApplySequenceOptions(*sequence, node);
  }

  void AlterSequence(const Statement& statement, const json& node) {
    const auto [schema, name] = RangeVarName(Child(node, "sequence"));
    ir::Sequence* sequence = FindSequence(schema, name);
    if (!sequence) {
      if (!Bool(node, "missing_ok")) {
        Note(statement, -1, "ALTER SEQUENCE refers to " + schema + "." + name + ", which no earlier statement created");
      }
      return;
    }
    ApplySequenceOptions(*sequence, node);
  }

  static void ApplySequenceOptions(ir::Sequence& sequence, const json& node) {
    for (const auto& option : Array(node, "options")) {
      const json& def = option.value("DefElem", json::object());
      if (Str(def, "defname") != "owned_by") continue;
      const auto names = NameList(def.value("arg", json::object()));
      if (names.size() >= 2) {
        sequence.owned_by_table = names[names.size() - 2];
        sequence.owned_by_column = names.back();
      } else {
        sequence.owned_by_table.clear();
        sequence.owned_by_column.clear();
      }
    }
  }

  // ---- triggers, functions, views ------------------------------------------------------

  void CreateTrigger(const Statement& statement, const json& node) {
    ir::Table* table = RequireTable(statement, Child(node, "relation"));
    if (!table) return;
    ir::Trigger trigger;
    trigger.name = Str(node, "trigname");
    const long long timing = Int(node, "timing");
    trigger.timing = (timing & 64) ? "INSTEAD OF" : (timing & 2) ? "BEFORE" : "AFTER";
    const long long events = Int(node, "events");
    if (events & 4) trigger.events.push_back("INSERT");
    if (events & 8) trigger.events.push_back("DELETE");
    if (events & 16) trigger.events.push_back("UPDATE");
    if (events & 32) trigger.events.push_back("TRUNCATE");
    std::sort(trigger.events.begin(), trigger.events.end());
    trigger.for_each_row = Bool(node, "row");
    const auto function = NameList(Array(node, "funcname"));
    if (!function.empty()) {
      trigger.function_name = function.back();
      trigger.function_schema = function.size() >= 2 ? function[function.size() - 2] : kDefaultSchema;
    }
    trigger.arguments = NameList(Array(node, "args"));
    if (node.contains("whenClause")) {
      const auto& tokens = statement.lex.tokens;
      for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
        if (tokens[k].depth == 0 && IsWord(statement.text, tokens[k], "WHEN") &&
            tokens[k + 1].kind == TokenKind::kOpenParen) {
          trigger.when = GroupText(statement, k + 1, /*inner=*/true);
          break;
        }
      }
    }
    trigger.location = StatementLoc(statement);
    auto& triggers = table->triggers;
    triggers.erase(
        std::remove_if(triggers.begin(), triggers.end(), [&](const auto& t) { return t.name == trigger.name; }),
        triggers.end());
    triggers.push_back(std::move(trigger));
  }

  void CreateFunction(const Statement& statement, const json& node) {
    ir::Function function;
    const auto names = NameList(Array(node, "funcname"));
    if (names.empty()) return;
    function.name = names.back();
    function.schema = names.size() >= 2 ? names[names.size() - 2] : kDefaultSchema;
    const bool procedure = Bool(node, "is_procedure");
    std::vector<std::string> arguments;
    std::vector<std::string> table_columns;
    std::vector<std::string> out_types;
    for (const auto& wrapped : Array(node, "parameters")) {
      const json& parameter = wrapped.value("FunctionParameter", json::object());
      const std::string mode = Str(parameter, "mode");
      const std::string type =
          parameter.contains("argType") ? FormatTypeName(parameter["argType"], kDefaultSchema) : "";
      const std::string parameter_name = Str(parameter, "name");
      const std::string named = parameter_name.empty() ? type : QuoteIdentifier(parameter_name) + " " + type;
      if (mode == "FUNC_PARAM_TABLE") {
        table_columns.push_back(named);
        continue;
      }
      std::string prefix;
      if (mode == "FUNC_PARAM_OUT") prefix = "OUT ";
      if (mode == "FUNC_PARAM_INOUT") prefix = "INOUT ";
      if (mode == "FUNC_PARAM_VARIADIC") prefix = "VARIADIC ";
      // pg_get_function_identity_arguments() spells IN out for procedures only.
      if (procedure && (mode == "FUNC_PARAM_IN" || mode == "FUNC_PARAM_DEFAULT")) prefix = "IN ";
      if (mode == "FUNC_PARAM_OUT" || mode == "FUNC_PARAM_INOUT") out_types.push_back(type);
      arguments.push_back(prefix + named);
    }
    function.arguments = JoinNames(arguments, ", ");
    if (procedure) {
      function.returns = "";
    } else if (!table_columns.empty()) {
      function.returns = "TABLE(" + JoinNames(table_columns, ", ") + ")";
    } else if (node.contains("returnType")) {
      const json& type = node["returnType"];
      function.returns = (Bool(type, "setof") ? "SETOF " : "") + FormatTypeName(type, kDefaultSchema);
    } else {
      function.returns = out_types.size() == 1 ? out_types[0] : "record";
    }
    for (const auto& option : Array(node, "options")) {
      const json& def = option.value("DefElem", json::object());
      const std::string option_name = Str(def, "defname");
      if (option_name == "language") function.language = Str(def, "arg");
      if (option_name == "as") {
        const auto parts = NameList(def.value("arg", json::object()));
        // For C functions AS 'file', 'symbol': prosrc is the link symbol.
        if (!parts.empty()) function.body = parts.back();
      }
    }
    function.location = StatementLoc(statement);
    auto& functions = catalog_.functions;
    functions.erase(std::remove_if(functions.begin(), functions.end(),
                                   [&](const ir::Function& f) {
                                     return f.schema == function.schema && f.name == function.name &&
                                            f.arguments == function.arguments;
                                   }),
                    functions.end());
    functions.push_back(std::move(function));
  }

  // The view's query: everything after the first top-level AS, without the trailing
  // WITH [CASCADED|LOCAL] CHECK OPTION / WITH [NO] DATA that pg_get_viewdef() does not print.
  std::string ViewDefinition(const Statement& statement) const {
    const auto& tokens = statement.lex.tokens;
    std::size_t k = 0;
    while (k < tokens.size() && !(tokens[k].depth == 0 && IsWord(statement.text, tokens[k], "AS"))) ++k;
    if (k + 1 >= tokens.size()) return "";
    std::size_t last = tokens.size() - 1;
    while (last > k && tokens[last].kind == TokenKind::kSemicolon) --last;
    auto word = [&](std::size_t j, const char* keyword) { return j > k && IsWord(statement.text, tokens[j], keyword); };
    if (last >= 2 && word(last, "OPTION") && word(last - 1, "CHECK")) {
      last -= 2;
      if (word(last, "CASCADED") || word(last, "LOCAL")) --last;
      if (word(last, "WITH")) --last;
    } else if (last >= 1 && word(last, "DATA")) {
      --last;
      if (word(last, "NO")) --last;
      if (word(last, "WITH")) --last;
    }
    if (last <= k) return "";
    return Trim(std::string_view(statement.text).substr(tokens[k + 1].begin, tokens[last].end - tokens[k + 1].begin));
  }

  void AddView(const Statement& statement, const json& range_var, ir::TableKind kind) {
    const auto [schema, name] = RangeVarName(range_var);
    ir::Table& view = AddTable(schema, name);
    view.kind = kind;
    view.view_definition = ViewDefinition(statement);
    view.location = StatementLoc(statement);
  }

  void CreateView(const Statement& statement, const json& node) {
    AddView(statement, Child(node, "view"), ir::TableKind::kView);
  }

  void CreateTableAs(const Statement& statement, const json& node) {
    const json& into = node.value("into", json::object());
    if (Str(node, "objtype") == "OBJECT_MATVIEW") {
      if (Bool(node, "if_not_exists") && FindTable(into.value("rel", json::object()))) return;
      AddView(statement, into.value("rel", json::object()), ir::TableKind::kMaterializedView);
      return;
    }
    const auto [schema, name] = RangeVarName(into.value("rel", json::object()));
    Note(statement, -1,
         "CREATE TABLE " + schema + "." + name + " AS ...: its columns are not known without a database");
  }

  // ---- comments, enums, drops ------------------------------------------------------------

  void Comment(const Statement& statement, const json& node) {
    const std::string object_type = Str(node, "objtype");
    const auto names = NameList(node.value("object", json::object()));
    const std::string comment = Str(node, "comment");
    if (object_type == "OBJECT_TABLE" || object_type == "OBJECT_VIEW" || object_type == "OBJECT_MATVIEW" ||
        object_type == "OBJECT_FOREIGN_TABLE") {
      if (names.empty()) return;
      ir::Table* table = FindTable(names.size() >= 2 ? names[names.size() - 2] : kDefaultSchema, names.back());
      if (table) {
        table->comment = comment;
      } else {
        Note(statement, -1, "COMMENT ON " + JoinNames(names, ".") + ": no earlier statement created it");
      }
    } else if (object_type == "OBJECT_COLUMN") {
      if (names.size() < 2) return;
      const std::string schema = names.size() >= 3 ? names[names.size() - 3] : kDefaultSchema;
      ir::Table* table = FindTable(schema, names[names.size() - 2]);
      ir::Column* column = table ? table->FindColumn(names.back()) : nullptr;
      if (column) {
        column->comment = comment;
      } else {
        Note(statement, -1, "COMMENT ON COLUMN " + JoinNames(names, ".") + ": no earlier statement created it");
      }
    }
    // Comments on other objects (extensions, functions, types, ...) are not modelled.
  }

  ir::EnumType* FindEnumType(const std::string& schema, const std::string& name) {
    for (auto& enum_type : catalog_.enums) {
      if (enum_type.schema == schema && enum_type.name == name) return &enum_type;
    }
    return nullptr;
  }

  void CreateEnum(const Statement& statement, const json& node) {
    const auto names = NameList(Array(node, "typeName"));
    if (names.empty()) return;
    ir::EnumType enum_type;
    enum_type.name = names.back();
    enum_type.schema = names.size() >= 2 ? names[names.size() - 2] : kDefaultSchema;
    enum_type.labels = NameList(Array(node, "vals"));
    enum_type.location = StatementLoc(statement);
    catalog_.enums.push_back(std::move(enum_type));
  }

  void AlterEnum(const Statement& statement, const json& node) {
    const auto names = NameList(Array(node, "typeName"));
    if (names.empty()) return;
    ir::EnumType* enum_type = FindEnumType(names.size() >= 2 ? names[names.size() - 2] : kDefaultSchema, names.back());
    if (!enum_type) {
      Note(statement, -1, "ALTER TYPE " + JoinNames(names, ".") + ": no earlier statement created it");
      return;
    }
    auto& labels = enum_type->labels;
    const std::string old_value = Str(node, "oldVal");
    const std::string new_value = Str(node, "newVal");
    if (!old_value.empty()) {
      std::replace(labels.begin(), labels.end(), old_value, new_value);
      return;
    }
    if (std::find(labels.begin(), labels.end(), new_value) != labels.end()) return;  // IF NOT EXISTS
    const std::string neighbor = Str(node, "newValNeighbor");
    auto position = std::find(labels.begin(), labels.end(), neighbor);
    if (neighbor.empty() || position == labels.end()) {
      labels.push_back(new_value);
    } else {
      labels.insert(Bool(node, "newValIsAfter") ? position + 1 : position, new_value);
    }
  }

  void Drop(const Statement& statement, const json& node) {
    const std::string remove_type = Str(node, "removeType");
    for (const auto& object : Array(node, "objects")) {
      const auto names = NameList(object);
      if (names.empty()) continue;
      const std::string schema = names.size() >= 2 ? names[names.size() - 2] : kDefaultSchema;
      const std::string& name = names.back();
      if (remove_type == "OBJECT_TABLE" || remove_type == "OBJECT_VIEW" || remove_type == "OBJECT_MATVIEW" ||
          remove_type == "OBJECT_FOREIGN_TABLE") {
        DropTable(schema, name);
      } else if (remove_type == "OBJECT_SEQUENCE") {
        auto& sequences = catalog_.sequences;
        sequences.erase(std::remove_if(sequences.begin(), sequences.end(),
                                       [&](const auto& s) { return s.schema == schema && s.name == name; }),
                        sequences.end());
      } else if (remove_type == "OBJECT_INDEX") {
        for (auto& table : catalog_.tables) {
          if (table.schema != schema) continue;
          auto& indexes = table.indexes;
          indexes.erase(std::remove_if(indexes.begin(), indexes.end(), [&](const auto& i) { return i.name == name; }),
                        indexes.end());
        }
      } else if (remove_type == "OBJECT_TYPE") {
        auto& enums = catalog_.enums;
        enums.erase(std::remove_if(enums.begin(), enums.end(),
                                   [&](const auto& e) { return e.schema == schema && e.name == name; }),
                    enums.end());
      } else if (remove_type == "OBJECT_SCHEMA" || remove_type == "OBJECT_EXTENSION") {
        // Nothing modelled.
      } else {
        Note(statement, -1, Headline(statement) + " is not replayed by dbaudit");
        return;
      }
    }
  }

  void DropTable(const std::string& schema, const std::string& name) {
    const auto it = table_index_.find(schema + "." + name);
    if (it == table_index_.end()) return;
    catalog_.tables.erase(catalog_.tables.begin() + static_cast<std::ptrdiff_t>(it->second));
    table_index_.clear();
    for (std::size_t i = 0; i < catalog_.tables.size(); ++i) {
      table_index_[catalog_.tables[i].schema + "." + catalog_.tables[i].name] = i;
    }
  }

  // ---- the end ------------------------------------------------------------------------------

  bool Wanted(const std::string& schema) const {
    if (options_.schemas.empty()) return !IsSystemSchema(schema);
    return std::find(options_.schemas.begin(), options_.schemas.end(), schema) != options_.schemas.end();
  }

  bool Ignored(const std::string& table) const {
    return std::find(options_.ignored_tables.begin(), options_.ignored_tables.end(), table) !=
           options_.ignored_tables.end();
  }

  void Finish() {
    for (auto& table : catalog_.tables) {
      // Primary key columns are NOT NULL whether or not the script says so.
      if (table.primary_key) {
        for (const auto& name : table.primary_key->columns) {
          if (ir::Column* column = table.FindColumn(name)) column->nullable = false;
        }
      }
      // REFERENCES t without a column list means t's primary key.
      for (auto& key : table.foreign_keys) {
        if (!key.referenced_columns.empty()) continue;
        const ir::Table* referenced = FindTable(key.referenced_schema, key.referenced_table);
        if (referenced && referenced->primary_key) key.referenced_columns = referenced->primary_key->columns;
      }
    }
    auto& tables = catalog_.tables;
    tables.erase(std::remove_if(tables.begin(), tables.end(),
                                [&](const ir::Table& t) { return !Wanted(t.schema) || Ignored(t.name); }),
                 tables.end());
    auto& sequences = catalog_.sequences;
    sequences.erase(std::remove_if(sequences.begin(), sequences.end(),
                                   [&](const ir::Sequence& s) {
                                     return !Wanted(s.schema) ||
                                            (!s.owned_by_table.empty() && Ignored(s.owned_by_table));
                                   }),
                    sequences.end());
    auto& enums = catalog_.enums;
    enums.erase(std::remove_if(enums.begin(), enums.end(), [&](const ir::EnumType& e) { return !Wanted(e.schema); }),
                enums.end());
    auto& functions = catalog_.functions;
    functions.erase(
        std::remove_if(functions.begin(), functions.end(), [&](const ir::Function& f) { return !Wanted(f.schema); }),
        functions.end());
    catalog_.Normalize();
  }

  std::string text_;
  std::string display_path_;
  const DumpReaderOptions& options_;
  LineIndex lines_;
  ir::Catalog catalog_;
  std::unordered_map<std::string, std::size_t> table_index_;
};

}  // namespace

ir::Result<ir::Catalog> ReadDumpText(const std::string& sql, const std::string& display_path,
                                     const DumpReaderOptions& options) {
  // Editors on Windows save UTF-8 with a byte-order mark; it is no part of the SQL.
  static constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  const bool bom = sql.starts_with(kUtf8Bom);
  DumpReader reader(bom ? sql.substr(kUtf8Bom.size()) : sql, display_path, options);
  return reader.Run();
}

ir::Result<ir::Catalog> ReadDumpFile(const std::string& path, const std::string& display_path,
                                     const DumpReaderOptions& options) {
  std::error_code status;
  if (std::filesystem::is_directory(path, status)) {
    ir::Error error;
    error.message = "cannot read " + path + ": " + std::strerror(EISDIR);
    error.location.file = display_path;
    return error;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    const int error_number = errno;
    ir::Error error;
    error.message = "cannot read " + path + ": " + std::strerror(error_number);
    error.location.file = display_path;
    return error;
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) {
    const int error_number = errno;
    ir::Error error;
    error.message = "cannot read " + path + ": " + std::strerror(error_number);
    error.location.file = display_path;
    return error;
  }
  return ReadDumpText(contents.str(), display_path, options);
}

}  // namespace dbaudit::sql
