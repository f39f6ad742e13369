#include "analyzer/python/query_collect.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <string_view>
#include <unordered_map>

namespace dbaudit::python {

namespace {

constexpr int kMaxWalkDepth = 200;  // syntax nesting walked for sites
constexpr int kMaxValueDepth = 48;  // nesting of a SqlValue graph
constexpr std::size_t kMaxSourceShown = 120;
constexpr int kMaxStatementDepth = 100;
constexpr std::size_t kMaxScopeNames = 512;
constexpr std::uint32_t kMaxCollectionItems = 256;
const char* const kOverflow = "\x01overflow";

bool Is(TSNode node, const char* type) {
  return std::strcmp(ts_node_type(node), type) == 0;
}

// ts_node_child_by_field_name compares the name with every field name of the grammar on each
// call; the names here are literals, so each thread looks each one up once.
TSNode Field(TSNode node, const char* name) {
  thread_local std::unordered_map<const char*, TSFieldId> ids;
  auto [it, inserted] = ids.try_emplace(name, 0);
  if (inserted) {
    it->second =
        ts_language_field_id_for_name(ts_tree_language(node.tree), name, static_cast<std::uint32_t>(std::strlen(name)));
  }
  return ts_node_child_by_field_id(node, it->second);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsUpper(const std::string& name) {
  return !name.empty() && std::isupper(static_cast<unsigned char>(name[0]));
}

std::vector<std::string> SplitDots(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('.', start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

void AppendUtf8(std::string* out, std::uint32_t code) {
  if (code < 0x80) {
    *out += static_cast<char>(code);
  } else if (code < 0x800) {
    *out += static_cast<char>(0xC0 | (code >> 6));
    *out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    *out += static_cast<char>(0xE0 | (code >> 12));
    *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (code >> 18));
    *out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// One link of `a.b(x).c(y)`: the root name, an attribute, a call, or another root expression.
struct Link {
  enum Kind { kName, kAttr, kCall, kOther } kind = kOther;
  TSNode node{};       // the whole expression up to and including this link
  TSNode name_node{};  // kName / kAttr: the identifier
  std::string name;
};

using Scope = std::unordered_map<std::string, SqlValuePtr>;
// Bindings made inside a branch with the values they replaced (nullptr: the name was unbound).
using Journal = std::vector<std::pair<std::string, SqlValuePtr>>;

struct Ctx {
  Scope* scope = nullptr;  // null at module level
  Journal* journal = nullptr;
  bool class_body = false;
  std::string enclosing_class;
  bool schema_args = false;  // inside the arguments of Column(), Index(), ...
  // In a declared_attr / classmethod of a module-level class: the name of its first parameter
  // (the class itself) and the class, so that `cls.attr = ...` adds attr to the class.
  std::string class_param;
  std::string class_param_owner;
};

// DB-API drivers and clients of databases other than PostgreSQL: SQL handed to a cursor or
// connection of a file that imports one of them (and no PostgreSQL driver) goes there.
const std::set<std::string> kOtherDatabaseDrivers = {
    "MySQLdb",   "pymysql",  "mysql",     "mariadb", "cx_Oracle",         "oracledb",  "pyodbc",     "pymssql",
    "nzpy",      "pyexasol", "snowflake", "duckdb",  "clickhouse_driver", "ibm_db",    "ibm_db_dbi", "teradatasql",
    "trino",     "prestodb", "pyhive",    "impala",  "vertica_python",    "pinotdb",   "pydruid",    "databend_driver",
    "pyathena",  "sqlite3",  "aiosqlite", "apsw",    "pysqlite2",         "cassandra", "pymongo",    "kylinpy",
    "phoenixdb", "pydgraph"};

// Dialect names other than PostgreSQL's, as a condition spells them (`dialect.name == "sqlite"`).
const char* const kOtherDialects[] = {"sqlite", "mysql", "mariadb", "oracle", "mssql", "sybase", "firebird"};

// Methods that run a whole statement handed to them: text() there is a statement.
const std::set<std::string> kStatementSinks = {
    "execute",        "exec_driver_sql", "executemany",    "scalar", "scalars",  "stream",   "stream_scalars",
    "from_statement", "read_sql",        "read_sql_query", "fetch",  "fetchrow", "fetchval", "executescript"};

// Calls whose arguments are SQL expressions (column clauses, conditions, values).
const std::set<std::string> kExpressionTakers = {"where",
                                                 "filter",
                                                 "having",
                                                 "and_",
                                                 "or_",
                                                 "not_",
                                                 "case",
                                                 "coalesce",
                                                 "select",
                                                 "add_columns",
                                                 "with_only_columns",
                                                 "columns",
                                                 "values",
                                                 "returning",
                                                 "label",
                                                 "in_",
                                                 "notin_",
                                                 "op",
                                                 "join",
                                                 "outerjoin",
                                                 "exists",
                                                 "tuple_",
                                                 "cast",
                                                 "over",
                                                 "nullif",
                                                 "on_conflict_do_update",
                                                 "on_conflict_do_nothing",
                                                 "distinct",
                                                 "correlate",
                                                 "any_",
                                                 "all_",
                                                 "between",
                                                 "like",
                                                 "ilike",
                                                 "is_",
                                                 "isnot",
                                                 "is_not",
                                                 "contains",
                                                 "startswith",
                                                 "endswith",
                                                 "filter_by",
                                                 "else_",
                                                 "when",
                                                 "funcfilter",
                                                 "within_group",
                                                 "true",
                                                 "false",
                                                 "literal",
                                                 "type_coerce",
                                                 "collate",
                                                 "extract",
                                                 "lateral",
                                                 "set_"};

// Keyword arguments whose value is a SQL expression.
const std::set<std::string> kExpressionKeywords = {
    "postgresql_where", "sqlite_where",   "mssql_where",     "index_where",   "whereclause", "where",
    "onclause",         "server_default", "server_onupdate", "default",       "onupdate",    "sqltext",
    "postgresql_using", "set_",           "primaryjoin",     "secondaryjoin", "else_",       "value"};

const std::set<std::string> kSessionMethods = {"add",
                                               "add_all",
                                               "delete",
                                               "merge",
                                               "commit",
                                               "flush",
                                               "get",
                                               "scalars",
                                               "scalar",
                                               "execute",
                                               "refresh",
                                               "rollback",
                                               "query",
                                               "expunge",
                                               "expire",
                                               "bulk_save_objects",
                                               "bulk_insert_mappings",
                                               "bulk_update_mappings"};

const std::set<std::string> kSchemaConstructs = {"Column",
                                                 "mapped_column",
                                                 "Index",
                                                 "CheckConstraint",
                                                 "Table",
                                                 "UniqueConstraint",
                                                 "Computed",
                                                 "PrimaryKeyConstraint",
                                                 "ForeignKeyConstraint",
                                                 "ForeignKey",
                                                 "Sequence",
                                                 "relationship",
                                                 "column_property",
                                                 "Identity",
                                                 "create_index",
                                                 "add_column",
                                                 "alter_column",
                                                 "create_table",
                                                 "create_check_constraint",
                                                 "Field"};

const std::set<std::string> kConstructs = {"select", "insert", "update", "delete", "union", "union_all", "exists"};

// Query methods that keep the entity `filter_by` applies to.
const std::set<std::string> kEntityPreserving = {"filter",
                                                 "filter_by",
                                                 "where",
                                                 "order_by",
                                                 "limit",
                                                 "offset",
                                                 "options",
                                                 "distinct",
                                                 "group_by",
                                                 "having",
                                                 "execution_options",
                                                 "params",
                                                 "yield_per",
                                                 "enable_assertions",
                                                 "populate_existing",
                                                 "with_for_update"};

const std::set<std::string> kAlembicDdl = {"create_table",
                                           "drop_table",
                                           "add_column",
                                           "drop_column",
                                           "alter_column",
                                           "create_index",
                                           "drop_index",
                                           "create_foreign_key",
                                           "drop_constraint",
                                           "create_unique_constraint",
                                           "create_check_constraint",
                                           "create_primary_key",
                                           "rename_table",
                                           "create_table_comment",
                                           "drop_table_comment",
                                           "create_exclude_constraint"};

class Collector {
 public:
  Collector(const std::string& source, FileQueryFacts& out) : source_(source), out_(out) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < source_.size(); ++i) {
      if (source_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }

  void Run(TSNode root) {
    PreImports(root, 0);
    Ctx ctx;
    Block(root, ctx, 0);
    std::stable_sort(out_.sites.begin(), out_.sites.end(), [](const RawSite& a, const RawSite& b) {
      return std::tie(a.span.line, a.span.column) < std::tie(b.span.line, b.span.column);
    });
  }

 private:
  // ----- text and positions -----

  std::string_view Text(TSNode node) const {
    std::uint32_t start = ts_node_start_byte(node);
    std::uint32_t end = ts_node_end_byte(node);
    if (start > source_.size() || end > source_.size() || end < start) return {};
    return std::string_view(source_).substr(start, end - start);
  }

  std::string Shown(TSNode node) const {
    std::string_view text = Text(node);
    std::string shown;
    for (char c : text.substr(0, kMaxSourceShown)) shown += (c == '\n' || c == '\r') ? ' ' : c;
    if (text.size() > kMaxSourceShown) shown += "...";
    return shown;
  }

  // 1-based line and character column of a byte offset. Offsets are mostly visited in
  // increasing order, so the last answer is reused to keep long lines linear.
  void PositionOf(std::uint32_t byte, std::uint32_t* line, std::uint32_t* column) {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte);
    std::uint32_t row = static_cast<std::uint32_t>(it - line_starts_.begin()) - 1;
    std::uint32_t from = line_starts_[row];
    std::uint32_t chars = 0;
    if (cache_row_ == row && cache_byte_ <= byte && cache_byte_ >= from) {
      from = cache_byte_;
      chars = cache_chars_;
    }
    std::uint32_t end = std::min<std::uint32_t>(byte, static_cast<std::uint32_t>(source_.size()));
    for (std::uint32_t i = from; i < end; ++i) {
      if ((static_cast<unsigned char>(source_[i]) & 0xC0) != 0x80) ++chars;
    }
    cache_row_ = row;
    cache_byte_ = end;
    cache_chars_ = chars;
    *line = row + 1;
    *column = chars + 1;
  }

  Span SpanOf(TSNode node) {
    Span span;
    PositionOf(ts_node_start_byte(node), &span.line, &span.column);
    PositionOf(ts_node_end_byte(node), &span.end_line, &span.end_column);
    return span;
  }

  Span SpanBetween(TSNode first, TSNode last) {
    Span span;
    PositionOf(ts_node_start_byte(first), &span.line, &span.column);
    PositionOf(ts_node_end_byte(last), &span.end_line, &span.end_column);
    return span;
  }

  void Event(ir::Interaction interaction, TSNode node) { out_.events.push_back({interaction, SpanOf(node)}); }

  // ----- imports -----

  void PreImports(TSNode parent, int depth) {
    if (depth > 4) return;
    std::uint32_t count = ts_node_named_child_count(parent);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode node = ts_node_named_child(parent, i);
      if (Is(node, "import_statement") || Is(node, "import_from_statement")) {
        Import(node, false);
      } else if (Is(node, "if_statement") || Is(node, "try_statement") || Is(node, "block") ||
                 Is(node, "else_clause") || Is(node, "except_clause") || Is(node, "finally_clause") ||
                 Is(node, "elif_clause")) {
        PreImports(node, depth + 1);
      }
    }
  }

  std::string Dotted(TSNode node) const {
    std::string result;
    for (char c : Text(node)) {
      if (!std::isspace(static_cast<unsigned char>(c)) && c != '\\') result += c;
    }
    return result;
  }

  // Learns which libraries the file uses; `record` adds the import to the interactions.
  void ImportEvent(const std::string& module, TSNode node, bool record) {
    std::string root = module.substr(0, module.find('.'));
    auto event = [&](ir::Interaction interaction) {
      if (record) Event(interaction, node);
    };
    if (root == "sqlalchemy" || root == "sqlmodel") {
      event(ir::Interaction::kSqlalchemyImport);
      sqlalchemy_imported_ = true;
    } else if (root == "flask_sqlalchemy") {
      event(ir::Interaction::kFlaskSqlalchemyImport);
      sqlalchemy_imported_ = true;
    } else if (root == "psycopg2" || root == "psycopg" || root == "asyncpg" || root == "pg8000" || root == "sqlite3") {
      event(ir::Interaction::kDbApiDriver);
      if (root == "asyncpg") asyncpg_imported_ = true;
      if (root == "sqlite3") {
        sqlite_imported_ = true;
        if (other_driver_.empty()) other_driver_ = root;
      }
      if (root == "psycopg2" || root == "psycopg" || root == "pg8000") psycopg_imported_ = true;
    } else if (root == "alembic") {
      event(ir::Interaction::kMigration);
    } else if (kOtherDatabaseDrivers.count(root) && (root != "mysql" || module.rfind("mysql.connector", 0) == 0)) {
      if (other_driver_.empty()) other_driver_ = root == "mysql" ? "mysql.connector" : root;
    } else if (root == "requests" || root == "httpx" || root == "aiohttp") {
      http_imported_ = true;
    }
  }

  // `record_events` is false in the pre-pass (which only learns names) and true in the walk.
  void Import(TSNode node, bool record_events) {
    std::uint32_t count = ts_node_named_child_count(node);
    if (Is(node, "import_statement")) {
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode name = ts_node_named_child(node, i);
        if (Is(name, "dotted_name")) {
          std::string dotted = Dotted(name);
          std::string head = dotted.substr(0, dotted.find('.'));
          imports_[head] = head;
          ImportEvent(dotted, node, record_events);
        } else if (Is(name, "aliased_import")) {
          TSNode target = Field(name, "name");
          TSNode alias = Field(name, "alias");
          if (ts_node_is_null(target) || ts_node_is_null(alias)) continue;
          imports_[std::string(Text(alias))] = Dotted(target);
          ImportEvent(Dotted(target), node, record_events);
        }
      }
      return;
    }
    TSNode module_node = Field(node, "module_name");
    if (ts_node_is_null(module_node)) return;
    std::string module = Dotted(module_node);
    bool relative = !module.empty() && module[0] == '.';
    if (!relative) ImportEvent(module, node, record_events);
    while (!module.empty() && module[0] == '.') module.erase(0, 1);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (ts_node_eq(child, module_node)) continue;
      std::string prefix = module.empty() ? "" : module + ".";
      if (Is(child, "dotted_name")) {
        std::string name = Dotted(child);
        imports_[name] = relative ? "." + prefix + name : prefix + name;
        if (record_events && !relative && module == "alembic" && name == "op") out_.is_migration = true;
      } else if (Is(child, "aliased_import")) {
        TSNode target = Field(child, "name");
        TSNode alias = Field(child, "alias");
        if (ts_node_is_null(target) || ts_node_is_null(alias)) continue;
        imports_[std::string(Text(alias))] = (relative ? "." : "") + prefix + Dotted(target);
      }
    }
  }

  // The library path a dotted name stands for, through this file's imports.
  std::vector<std::string> Canon(const std::vector<std::string>& path) const {
    if (path.empty()) return path;
    auto it = imports_.find(path[0]);
    if (it == imports_.end()) return path;
    std::vector<std::string> out = SplitDots(it->second);
    out.insert(out.end(), path.begin() + 1, path.end());
    return out;
  }

  static bool IsSqlalchemyModule(const std::string& root) { return root == "sqlalchemy" || root == "sqlmodel"; }

  // `text`, `select`, ... imported from SQLAlchemy / SQLModel, or on a Flask-SQLAlchemy `db`.
  bool IsSqlalchemyName(const std::vector<std::string>& path, const std::string& leaf) const {
    if (path.empty() || path.back() != leaf) return false;
    if (path.size() == 2 && path[0] == "db") return true;  // Flask-SQLAlchemy's handle, however imported
    auto canon = Canon(path);
    return canon.size() >= 2 && IsSqlalchemyModule(canon[0]);
  }

  bool IsLocal(const std::string& name, const Ctx& ctx) const { return ctx.scope && ctx.scope->count(name); }

  // ----- values -----

  static SqlValuePtr Finish(SqlValue value) {
    std::uint32_t depth = 0;
    for (const auto& child : value.children) depth = std::max(depth, child ? child->depth : 0);
    value.depth = depth + 1;
    if (value.depth > kMaxValueDepth) {
      SqlValue unknown;
      unknown.kind = SqlValue::Kind::kUnknown;
      unknown.text = "(expression nested too deeply)";
      unknown.spec = "opaque";  // not followed: unknown, never "dynamic"
      unknown.file = value.file;
      unknown.span = value.span;
      return std::make_shared<const SqlValue>(std::move(unknown));
    }
    return std::make_shared<const SqlValue>(std::move(value));
  }

  SqlValue Base(SqlValue::Kind kind, TSNode node) {
    SqlValue value;
    value.kind = kind;
    value.file = out_.file;
    value.span = SpanOf(node);
    return value;
  }

  SqlValuePtr Unknown(TSNode node) {
    SqlValue value = Base(SqlValue::Kind::kUnknown, node);
    value.text = Shown(node);
    return Finish(std::move(value));
  }

  // A value the reader stopped following (nesting limits): unknown, never "dynamic".
  SqlValuePtr Opaque(TSNode node) {
    SqlValue value = Base(SqlValue::Kind::kUnknown, node);
    value.text = "(expression nested too deeply)";
    value.spec = "opaque";
    return Finish(std::move(value));
  }

  SqlValuePtr UnknownNamed(const std::string& name, TSNode node) {
    SqlValue value = Base(SqlValue::Kind::kUnknown, node);
    value.text = name;
    return Finish(std::move(value));
  }

  SqlValuePtr Alternatives(std::vector<SqlValuePtr> values, TSNode where) {
    std::vector<SqlValuePtr> distinct;
    for (auto& value : values) {
      if (std::find(distinct.begin(), distinct.end(), value) == distinct.end()) distinct.push_back(value);
    }
    if (distinct.size() == 1) return distinct[0];
    SqlValue value = Base(SqlValue::Kind::kAlternatives, where);
    value.children = std::move(distinct);
    return Finish(std::move(value));
  }

  // Decodes the bytes [begin, end) of a string literal's body, mapping decoded runs back to
  // the source. Escapes (and `{{` in f-strings) get spans of their own marked inexact.
  void Decode(std::uint32_t begin, std::uint32_t end, bool raw, bool bytes, bool fstring, SqlValue* value) {
    std::string& text = value->text;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    PositionOf(begin, &line, &column);
    std::uint32_t run_text = static_cast<std::uint32_t>(text.size());
    std::uint32_t run_line = line;
    std::uint32_t run_column = column;
    auto close_run = [&] {
      if (text.size() > run_text) {
        value->spans.push_back({run_text, static_cast<std::uint32_t>(text.size()), "", run_line, run_column, true});
      }
    };
    auto start_run = [&] {
      run_text = static_cast<std::uint32_t>(text.size());
      run_line = line;
      run_column = column;
    };
    std::uint32_t i = begin;
    while (i < end) {
      char c = source_[i];
      bool escape = !raw && c == '\\' && i + 1 < end;
      bool brace = fstring && (c == '{' || c == '}') && i + 1 < end && source_[i + 1] == c;
      if (escape && !KnownEscape(source_[i + 1], bytes)) {
        // An unknown escape stays as written: two bytes, two columns, nothing shifts.
        text += '\\';
        ++column;
        ++i;
        continue;
      }
      if (!escape && !brace) {
        if (c == '\r' && i + 1 < end && source_[i + 1] == '\n') {
          ++i;  // Python reads CRLF as LF
          continue;
        }
        text += c;
        if (c == '\n') {
          ++line;
          column = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
          ++column;
        }
        ++i;
        continue;
      }
      close_run();
      std::uint32_t escape_text = static_cast<std::uint32_t>(text.size());
      std::uint32_t escape_line = line;
      std::uint32_t escape_column = column;
      std::uint32_t consumed = 2;
      if (brace) {
        text += c;
      } else {
        char next = source_[i + 1];
        switch (next) {
          case '\n': ++line, column = 0; break;
          case '\r':
            if (i + 2 < end && source_[i + 2] == '\n') consumed = 3;
            ++line, column = 0;
            break;
          case '\\': text += '\\'; break;
          case '\'': text += '\''; break;
          case '"': text += '"'; break;
          case 'a': text += '\a'; break;
          case 'b': text += '\b'; break;
          case 'f': text += '\f'; break;
          case 'n': text += '\n'; break;
          case 'r': text += '\r'; break;
          case 't': text += '\t'; break;
          case 'v': text += '\v'; break;
          case 'x': {
            std::uint32_t code = 0;
            std::uint32_t k = i + 2;
            while (k < end && k < i + 4 && std::isxdigit(static_cast<unsigned char>(source_[k]))) {
              code = code * 16 + static_cast<std::uint32_t>(std::stoi(std::string(1, source_[k]), nullptr, 16));
              ++k;
            }
            consumed = k - i;
            if (bytes) {
              text += static_cast<char>(code);
            } else {
              AppendUtf8(&text, code);
            }
            break;
          }
          case 'u':
          case 'U': {
            if (bytes) {
              text += '\\';
              text += next;
              break;
            }
            std::uint32_t digits = next == 'u' ? 4 : 8;
            std::uint32_t code = 0;
            std::uint32_t k = i + 2;
            while (k < end && k < i + 2 + digits && std::isxdigit(static_cast<unsigned char>(source_[k]))) {
              code = code * 16 + static_cast<std::uint32_t>(std::stoi(std::string(1, source_[k]), nullptr, 16));
              ++k;
            }
            consumed = k - i;
            AppendUtf8(&text, std::min<std::uint32_t>(code, 0x10FFFF));
            break;
          }
          case 'N': {
            // \N{NAME}: the name table is not worth carrying; keep it as written.
            std::uint32_t k = i + 2;
            if (!bytes && k < end && source_[k] == '{') {
              while (k < end && source_[k] != '}') ++k;
              if (k < end) ++k;
            }
            consumed = k - i;
            text.append(source_, i, consumed);
            break;
          }
          default:
            if (next >= '0' && next <= '7') {
              std::uint32_t code = 0;
              std::uint32_t k = i + 1;
              while (k < end && k < i + 4 && source_[k] >= '0' && source_[k] <= '7')
                code = code * 8 + (source_[k++] - '0');
              consumed = k - i;
              if (bytes) {
                text += static_cast<char>(code & 0xFF);
              } else {
                AppendUtf8(&text, code);
              }
            }
        }
      }
      for (std::uint32_t k = i; k < i + consumed && k < end; ++k) {
        if (source_[k] != '\n' && source_[k] != '\r' && (static_cast<unsigned char>(source_[k]) & 0xC0) != 0x80) {
          ++column;
        }
      }
      if (column == 0) column = 1;
      if (text.size() > escape_text) {
        value->spans.push_back(
            {escape_text, static_cast<std::uint32_t>(text.size()), "", escape_line, escape_column, false});
      }
      i += consumed;
      start_run();
    }
    close_run();
    // Neighbouring exact runs are one span.
    std::vector<ir::SqlSourceSpan> merged;
    for (auto& span : value->spans) {
      if (!merged.empty() && merged.back().exact && span.exact && merged.back().text_end == span.text_begin &&
          ExactEnd(merged.back(), text) == std::make_pair(span.line, span.column)) {
        merged.back().text_end = span.text_end;
      } else {
        merged.push_back(span);
      }
    }
    value->spans = std::move(merged);
  }

  static bool KnownEscape(char next, bool bytes) {
    if (next >= '0' && next <= '7') return true;
    if (!bytes && (next == 'u' || next == 'U' || next == 'N')) return true;
    return std::strchr("\n\r\\'\"abfnrtvx", next) != nullptr && next != '\0';
  }

  static std::pair<std::uint32_t, std::uint32_t> ExactEnd(const ir::SqlSourceSpan& span, const std::string& text) {
    std::uint32_t line = span.line;
    std::uint32_t column = span.column;
    for (std::uint32_t i = span.text_begin; i < span.text_end; ++i) {
      unsigned char byte = static_cast<unsigned char>(text[i]);
      if (byte == '\n') {
        ++line;
        column = 1;
      } else if ((byte & 0xC0) != 0x80) {
        ++column;
      }
    }
    return {line, column};
  }

  SqlValuePtr StringValue(TSNode node, const Ctx& ctx, int depth) {
    std::string prefix;
    std::uint32_t count = ts_node_named_child_count(node);
    std::uint32_t content_begin = ts_node_start_byte(node);
    std::uint32_t content_end = ts_node_end_byte(node);
    std::vector<TSNode> interpolations;
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (Is(child, "string_start")) {
        for (char c : Text(child)) {
          if (c != '"' && c != '\'') prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        content_begin = ts_node_end_byte(child);
      } else if (Is(child, "string_end")) {
        content_end = ts_node_start_byte(child);
      } else if (Is(child, "interpolation")) {
        interpolations.push_back(child);
      }
    }
    if (content_end < content_begin || content_end > source_.size()) return Unknown(node);
    bool raw = prefix.find('r') != std::string::npos;
    bool bytes = prefix.find('b') != std::string::npos;
    bool fstring = prefix.find('f') != std::string::npos;
    if (!fstring || interpolations.empty()) {
      SqlValue value = Base(SqlValue::Kind::kLiteral, node);
      Decode(content_begin, content_end, raw, bytes, fstring, &value);
      return Finish(std::move(value));
    }
    SqlValue fvalue = Base(SqlValue::Kind::kFString, node);
    std::uint32_t cursor = content_begin;
    for (TSNode interpolation : interpolations) {
      std::uint32_t start = ts_node_start_byte(interpolation);
      if (start > cursor) {
        SqlValue part = Base(SqlValue::Kind::kLiteral, node);
        Decode(cursor, start, raw, bytes, true, &part);
        fvalue.children.push_back(Finish(std::move(part)));
      }
      SqlValue part = Base(SqlValue::Kind::kInterpolation, interpolation);
      TSNode expression = Field(interpolation, "expression");
      TSNode conversion = Field(interpolation, "type_conversion");
      TSNode format = Field(interpolation, "format_specifier");
      if (!ts_node_is_null(conversion)) part.spec += std::string(Text(conversion));
      if (!ts_node_is_null(format)) part.spec += ":" + std::string(Text(format));
      // `{x=}` (self-documenting) also prints the expression: not modelled.
      std::string_view whole = Text(interpolation);
      if (!ts_node_is_null(expression)) {
        std::uint32_t after = ts_node_end_byte(expression);
        std::uint32_t stop = ts_node_end_byte(interpolation);
        for (std::uint32_t k = after; k < stop && k < source_.size(); ++k) {
          if (source_[k] == '=') part.spec += "=";
          if (source_[k] == '!' || source_[k] == ':' || source_[k] == '}') break;
        }
        part.text = Shown(expression);
        part.children.push_back(ToValue(expression, ctx, depth + 1));
      } else {
        part.text = std::string(whole);
        part.children.push_back(Unknown(interpolation));
      }
      fvalue.children.push_back(Finish(std::move(part)));
      cursor = ts_node_end_byte(interpolation);
    }
    if (content_end > cursor) {
      SqlValue part = Base(SqlValue::Kind::kLiteral, node);
      Decode(cursor, content_end, raw, bytes, true, &part);
      fvalue.children.push_back(Finish(std::move(part)));
    }
    return Finish(std::move(fvalue));
  }

  SqlValuePtr ConcatenatedValue(TSNode node, const Ctx& ctx, int depth) {
    std::vector<SqlValuePtr> parts;
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode part = ts_node_named_child(node, i);
      if (Is(part, "string")) parts.push_back(StringValue(part, ctx, depth + 1));
    }
    bool all_literal = true;
    for (const auto& part : parts) all_literal = all_literal && part->kind == SqlValue::Kind::kLiteral;
    if (all_literal) {
      SqlValue merged = Base(SqlValue::Kind::kLiteral, node);
      for (const auto& part : parts) {
        std::uint32_t offset = static_cast<std::uint32_t>(merged.text.size());
        merged.text += part->text;
        for (auto span : part->spans) {
          span.text_begin += offset;
          span.text_end += offset;
          merged.spans.push_back(span);
        }
      }
      return Finish(std::move(merged));
    }
    SqlValue concat = Base(SqlValue::Kind::kConcat, node);
    concat.spec = "implicit";
    concat.children = std::move(parts);
    return Finish(std::move(concat));
  }

  // A dotted name of identifiers, or empty.
  std::vector<std::string> DottedPath(TSNode node) const {
    std::vector<std::string> path;
    TSNode current = node;
    for (int guard = 0; guard < 64; ++guard) {
      if (Is(current, "identifier")) {
        path.emplace_back(Text(current));
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (!Is(current, "attribute")) return {};
      TSNode attribute = Field(current, "attribute");
      TSNode object = Field(current, "object");
      if (ts_node_is_null(attribute) || ts_node_is_null(object)) return {};
      path.emplace_back(Text(attribute));
      current = object;
    }
    return {};
  }

  SqlValuePtr Lookup(const std::string& name, TSNode node, const Ctx& ctx) {
    if (ctx.scope) {
      auto it = ctx.scope->find(name);
      if (it == ctx.scope->end() && ctx.scope->count(kOverflow)) return Opaque(node);
      // An unknown local is reported by its name, where it is used.
      if (it != ctx.scope->end()) {
        bool named = it->second->kind == SqlValue::Kind::kUnknown && it->second->spec.empty();
        return named ? UnknownNamed(name, node) : it->second;
      }
    }
    if (name == "self" || name == "cls") return UnknownNamed(name, node);
    SqlValue ref = Base(SqlValue::Kind::kRef, node);
    ref.text = name;
    return Finish(std::move(ref));
  }

  SqlValuePtr ToValue(TSNode node, const Ctx& ctx, int depth) {
    if (ts_node_is_null(node)) return nullptr;
    if (depth > kMaxValueDepth) return Opaque(node);
    std::string_view type(ts_node_type(node));
    if (type == "string") return StringValue(node, ctx, depth);
    if (type == "concatenated_string") return ConcatenatedValue(node, ctx, depth);
    if (type == "identifier") return Lookup(std::string(Text(node)), node, ctx);
    if (type == "attribute") {
      auto path = DottedPath(node);
      if (path.empty() || IsLocal(path[0], ctx) || path[0] == "self" || path[0] == "cls") return Unknown(node);
      SqlValue ref = Base(SqlValue::Kind::kRef, node);
      for (std::size_t i = 0; i < path.size(); ++i) ref.text += (i ? "." : "") + path[i];
      return Finish(std::move(ref));
    }
    if (type == "parenthesized_expression" || type == "await") {
      TSNode inner = ts_node_named_child(node, 0);
      if (ts_node_is_null(inner)) return Unknown(node);
      return ToValue(inner, ctx, depth + 1);
    }
    if (type == "binary_operator") {
      TSNode op = Field(node, "operator");
      TSNode left = Field(node, "left");
      TSNode right = Field(node, "right");
      if (ts_node_is_null(op) || ts_node_is_null(left) || ts_node_is_null(right)) return Unknown(node);
      std::string_view op_text = Text(op);
      if (op_text != "+" && op_text != "%") return Unknown(node);
      SqlValue value = Base(op_text == "+" ? SqlValue::Kind::kConcat : SqlValue::Kind::kPercent, node);
      value.children.push_back(ToValue(left, ctx, depth + 1));
      value.children.push_back(ToValue(right, ctx, depth + 1));
      return Finish(std::move(value));
    }
    if (type == "conditional_expression") {
      std::vector<SqlValuePtr> options;
      std::uint32_t count = ts_node_named_child_count(node);
      if (count < 3) return Unknown(node);
      options.push_back(ToValue(ts_node_named_child(node, 0), ctx, depth + 1));
      options.push_back(ToValue(ts_node_named_child(node, 2), ctx, depth + 1));
      return Alternatives(std::move(options), node);
    }
    if (type == "tuple" || type == "list" || type == "expression_list") {
      SqlValue value = Base(SqlValue::Kind::kTuple, node);
      std::uint32_t count = ts_node_named_child_count(node);
      if (count > kMaxCollectionItems) return Opaque(node);  // a data table, not SQL parts
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (Is(child, "comment")) continue;
        if (Is(child, "list_splat")) return Unknown(node);
        value.children.push_back(ToValue(child, ctx, depth + 1));
      }
      return Finish(std::move(value));
    }
    if (type == "dictionary") {
      SqlValue value = Base(SqlValue::Kind::kDict, node);
      std::uint32_t count = ts_node_named_child_count(node);
      if (count > kMaxCollectionItems) return Opaque(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode pair = ts_node_named_child(node, i);
        if (Is(pair, "comment")) continue;
        if (!Is(pair, "pair")) return Unknown(node);
        TSNode key = Field(pair, "key");
        TSNode item = Field(pair, "value");
        if (ts_node_is_null(key) || ts_node_is_null(item) || !Is(key, "string")) return Unknown(node);
        SqlValuePtr key_value = StringValue(key, ctx, depth + 1);
        if (key_value->kind != SqlValue::Kind::kLiteral) return Unknown(node);
        value.names.push_back(key_value->text);
        value.children.push_back(ToValue(item, ctx, depth + 1));
      }
      return Finish(std::move(value));
    }
    if (type == "integer" || type == "float") {
      SqlValue value = Base(SqlValue::Kind::kNumber, node);
      value.text = std::string(Text(node));
      return Finish(std::move(value));
    }
    if (type == "call") return CallValue(node, ctx, depth);
    return Unknown(node);
  }

  std::vector<Link> Decompose(TSNode node) const {
    std::vector<Link> links;
    TSNode current = node;
    for (int guard = 0; guard < 100000; ++guard) {
      Link link;
      link.node = current;
      if (Is(current, "attribute")) {
        TSNode attribute = Field(current, "attribute");
        TSNode object = Field(current, "object");
        if (ts_node_is_null(attribute) || ts_node_is_null(object)) {
          links.push_back(link);
          break;
        }
        link.kind = Link::kAttr;
        link.name_node = attribute;
        link.name = std::string(Text(attribute));
        links.push_back(link);
        current = object;
      } else if (Is(current, "call")) {
        TSNode function = Field(current, "function");
        if (ts_node_is_null(function)) {
          links.push_back(link);
          break;
        }
        link.kind = Link::kCall;
        links.push_back(link);
        current = function;
      } else if (Is(current, "identifier")) {
        link.kind = Link::kName;
        link.name_node = current;
        link.name = std::string(Text(current));
        links.push_back(link);
        break;
      } else {
        links.push_back(link);
        break;
      }
    }
    std::reverse(links.begin(), links.end());
    return links;
  }

  // The leading `a.b.c` of a chain; `count` is how many links it spans.
  static std::vector<std::string> PathPrefix(const std::vector<Link>& links, std::size_t* count) {
    std::vector<std::string> path;
    std::size_t i = 0;
    if (!links.empty() && links[0].kind == Link::kName) {
      path.push_back(links[0].name);
      for (i = 1; i < links.size() && links[i].kind == Link::kAttr; ++i) path.push_back(links[i].name);
    }
    *count = path.empty() ? 0 : i;
    return path;
  }

  static TSNode Arguments(TSNode call) { return Field(call, "arguments"); }

  // Positional argument `index` or keyword `keyword` of a call.
  TSNode Argument(TSNode call, std::size_t index, const char* keyword) const {
    TSNode arguments = Arguments(call);
    if (ts_node_is_null(arguments) || !Is(arguments, "argument_list")) return TSNode{};
    std::uint32_t count = ts_node_named_child_count(arguments);
    std::size_t position = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode argument = ts_node_named_child(arguments, i);
      if (Is(argument, "comment")) continue;
      if (Is(argument, "keyword_argument")) {
        TSNode name = Field(argument, "name");
        if (keyword && !ts_node_is_null(name) && Text(name) == keyword) return Field(argument, "value");
        continue;
      }
      if (Is(argument, "list_splat") || Is(argument, "dictionary_splat")) return TSNode{};
      if (position++ == index) return argument;
    }
    return TSNode{};
  }

  std::size_t PositionalCount(TSNode call) const {
    TSNode arguments = Arguments(call);
    if (ts_node_is_null(arguments) || !Is(arguments, "argument_list")) return 0;
    std::size_t count = 0;
    std::uint32_t n = ts_node_named_child_count(arguments);
    for (std::uint32_t i = 0; i < n; ++i) {
      TSNode argument = ts_node_named_child(arguments, i);
      if (!Is(argument, "comment") && !Is(argument, "keyword_argument")) ++count;
    }
    return count;
  }

  // The value a receiver link holds when it is a tracked DB handle.
  const SqlValue* HandleOf(const std::vector<Link>& links, std::size_t index, const Ctx& ctx) const {
    if (index != 0 || links[0].kind != Link::kName) return nullptr;
    const std::string& name = links[0].name;
    SqlValuePtr value;
    if (ctx.scope) {
      auto it = ctx.scope->find(name);
      if (it != ctx.scope->end()) value = it->second;
    }
    if (!value && !IsLocal(name, ctx)) {
      auto it = out_.constants.find(name);
      if (it != out_.constants.end()) value = it->second;
    }
    if (value && value->kind == SqlValue::Kind::kHandle) return value.get();
    return nullptr;
  }

  SqlValuePtr Handle(TSNode node, const std::string& kind, const std::string& driver) {
    SqlValue value = Base(SqlValue::Kind::kHandle, node);
    value.text = kind;
    value.spec = driver;
    return Finish(std::move(value));
  }

  SqlValuePtr CallValue(TSNode node, const Ctx& ctx, int depth) {
    auto links = Decompose(node);
    std::size_t count = 0;
    auto path = PathPrefix(links, &count);
    // text(...) and statement constructs, whatever is chained after them.
    if (!path.empty() && count < links.size() && links[count].kind == Link::kCall) {
      TSNode first_call = links[count].node;
      if (IsSqlalchemyName(path, "text")) {
        SqlValue value = Base(SqlValue::Kind::kText, node);
        TSNode argument = Argument(first_call, 0, "text");
        value.children.push_back(ts_node_is_null(argument) ? Unknown(first_call) : ToValue(argument, ctx, depth + 1));
        return Finish(std::move(value));
      }
      for (const auto& construct : kConstructs) {
        if (IsSqlalchemyName(path, construct)) return Finish(Base(SqlValue::Kind::kConstruct, node));
      }
      auto canon = Canon(path);
      if (canon.size() == 2 && canon[1] == "connect" &&
          (canon[0] == "psycopg2" || canon[0] == "psycopg" || canon[0] == "sqlite3" || canon[0] == "pg8000" ||
           canon[0] == "asyncpg")) {
        return Handle(node, "connection", canon[0] == "psycopg2" ? "psycopg" : canon[0]);
      }
      if (canon.size() == 2 && canon[0] == "asyncpg" && canon[1] == "create_pool") {
        return Handle(node, "pool", "asyncpg");
      }
      if (!canon.empty() && canon.back() == "create_engine" && IsSqlalchemyModule(canon[0])) {
        // create_engine("sqlite:///...") / "mysql+pymysql://...": an engine of another database.
        TSNode url = Argument(first_call, 0, "url");
        if (!ts_node_is_null(url) && Is(url, "string")) {
          const std::string text = Lower(Text(url));
          for (const char* dialect : kOtherDialects) {
            const std::size_t at = text.find(dialect);
            if (at != std::string::npos && at <= 4) return Handle(node, "engine", dialect);
          }
        }
        return Handle(node, "engine", "sqlalchemy");
      }
    }
    TSNode function = Field(node, "function");
    if (!ts_node_is_null(function) && Is(function, "attribute")) {
      TSNode attribute = Field(function, "attribute");
      TSNode object = Field(function, "object");
      std::string method = ts_node_is_null(attribute) ? "" : std::string(Text(attribute));
      if (method == "format" && !ts_node_is_null(object)) {
        SqlValue value = Base(SqlValue::Kind::kFormat, node);
        value.children.push_back(ToValue(object, ctx, depth + 1));
        TSNode arguments = Arguments(node);
        std::vector<SqlValuePtr> keyword_values;
        if (!ts_node_is_null(arguments)) {
          std::uint32_t n = ts_node_named_child_count(arguments);
          for (std::uint32_t i = 0; i < n; ++i) {
            TSNode argument = ts_node_named_child(arguments, i);
            if (Is(argument, "comment")) continue;
            if (Is(argument, "keyword_argument")) {
              TSNode name = Field(argument, "name");
              TSNode item = Field(argument, "value");
              if (ts_node_is_null(name) || ts_node_is_null(item)) continue;
              value.names.emplace_back(Text(name));
              keyword_values.push_back(ToValue(item, ctx, depth + 1));
            } else if (Is(argument, "list_splat") || Is(argument, "dictionary_splat")) {
              value.children.push_back(Unknown(argument));
              value.spec = "splat";
            } else {
              value.children.push_back(ToValue(argument, ctx, depth + 1));
            }
          }
        }
        for (auto& item : keyword_values) value.children.push_back(std::move(item));
        return Finish(std::move(value));
      }
      if (method == "join" && !ts_node_is_null(object) && (Is(object, "string") || Is(object, "identifier"))) {
        SqlValuePtr separator = ToValue(object, ctx, depth + 1);
        if (separator->kind == SqlValue::Kind::kLiteral || separator->kind == SqlValue::Kind::kRef) {
          SqlValue value = Base(SqlValue::Kind::kJoin, node);
          value.children.push_back(separator);
          TSNode iterable = Argument(node, 0, nullptr);
          if (ts_node_is_null(iterable)) return Unknown(node);
          if (Is(iterable, "list") || Is(iterable, "tuple")) {
            SqlValuePtr items = ToValue(iterable, ctx, depth + 1);
            if (items->kind == SqlValue::Kind::kTuple) {
              for (const auto& item : items->children) value.children.push_back(item);
            } else {
              value.children.push_back(items);
            }
          } else {
            value.children.push_back(Unknown(iterable));
          }
          return Finish(std::move(value));
        }
      }
      if (method == "cursor" && !ts_node_is_null(object)) {
        std::string driver;
        auto inner = Decompose(object);
        if (const SqlValue* handle = HandleOf(inner, 0, ctx); handle && inner.size() == 1) driver = handle->spec;
        return Handle(node, "cursor", driver);
      }
      if ((method == "acquire" || method == "connect" || method == "begin") && !ts_node_is_null(object)) {
        auto inner = Decompose(object);
        if (const SqlValue* handle = HandleOf(inner, 0, ctx); handle && inner.size() == 1) {
          if (handle->text == "pool" || handle->text == "engine") return Handle(node, "connection", handle->spec);
        }
      }
    }
    return Unknown(node);
  }

  // ----- statements -----

  void Block(TSNode parent, Ctx& ctx, int depth) {
    if (depth > kMaxStatementDepth) return;
    std::uint32_t count = ts_node_named_child_count(parent);
    for (std::uint32_t i = 0; i < count; ++i) Statement(ts_node_named_child(parent, i), ctx, depth);
  }

  void Bind(const std::string& name, SqlValuePtr value, Ctx& ctx) {
    if (ctx.scope) {
      // Scopes are copied at every branch: past a fixed size, new names are not tracked
      // (and read as not followed), so huge generated functions stay linear.
      if (ctx.scope->size() >= kMaxScopeNames && !ctx.scope->count(name)) {
        if (!ctx.scope->count(kOverflow)) {
          SqlValue marker;
          marker.spec = "opaque";
          (*ctx.scope)[kOverflow] = Finish(std::move(marker));
        }
        return;
      }
      if (ctx.journal) {
        auto it = ctx.scope->find(name);
        ctx.journal->emplace_back(name, it != ctx.scope->end() ? it->second : nullptr);
      }
      (*ctx.scope)[name] = std::move(value);
    } else {
      out_.constants[name] = std::move(value);
    }
  }

  void BindUnknownTargets(TSNode target, Ctx& ctx, int depth) {
    if (depth > 20) return;
    if (Is(target, "identifier")) {
      Bind(std::string(Text(target)), UnknownNamed(std::string(Text(target)), target), ctx);
      return;
    }
    if (Is(target, "attribute") || Is(target, "subscript")) {
      Walk(target, ctx, 0);
      return;
    }
    std::uint32_t count = ts_node_named_child_count(target);
    for (std::uint32_t i = 0; i < count; ++i) BindUnknownTargets(ts_node_named_child(target, i), ctx, depth + 1);
  }

  void Assignment(TSNode node, Ctx& ctx) {
    std::vector<TSNode> targets;
    TSNode current = node;
    TSNode right{};
    for (int guard = 0; guard < 1000 && !ts_node_is_null(current) && Is(current, "assignment"); ++guard) {
      TSNode left = Field(current, "left");
      if (!ts_node_is_null(left)) targets.push_back(left);
      right = Field(current, "right");
      current = right;
    }
    TSNode type = Field(node, "type");
    if (!ts_node_is_null(type)) Walk(type, ctx, 0);
    SqlValuePtr value;
    if (!ts_node_is_null(right)) {
      Walk(right, ctx, 0);
      value = ToValue(right, ctx, 0);
    }
    for (TSNode target : targets) {
      if (Is(target, "identifier")) {
        std::string name(Text(target));
        Bind(name, value ? value : UnknownNamed(name, target), ctx);
      } else if (Is(target, "attribute") && !ctx.scope) {
        TSNode object = Field(target, "object");
        TSNode attribute = Field(target, "attribute");
        auto path = ts_node_is_null(object) ? std::vector<std::string>{} : DottedPath(object);
        if (!path.empty() && !ts_node_is_null(attribute)) {
          out_.attribute_assignments.push_back({path, std::string(Text(attribute)), SpanOf(attribute)});
        }
      } else if (Is(target, "attribute")) {
        TSNode object = Field(target, "object");
        TSNode attribute = Field(target, "attribute");
        if (ts_node_is_null(object) || ts_node_is_null(attribute)) continue;
        if (!ctx.class_param.empty() && Is(object, "identifier") && Text(object) == ctx.class_param) {
          // `cls.Status = type(...)` in a declared_attr: the class gets the attribute.
          out_.attribute_assignments.push_back(
              {{ctx.class_param_owner}, std::string(Text(attribute)), SpanOf(attribute)});
          continue;
        }
        // `orm.Token.roles = relationship(...)` in a function (a migration, a plugin's setup):
        // a class reached by its module-level name gets the attribute when the code runs.
        auto path = DottedPath(object);
        bool capitalised = false;
        for (const std::string& part : path) capitalised = capitalised || StartsUpper(part);
        if (!ctx.class_body && !path.empty() && capitalised && !IsLocal(path[0], ctx) && path[0] != "self" &&
            path[0] != "cls") {
          out_.attribute_assignments.push_back({path, std::string(Text(attribute)), SpanOf(attribute)});
        }
      } else if ((Is(target, "pattern_list") || Is(target, "tuple_pattern")) && value &&
                 value->kind == SqlValue::Kind::kTuple && value->children.size() == ts_node_named_child_count(target)) {
        // `a, b = "x", "y"`
        for (std::uint32_t k = 0; k < ts_node_named_child_count(target); ++k) {
          TSNode item = ts_node_named_child(target, k);
          if (Is(item, "identifier")) {
            Bind(std::string(Text(item)), value->children[k], ctx);
          } else {
            BindUnknownTargets(item, ctx, 0);
          }
        }
      } else {
        BindUnknownTargets(target, ctx, 0);
      }
    }
  }

  void AugmentedAssignment(TSNode node, Ctx& ctx) {
    TSNode left = Field(node, "left");
    TSNode right = Field(node, "right");
    TSNode op = Field(node, "operator");
    if (!ts_node_is_null(right)) Walk(right, ctx, 0);
    if (ts_node_is_null(left)) return;
    if (!Is(left, "identifier")) {
      BindUnknownTargets(left, ctx, 0);
      return;
    }
    std::string name(Text(left));
    if (ts_node_is_null(right) || ts_node_is_null(op) || Text(op) != "+=") {
      Bind(name, UnknownNamed(name, left), ctx);
      return;
    }
    SqlValue concat = Base(SqlValue::Kind::kConcat, node);
    concat.children.push_back(Lookup(name, left, ctx));
    concat.children.push_back(ToValue(right, ctx, 0));
    Bind(name, Finish(std::move(concat)), ctx);
  }

  // What a branch bound: name -> value (nullptr: unbound on that path).
  using Changes = std::map<std::string, SqlValuePtr>;

  // Runs `body` on the shared scope while journaling what it binds, then undoes it and returns
  // the branch's bindings: a branch costs what it assigns, not the size of the scope.
  template <typename F>
  Changes Branch(Ctx& ctx, F body) {
    Journal journal;
    Ctx branch = ctx;
    branch.journal = &journal;
    body(branch);
    Changes changes;
    for (const auto& [name, old] : journal) {
      auto it = ctx.scope->find(name);
      changes[name] = it != ctx.scope->end() ? it->second : nullptr;
    }
    for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
      if (it->second) {
        (*ctx.scope)[it->first] = it->second;
      } else {
        ctx.scope->erase(it->first);
      }
    }
    return changes;
  }

  // Binds every name some branch changed to what it may hold after the statement. With
  // `fall_through`, the path that runs no branch (no else, zero loop iterations) counts too.
  void MergeInto(Ctx& ctx, const std::vector<Changes>& branches, bool fall_through, TSNode where) {
    std::set<std::string> names;
    for (const auto& branch : branches) {
      for (const auto& [name, value] : branch) names.insert(name);
    }
    for (const auto& name : names) {
      auto current = ctx.scope->find(name);
      SqlValuePtr entry = current != ctx.scope->end() ? current->second : nullptr;
      std::vector<SqlValuePtr> values;
      auto add = [&](const SqlValuePtr& value) {
        // Not bound on this path: Python would fail or read a global; either way not followed.
        values.push_back(value ? value : Opaque(where));
      };
      for (const auto& branch : branches) {
        auto it = branch.find(name);
        add(it != branch.end() ? it->second : entry);
      }
      if (fall_through) add(entry);
      Bind(name, Alternatives(std::move(values), where), ctx);
    }
  }

  void Statement(TSNode node, Ctx& ctx, int depth) {
    std::string_view type(ts_node_type(node));
    if (type == "expression_statement") {
      std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (Is(child, "assignment")) {
          Assignment(child, ctx);
        } else if (Is(child, "augmented_assignment")) {
          AugmentedAssignment(child, ctx);
        } else {
          Walk(child, ctx, 0);
        }
      }
      return;
    }
    if (type == "import_statement" || type == "import_from_statement") {
      Import(node, true);
      return;
    }
    if (type == "function_definition") return Function(node, ctx, depth);
    if (type == "class_definition") return Class(node, ctx, depth);
    if (type == "decorated_definition") {
      std::uint32_t count = ts_node_named_child_count(node);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode child = ts_node_named_child(node, i);
        if (Is(child, "decorator")) Walk(child, ctx, 0);
      }
      TSNode definition = Field(node, "definition");
      if (!ts_node_is_null(definition)) Statement(definition, ctx, depth);
      return;
    }
    if (type == "if_statement") return If(node, ctx, depth);
    if (type == "for_statement" || type == "while_statement") return Loop(node, ctx, depth);
    if (type == "try_statement") return Try(node, ctx, depth);
    if (type == "with_statement") return With(node, ctx, depth);
    if (type == "match_statement") return Match(node, ctx, depth);
    if (type == "block" || type == "ERROR" || type == "module") return Block(node, ctx, depth + 1);
    if (type == "comment") return;
    Walk(node, ctx, 0);
  }

  // `dialect.name == "sqlite"`, `url.startswith("mysql")`, `name in ("mysql", "mariadb")`,
  // `is_oracle(url)`: the branch runs on another database. "" when the condition names none, names PostgreSQL too, or
  // negates (`!=`, `not`).
  std::string OtherDialectOf(TSNode condition) const {
    if (ts_node_is_null(condition)) return "";
    const std::string text = Lower(Text(condition));
    if (text.find("postgres") != std::string::npos || text.find("!=") != std::string::npos ||
        text.find("not ") != std::string::npos) {
      return "";
    }
    // A string ("sqlite") or a name (is_oracle(url), IS_MYSQL) that says the dialect.
    for (const char* dialect : kOtherDialects) {
      if (text.find(dialect) != std::string::npos) return dialect;
    }
    return "";
  }

  void If(TSNode node, Ctx& ctx, int depth) {
    TSNode condition = Field(node, "condition");
    if (!ts_node_is_null(condition)) Walk(condition, ctx, 0);
    std::vector<std::pair<TSNode, std::string>> bodies;  // with the dialect the branch is for
    bool has_else = false;
    TSNode consequence = Field(node, "consequence");
    if (!ts_node_is_null(consequence)) bodies.emplace_back(consequence, OtherDialectOf(condition));
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (Is(child, "elif_clause")) {
        TSNode elif_condition = Field(child, "condition");
        if (!ts_node_is_null(elif_condition)) Walk(elif_condition, ctx, 0);
        TSNode elif_body = Field(child, "consequence");
        if (!ts_node_is_null(elif_body)) bodies.emplace_back(elif_body, OtherDialectOf(elif_condition));
      } else if (Is(child, "else_clause")) {
        TSNode else_body = Field(child, "body");
        if (!ts_node_is_null(else_body)) bodies.emplace_back(else_body, "");
        has_else = true;
      }
    }
    auto body_block = [&](TSNode body, const std::string& dialect, Ctx& body_ctx) {
      const std::string saved = dialect_branch_;
      if (!dialect.empty()) dialect_branch_ = "a branch for " + dialect;
      Block(body, body_ctx, depth + 1);
      dialect_branch_ = saved;
    };
    if (!ctx.scope) {
      for (const auto& [body, dialect] : bodies) body_block(body, dialect, ctx);
      return;
    }
    std::vector<Changes> results;
    for (const auto& [body, dialect] : bodies) {
      results.push_back(Branch(ctx, [&](Ctx& branch) { body_block(body, dialect, branch); }));
    }
    MergeInto(ctx, results, !has_else, node);
  }

  void Loop(TSNode node, Ctx& ctx, int depth) {
    TSNode right = Field(node, "right");
    if (!ts_node_is_null(right)) Walk(right, ctx, 0);
    TSNode condition = Field(node, "condition");
    if (!ts_node_is_null(condition)) Walk(condition, ctx, 0);
    TSNode left = Field(node, "left");
    if (!ts_node_is_null(left) && !ts_node_is_null(right) && Is(left, "identifier") &&
        (Is(right, "tuple") || Is(right, "list"))) {
      // `for table in ("a", "b")`: the variable is one of the items.
      SqlValuePtr items = ToValue(right, ctx, 0);
      if (items->kind == SqlValue::Kind::kTuple && !items->children.empty()) {
        Bind(std::string(Text(left)), Alternatives(items->children, right), ctx);
      } else {
        BindUnknownTargets(left, ctx, 0);
      }
    } else if (!ts_node_is_null(left)) {
      BindUnknownTargets(left, ctx, 0);
    }
    TSNode body = Field(node, "body");
    TSNode alternative = Field(node, "alternative");
    if (!ctx.scope) {
      if (!ts_node_is_null(body)) Block(body, ctx, depth + 1);
      if (!ts_node_is_null(alternative)) Block(alternative, ctx, depth + 1);
      return;
    }
    // The body may run zero, one or many times: what it assigns is not known after it.
    Changes after = Branch(ctx, [&](Ctx& branch) {
      if (!ts_node_is_null(body)) Block(body, branch, depth + 1);
    });
    MergeInto(ctx, {after}, true, node);
    if (!ts_node_is_null(alternative)) Block(alternative, ctx, depth + 1);
  }

  void Try(TSNode node, Ctx& ctx, int depth) {
    TSNode body = Field(node, "body");
    if (!ts_node_is_null(body)) Block(body, ctx, depth + 1);
    std::vector<TSNode> handlers;
    std::vector<TSNode> tail;
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(node, i);
      if (Is(child, "except_clause") || Is(child, "except_group_clause")) handlers.push_back(child);
      if (Is(child, "else_clause") || Is(child, "finally_clause")) tail.push_back(child);
    }
    if (!ctx.scope) {
      for (TSNode handler : handlers) Block(handler, ctx, depth + 1);
    } else if (!handlers.empty()) {
      std::vector<Changes> results;
      for (TSNode handler : handlers) {
        results.push_back(Branch(ctx, [&](Ctx& branch) { Block(handler, branch, depth + 1); }));
      }
      MergeInto(ctx, results, true, node);
    }
    for (TSNode child : tail) Block(child, ctx, depth + 1);
  }

  void With(TSNode node, Ctx& ctx, int depth) {
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode clause = ts_node_named_child(node, i);
      if (!Is(clause, "with_clause")) continue;
      std::uint32_t items = ts_node_named_child_count(clause);
      for (std::uint32_t j = 0; j < items; ++j) {
        TSNode item = ts_node_named_child(clause, j);
        TSNode value = Is(item, "with_item") ? Field(item, "value") : item;
        if (ts_node_is_null(value)) continue;
        if (Is(value, "as_pattern")) {
          TSNode expression = ts_node_named_child(value, 0);
          TSNode alias = Field(value, "alias");
          if (!ts_node_is_null(expression)) Walk(expression, ctx, 0);
          if (ts_node_is_null(alias)) continue;
          TSNode name = ts_node_named_child(alias, 0);
          if (!ts_node_is_null(name) && Is(name, "identifier") && !ts_node_is_null(expression)) {
            SqlValuePtr bound = ToValue(expression, ctx, 0);
            // `with conn:` / `with engine.begin() as c`: only handles are worth keeping.
            if (bound->kind != SqlValue::Kind::kHandle) bound = UnknownNamed(std::string(Text(name)), name);
            Bind(std::string(Text(name)), bound, ctx);
          } else {
            BindUnknownTargets(alias, ctx, 0);
          }
        } else {
          Walk(value, ctx, 0);
        }
      }
    }
    TSNode body = Field(node, "body");
    if (!ts_node_is_null(body)) Block(body, ctx, depth + 1);
  }

  void Match(TSNode node, Ctx& ctx, int depth) {
    TSNode subject = Field(node, "subject");
    if (!ts_node_is_null(subject)) Walk(subject, ctx, 0);
    TSNode body = Field(node, "body");
    if (ts_node_is_null(body)) return;
    std::vector<TSNode> cases;
    std::uint32_t count = ts_node_named_child_count(body);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode child = ts_node_named_child(body, i);
      if (Is(child, "case_clause")) cases.push_back(child);
    }
    if (!ctx.scope) {
      for (TSNode clause : cases) Block(clause, ctx, depth + 1);
      return;
    }
    std::vector<Changes> results;
    for (TSNode clause : cases) {
      results.push_back(Branch(ctx, [&](Ctx& branch) {
        TSNode consequence = Field(clause, "consequence");
        if (!ts_node_is_null(consequence)) Block(consequence, branch, depth + 1);
      }));
    }
    MergeInto(ctx, results, true, node);
  }

  void Function(TSNode node, Ctx& ctx, int depth) {
    Scope scope;
    // A closure reads the enclosing variables when it runs: a runtime value stays one, a known
    // value may have changed by then and is not followed.
    if (ctx.scope && !ctx.class_body) {
      for (const auto& [name, value] : *ctx.scope) {
        bool runtime = value->kind == SqlValue::Kind::kUnknown && value->spec.empty();
        scope[name] = runtime ? UnknownNamed(name, node) : Opaque(node);
      }
    }
    TSNode parameters = Field(node, "parameters");
    if (!ts_node_is_null(parameters)) {
      std::uint32_t count = ts_node_named_child_count(parameters);
      for (std::uint32_t i = 0; i < count; ++i) {
        TSNode parameter = ts_node_named_child(parameters, i);
        TSNode value = Field(parameter, "value");
        if (!ts_node_is_null(value)) Walk(value, ctx, 0);
        TSNode name = Is(parameter, "identifier") ? parameter : Field(parameter, "name");
        if (ts_node_is_null(name)) name = ts_node_named_child(parameter, 0);
        if (!ts_node_is_null(name) && (Is(name, "list_splat_pattern") || Is(name, "dictionary_splat_pattern"))) {
          name = ts_node_named_child(name, 0);
        }
        if (!ts_node_is_null(name) && Is(name, "identifier")) {
          std::string text(Text(name));
          scope[text] = UnknownNamed(text, name);
        }
      }
    }
    TSNode body = Field(node, "body");
    if (ts_node_is_null(body)) return;
    Ctx inner;
    inner.scope = &scope;
    inner.enclosing_class = ctx.enclosing_class;
    if (ctx.class_body && !ctx.enclosing_class.empty() && ClassLevelFunction(node)) {
      inner.class_param = FirstParameter(node);
      inner.class_param_owner = ctx.enclosing_class;
    }
    Block(body, inner, depth + 1);
  }

  // The decorators' names (`declared_attr`, `hybrid_property`, `status.expression` -> "expression").
  std::vector<std::string> DecoratorNames(TSNode definition) const {
    std::vector<std::string> names;
    TSNode parent = ts_node_parent(definition);
    if (ts_node_is_null(parent) || !Is(parent, "decorated_definition")) return names;
    std::uint32_t count = ts_node_named_child_count(parent);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode decorator = ts_node_named_child(parent, i);
      if (!Is(decorator, "decorator")) continue;
      TSNode target = ts_node_named_child(decorator, 0);
      if (!ts_node_is_null(target) && Is(target, "call")) target = Field(target, "function");
      if (ts_node_is_null(target)) continue;
      std::string text = Dotted(target);
      names.push_back(text.substr(text.rfind('.') == std::string::npos ? 0 : text.rfind('.') + 1));
    }
    return names;
  }

  // A method that receives the class itself: declared_attr, classmethod.
  bool ClassLevelFunction(TSNode function) const {
    for (const std::string& name : DecoratorNames(function)) {
      if (name == "declared_attr" || name == "classmethod" || name == "directive" || name == "cascading") return true;
    }
    return false;
  }

  std::string FirstParameter(TSNode function) const {
    TSNode parameters = Field(function, "parameters");
    if (ts_node_is_null(parameters) || ts_node_named_child_count(parameters) == 0) return "";
    TSNode first = ts_node_named_child(parameters, 0);
    if (!Is(first, "identifier")) first = Field(first, "name");
    return !ts_node_is_null(first) && Is(first, "identifier") ? std::string(Text(first)) : "";
  }

  // Names a module-level class gets that its bindings do not show: nested classes and the
  // hybrid attributes (see RawAttributeAssignment).
  void ClassBodyNames(TSNode body, const std::string& class_name) {
    std::uint32_t count = ts_node_named_child_count(body);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode statement = ts_node_named_child(body, i);
      TSNode definition = statement;
      if (Is(statement, "decorated_definition")) definition = Field(statement, "definition");
      if (ts_node_is_null(definition)) continue;
      TSNode name = Field(definition, "name");
      if (ts_node_is_null(name)) continue;
      bool add = Is(definition, "class_definition");
      if (Is(definition, "function_definition")) {
        for (const std::string& decorator : DecoratorNames(definition)) {
          add = add || decorator == "hybrid_property" || decorator == "hybrid_method";
        }
      }
      if (add) out_.attribute_assignments.push_back({{class_name}, std::string(Text(name)), SpanOf(name)});
    }
  }

  void Class(TSNode node, Ctx& ctx, int depth) {
    TSNode superclasses = Field(node, "superclasses");
    if (!ts_node_is_null(superclasses)) Walk(superclasses, ctx, 0);
    TSNode name = Field(node, "name");
    TSNode body = Field(node, "body");
    if (ts_node_is_null(body)) return;
    Scope scope;
    Ctx inner;
    inner.scope = &scope;
    inner.class_body = true;
    inner.enclosing_class = ctx.enclosing_class;
    // Only module-level classes are mapped models; nested ones keep the outer name.
    if (!ctx.scope && !ts_node_is_null(name)) {
      inner.enclosing_class = std::string(Text(name));
      if (!ReadableClassBody(body)) out_.unreadable_classes.push_back(inner.enclosing_class);
      ClassBodyNames(body, inner.enclosing_class);
    }
    Block(body, inner, depth + 1);
  }

  // True when every statement of a class body is one the model summary reads completely.
  bool ReadableClassBody(TSNode body) const {
    std::uint32_t count = ts_node_named_child_count(body);
    for (std::uint32_t i = 0; i < count; ++i) {
      TSNode statement = ts_node_named_child(body, i);
      std::string_view type(ts_node_type(statement));
      if (type == "comment" || type == "pass_statement" || type == "function_definition" ||
          type == "decorated_definition" || type == "class_definition") {
        continue;
      }
      if (type != "expression_statement") return false;
      TSNode inner = ts_node_named_child(statement, 0);
      if (ts_node_is_null(inner)) continue;
      if (Is(inner, "string")) continue;  // docstring
      if (!Is(inner, "assignment")) return false;
      TSNode left = Field(inner, "left");
      if (ts_node_is_null(left) || !Is(left, "identifier")) return false;
    }
    return true;
  }

  // ----- expressions -----

  void Walk(TSNode node, Ctx& ctx, int depth) {
    if (ts_node_is_null(node) || depth > kMaxWalkDepth) return;
    if (Is(node, "call") || Is(node, "attribute")) {
      Chain(node, ctx, depth);
      return;
    }
    if (Is(node, "named_expression")) {
      TSNode value = Field(node, "value");
      TSNode name = Field(node, "name");
      Walk(value, ctx, depth + 1);
      if (ctx.scope && !ts_node_is_null(name) && !ts_node_is_null(value)) {
        Bind(std::string(Text(name)), ToValue(value, ctx, 0), ctx);
      }
      return;
    }
    std::uint32_t count = ts_node_named_child_count(node);
    for (std::uint32_t i = 0; i < count; ++i) Walk(ts_node_named_child(node, i), ctx, depth + 1);
  }

  void Chain(TSNode node, Ctx& ctx, int depth) {
    auto links = Decompose(node);
    if (links.empty()) return;
    if (links[0].kind == Link::kOther) Walk(links[0].node, ctx, depth + 1);
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (links[i].kind != Link::kCall) continue;
      TSNode arguments = Arguments(links[i].node);
      if (ts_node_is_null(arguments)) continue;
      // text() inside Column(server_default=text(...)), Index(...), CheckConstraint(...) is a
      // schema fragment, not a query.
      bool schema = i > 0 && (links[i - 1].kind == Link::kName || links[i - 1].kind == Link::kAttr) &&
                    kSchemaConstructs.count(links[i - 1].name);
      if (schema && !ctx.schema_args) {
        Ctx inner = ctx;
        inner.schema_args = true;
        Walk(arguments, inner, depth + 1);
      } else {
        Walk(arguments, ctx, depth + 1);
      }
    }
    Analyze(links, ctx);
  }

  void RecordAttributeUse(const std::vector<Link>& links, std::size_t count, const std::vector<std::string>& path,
                          const Ctx& ctx) {
    if (count < 2 || IsLocal(path[0], ctx) || path[0] == "self" || path[0] == "cls") return;
    bool capitalised = false;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) capitalised = capitalised || StartsUpper(path[i]);
    if (!capitalised) return;
    RawAttributeUse use;
    use.path = path;
    for (std::size_t i = 0; i < count; ++i) use.spans.push_back(SpanOf(links[i].name_node));
    use.enclosing_class = ctx.enclosing_class;
    out_.attribute_uses.push_back(std::move(use));
  }

  enum class Receiver { kNone, kCursor, kSession, kEngine, kConnection, kPool, kDb };

  static Receiver ReceiverFromName(const std::string& raw) {
    std::string name = Lower(raw);
    auto ends = [&](const char* suffix) {
      std::size_t n = std::strlen(suffix);
      return name.size() >= n && name.compare(name.size() - n, n, suffix) == 0;
    };
    if (name.find("cursor") != std::string::npos || name == "cur" || ends("_cur") || name.rfind("cur_", 0) == 0) {
      return Receiver::kCursor;
    }
    if (name.find("session") != std::string::npos) return Receiver::kSession;
    if (name.find("engine") != std::string::npos) return Receiver::kEngine;
    if (name.find("pool") != std::string::npos) return Receiver::kPool;
    if (name == "conn" || name == "con" || name == "cnx" || name.find("connection") != std::string::npos ||
        name.rfind("conn_", 0) == 0 || ends("_conn") || ends("_con")) {
      return Receiver::kConnection;
    }
    if (name == "db") return Receiver::kDb;
    return Receiver::kNone;
  }

  // What the object before links[method_index] is, and the driver when a handle says so.
  Receiver ReceiverOf(const std::vector<Link>& links, std::size_t method_index, const Ctx& ctx,
                      std::string* driver) const {
    if (method_index == 0) return Receiver::kNone;
    std::size_t r = method_index - 1;
    const Link& receiver = links[r];
    if (const SqlValue* handle = HandleOf(links, r, ctx)) {
      *driver = handle->spec;
      if (handle->text == "cursor") return Receiver::kCursor;
      if (handle->text == "pool") return Receiver::kPool;
      if (handle->text == "engine") return Receiver::kEngine;
      return Receiver::kConnection;
    }
    if (receiver.kind == Link::kName) {
      if (IsLocal(receiver.name, ctx)) {
        // A local that is not a tracked handle: only its name can tell.
        return ReceiverFromName(receiver.name);
      }
      return ReceiverFromName(receiver.name);
    }
    if (receiver.kind == Link::kAttr) return ReceiverFromName(receiver.name);
    if (receiver.kind == Link::kCall && r >= 1) {
      const Link& callee = links[r - 1];
      if (callee.kind == Link::kAttr && callee.name == "cursor") return Receiver::kCursor;
      if (callee.kind == Link::kName || callee.kind == Link::kAttr) {
        Receiver from = ReceiverFromName(callee.name);
        if (from == Receiver::kDb) return Receiver::kNone;
        return from;
      }
    }
    return Receiver::kNone;
  }

  // A local assigned from requests / httpx / aiohttp: its `.get()` / `.execute()` are no queries.
  bool HttpClient(const std::vector<Link>& links, std::size_t method_index, const Ctx& ctx) const {
    if (method_index != 1 || links[0].kind != Link::kName || !ctx.scope) return false;
    auto it = ctx.scope->find(links[0].name);
    if (it == ctx.scope->end() || it->second->kind != SqlValue::Kind::kUnknown) return false;
    const std::string& text = it->second->text;
    for (const char* client : {"requests.", "httpx.", "aiohttp.", "Session()", "Client("}) {
      if (text.rfind(client, 0) == 0) return true;
    }
    return false;
  }

  bool SessionAccepted(const std::vector<Link>& links, std::size_t method_index) const {
    // `db.session` is Flask-SQLAlchemy's; otherwise the file must use SQLAlchemy and no HTTP client.
    for (std::size_t i = 0; i + 1 < method_index; ++i) {
      if (links[i].name == "db" && links[i + 1].name == "session") return true;
    }
    // flask.session, a requests / Django / Starlette session: a dict or an HTTP client.
    if (links[0].kind == Link::kName) {
      auto it = imports_.find(links[0].name);
      if (it != imports_.end()) {
        std::string root = it->second.substr(0, it->second.find('.'));
        static const std::set<std::string> kForeign = {"flask",   "quart",     "werkzeug", "requests", "httpx",
                                                       "aiohttp", "starlette", "django",   "fastapi"};
        if (kForeign.count(root)) return false;
      }
    }
    return sqlalchemy_imported_ || !http_imported_;
  }

  ir::ParamStyle CursorStyle(const std::string& driver) const {
    if (driver == "sqlite3") return ir::ParamStyle::kQmark;
    if (driver == "psycopg" || driver == "pg8000") return ir::ParamStyle::kPyformat;
    if (sqlite_imported_ && !psycopg_imported_) return ir::ParamStyle::kQmark;
    if (sqlite_imported_ && psycopg_imported_) return ir::ParamStyle::kUnknown;
    return ir::ParamStyle::kPyformat;
  }

  Span ChainSpan(const std::vector<Link>& links, std::size_t last) {
    return SpanBetween(links.front().node, links[last].node);
  }

  void Site(RawSite site) { out_.sites.push_back(std::move(site)); }

  // filter_by keywords along links[from..] while the entity stays certain.
  void FilterBy(const std::vector<Link>& links, std::size_t from, const std::vector<std::string>& entity) {
    for (std::size_t i = from; i + 1 < links.size(); ++i) {
      if (links[i].kind != Link::kAttr) continue;
      if (!kEntityPreserving.count(links[i].name)) return;
      if (links[i].name != "filter_by" || links[i + 1].kind != Link::kCall) continue;
      TSNode arguments = Arguments(links[i + 1].node);
      if (ts_node_is_null(arguments)) continue;
      std::uint32_t count = ts_node_named_child_count(arguments);
      for (std::uint32_t k = 0; k < count; ++k) {
        TSNode argument = ts_node_named_child(arguments, k);
        if (!Is(argument, "keyword_argument")) continue;
        TSNode name = Field(argument, "name");
        if (ts_node_is_null(name)) continue;
        out_.filter_by.push_back({entity, std::string(Text(name)), SpanOf(name)});
      }
    }
  }

  // The single entity of session.query(X) / select(X), or empty.
  std::vector<std::string> SingleEntity(TSNode call, const Ctx& ctx) const {
    if (PositionalCount(call) != 1) return {};
    TSNode arguments = Arguments(call);
    std::uint32_t count = ts_node_named_child_count(arguments);
    for (std::uint32_t i = 0; i < count; ++i) {
      if (Is(ts_node_named_child(arguments, i), "keyword_argument")) return {};
    }
    TSNode argument = Argument(call, 0, nullptr);
    if (ts_node_is_null(argument)) return {};
    auto path = DottedPath(argument);
    if (path.empty() || IsLocal(path[0], ctx)) return {};
    return path;
  }

  void Analyze(const std::vector<Link>& links, Ctx& ctx) {
    std::size_t count = 0;
    auto path = PathPrefix(links, &count);
    RecordAttributeUse(links, count, path, ctx);
    bool orm_chain = false;
    // Model.query...: the whole chain is one site.
    if (!path.empty() && !IsLocal(path[0], ctx)) {
      for (std::size_t j = 1; j < count; ++j) {
        if (links[j].name != "query") continue;
        bool capitalised = false;
        for (std::size_t k = 0; k < j; ++k) capitalised = capitalised || StartsUpper(path[k]);
        if (!capitalised) break;
        RawSite site;
        site.kind = ir::QueryKind::kOrm;
        site.api = "Model.query";
        site.span = ChainSpan(links, links.size() - 1);
        site.model_root.assign(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(j));
        Site(std::move(site));
        FilterBy(links, j + 1, std::vector<std::string>(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(j)));
        orm_chain = true;
        break;
      }
    }
    // select(X)... / insert(...) / update(...) / delete(...)
    if (!orm_chain && !path.empty() && count < links.size() && links[count].kind == Link::kCall &&
        !IsLocal(path[0], ctx)) {
      for (const auto& construct : kConstructs) {
        if (!IsSqlalchemyName(path, construct)) continue;
        RawSite site;
        site.kind = ir::QueryKind::kOrm;
        site.api = construct;
        site.span = ChainSpan(links, links.size() - 1);
        site.model_query = true;
        Site(std::move(site));
        auto entity = SingleEntity(links[count].node, ctx);
        if (!entity.empty() && construct == "select") FilterBy(links, count + 1, entity);
        orm_chain = true;
        break;
      }
    }
    if (!path.empty() && count < links.size() && links[count].kind == Link::kCall && !IsLocal(path[0], ctx) &&
        !ctx.schema_args && IsSqlalchemyName(path, "text")) {
      // text("...") is where the SQL is written: the site, whichever call runs it.
      TSNode call = links[count].node;
      RawSite site;
      site.kind = ir::QueryKind::kRawSql;
      site.api = "text";
      site.span = SpanOf(call);
      site.param_style = ir::ParamStyle::kNamed;
      site.position = FragmentPosition(call);
      site.other_database = dialect_branch_;
      TSNode argument = Argument(call, 0, "text");
      site.sql = ts_node_is_null(argument) ? Unknown(call) : ToValue(argument, ctx, 0);
      Site(std::move(site));
    }
    if (!path.empty() && count < links.size() && links[count].kind == Link::kCall) {
      Library(links, count, path, ctx);
    }
    for (std::size_t i = 1; i < links.size(); ++i) {
      if (links[i].kind != Link::kCall || links[i - 1].kind != Link::kAttr) continue;
      Method(links, i, ctx, orm_chain);
    }
  }

  // Where the value of text(...) goes: handed to execute() it is a statement; an argument of
  // where() / filter() / a func call, an operand, or postgresql_where= it is an expression; of
  // order_by() / group_by() an ORDER BY item; of select_from() a FROM item.
  ir::SqlPosition FragmentPosition(TSNode call) const {
    TSNode current = call;
    // text(...).bindparams(...).columns(...): the position of the whole chain.
    for (int guard = 0; guard < 32; ++guard) {
      TSNode parent = ts_node_parent(current);
      if (ts_node_is_null(parent) || !Is(parent, "attribute")) break;
      TSNode grandparent = ts_node_parent(parent);
      if (ts_node_is_null(grandparent) || !Is(grandparent, "call")) break;
      current = grandparent;
    }
    TSNode parent = ts_node_parent(current);
    if (ts_node_is_null(parent)) return ir::SqlPosition::kUnknown;
    if (Is(parent, "parenthesized_expression")) return FragmentPosition(parent);
    if (Is(parent, "binary_operator") || Is(parent, "comparison_operator") || Is(parent, "boolean_operator") ||
        Is(parent, "not_operator") || Is(parent, "unary_operator") || Is(parent, "conditional_expression")) {
      return ir::SqlPosition::kExpression;
    }
    if (Is(parent, "keyword_argument")) {
      TSNode name = Field(parent, "name");
      const std::string keyword = ts_node_is_null(name) ? "" : std::string(Text(name));
      if (keyword == "order_by" || keyword == "group_by") return ir::SqlPosition::kOrderBy;
      if (kExpressionKeywords.count(keyword)) return ir::SqlPosition::kExpression;
      parent = ts_node_parent(parent);  // a keyword of a call: the call decides below
      if (ts_node_is_null(parent)) return ir::SqlPosition::kUnknown;
    }
    if (!Is(parent, "argument_list")) return ir::SqlPosition::kUnknown;
    TSNode callee_call = ts_node_parent(parent);
    if (ts_node_is_null(callee_call) || !Is(callee_call, "call")) return ir::SqlPosition::kUnknown;
    TSNode function = Field(callee_call, "function");
    if (ts_node_is_null(function)) return ir::SqlPosition::kUnknown;
    std::string name;
    bool func_call = false;  // func.coalesce(...), sa.func.lower(...)
    if (Is(function, "attribute")) {
      TSNode attribute = Field(function, "attribute");
      name = ts_node_is_null(attribute) ? "" : std::string(Text(attribute));
      TSNode object = Field(function, "object");
      if (!ts_node_is_null(object)) {
        const std::string owner = Dotted(object);
        func_call = owner == "func" || (owner.size() > 5 && owner.compare(owner.size() - 5, 5, ".func") == 0);
      }
    } else if (Is(function, "identifier")) {
      name = std::string(Text(function));
    }
    if (kStatementSinks.count(name)) return ir::SqlPosition::kStatement;
    if (name == "order_by" || name == "group_by") return ir::SqlPosition::kOrderBy;
    if (name == "select_from" || name == "join_from") return ir::SqlPosition::kFromItem;
    if (func_call || kExpressionTakers.count(name)) return ir::SqlPosition::kExpression;
    return ir::SqlPosition::kUnknown;
  }

  // Why SQL sent through a handle of `driver` goes to another database, or "".
  std::string OtherDatabase(const std::string& driver) const {
    if (!dialect_branch_.empty()) return dialect_branch_;
    if (driver == "sqlite3") return "a sqlite3 connection";
    if (!driver.empty() && driver != "sqlalchemy" && driver != "psycopg" && driver != "pg8000" && driver != "asyncpg") {
      return "an engine for " + driver;
    }
    if (driver.empty() && !other_driver_.empty() && !psycopg_imported_ && !asyncpg_imported_ && !sqlalchemy_imported_) {
      return "a file that imports " + other_driver_ + " and no PostgreSQL driver";
    }
    return "";
  }

  // Module-level functions reached by their (imported) name: pandas, drivers, DDL helpers.
  void Library(const std::vector<Link>& links, std::size_t count, const std::vector<std::string>& path,
               const Ctx& ctx) {
    if (IsLocal(path[0], ctx)) return;
    auto canon = Canon(path);
    TSNode call = links[count].node;
    if (canon.size() == 2 && canon[0] == "pandas" &&
        (canon[1] == "read_sql" || canon[1] == "read_sql_query" || canon[1] == "read_sql_table")) {
      RawSite site;
      site.kind = ir::QueryKind::kRawSql;
      site.api = "pandas." + canon[1];
      site.span = SpanOf(call);
      if (canon[1] == "read_sql_table") {
        site.no_sql = true;
      } else {
        TSNode argument = Argument(call, 0, "sql");
        site.sql = ts_node_is_null(argument) ? Unknown(call) : ToValue(argument, ctx, 0);
        site.drop_if_construct = true;
      }
      Site(std::move(site));
      return;
    }
    if (canon.size() == 2 && canon[1] == "connect" &&
        (canon[0] == "psycopg2" || canon[0] == "psycopg" || canon[0] == "asyncpg" || canon[0] == "pg8000" ||
         canon[0] == "sqlite3")) {
      Event(ir::Interaction::kDbApiDriver, call);
    }
    if (canon.size() == 2 && canon[0] == "asyncpg" && canon[1] == "create_pool") {
      Event(ir::Interaction::kDbApiDriver, call);
    }
  }

  void Method(const std::vector<Link>& links, std::size_t i, Ctx& ctx, bool orm_chain) {
    const std::string& method = links[i - 1].name;
    TSNode call = links[i].node;
    std::size_t method_link = i - 1;
    // alembic op.*
    if (method_link == 1 && links[0].kind == Link::kName && !IsLocal(links[0].name, ctx)) {
      auto canon = Canon({links[0].name});
      if (canon.size() == 2 && canon[0] == "alembic" && canon[1] == "op") {
        Event(ir::Interaction::kMigration, call);
        if (kAlembicDdl.count(method)) Event(ir::Interaction::kDdl, call);
        if (method == "execute") {
          RawSite site;
          site.kind = ir::QueryKind::kRawSql;
          site.api = "op.execute";
          site.span = SpanOf(call);
          site.other_database = dialect_branch_;
          site.param_style = ir::ParamStyle::kNamed;
          TSNode argument = Argument(call, 0, "sqltext");
          site.sql = ts_node_is_null(argument) ? Unknown(call) : ToValue(argument, ctx, 0);
          site.drop_if_construct = true;
          site.execute = true;
          Event(ir::Interaction::kExecute, call);
          Site(std::move(site));
        }
        return;
      }
    }
    if (method == "create_all" || method == "drop_all") {
      bool metadata = method_link >= 1 && links[method_link - 1].name == "metadata";
      bool db = method_link == 1 && links[0].name == "db";
      if (metadata || db) Event(ir::Interaction::kDdl, call);
      return;
    }
    std::string driver;
    Receiver receiver = ReceiverOf(links, method_link, ctx, &driver);
    if (receiver == Receiver::kNone || HttpClient(links, method_link, ctx)) return;
    if (receiver == Receiver::kSession) {
      if (!kSessionMethods.count(method)) return;
      if (!SessionAccepted(links, method_link)) return;
      Session(links, i, method, ctx);
      return;
    }
    (void)orm_chain;
    bool asyncpg = driver == "asyncpg" ||
                   (driver.empty() && asyncpg_imported_ &&
                    (receiver == Receiver::kConnection || receiver == Receiver::kPool || receiver == Receiver::kDb));
    RawSite site;
    site.kind = ir::QueryKind::kRawSql;
    site.span = SpanOf(call);
    site.execute = true;
    if (asyncpg && (method == "execute" || method == "executemany" || method == "fetch" || method == "fetchrow" ||
                    method == "fetchval")) {
      site.api = "asyncpg." + method;
      site.param_style = ir::ParamStyle::kNumeric;
    } else if (receiver == Receiver::kCursor &&
               (method == "execute" || method == "executemany" || method == "executescript")) {
      site.api = "cursor." + method;
      site.param_style = CursorStyle(driver);
    } else if (receiver != Receiver::kCursor && method == "exec_driver_sql") {
      site.api = "connection.exec_driver_sql";
      site.param_style = driver == "psycopg" ? ir::ParamStyle::kPyformat : ir::ParamStyle::kUnknown;
    } else if ((receiver == Receiver::kConnection || receiver == Receiver::kEngine || receiver == Receiver::kDb) &&
               (method == "execute" || (method == "executemany" && !driver.empty() && driver != "sqlalchemy"))) {
      const char* owner = receiver == Receiver::kEngine ? "engine." : receiver == Receiver::kDb ? "db." : "connection.";
      site.api = owner + method;
      if (driver == "psycopg" || driver == "pg8000") site.param_style = ir::ParamStyle::kPyformat;
      if (driver == "sqlite3") site.param_style = ir::ParamStyle::kQmark;
    } else {
      return;
    }
    Event(ir::Interaction::kExecute, call);
    site.other_database = OtherDatabase(driver);
    TSNode argument = Argument(call, 0, nullptr);
    if (ts_node_is_null(argument)) argument = Argument(call, 99, "query");
    if (ts_node_is_null(argument)) argument = Argument(call, 99, "statement");
    if (ts_node_is_null(argument)) argument = Argument(call, 99, "sql");
    if (ts_node_is_null(argument)) argument = Argument(call, 99, "operation");
    site.sql = ts_node_is_null(argument) ? Unknown(call) : ToValue(argument, ctx, 0);
    if (site.sql->kind == SqlValue::Kind::kText || site.sql->kind == SqlValue::Kind::kConstruct) return;
    site.drop_if_construct = true;
    Site(std::move(site));
  }

  void Session(const std::vector<Link>& links, std::size_t i, const std::string& method, Ctx& ctx) {
    TSNode call = links[i].node;
    Event(ir::Interaction::kSessionUse, call);
    RawSite site;
    site.kind = ir::QueryKind::kOrm;
    site.api = "session." + method;
    site.session_use = true;
    site.span = SpanOf(call);
    if (method == "query") {
      site.span = ChainSpan(links, links.size() - 1);
      site.model_query = true;
      auto entity = SingleEntity(call, ctx);
      if (!entity.empty()) FilterBy(links, i + 1, entity);
      Site(std::move(site));
      return;
    }
    if (method == "execute") {
      Event(ir::Interaction::kExecute, call);
      site.execute = true;
      TSNode argument = Argument(call, 0, "statement");
      SqlValuePtr value = ts_node_is_null(argument) ? nullptr : ToValue(argument, ctx, 0);
      if (value && value->kind != SqlValue::Kind::kText && value->kind != SqlValue::Kind::kConstruct) {
        site.kind = ir::QueryKind::kRawSql;
        site.param_style = ir::ParamStyle::kNamed;
        site.sql = value;
        site.drop_if_construct = true;
        site.other_database = dialect_branch_;
      }
    }
    Site(std::move(site));
  }

  const std::string& source_;
  FileQueryFacts& out_;
  std::vector<std::uint32_t> line_starts_;
  std::uint32_t cache_row_ = UINT32_MAX;
  std::uint32_t cache_byte_ = 0;
  std::uint32_t cache_chars_ = 0;
  std::unordered_map<std::string, std::string> imports_;
  bool sqlalchemy_imported_ = false;
  bool asyncpg_imported_ = false;
  bool sqlite_imported_ = false;
  bool psycopg_imported_ = false;
  bool http_imported_ = false;
  std::string other_driver_;  // the first driver of another database the file imports
  // Inside the body of `if <dialect> == "sqlite":` and the like: "a branch for sqlite".
  std::string dialect_branch_;
};

}  // namespace

void CollectQueryFacts(TSNode root, const std::string& source, FileQueryFacts* out) {
  const std::string& path = out->display_path;
  out->is_migration = out->is_migration || path.rfind("migrations/", 0) == 0 ||
                      path.find("/migrations/") != std::string::npos || path.rfind("alembic/versions/", 0) == 0 ||
                      path.find("/alembic/versions/") != std::string::npos;
  Collector collector(source, *out);
  collector.Run(root);
}

}  // namespace dbaudit::python
