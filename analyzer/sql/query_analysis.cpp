// Query analysis: placeholders normalised, the SQL parsed with libpg_query, every table and
// column reference resolved through the scopes PostgreSQL's parse analysis would build.
//
// Offsets: the parser's locations are byte offsets into the normalised text; every offset
// that leaves this file is mapped back to the caller's text with NormalizedSql::OriginalOffset.

#include "analyzer/sql/query_analysis.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/sql/pg_query_wrapper.hpp"
#include "analyzer/sql/query_json.hpp"

namespace dbaudit::sql {

using json = JsonValue;

// ----- the schema, indexed once -----

struct SchemaIndex::Impl {
  struct Entry {
    const ir::Table* table = nullptr;
    std::unordered_set<std::string> columns;
    bool columns_known = true;
  };
  // schema -> relation name -> entry
  std::unordered_map<std::string, std::unordered_map<std::string, Entry>> schemas;
  std::unordered_set<std::string> known_schemas;            // every schema the catalog mentions
  std::set<std::pair<std::string, std::string>> sequences;  // a sequence is a relation too

  bool IsSequence(const std::string& schema, const std::string& name) const {
    return sequences.count({schema, name}) > 0;
  }

  const Entry* Find(const std::string& schema, const std::string& name) const {
    auto it = schemas.find(schema);
    if (it == schemas.end()) return nullptr;
    auto entry = it->second.find(name);
    return entry == it->second.end() ? nullptr : &entry->second;
  }
};

SchemaIndex::SchemaIndex(const ir::Catalog& catalog) : impl_(std::make_unique<Impl>()) {
  for (const ir::Table& table : catalog.tables) {
    Impl::Entry& entry = impl_->schemas[table.schema][table.name];
    entry.table = &table;
    for (const ir::Column& column : table.columns) entry.columns.insert(column.name);
    // A dump does not spell a view's columns: an empty list means "not known".
    const bool is_view = table.kind == ir::TableKind::kView || table.kind == ir::TableKind::kMaterializedView;
    entry.columns_known = !(is_view && table.columns.empty());
    impl_->known_schemas.insert(table.schema);
  }
  for (const ir::EnumType& type : catalog.enums) impl_->known_schemas.insert(type.schema);
  for (const ir::Sequence& sequence : catalog.sequences) {
    impl_->known_schemas.insert(sequence.schema);
    impl_->sequences.insert({sequence.schema, sequence.name});
  }
  for (const ir::Function& function : catalog.functions) impl_->known_schemas.insert(function.schema);
}

SchemaIndex::~SchemaIndex() = default;
SchemaIndex::SchemaIndex(SchemaIndex&&) noexcept = default;
SchemaIndex& SchemaIndex::operator=(SchemaIndex&&) noexcept = default;

namespace {

// ----- JSON access (the tree is libpg_query's protobuf-named JSON) -----

const json& Member(const json& object, std::string_view key) {
  const json* value = object.Find(key);
  return value != nullptr ? *value : JsonValue::Null();
}

const json& List(const json& object, const char* key) {
  const json& value = Member(object, key);
  return value.is_array() ? value : JsonValue::EmptyArray();
}

std::string Str(const json& object, const char* key) {
  const json& value = Member(object, key);
  return value.is_string() ? std::string(value.string()) : std::string();
}

bool Bool(const json& object, const char* key) {
  const json& value = Member(object, key);
  return value.boolean();
}

long long Loc(const json& object) {
  const json& value = Member(object, "location");
  return value.is_number_integer() ? value.integer() : -1;
}

// {"String": {"sval": "x"}} -> "x"
std::string StringNode(const json& node) {
  return Str(Member(node, "String"), "sval");
}

// The single {"Kind": {...}} pair of a node.
bool Unwrap(const json& node, std::string_view& kind, const json*& body) {
  if (!node.is_object() || node.size() != 1) return false;
  kind = node.begin()->key();
  body = node.begin();
  return true;
}

bool IsIdentStart(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool IsIdentChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

// ----- scopes -----

enum class RelationKind { kCatalog, kLocal, kCte, kSubquery, kFunction, kValues, kUnknownTable, kSystem, kExcluded };

struct Relation {
  std::string refname;  // the name columns are qualified with (alias, or the table's name)
  std::string schema;   // catalog and local tables
  std::string table;    // the underlying relation's name
  RelationKind kind = RelationKind::kCatalog;
  // A catalog relation's columns stay in the index (no copy per reference); `columns` then
  // holds only what this SQL added (ALTER TABLE ... ADD COLUMN earlier in the text).
  const SchemaIndex::Impl::Entry* entry = nullptr;
  std::vector<std::string> columns;
  bool columns_known = true;
  bool real_table = false;  // has system columns (ctid, xmin, ...)
  std::size_t offset = 0;   // where it appears, for notes
  std::string why_unknown;  // worded for a note when columns_known is false
  bool noted = false;

  bool Has(const std::string& column) const {
    if (entry != nullptr && entry->columns.count(column) > 0) return true;
    if (std::find(columns.begin(), columns.end(), column) != columns.end()) return true;
    static const char* const kSystemColumns[] = {"ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"};
    if (!real_table) return false;
    for (const char* system : kSystemColumns) {
      if (column == system) return true;
    }
    return false;
  }
  // Every column name in order.
  void AppendNames(std::vector<std::string>& names) const {
    if (entry != nullptr) {
      for (const ir::Column& column : entry->table->columns) names.push_back(column.name);
    }
    names.insert(names.end(), columns.begin(), columns.end());
  }
  // Copies the catalog's columns into `columns` (before renaming them).
  void Materialize() {
    if (entry == nullptr) return;
    std::vector<std::string> names;
    AppendNames(names);
    columns = std::move(names);
    entry = nullptr;
  }
  std::string Qualified() const { return schema.empty() ? table : schema + "." + table; }
};

struct OutputColumns {
  std::vector<std::string> names;
  bool complete = true;
};

struct CteDef {
  std::string name;
  OutputColumns columns;
  std::size_t offset = 0;
};

// One query level: what its FROM clause made visible. `parent` is the level whose
// relations an expression here may reference (correlation); `cte_parent` the level whose
// WITH names are visible (differs for a non-LATERAL subquery in FROM).
struct Level {
  Level* parent = nullptr;
  Level* cte_parent = nullptr;
  std::vector<Relation> relations;
  std::vector<CteDef> ctes;
};

struct LocalTable {
  OutputColumns columns;
};

// What a name in ORDER BY / GROUP BY may also mean: an output column of the same SELECT.
struct ExprContext {
  const std::vector<std::string>* output_names = nullptr;
};

constexpr int kMaxDepth = 800;

class Analyzer {
 public:
  Analyzer(std::string_view text, const SchemaIndex::Impl* schema, const QueryAnalysisOptions& options,
           ir::SqlAnalysis& out)
      : text_(text), schema_(schema), search_path_(options.search_path), out_(out) {}

  void set_base(std::size_t base) { base_ = base; }

  void Statement(const json& node, std::size_t offset, std::size_t length);

 private:
  // -- positions --
  std::size_t At(const json& body) const {
    const long long location = Loc(body);
    return location < 0 ? base_ : base_ + static_cast<std::size_t>(location);
  }
  std::size_t SkipSpace(std::size_t i) const;
  std::size_t IdentEnd(std::size_t i) const;
  std::size_t NthNameStart(std::size_t start, std::size_t n) const;
  std::size_t FindName(std::size_t from, const std::string& name) const;

  // -- output --
  void AddNote(std::size_t offset, std::string message) { out_.notes.push_back({std::move(message), Offset(offset)}); }
  std::uint32_t Offset(std::size_t offset) const { return static_cast<std::uint32_t>(std::min(offset, text_.size())); }
  void AddColumnRef(ir::SqlReferenceStatus status, const Relation* relation, const std::string& qualifier,
                    const std::string& column, std::size_t offset, std::size_t length, const Level* level);
  void NoteUnknownColumns(Relation& relation, std::size_t use_offset);

  // -- relations --
  Relation ResolveRangeVar(const json& range_var, Level& level, bool report);
  const CteDef* FindCte(const Level* level, const std::string& name) const;
  Relation* FindRelation(Level* level, const std::string& refname, const std::string& schema);

  // -- queries --
  OutputColumns Query(const json& node, Level* parent, Level* cte_parent);
  OutputColumns Select(const json& body, Level* parent, Level* cte_parent);
  OutputColumns Insert(const json& body, Level* parent);
  OutputColumns Update(const json& body, Level* parent);
  OutputColumns Delete(const json& body, Level* parent);
  void Merge(const json& body);
  void With(const json& with_clause, Level& level);
  void FromItem(const json& node, Level& level);
  OutputColumns Targets(const json& target_list, Level& level);
  void Expr(const json& node, Level& level, const ExprContext& context);
  void ColumnRef(const json& body, Level& level, const ExprContext& context);
  void TargetColumn(const json& res_target, const Relation& target, Level& level);
  void ReturningAndTarget(const json& body, Relation& target, Level& level);
  void RegisterLocal(const std::string& schema, const std::string& name, OutputColumns columns);
  std::string DefaultSchema() const { return search_path_.empty() ? std::string("public") : search_path_.front(); }

  // -- statements --
  void StatementFacts(std::string_view kind, const json& body, ir::SqlStatement& statement);
  void StatementReferences(std::string_view kind, const json& body);

  std::string_view text_;
  const SchemaIndex::Impl* schema_;
  // The caller's search path, as later changed by SET search_path in the same text.
  std::vector<std::string> search_path_;
  ir::SqlAnalysis& out_;
  std::size_t base_ = 0;
  int depth_ = 0;
  bool depth_noted_ = false;
  std::map<std::pair<std::string, std::string>, LocalTable> local_;
};

class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

// ----- text positions -----

std::size_t Analyzer::SkipSpace(std::size_t i) const {
  while (i < text_.size()) {
    const unsigned char c = static_cast<unsigned char>(text_[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (c == '-' && i + 1 < text_.size() && text_[i + 1] == '-') {
      while (i < text_.size() && text_[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text_.size() && text_[i + 1] == '*') {
      const std::size_t end = text_.find("*/", i + 2);
      i = end == std::string_view::npos ? text_.size() : end + 2;
    } else {
      break;
    }
  }
  return i;
}

// One past an identifier (bare or "quoted") starting at i; i when there is none.
std::size_t Analyzer::IdentEnd(std::size_t i) const {
  if (i >= text_.size()) return i;
  if (text_[i] == '"') {
    std::size_t j = i + 1;
    while (j < text_.size()) {
      if (text_[j] == '"') {
        if (j + 1 < text_.size() && text_[j + 1] == '"') {
          j += 2;
          continue;
        }
        return j + 1;
      }
      ++j;
    }
    return text_.size();
  }
  if (!IsIdentStart(static_cast<unsigned char>(text_[i]))) return i;
  std::size_t j = i + 1;
  while (j < text_.size() && IsIdentChar(static_cast<unsigned char>(text_[j]))) ++j;
  return j;
}

// Start of the n-th (0-based) name of a dotted name that begins at `start`
// (`u . "Emial"`: n = 1 -> the quote). `start` itself when the text does not cooperate.
std::size_t Analyzer::NthNameStart(std::size_t start, std::size_t n) const {
  std::size_t i = start;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t end = IdentEnd(i);
    if (end == i) return start;
    i = SkipSpace(end);
    if (i >= text_.size() || text_[i] != '.') return start;
    i = SkipSpace(i + 1);
  }
  return i;
}

// First identifier token at or after `from` that spells `name` (case-folded when bare).
std::size_t Analyzer::FindName(std::size_t from, const std::string& name) const {
  std::size_t i = from;
  while (i < text_.size()) {
    i = SkipSpace(i);
    if (i >= text_.size()) break;
    const char c = text_[i];
    if (c == '\'') {
      const std::size_t end = text_.find('\'', i + 1);
      i = end == std::string_view::npos ? text_.size() : end + 1;
      continue;
    }
    const std::size_t end = IdentEnd(i);
    if (end == i) {
      ++i;
      continue;
    }
    std::string spelled;
    if (c == '"') {
      spelled.assign(text_.substr(i + 1, end - i - 2));
    } else {
      spelled.assign(text_.substr(i, end - i));
      for (char& ch : spelled) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    if (spelled == name) return i;
    i = end;
  }
  return std::string_view::npos;
}

// ----- output -----

void Analyzer::AddColumnRef(ir::SqlReferenceStatus status, const Relation* relation, const std::string& qualifier,
                            const std::string& column, std::size_t offset, std::size_t length, const Level* level) {
  ir::SqlReference reference;
  reference.kind = ir::SqlReference::Kind::kColumn;
  reference.status = status;
  if (relation != nullptr) {
    reference.schema = relation->schema;
    reference.table = relation->table.empty() ? relation->refname : relation->table;
  } else {
    reference.table = qualifier;
  }
  reference.column = column;
  reference.qualifier = qualifier;
  reference.offset = Offset(offset);
  reference.length = static_cast<std::uint32_t>(length);
  if (status == ir::SqlReferenceStatus::kUnknownColumn) {
    if (relation != nullptr && relation->kind == RelationKind::kCatalog) {
      reference.candidate_tables.push_back(relation->Qualified());
    } else if (relation == nullptr) {
      for (const Level* l = level; l != nullptr; l = l->parent) {
        for (const Relation& candidate : l->relations) {
          if (candidate.kind != RelationKind::kCatalog && candidate.kind != RelationKind::kLocal) continue;
          const std::string name = candidate.Qualified();
          if (std::find(reference.candidate_tables.begin(), reference.candidate_tables.end(), name) ==
              reference.candidate_tables.end()) {
            reference.candidate_tables.push_back(name);
          }
        }
      }
    }
  }
  out_.references.push_back(std::move(reference));
}

void Analyzer::NoteUnknownColumns(Relation& relation, std::size_t use_offset) {
  if (relation.noted || relation.kind == RelationKind::kUnknownTable || relation.kind == RelationKind::kSystem) return;
  relation.noted = true;
  AddNote(use_offset, "column references not checked: the columns of `" + relation.refname + "` (" +
                          relation.why_unknown + ") are not known");
}

// ----- relations -----

const CteDef* Analyzer::FindCte(const Level* level, const std::string& name) const {
  for (const Level* l = level; l != nullptr; l = l->cte_parent) {
    for (auto it = l->ctes.rbegin(); it != l->ctes.rend(); ++it) {
      if (it->name == name) return &*it;
    }
  }
  return nullptr;
}

Relation* Analyzer::FindRelation(Level* level, const std::string& refname, const std::string& schema) {
  for (Level* l = level; l != nullptr; l = l->parent) {
    for (Relation& relation : l->relations) {
      if (relation.refname != refname) continue;
      if (!schema.empty() && relation.schema != schema) continue;
      return &relation;
    }
  }
  return nullptr;
}

void Analyzer::RegisterLocal(const std::string& schema, const std::string& name, OutputColumns columns) {
  LocalTable& local = local_[{schema.empty() ? DefaultSchema() : schema, name}];
  for (std::string& column : columns.names) {
    if (std::find(local.columns.names.begin(), local.columns.names.end(), column) == local.columns.names.end()) {
      local.columns.names.push_back(std::move(column));
    }
  }
  local.columns.complete = local.columns.complete && columns.complete;
}

bool IsSystemSchema(const std::string& schema) {
  return schema == "pg_catalog" || schema == "information_schema" || schema.rfind("pg_temp", 0) == 0 ||
         schema.rfind("pg_toast", 0) == 0;
}

Relation Analyzer::ResolveRangeVar(const json& range_var, Level& level, bool report) {
  Relation relation;
  const std::string catalog_name = Str(range_var, "catalogname");
  const std::string schema = Str(range_var, "schemaname");
  const std::string name = Str(range_var, "relname");
  const std::size_t start = At(range_var);
  const std::size_t name_count = (catalog_name.empty() ? 0 : 1) + (schema.empty() ? 0 : 1);
  const std::size_t name_start = NthNameStart(start, name_count);
  std::size_t name_end = IdentEnd(name_start);
  if (name_end == name_start) name_end = name_start + name.size();
  relation.table = name;
  relation.refname = name;
  relation.offset = start;
  const json& alias = Member(range_var, "alias");
  if (alias.is_object()) relation.refname = Str(alias, "aliasname");

  ir::SqlReference reference;
  reference.kind = ir::SqlReference::Kind::kTable;
  reference.schema = schema;
  reference.table = name;
  reference.offset = Offset(start);
  reference.length = static_cast<std::uint32_t>(std::min(name_end, text_.size()) - std::min(start, text_.size()));
  bool emit = report;

  auto set_uncertain = [&](RelationKind kind, std::string why) {
    relation.kind = kind;
    relation.columns_known = false;
    relation.why_unknown = std::move(why);
    reference.status = ir::SqlReferenceStatus::kUncertain;
  };
  auto use_local = [&](const std::string& in_schema, const LocalTable& local) {
    relation.kind = RelationKind::kLocal;
    relation.schema = in_schema;
    relation.columns = local.columns.names;
    relation.columns_known = local.columns.complete;
    relation.real_table = true;
    relation.why_unknown = "a table this SQL creates from a query";
    reference.schema = in_schema;
    reference.status = ir::SqlReferenceStatus::kResolved;
  };
  auto use_entry = [&](const std::string& in_schema, const SchemaIndex::Impl::Entry& entry) {
    relation.kind = RelationKind::kCatalog;
    relation.schema = in_schema;
    relation.entry = &entry;
    relation.columns_known = entry.columns_known;
    relation.real_table = entry.table->kind != ir::TableKind::kView;
    relation.why_unknown = "a view whose columns the schema source does not list";
    reference.schema = in_schema;
    reference.status = ir::SqlReferenceStatus::kResolved;
  };
  auto use_sequence = [&](const std::string& in_schema) {
    relation.kind = RelationKind::kLocal;
    relation.schema = in_schema;
    relation.columns = {"last_value", "log_cnt", "is_called"};
    relation.real_table = true;
    reference.schema = in_schema;
    reference.status = ir::SqlReferenceStatus::kResolved;
  };
  // A migration tool's bookkeeping table (Alembic's, sqlalchemy-migrate's): a dump of the
  // models alone lacks it, every migrated database has it.
  auto bookkeeping = [&] { return name == "alembic_version" || name == "migrate_version"; };
  auto use_bookkeeping = [&](const std::string& in_schema) {
    relation.kind = RelationKind::kLocal;
    relation.schema = in_schema;
    relation.columns = name == "alembic_version"
                           ? std::vector<std::string>{"version_num"}
                           : std::vector<std::string>{"repository_id", "repository_path", "version"};
    relation.real_table = true;
    reference.schema = in_schema;
    reference.status = ir::SqlReferenceStatus::kResolved;
  };
  auto merge_local = [&](const std::string& in_schema) {
    // Columns this SQL adds (ALTER TABLE ... ADD COLUMN earlier in the text).
    auto it = local_.find({in_schema, name});
    if (it == local_.end()) return;
    for (const std::string& column : it->second.columns.names) {
      if (!relation.Has(column)) relation.columns.push_back(column);
    }
  };

  if (!catalog_name.empty()) {
    set_uncertain(RelationKind::kSystem, "a three-part name");
  } else if (schema.empty() && FindCte(&level, name) != nullptr) {
    const CteDef* cte = FindCte(&level, name);
    relation.kind = RelationKind::kCte;
    relation.columns = cte->columns.names;
    relation.columns_known = cte->columns.complete;
    relation.why_unknown = "a WITH query whose output columns cannot be listed";
    emit = false;  // not a schema object
  } else if (!schema.empty()) {
    if (auto it = local_.find({schema, name}); it != local_.end() && (!schema_ || !schema_->Find(schema, name))) {
      use_local(schema, it->second);
    } else if (IsSystemSchema(schema)) {
      set_uncertain(RelationKind::kSystem, "a system catalog");
    } else if (schema_ == nullptr) {
      set_uncertain(RelationKind::kSystem, "no schema source");
    } else if (const auto* entry = schema_->Find(schema, name)) {
      use_entry(schema, *entry);
      merge_local(schema);
    } else if (schema_->IsSequence(schema, name)) {
      use_sequence(schema);
    } else if (schema_->known_schemas.count(schema) == 0) {
      set_uncertain(RelationKind::kSystem, "a schema the schema source does not hold");
      AddNote(start,
              "`" + schema + "." + name + "` not checked: the schema source holds nothing in schema `" + schema + "`");
    } else if (bookkeeping()) {
      use_bookkeeping(schema);
    } else {
      relation.kind = RelationKind::kUnknownTable;
      relation.columns_known = false;
      reference.status = ir::SqlReferenceStatus::kUnknownTable;
    }
  } else {
    bool found = false;
    for (const std::string& path_schema : search_path_) {
      const auto* entry = schema_ != nullptr ? schema_->Find(path_schema, name) : nullptr;
      auto local = local_.find({path_schema, name});
      if (entry != nullptr) {
        use_entry(path_schema, *entry);
        merge_local(path_schema);
      } else if (local != local_.end()) {
        use_local(path_schema, local->second);
      } else if (schema_ != nullptr && schema_->IsSequence(path_schema, name)) {
        use_sequence(path_schema);
      } else {
        continue;
      }
      found = true;
      break;
    }
    if (!found) {
      if (name.rfind("pg_", 0) == 0) {
        set_uncertain(RelationKind::kSystem, "a system catalog");
      } else if (schema_ == nullptr) {
        set_uncertain(RelationKind::kSystem, "no schema source");
      } else if (bookkeeping()) {
        use_bookkeeping(DefaultSchema());
      } else {
        relation.kind = RelationKind::kUnknownTable;
        relation.columns_known = false;
        reference.status = ir::SqlReferenceStatus::kUnknownTable;
      }
    }
  }
  // Alias column names rename the first columns.
  if (alias.is_object()) {
    const json& colnames = List(alias, "colnames");
    if (!colnames.empty()) relation.Materialize();
    for (std::size_t i = 0; i < colnames.size(); ++i) {
      if (i < relation.columns.size()) {
        relation.columns[i] = StringNode(colnames[i]);
      } else {
        relation.columns.push_back(StringNode(colnames[i]));
      }
    }
  }
  if (emit) out_.references.push_back(std::move(reference));
  return relation;
}

// ----- queries -----

OutputColumns Analyzer::Query(const json& node, Level* parent, Level* cte_parent) {
  std::string_view kind;
  const json* body = nullptr;
  if (!Unwrap(node, kind, body)) return {{}, false};
  if (kind == "SelectStmt") return Select(*body, parent, cte_parent);
  // DML inside WITH: its RETURNING list is its output.
  Level level;
  level.parent = parent;
  level.cte_parent = cte_parent;
  if (kind == "InsertStmt") return Insert(*body, &level);
  if (kind == "UpdateStmt") return Update(*body, &level);
  if (kind == "DeleteStmt") return Delete(*body, &level);
  return {{}, false};
}

// Whether a recursive CTE's alias list names every column of its non-recursive term: a list
// shorter than that term's targets, or a `*` there, renames only the first columns.
bool AliasListComplete(const json& cte_query, std::size_t alias_count) {
  std::string_view kind;
  const json* body = nullptr;
  if (!Unwrap(cte_query, kind, body) || kind != "SelectStmt") return false;
  const json* select = body;
  for (int guard = 0; guard < 64; ++guard) {
    const std::string op = Str(*select, "op");
    if (op.empty() || op == "SETOP_NONE") break;
    select = &Member(*select, "larg");
  }
  const json& targets = List(*select, "targetList");
  if (targets.size() > alias_count) return false;
  for (const json& item : targets) {
    const json& fields = List(Member(Member(Member(item, "ResTarget"), "val"), "ColumnRef"), "fields");
    if (!fields.empty() && Member(fields.back(), "A_Star").is_object()) return false;
  }
  return true;
}

void Analyzer::With(const json& with_clause, Level& level) {
  const bool recursive = Bool(with_clause, "recursive");
  for (const json& item : List(with_clause, "ctes")) {
    const json& cte = Member(item, "CommonTableExpr");
    CteDef def;
    def.name = Str(cte, "ctename");
    def.offset = At(cte);
    const json& alias_names = List(cte, "aliascolnames");
    for (const json& name : alias_names) def.columns.names.push_back(StringNode(name));
    if (recursive) {
      // Visible inside its own body; its columns are the alias list, or unknown until the
      // body tells them (a partial list keeps the other names of the first term).
      CteDef early = def;
      early.columns.complete = !alias_names.empty() && AliasListComplete(Member(cte, "ctequery"), alias_names.size());
      level.ctes.push_back(early);
    }
    OutputColumns body = Query(Member(cte, "ctequery"), &level, &level);
    if (recursive) level.ctes.pop_back();
    if (alias_names.empty()) {
      def.columns = std::move(body);
    } else {
      for (std::size_t i = alias_names.size(); i < body.names.size(); ++i) def.columns.names.push_back(body.names[i]);
      def.columns.complete = body.complete || alias_names.size() >= body.names.size();
    }
    level.ctes.push_back(std::move(def));
  }
}

// PostgreSQL's FigureColname for the cases that matter; "" when the name is not certain.
std::string FigureColname(const json& node) {
  std::string_view kind;
  const json* body = nullptr;
  if (!Unwrap(node, kind, body)) return "";
  if (kind == "ColumnRef") {
    const json& fields = List(*body, "fields");
    return fields.empty() ? "" : StringNode(fields.back());
  }
  if (kind == "FuncCall") {
    const json& names = List(*body, "funcname");
    return names.empty() ? "" : StringNode(names.back());
  }
  if (kind == "A_Indirection") {
    const json& indirection = List(*body, "indirection");
    if (!indirection.empty() && Member(indirection.back(), "String").is_object()) return StringNode(indirection.back());
    return FigureColname(Member(*body, "arg"));
  }
  if (kind == "TypeCast") return FigureColname(Member(*body, "arg"));
  if (kind == "CaseExpr") return "case";
  if (kind == "CoalesceExpr") return "coalesce";
  if (kind == "RowExpr") return "row";
  if (kind == "A_ArrayExpr") return "array";
  return "";
}

OutputColumns Analyzer::Targets(const json& target_list, Level& level) {
  OutputColumns output;
  ExprContext none;
  for (const json& item : target_list) {
    const json& target = Member(item, "ResTarget");
    const json& value = Member(target, "val");
    Expr(value, level, none);
    const std::string name = Str(target, "name");
    if (!name.empty()) {
      output.names.push_back(name);
      continue;
    }
    const json& column_ref = Member(value, "ColumnRef");
    const json& fields = List(column_ref, "fields");
    if (!fields.empty() && Member(fields.back(), "A_Star").is_object()) {
      // `*` or `t.*`: the columns of the relations it expands to.
      const std::string qualifier = fields.size() >= 2 ? StringNode(fields[fields.size() - 2]) : "";
      for (const Relation& relation : level.relations) {
        if (!qualifier.empty() && relation.refname != qualifier) continue;
        relation.AppendNames(output.names);
        if (!relation.columns_known) output.complete = false;
      }
      continue;
    }
    std::string figured = FigureColname(value);
    if (figured.empty()) {
      output.complete = false;
      figured = "?column?";
    }
    output.names.push_back(std::move(figured));
  }
  return output;
}

void Analyzer::FromItem(const json& node, Level& level) {
  std::string_view kind;
  const json* body = nullptr;
  if (!Unwrap(node, kind, body)) return;
  if (kind == "RangeVar") {
    level.relations.push_back(ResolveRangeVar(*body, level, true));
    return;
  }
  if (kind == "JoinExpr") {
    const std::size_t first = level.relations.size();
    FromItem(Member(*body, "larg"), level);
    const std::size_t middle = level.relations.size();
    FromItem(Member(*body, "rarg"), level);
    const std::size_t last = level.relations.size();
    std::size_t search_from = middle < last ? level.relations[middle].offset : base_;
    for (const json& using_name : List(*body, "usingClause")) {
      const std::string column = StringNode(using_name);
      const std::size_t at = FindName(search_from, column);
      if (at == std::string_view::npos) continue;
      search_from = at;
      for (auto [begin, end] : {std::pair{first, middle}, std::pair{middle, last}}) {
        bool found = false;
        bool known = true;
        for (std::size_t i = begin; i < end; ++i) {
          found = found || level.relations[i].Has(column);
          known = known && level.relations[i].columns_known;
        }
        const Relation* side = end - begin == 1 ? &level.relations[begin] : nullptr;
        const auto status = found   ? ir::SqlReferenceStatus::kResolved
                            : known ? ir::SqlReferenceStatus::kUnknownColumn
                                    : ir::SqlReferenceStatus::kUncertain;
        Level sides;
        sides.relations.assign(level.relations.begin() + static_cast<long>(begin),
                               level.relations.begin() + static_cast<long>(end));
        AddColumnRef(status, side, "", column, at, IdentEnd(at) - at, &sides);
      }
    }
    ExprContext none;
    Expr(Member(*body, "quals"), level, none);
    const json& alias = Member(*body, "alias");
    if (alias.is_object()) {
      Relation joined;
      joined.kind = RelationKind::kSubquery;
      joined.refname = Str(alias, "aliasname");
      joined.table = joined.refname;
      for (std::size_t i = first; i < last; ++i) {
        const Relation& side = level.relations[i];
        side.AppendNames(joined.columns);
        joined.columns_known = joined.columns_known && side.columns_known;
      }
      joined.why_unknown = "a join of relations whose columns are not all known";
      level.relations.push_back(std::move(joined));
    }
    return;
  }
  if (kind == "RangeSubselect") {
    const bool lateral = Bool(*body, "lateral");
    const json& subquery = Member(*body, "subquery");
    const json& alias = Member(*body, "alias");
    Relation relation;
    relation.kind = Member(Member(subquery, "SelectStmt"), "valuesLists").is_array() ? RelationKind::kValues
                                                                                     : RelationKind::kSubquery;
    relation.refname = Str(alias, "aliasname");
    relation.table = relation.refname;
    relation.why_unknown = "a subquery whose output columns cannot be listed";
    // A LATERAL subquery sees the FROM items to its left; any other only the outer levels.
    OutputColumns output = lateral ? Query(subquery, &level, &level) : Query(subquery, level.parent, &level);
    relation.columns = std::move(output.names);
    relation.columns_known = output.complete;
    const json& colnames = List(alias, "colnames");
    for (std::size_t i = 0; i < colnames.size(); ++i) {
      if (i < relation.columns.size()) {
        relation.columns[i] = StringNode(colnames[i]);
      } else {
        relation.columns.push_back(StringNode(colnames[i]));
      }
    }
    level.relations.push_back(std::move(relation));
    return;
  }
  if (kind == "RangeFunction") {
    Relation relation;
    relation.kind = RelationKind::kFunction;
    relation.columns_known = false;
    relation.why_unknown = "a function in FROM";
    ExprContext none;
    // Functions in FROM are implicitly LATERAL: their arguments see the items to the left.
    for (const json& function : List(*body, "functions")) {
      // [FuncCall, column definition list or {}]
      for (const json& part : List(Member(function, "List"), "items")) {
        const json& call = Member(part, "FuncCall");
        if (call.is_object()) {
          Expr(part, level, none);
          if (relation.refname.empty()) {
            relation.refname = FigureColname(part);
            relation.offset = At(call);
          }
        } else {
          for (const json& column : List(Member(part, "List"), "items")) {
            relation.columns.push_back(Str(Member(column, "ColumnDef"), "colname"));
          }
        }
      }
    }
    for (const json& column : List(*body, "coldeflist")) {
      relation.columns.push_back(Str(Member(column, "ColumnDef"), "colname"));
    }
    const json& alias = Member(*body, "alias");
    if (alias.is_object()) {
      relation.refname = Str(alias, "aliasname");
      for (const json& name : List(alias, "colnames")) relation.columns.push_back(StringNode(name));
    }
    relation.table = relation.refname;
    level.relations.push_back(std::move(relation));
    return;
  }
  if (kind == "RangeTableSample") {
    FromItem(Member(*body, "relation"), level);
    ExprContext none;
    Expr(Member(*body, "args"), level, none);
    return;
  }
  // XMLTABLE and anything newer: a relation whose columns are not checked.
  Relation relation;
  relation.kind = RelationKind::kFunction;
  relation.columns_known = false;
  relation.refname = Str(Member(*body, "alias"), "aliasname");
  relation.table = relation.refname;
  relation.why_unknown = "a table function (" + std::string(kind) + ")";
  level.relations.push_back(std::move(relation));
}

OutputColumns Analyzer::Select(const json& body, Level* parent, Level* cte_parent) {
  DepthGuard guard(depth_);
  if (depth_ > kMaxDepth) {
    if (!depth_noted_) AddNote(base_, "query nested too deeply: inner parts not checked");
    depth_noted_ = true;
    return {{}, false};
  }
  Level level;
  level.parent = parent;
  level.cte_parent = cte_parent;
  With(Member(body, "withClause"), level);
  ExprContext none;
  const std::string op = Str(body, "op");
  if (!op.empty() && op != "SETOP_NONE") {
    // UNION / INTERSECT / EXCEPT: each arm on its own; the result has the left arm's names.
    OutputColumns left = Select(Member(body, "larg"), &level, &level);
    Select(Member(body, "rarg"), &level, &level);
    ExprContext by_output{&left.names};
    for (const json& sort : List(body, "sortClause")) {
      const json& expression = Member(Member(sort, "SortBy"), "node");
      const json& fields = List(Member(expression, "ColumnRef"), "fields");
      if (fields.size() == 1 && !left.complete) continue;  // cannot tell
      Expr(expression, level, by_output);
    }
    Expr(Member(body, "limitCount"), level, none);
    Expr(Member(body, "limitOffset"), level, none);
    return left;
  }
  const json& values = Member(body, "valuesLists");
  if (values.is_array()) {
    OutputColumns output;
    Expr(values, level, none);
    const json& first = values.empty() ? JsonValue::EmptyArray() : Member(values[0], "List");
    const std::size_t count = List(first, "items").size();
    for (std::size_t i = 1; i <= count; ++i) output.names.push_back("column" + std::to_string(i));
    return output;
  }
  for (const json& item : List(body, "fromClause")) FromItem(item, level);
  OutputColumns output = Targets(List(body, "targetList"), level);
  Expr(Member(body, "whereClause"), level, none);
  ExprContext by_output{&output.names};
  Expr(Member(body, "groupClause"), level, by_output);
  Expr(Member(body, "havingClause"), level, none);
  Expr(Member(body, "windowClause"), level, none);
  Expr(Member(body, "distinctClause"), level, by_output);
  Expr(Member(body, "sortClause"), level, by_output);
  Expr(Member(body, "limitCount"), level, none);
  Expr(Member(body, "limitOffset"), level, none);
  const json& into = Member(body, "intoClause");
  if (into.is_object()) {
    const json& rel = Member(into, "rel");
    OutputColumns columns = output;
    const json& colnames = List(into, "colNames");
    for (std::size_t i = 0; i < colnames.size() && i < columns.names.size(); ++i) {
      columns.names[i] = StringNode(colnames[i]);
    }
    RegisterLocal(Str(rel, "schemaname"), Str(rel, "relname"), std::move(columns));
  }
  return output;
}

void Analyzer::Expr(const json& node, Level& level, const ExprContext& context) {
  if (node.is_array()) {
    for (const json& item : node) Expr(item, level, context);
    return;
  }
  if (!node.is_object()) return;
  DepthGuard guard(depth_);
  if (depth_ > kMaxDepth) {
    if (!depth_noted_) AddNote(base_, "expression nested too deeply: inner parts not checked");
    depth_noted_ = true;
    return;
  }
  for (const json& value : node) {
    const std::string_view key = value.key();
    if (!value.is_structured()) continue;
    if (key == "ColumnRef") {
      ColumnRef(value, level, context);
    } else if (key == "SelectStmt") {
      Select(value, &level, &level);
    } else if (key == "String" || key == "A_Const" || key == "TypeName") {
      continue;
    } else {
      Expr(value, level, context);
    }
  }
}

void Analyzer::ColumnRef(const json& body, Level& level, const ExprContext& context) {
  const json& fields = List(body, "fields");
  if (fields.empty()) return;
  const std::size_t start = At(body);
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (const json& field : fields) {
    if (Member(field, "A_Star").is_object()) {
      // `t.*`: the qualifier must name a relation in scope.
      if (names.size() == 1 && FindRelation(&level, names[0], "") == nullptr) {
        AddColumnRef(ir::SqlReferenceStatus::kUnknownTable, nullptr, names[0], "*", start, IdentEnd(start) - start,
                     &level);
      }
      return;
    }
    names.push_back(StringNode(field));
  }
  const std::size_t last = names.size() - 1;
  const std::size_t name_at = NthNameStart(start, last);
  std::size_t name_end = IdentEnd(name_at);
  if (name_end == name_at) name_end = name_at + names[last].size();
  const std::size_t name_length = name_end - name_at;

  if (names.size() == 1) {
    const std::string& column = names[0];
    if (context.output_names != nullptr &&
        std::find(context.output_names->begin(), context.output_names->end(), column) != context.output_names->end()) {
      AddColumnRef(ir::SqlReferenceStatus::kResolved, nullptr, "", column, name_at, name_length, &level);
      return;
    }
    for (Level* l = &level; l != nullptr; l = l->parent) {
      Relation* unsure = nullptr;
      for (Relation& relation : l->relations) {
        if (relation.Has(column)) {
          AddColumnRef(ir::SqlReferenceStatus::kResolved, &relation, "", column, name_at, name_length, &level);
          return;
        }
        if (!relation.columns_known && unsure == nullptr) unsure = &relation;
      }
      if (unsure != nullptr) {
        NoteUnknownColumns(*unsure, name_at);
        AddColumnRef(ir::SqlReferenceStatus::kUncertain, unsure, "", column, name_at, name_length, &level);
        return;
      }
    }
    // A bare relation name is a whole-row reference; SYSTEM_USER is a PostgreSQL 16 keyword
    // that the 15 grammar reads as a column.
    if (FindRelation(&level, column, "") != nullptr || column == "system_user") return;
    AddColumnRef(ir::SqlReferenceStatus::kUnknownColumn, nullptr, "", column, name_at, name_length, &level);
    return;
  }
  if (names.size() == 2 || names.size() == 3) {
    const std::string& column = names[last];
    const std::string& qualifier = names[last - 1];
    const std::string schema = names.size() == 3 ? names[0] : "";
    Relation* relation = FindRelation(&level, qualifier, schema);
    if (relation == nullptr && names.size() == 3) {
      // t.composite_column.field
      Relation* owner = FindRelation(&level, names[0], "");
      if (owner != nullptr) return;
      AddColumnRef(ir::SqlReferenceStatus::kUncertain, nullptr, qualifier, column, name_at, name_length, &level);
      return;
    }
    if (relation == nullptr) {
      // `a.b` where `a` is no relation: a composite column's field, or a missing FROM entry.
      for (Level* l = &level; l != nullptr; l = l->parent) {
        for (Relation& candidate : l->relations) {
          if (candidate.Has(qualifier) || !candidate.columns_known) return;
        }
      }
      // `old.x` / `new.x`: RETURNING's row versions in PostgreSQL 18, rule bodies before.
      const bool row_version = names.size() == 2 && (qualifier == "old" || qualifier == "new");
      AddColumnRef(row_version ? ir::SqlReferenceStatus::kUncertain : ir::SqlReferenceStatus::kUnknownTable, nullptr,
                   qualifier, column, start, IdentEnd(start) - start, &level);
      return;
    }
    if (relation->Has(column)) {
      AddColumnRef(ir::SqlReferenceStatus::kResolved, relation, qualifier, column, name_at, name_length, &level);
    } else if (!relation->columns_known) {
      NoteUnknownColumns(*relation, name_at);
      AddColumnRef(ir::SqlReferenceStatus::kUncertain, relation, qualifier, column, name_at, name_length, &level);
    } else {
      AddColumnRef(ir::SqlReferenceStatus::kUnknownColumn, relation, qualifier, column, name_at, name_length, &level);
    }
    return;
  }
  // Four names (database.schema.table.column) or deeper field access: not checked.
}

// An INSERT column or an UPDATE SET target: a column of the target table only.
void Analyzer::TargetColumn(const json& res_target, const Relation& target, Level& level) {
  const std::string name = Str(res_target, "name");
  if (name.empty()) return;
  const std::size_t at = At(res_target);
  std::size_t end = IdentEnd(at);
  if (end == at) end = at + name.size();
  const auto status = target.Has(name)       ? ir::SqlReferenceStatus::kResolved
                      : target.columns_known ? ir::SqlReferenceStatus::kUnknownColumn
                                             : ir::SqlReferenceStatus::kUncertain;
  if (status == ir::SqlReferenceStatus::kUncertain) {
    Relation copy = target;
    NoteUnknownColumns(copy, at);
  }
  Level only;
  only.relations.push_back(target);
  AddColumnRef(status, &target, "", name, at, end - at, &only);
  (void)level;
}

OutputColumns Analyzer::Insert(const json& body, Level* parent) {
  Level level;
  level.parent = parent;
  level.cte_parent = parent;
  With(Member(body, "withClause"), level);
  Relation target = ResolveRangeVar(Member(body, "relation"), level, true);
  for (const json& column : List(body, "cols")) TargetColumn(Member(column, "ResTarget"), target, level);
  // The source query does not see the target table.
  Query(Member(body, "selectStmt"), level.parent, &level);
  const json& conflict = Member(body, "onConflictClause");
  Level scope;
  scope.parent = nullptr;
  scope.cte_parent = &level;
  scope.relations.push_back(target);
  ExprContext none;
  if (conflict.is_object()) {
    const json& infer = Member(conflict, "infer");
    std::size_t search_from = At(infer);
    for (const json& element : List(infer, "indexElems")) {
      const json& index_element = Member(element, "IndexElem");
      const std::string name = Str(index_element, "name");
      if (name.empty()) {
        Expr(Member(index_element, "expr"), scope, none);
        continue;
      }
      const std::size_t at = FindName(search_from, name);
      if (at == std::string_view::npos) continue;
      search_from = IdentEnd(at);
      const auto status = target.Has(name)       ? ir::SqlReferenceStatus::kResolved
                          : target.columns_known ? ir::SqlReferenceStatus::kUnknownColumn
                                                 : ir::SqlReferenceStatus::kUncertain;
      AddColumnRef(status, &target, "", name, at, IdentEnd(at) - at, &scope);
    }
    Expr(Member(infer, "whereClause"), scope, none);
    // DO UPDATE sees the target and `excluded`, the row proposed for insertion.
    Relation excluded = target;
    excluded.kind = RelationKind::kExcluded;
    excluded.refname = "excluded";
    Level update_scope = scope;
    update_scope.relations.push_back(excluded);
    for (const json& item : List(conflict, "targetList")) {
      const json& target_item = Member(item, "ResTarget");
      TargetColumn(target_item, target, update_scope);
      Expr(Member(target_item, "val"), update_scope, none);
    }
    Expr(Member(conflict, "whereClause"), update_scope, none);
  }
  return Targets(List(body, "returningList"), scope);
}

OutputColumns Analyzer::Update(const json& body, Level* parent) {
  Level level;
  level.parent = parent;
  level.cte_parent = parent;
  With(Member(body, "withClause"), level);
  level.relations.push_back(ResolveRangeVar(Member(body, "relation"), level, true));
  for (const json& item : List(body, "fromClause")) FromItem(item, level);
  const Relation target = level.relations.front();
  ExprContext none;
  for (const json& item : List(body, "targetList")) {
    const json& target_item = Member(item, "ResTarget");
    TargetColumn(target_item, target, level);
    Expr(Member(target_item, "val"), level, none);
  }
  Expr(Member(body, "whereClause"), level, none);
  return Targets(List(body, "returningList"), level);
}

OutputColumns Analyzer::Delete(const json& body, Level* parent) {
  Level level;
  level.parent = parent;
  level.cte_parent = parent;
  With(Member(body, "withClause"), level);
  level.relations.push_back(ResolveRangeVar(Member(body, "relation"), level, true));
  for (const json& item : List(body, "usingClause")) FromItem(item, level);
  ExprContext none;
  Expr(Member(body, "whereClause"), level, none);
  return Targets(List(body, "returningList"), level);
}

void Analyzer::Merge(const json& body) {
  Level level;
  level.relations.push_back(ResolveRangeVar(Member(body, "relation"), level, true));
  const Relation target = level.relations.front();
  FromItem(Member(body, "sourceRelation"), level);
  ExprContext none;
  Expr(Member(body, "joinCondition"), level, none);
  for (const json& item : List(body, "mergeWhenClauses")) {
    const json& clause = Member(item, "MergeWhenClause");
    Expr(Member(clause, "condition"), level, none);
    for (const json& target_item : List(clause, "targetList")) {
      TargetColumn(Member(target_item, "ResTarget"), target, level);
      Expr(Member(Member(target_item, "ResTarget"), "val"), level, none);
    }
    Expr(Member(clause, "values"), level, none);
  }
}

// ----- statements -----

std::string CommandFromKind(std::string_view kind) {
  // "AlterTableStmt" -> "ALTER TABLE" for the statements without a special name below.
  std::string words;
  std::string_view name = kind;
  if (name.size() > 4 && name.substr(name.size() - 4) == "Stmt") name.remove_suffix(4);
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (i > 0 && std::isupper(c) && !std::isupper(static_cast<unsigned char>(name[i - 1]))) words += ' ';
    words += static_cast<char>(std::toupper(c));
  }
  return words;
}

std::string ObjectTypeWord(const std::string& object_type) {
  // "OBJECT_MATVIEW" -> "MATERIALIZED VIEW", "OBJECT_FOREIGN_TABLE" -> "FOREIGN TABLE"
  std::string word = object_type.rfind("OBJECT_", 0) == 0 ? object_type.substr(7) : object_type;
  if (word == "MATVIEW") return "MATERIALIZED VIEW";
  std::replace(word.begin(), word.end(), '_', ' ');
  return word;
}

std::string Qualify(const std::string& schema, const std::string& name) {
  return schema.empty() ? name : schema + "." + name;
}

void Analyzer::StatementFacts(std::string_view kind, const json& body, ir::SqlStatement& statement) {
  auto relation_name = [&](const json& range_var) {
    const std::string schema = Str(range_var, "schemaname");
    const std::string name = Str(range_var, "relname");
    if (!schema.empty()) return Qualify(schema, name);
    for (const std::string& path_schema : search_path_) {
      if ((schema_ != nullptr && schema_->Find(path_schema, name) != nullptr) ||
          local_.count({path_schema, name}) > 0) {
        return Qualify(path_schema, name);
      }
    }
    return name;
  };
  const json& relation = Member(Member(body, "relation"), "RangeVar").is_object()
                             ? Member(Member(body, "relation"), "RangeVar")
                             : Member(body, "relation");
  if (kind == "SelectStmt") {
    const bool into = Member(body, "intoClause").is_object();
    statement.command = into ? "SELECT INTO" : "SELECT";
    statement.is_ddl = into;
    if (into) statement.target_table = relation_name(Member(Member(body, "intoClause"), "rel"));
  } else if (kind == "InsertStmt" || kind == "UpdateStmt" || kind == "DeleteStmt" || kind == "MergeStmt") {
    statement.command = kind == "InsertStmt"   ? "INSERT"
                        : kind == "UpdateStmt" ? "UPDATE"
                        : kind == "DeleteStmt" ? "DELETE"
                                               : "MERGE";
    statement.target_table = relation_name(relation);
    if (kind == "UpdateStmt" || kind == "DeleteStmt") {
      const char* joined = kind == "UpdateStmt" ? "fromClause" : "usingClause";
      const bool has_where = Member(body, "whereClause").is_object();
      statement.write_without_where = !has_where && List(body, joined).empty();
      statement.is_destructive = !has_where;
    }
  } else if (kind == "CreateStmt") {
    statement.command = "CREATE TABLE";
    statement.target_table = Qualify(
        Str(relation, "schemaname").empty() ? DefaultSchema() : Str(relation, "schemaname"), Str(relation, "relname"));
  } else if (kind == "CreateTableAsStmt") {
    const std::string object = Str(body, "objtype");
    statement.command = object == "OBJECT_MATVIEW" ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS";
    const json& rel = Member(Member(body, "into"), "rel");
    statement.target_table = Qualify(Str(rel, "schemaname"), Str(rel, "relname"));
  } else if (kind == "ViewStmt") {
    statement.command = "CREATE VIEW";
    const json& view = Member(body, "view");
    statement.target_table = Qualify(Str(view, "schemaname"), Str(view, "relname"));
  } else if (kind == "IndexStmt") {
    statement.command = "CREATE INDEX";
    statement.target_table = relation_name(relation);
  } else if (kind == "DropStmt") {
    statement.command = "DROP " + ObjectTypeWord(Str(body, "removeType"));
    statement.is_destructive = true;
    const json& objects = List(body, "objects");
    if (!objects.empty()) {
      std::string name;
      for (const json& part : List(Member(objects[0], "List"), "items")) {
        name += (name.empty() ? "" : ".") + StringNode(part);
      }
      statement.target_table = name;
    }
  } else if (kind == "TruncateStmt") {
    statement.command = "TRUNCATE";
    statement.is_destructive = true;
    const json& relations = List(body, "relations");
    if (!relations.empty()) statement.target_table = relation_name(Member(relations[0], "RangeVar"));
  } else if (kind == "AlterTableStmt") {
    statement.command = "ALTER " + ObjectTypeWord(Str(body, "objtype"));
    statement.target_table = relation_name(relation);
    for (const json& command : List(body, "cmds")) {
      const std::string subtype = Str(Member(command, "AlterTableCmd"), "subtype");
      if (subtype == "AT_DropColumn" || subtype == "AT_DropConstraint") statement.is_destructive = true;
    }
  } else if (kind == "RenameStmt") {
    statement.command = "ALTER " + ObjectTypeWord(Str(body, "relationType").empty() ? Str(body, "renameType")
                                                                                    : Str(body, "relationType"));
    if (relation.is_object()) statement.target_table = relation_name(relation);
  } else if (kind == "TransactionStmt") {
    const std::string transaction_kind = Str(body, "kind");
    statement.command = transaction_kind.rfind("TRANS_STMT_", 0) == 0 ? transaction_kind.substr(11) : "TRANSACTION";
    std::replace(statement.command.begin(), statement.command.end(), '_', ' ');
  } else if (kind == "VariableSetStmt") {
    statement.command = Str(body, "kind") == "VAR_RESET" || Str(body, "kind") == "VAR_RESET_ALL" ? "RESET" : "SET";
  } else if (kind == "VariableShowStmt") {
    statement.command = "SHOW";
  } else if (kind == "ExplainStmt") {
    statement.command = "EXPLAIN";
  } else if (kind == "CreateFunctionStmt") {
    statement.command = Bool(body, "is_procedure") ? "CREATE PROCEDURE" : "CREATE FUNCTION";
  } else if (kind == "CreateEnumStmt" || kind == "CompositeTypeStmt") {
    statement.command = "CREATE TYPE";
  } else if (kind == "CreateTrigStmt") {
    statement.command = "CREATE TRIGGER";
  } else if (kind == "CreateSeqStmt") {
    statement.command = "CREATE SEQUENCE";
  } else if (kind == "DoStmt") {
    statement.command = "DO";
  } else if (kind == "CopyStmt") {
    statement.command = "COPY";
    if (relation.is_object()) statement.target_table = relation_name(relation);
  } else if (kind == "GrantStmt") {
    statement.command = Bool(body, "is_grant") ? "GRANT" : "REVOKE";
  } else {
    statement.command = CommandFromKind(kind);
  }
  const std::string& command = statement.command;
  statement.is_ddl = statement.is_ddl || command.rfind("CREATE", 0) == 0 || command.rfind("ALTER", 0) == 0 ||
                     command.rfind("DROP", 0) == 0 || command == "TRUNCATE";
}

void Analyzer::StatementReferences(std::string_view kind, const json& body) {
  Level top;
  ExprContext none;
  if (kind == "SelectStmt") {
    Select(body, nullptr, nullptr);
  } else if (kind == "InsertStmt") {
    Insert(body, nullptr);
  } else if (kind == "UpdateStmt") {
    Update(body, nullptr);
  } else if (kind == "DeleteStmt") {
    Delete(body, nullptr);
  } else if (kind == "MergeStmt") {
    Merge(body);
  } else if (kind == "ExplainStmt" || kind == "DeclareCursorStmt" || kind == "PrepareStmt") {
    std::string_view inner_kind;
    const json* inner = nullptr;
    if (Unwrap(Member(body, kind == "PrepareStmt" ? "query" : "query"), inner_kind, inner)) {
      StatementReferences(inner_kind, *inner);
    }
  } else if (kind == "CreateStmt") {
    const json& relation = Member(body, "relation");
    OutputColumns columns;
    for (const json& element : List(body, "tableElts")) {
      const json& column = Member(element, "ColumnDef");
      if (column.is_object()) columns.names.push_back(Str(column, "colname"));
      if (Member(element, "TableLikeClause").is_object()) columns.complete = false;
    }
    if (!List(body, "inhRelations").empty() || Member(body, "ofTypename").is_object() ||
        Member(body, "partbound").is_object()) {
      columns.complete = false;
    }
    RegisterLocal(Str(relation, "schemaname"), Str(relation, "relname"), std::move(columns));
  } else if (kind == "ViewStmt" || kind == "CreateTableAsStmt") {
    OutputColumns output = Query(Member(body, "query"), nullptr, nullptr);
    const json& into = Member(body, "into");
    const json& rel = kind == "ViewStmt" ? Member(body, "view") : Member(into, "rel");
    const json& aliases = kind == "ViewStmt" ? List(body, "aliases") : List(into, "colNames");
    for (std::size_t i = 0; i < aliases.size() && i < output.names.size(); ++i) {
      output.names[i] = StringNode(aliases[i]);
    }
    RegisterLocal(Str(rel, "schemaname"), Str(rel, "relname"), std::move(output));
  } else if (kind == "TruncateStmt" || kind == "LockStmt") {
    for (const json& relation : List(body, "relations")) {
      ResolveRangeVar(Member(relation, "RangeVar"), top, true);
    }
  } else if (kind == "AlterTableStmt") {
    const json& relation = Member(body, "relation");
    const bool missing_ok = Bool(body, "missing_ok");
    Relation target = ResolveRangeVar(relation, top, !missing_ok);
    OutputColumns added;
    for (const json& command : List(body, "cmds")) {
      const json& cmd = Member(command, "AlterTableCmd");
      if (Str(cmd, "subtype") == "AT_AddColumn") {
        added.names.push_back(Str(Member(Member(cmd, "def"), "ColumnDef"), "colname"));
      }
    }
    if (!added.names.empty()) {
      RegisterLocal(target.schema.empty() ? Str(relation, "schemaname") : target.schema, Str(relation, "relname"),
                    std::move(added));
    }
  } else if (kind == "RenameStmt") {
    const json& relation = Member(body, "relation");
    if (!relation.is_object()) return;
    Relation target = ResolveRangeVar(relation, top, !Bool(body, "missing_ok"));
    const std::string type = Str(body, "renameType");
    const std::string new_name = Str(body, "newname");
    const std::string schema = target.schema.empty() ? Str(relation, "schemaname") : target.schema;
    if (type == "OBJECT_COLUMN") {
      RegisterLocal(schema, Str(relation, "relname"), {{new_name}, true});
    } else if (type == "OBJECT_TABLE" || type == "OBJECT_VIEW") {
      OutputColumns columns;
      target.AppendNames(columns.names);
      columns.complete = target.columns_known;
      RegisterLocal(schema, new_name, std::move(columns));
    }
  } else if (kind == "IndexStmt") {
    top.relations.push_back(ResolveRangeVar(Member(body, "relation"), top, true));
    const Relation& table = top.relations.front();
    std::size_t search_from = table.offset;
    for (const json& element : List(body, "indexParams")) {
      const json& index_element = Member(element, "IndexElem");
      const std::string name = Str(index_element, "name");
      if (name.empty()) {
        Expr(Member(index_element, "expr"), top, none);
        continue;
      }
      const std::size_t at = FindName(search_from + table.table.size(), name);
      if (at == std::string_view::npos) continue;
      search_from = at;
      const auto status = table.Has(name)       ? ir::SqlReferenceStatus::kResolved
                          : table.columns_known ? ir::SqlReferenceStatus::kUnknownColumn
                                                : ir::SqlReferenceStatus::kUncertain;
      AddColumnRef(status, &table, "", name, at, IdentEnd(at) - at, &top);
    }
    Expr(Member(body, "whereClause"), top, none);
  } else if (kind == "VariableSetStmt" && Str(body, "name") == "search_path" && Str(body, "kind") == "VAR_SET_VALUE") {
    std::vector<std::string> path;
    for (const json& argument : List(body, "args")) {
      const std::string schema = Str(Member(Member(argument, "A_Const"), "sval"), "sval");
      if (!schema.empty() && schema != "$user") path.push_back(schema);
    }
    if (!path.empty()) search_path_ = std::move(path);
  } else if (kind == "CopyStmt") {
    if (Member(body, "relation").is_object()) ResolveRangeVar(Member(body, "relation"), top, true);
    if (Member(body, "query").is_object()) Query(Member(body, "query"), nullptr, nullptr);
  }
}

void Analyzer::Statement(const json& node, std::size_t offset, std::size_t length) {
  std::string_view kind;
  const json* body = nullptr;
  if (!Unwrap(node, kind, body)) return;
  ir::SqlStatement statement;
  statement.offset = Offset(offset);
  statement.length = static_cast<std::uint32_t>(length);
  StatementFacts(kind, *body, statement);
  out_.statements.push_back(std::move(statement));
  StatementReferences(kind, *body);
}

// ----- syntax errors -----

// libpg_query's cursorpos counts characters the way pg_mbstrlen_with_len does (UTF-8 lead
// bytes decide the width); turn it back into a byte offset.
std::size_t CursorToByte(std::string_view text, std::size_t start, std::size_t characters) {
  std::size_t i = start;
  while (characters > 0 && i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t width = 1;
    if ((c & 0xe0) == 0xc0) {
      width = 2;
    } else if ((c & 0xf0) == 0xe0) {
      width = 3;
    } else if ((c & 0xf8) == 0xf0) {
      width = 4;
    }
    i = std::min(text.size(), i + width);
    --characters;
  }
  return i;
}

// Constructs PostgreSQL 15's grammar lacks and later releases accept. A failure on or after
// one of them is reported as "likely newer syntax" (a note), not as an error:
//   16: JSON_OBJECT / JSON_ARRAY / JSON_OBJECTAGG / JSON_ARRAYAGG constructors, IS [NOT] JSON,
//       underscores in numbers (1_000), 0x / 0o / 0b integer literals
//       (SYSTEM_USER parses in 15 as a column name: ColumnRef skips it instead)
//   17: JSON_TABLE, JSON_EXISTS / JSON_QUERY / JSON_VALUE / JSON_SCALAR / JSON_SERIALIZE,
//       MERGE ... RETURNING, MERGE ... WHEN NOT MATCHED BY SOURCE / BY TARGET
//   18: RETURNING WITH (OLD AS ..., NEW AS ...), WITHOUT OVERLAPS, virtual generated columns
//       (VIRTUAL). `RETURNING old.x` parses in 15: ColumnRef makes old/new uncertain.
bool LikelyNewerSyntax(std::string_view text, std::size_t statement_start, std::size_t error_offset,
                       const std::string& message) {
  if (message.find("trailing junk after numeric literal") != std::string::npos) return true;
  const std::size_t end = std::min(text.size(), error_offset + 64);
  std::string upper;
  upper.reserve(end - std::min(statement_start, end));
  for (std::size_t i = std::min(statement_start, end); i < end; ++i) {
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
  }
  auto has_word = [&](std::string_view word) {
    for (std::size_t at = upper.find(word); at != std::string::npos; at = upper.find(word, at + 1)) {
      const bool left = at == 0 || !IsIdentChar(static_cast<unsigned char>(upper[at - 1]));
      const std::size_t after = at + word.size();
      const bool right = after >= upper.size() || !IsIdentChar(static_cast<unsigned char>(upper[after]));
      if (left && right) return true;
    }
    return false;
  };
  static const char* const kNewerWords[] = {"JSON_OBJECT", "JSON_ARRAY",    "JSON_OBJECTAGG", "JSON_ARRAYAGG",
                                            "JSON_TABLE",  "JSON_EXISTS",   "JSON_QUERY",     "JSON_VALUE",
                                            "JSON_SCALAR", "JSON_SERIALIZE"};
  for (const char* word : kNewerWords) {
    if (has_word(word)) return true;
  }
  const std::size_t error_in_upper = std::min(upper.size(), error_offset - std::min(statement_start, error_offset));
  const std::string_view at_error = std::string_view(upper).substr(error_in_upper);
  if (has_word("IS") && has_word("JSON")) return true;
  if (has_word("MERGE") &&
      (at_error.rfind("RETURNING", 0) == 0 || at_error.rfind("SOURCE", 0) == 0 || at_error.rfind("TARGET", 0) == 0)) {
    return true;
  }
  if (at_error.rfind("VIRTUAL", 0) == 0 || (has_word("WITHOUT") && at_error.rfind("OVERLAPS", 0) == 0)) return true;
  // RETURNING WITH (OLD AS o, NEW AS n)
  return has_word("RETURNING") && at_error.rfind("WITH", 0) == 0;
}

std::size_t StatementStartBefore(std::string_view text, std::size_t offset) {
  // The last `;` before the error, outside nothing in particular: good enough to bound the
  // newer-syntax scan to the failing statement.
  const std::size_t semicolon = text.rfind(';', offset == 0 ? 0 : offset - 1);
  return semicolon == std::string_view::npos || semicolon >= offset ? 0 : semicolon + 1;
}

// Start of the first token at or after `offset` (skips white space and comments).
std::size_t FirstToken(std::string_view text, std::size_t offset, std::size_t end) {
  std::size_t i = offset;
  while (i < end) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (c == '-' && i + 1 < end && text[i + 1] == '-') {
      while (i < end && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < end && text[i + 1] == '*') {
      const std::size_t close = text.find("*/", i + 2);
      i = close == std::string_view::npos ? end : std::min(end, close + 2);
    } else {
      break;
    }
  }
  return i;
}

// libpg_query prints its tree to JSON recursively, ~110 bytes of C stack per level: an
// operator chain of 70,000 terms (`1+1+...`) overflows an 8 MiB stack and kills the process.
// This bounds the tree's depth from the text before parsing, conservatively: operators
// chain until a comma, semicolon, AND, OR, WHEN, THEN or ELSE (lists and boolean chains are
// flat in the tree); parentheses and set operations nest.
constexpr std::size_t kMaxSafeDepth = 10000;

struct DepthEstimate {
  std::size_t depth = 0;
  std::size_t offset = 0;  // where it was reached
};

DepthEstimate EstimateTreeDepth(std::string_view text) {
  DepthEstimate estimate;
  std::vector<std::size_t> chains(1, 0);  // operator count per open parenthesis
  std::size_t total = 0;                  // sum of chains + open parentheses
  auto bump = [&](std::size_t at) {
    ++chains.back();
    ++total;
    if (total > estimate.depth) estimate = {total, at};
  };
  auto reset = [&] {
    total -= chains.back();
    chains.back() = 0;
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\'' || c == '"') {
      const std::size_t close = text.find(static_cast<char>(c), i + 1);
      i = close == std::string_view::npos ? n : close + 1;
    } else if (c == '-' && i + 1 < n && text[i + 1] == '-') {
      const std::size_t close = text.find('\n', i);
      i = close == std::string_view::npos ? n : close + 1;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      const std::size_t close = text.find("*/", i + 2);
      i = close == std::string_view::npos ? n : close + 2;
    } else if (c == '(') {
      chains.push_back(0);
      bump(i);
      chains.back() = 0;  // the parenthesis itself is counted in total, not in the chain
      ++i;
    } else if (c == ')') {
      if (chains.size() > 1) {
        total -= chains.back() + 1;
        chains.pop_back();
      }
      ++i;
    } else if (c == ',' || c == ';') {
      reset();
      ++i;
    } else if (std::strchr("+-*/<>=~!@#%^&|?", static_cast<char>(c)) != nullptr) {
      bump(i);
      while (i < n && std::strchr("+-*/<>=~!@#%^&|?", text[i]) != nullptr) ++i;
    } else if (IsIdentStart(c)) {
      std::size_t end = i + 1;
      while (end < n && IsIdentChar(static_cast<unsigned char>(text[end]))) ++end;
      const std::string_view word = text.substr(i, end - i);
      auto is = [&](std::string_view keyword) {
        if (word.size() != keyword.size()) return false;
        for (std::size_t k = 0; k < word.size(); ++k) {
          if (std::toupper(static_cast<unsigned char>(word[k])) != keyword[k]) return false;
        }
        return true;
      };
      if (is("AND") || is("OR") || is("WHEN") || is("THEN") || is("ELSE")) {
        reset();
      } else if (is("UNION") || is("INTERSECT") || is("EXCEPT")) {
        bump(i);
      }
      i = end;
    } else {
      ++i;
    }
  }
  return estimate;
}

struct ParsedStatement {
  const json* node = nullptr;
  std::size_t offset = 0;
  std::size_t length = 0;
};

void MapOffsets(const NormalizedSql& normalized, ir::SqlAnalysis& analysis) {
  if (normalized.resizes.empty()) return;
  auto map = [&](std::uint32_t offset) { return normalized.OriginalOffset(offset); };
  for (ir::SqlStatement& statement : analysis.statements) {
    const std::uint32_t begin = map(statement.offset);
    const std::uint32_t end = map(statement.offset + statement.length);
    statement.offset = begin;
    statement.length = end >= begin ? end - begin : 0;
  }
  for (ir::SqlReference& reference : analysis.references) reference.offset = map(reference.offset);
  for (ir::SqlAnalysis::Note& note : analysis.notes) note.offset = map(note.offset);
  if (analysis.syntax_error) analysis.syntax_error->offset = map(analysis.syntax_error->offset);
}

void AnalyzeStatements(Analyzer& analyzer, const json& tree, std::string_view text, std::size_t base,
                       std::size_t span_end) {
  analyzer.set_base(base);
  for (const json& raw : List(tree, "stmts")) {
    const json& location = Member(raw, "stmt_location");
    const json& length = Member(raw, "stmt_len");
    std::size_t begin = base + static_cast<std::size_t>(std::max(0LL, location.integer()));
    std::size_t end = length.integer() > 0 ? begin + static_cast<std::size_t>(length.integer()) : span_end;
    begin = std::min(begin, span_end);
    end = std::min(std::max(end, begin), span_end);
    begin = FirstToken(text, begin, end);
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    analyzer.Statement(Member(raw, "stmt"), begin, end - begin);
  }
}

// ----- fragments and other databases' SQL -----

// The first word of `text`, upper-cased, past spaces, `--` / `/* */` comments and `(`.
std::string FirstWord(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c) || c == '(') {
      ++i;
    } else if (text.compare(i, 2, "--") == 0) {
      const std::size_t end = text.find('\n', i);
      i = end == std::string_view::npos ? text.size() : end + 1;
    } else if (text.compare(i, 2, "/*") == 0) {
      const std::size_t end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < text.size() && IsIdentChar(static_cast<unsigned char>(text[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    ++i;
  }
  return word;
}

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Whether `text` begins like a whole statement (or a misspelt one): then a parse failure is
// the statement's, never a fragment's.
bool StartsLikeStatement(std::string_view text) {
  const std::string word = FirstWord(text);
  if (word.empty()) return true;
  static const std::set<std::string> kStatementWords = {
      "ABORT",  "ALTER",    "ANALYZE",  "BEGIN",      "CALL",     "CHECKPOINT", "CLOSE",   "CLUSTER", "COMMENT",
      "COMMIT", "COPY",     "CREATE",   "DEALLOCATE", "DECLARE",  "DELETE",     "DISCARD", "DO",      "DROP",
      "END",    "EXECUTE",  "EXPLAIN",  "FETCH",      "GRANT",    "IMPORT",     "INSERT",  "LISTEN",  "LOAD",
      "LOCK",   "MERGE",    "MOVE",     "NOTIFY",     "PREPARE",  "REASSIGN",   "REFRESH", "REINDEX", "RELEASE",
      "RESET",  "REVOKE",   "ROLLBACK", "SAVEPOINT",  "SECURITY", "SELECT",     "SET",     "SHOW",    "START",
      "TABLE",  "TRUNCATE", "UNLISTEN", "UPDATE",     "VACUUM",   "VALUES",     "WITH",    "PRAGMA",  "DESCRIBE",
      "USE",    "ATTACH",   "DETACH",   "REPLACE",    "UPSERT"};
  if (kStatementWords.count(word)) return true;
  if (word.size() < 4) return false;
  for (const char* keyword : {"SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "WITH", "TRUNCATE"}) {
    if (EditDistance(word, keyword) <= 1) return true;
  }
  return false;
}

// "SQLite" / "MySQL" when SQL that PostgreSQL rejects is plainly another database's.
std::string OtherDialect(std::string_view text) {
  const std::string word = FirstWord(text);
  if (word == "PRAGMA" || word == "ATTACH" || word == "DETACH") return "SQLite";
  if (word == "DESCRIBE" || word == "USE") return "MySQL";
  if (word == "SHOW") {
    const std::size_t start = text.find_first_not_of(" \t\r\n(");
    const std::string rest = start == std::string_view::npos ? "" : FirstWord(text.substr(start + 4));
    static const std::set<std::string> kMySqlShow = {"VARIABLES", "STATUS",  "TABLES",   "COLUMNS",     "DATABASES",
                                                     "MASTER",    "SLAVE",   "REPLICA",  "PROCESSLIST", "GRANTS",
                                                     "CREATE",    "INDEX",   "ENGINE",   "ENGINES",     "FULL",
                                                     "GLOBAL",    "SESSION", "WARNINGS", "ERRORS",      "BINARY"};
    if (kMySqlShow.count(rest)) return "MySQL";
  }
  // Backquoted names are MySQL's (and SQLite's); PostgreSQL has no use for a backquote.
  bool quoted = false;
  for (char c : text) {
    if (c == '\'') quoted = !quoted;
    if (c == '`' && !quoted) return "MySQL";
  }
  return "";
}

struct FragmentParse {
  bool ok = false;
  std::string error_message;
  std::size_t error_offset = 0;  // in the fragment's own text
};

// Parses `text` in the grammar position `prefix` puts it in ("SELECT 1 ORDER BY ...") and
// adds its relations to `analysis`; its column names stay kUncertain.
FragmentParse AnalyzeFragment(const std::string& text, const std::string& prefix, const SchemaIndex::Impl* schema,
                              const QueryAnalysisOptions& options, ir::SqlAnalysis& analysis) {
  FragmentParse result;
  const std::string wrapped = prefix + text;
  const QueryParse parsed = ParseQuery(wrapped);
  if (!parsed.ok) {
    result.error_message = parsed.error_message;
    const std::size_t at = parsed.cursor_position > 0
                               ? CursorToByte(wrapped, 0, static_cast<std::size_t>(parsed.cursor_position - 1))
                               : wrapped.size();
    result.error_offset = at > prefix.size() ? std::min(at - prefix.size(), text.size()) : 0;
    return result;
  }
  ir::SqlAnalysis inner;
  Analyzer analyzer(wrapped, schema, options, inner);
  AnalyzeStatements(analyzer, parsed.tree->root(), wrapped, 0, wrapped.size());
  for (ir::SqlReference& reference : inner.references) {
    if (reference.offset < prefix.size()) continue;
    reference.offset -= static_cast<std::uint32_t>(prefix.size());
    if (reference.kind == ir::SqlReference::Kind::kColumn && reference.status != ir::SqlReferenceStatus::kResolved) {
      reference.status = ir::SqlReferenceStatus::kUncertain;
      reference.candidate_tables.clear();
    }
    analysis.references.push_back(std::move(reference));
  }
  analysis.parsed = true;
  result.ok = true;
  return result;
}

const char* FragmentPrefix(ir::SqlPosition position) {
  switch (position) {
    case ir::SqlPosition::kExpression: return "SELECT ";
    case ir::SqlPosition::kOrderBy: return "SELECT 1 ORDER BY ";
    case ir::SqlPosition::kFromItem: return "SELECT 1 FROM ";
    default: return nullptr;
  }
}

ir::SqlAnalysis Analyze(std::string_view sql, const SchemaIndex::Impl* schema, const QueryAnalysisOptions& options) {
  ir::SqlAnalysis analysis;
  const NormalizedSql normalized = NormalizePlaceholders(sql, options.param_style);
  const std::string& text = normalized.text;
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos) {
    // The C parser would stop at the NUL and check a different query; drivers refuse it.
    analysis.syntax_error =
        ir::SqlAnalysis::SyntaxError{"the SQL text contains a NUL byte", static_cast<std::uint32_t>(nul), false};
    MapOffsets(normalized, analysis);
    return analysis;
  }
  if (const DepthEstimate depth = EstimateTreeDepth(text); depth.depth > kMaxSafeDepth) {
    analysis.notes.push_back({"SQL not parsed: expressions nested about " + std::to_string(depth.depth) +
                                  " levels deep, more than the parser can handle safely",
                              static_cast<std::uint32_t>(depth.offset)});
    MapOffsets(normalized, analysis);
    return analysis;
  }
  auto finish = [&] {
    std::stable_sort(analysis.references.begin(), analysis.references.end(),
                     [](const ir::SqlReference& a, const ir::SqlReference& b) { return a.offset < b.offset; });
    if (schema == nullptr) {
      for (ir::SqlReference& reference : analysis.references) {
        reference.status = ir::SqlReferenceStatus::kUncertain;
        reference.candidate_tables.clear();
      }
    }
    MapOffsets(normalized, analysis);
    return analysis;
  };
  // A fragment where the code says so: parsed where it is used.
  std::optional<FragmentParse> fragment_failure;
  if (const char* prefix = FragmentPrefix(options.position)) {
    FragmentParse fragment = AnalyzeFragment(text, prefix, schema, options, analysis);
    if (fragment.ok) return finish();
    fragment_failure = std::move(fragment);
  }
  Analyzer analyzer(text, schema, options, analysis);
  const QueryParse outcome = ParseQuery(text);
  if (!outcome.ok && options.position == ir::SqlPosition::kUnknown && !StartsLikeStatement(text)) {
    // text("created_at DESC") kept in a variable: not a statement, but a fragment of one.
    for (const ir::SqlPosition position :
         {ir::SqlPosition::kExpression, ir::SqlPosition::kOrderBy, ir::SqlPosition::kFromItem}) {
      if (AnalyzeFragment(text, FragmentPrefix(position), schema, options, analysis).ok) return finish();
    }
  }
  if (!outcome.ok && fragment_failure) {
    ir::SqlAnalysis::SyntaxError error;
    error.message = fragment_failure->error_message;
    error.offset = static_cast<std::uint32_t>(fragment_failure->error_offset);
    analysis.syntax_error = error;
    return finish();
  }
  if (outcome.ok) {
    analysis.parsed = true;
    AnalyzeStatements(analyzer, outcome.tree->root(), text, 0, text.size());
  } else {
    const std::size_t error_at = outcome.cursor_position > 0
                                     ? CursorToByte(text, 0, static_cast<std::size_t>(outcome.cursor_position - 1))
                                     : text.size();
    ir::SqlAnalysis::SyntaxError error;
    error.message = outcome.error_message;
    error.offset = static_cast<std::uint32_t>(std::min(error_at, text.size()));
    error.likely_newer_syntax =
        outcome.cursor_position > 0 &&
        LikelyNewerSyntax(text, StatementStartBefore(text, error_at), error_at, outcome.error_message);
    error.other_dialect = OtherDialect(text);
    analysis.syntax_error = error;
    // One bad statement need not hide the others: parse each one on its own.
    const auto spans = SplitWithScanner(text);
    if (spans && spans->size() > 1) {
      for (const StatementSpan& span : *spans) {
        const std::size_t end = std::min(text.size(), span.offset + span.length);
        if (span.offset <= error_at && error_at <= end) continue;
        const QueryParse part = ParseQuery(text.substr(span.offset, end - span.offset));
        if (part.ok) AnalyzeStatements(analyzer, part.tree->root(), text, span.offset, end);
      }
    }
  }
  return finish();
}

}  // namespace

ir::SqlAnalysis AnalyzeQuery(std::string_view sql, const SchemaIndex* schema, const QueryAnalysisOptions& options) {
  try {
    return Analyze(sql, schema != nullptr ? &schema->impl() : nullptr, options);
  } catch (const std::exception& error) {
    // Only allocation failure or a library bug can land here: still a value, never a throw.
    ir::SqlAnalysis analysis;
    analysis.notes.push_back({std::string("SQL not analysed: ") + error.what(), 0});
    return analysis;
  }
}

ir::SqlAnalysis AnalyzeQuery(std::string_view sql, const ir::Catalog* schema, const QueryAnalysisOptions& options) {
  if (schema == nullptr) return AnalyzeQuery(sql, static_cast<const SchemaIndex*>(nullptr), options);
  try {
    const SchemaIndex index(*schema);
    return AnalyzeQuery(sql, &index, options);
  } catch (const std::exception& error) {
    ir::SqlAnalysis analysis;
    analysis.notes.push_back({std::string("SQL not analysed: ") + error.what(), 0});
    return analysis;
  }
}

}  // namespace dbaudit::sql
