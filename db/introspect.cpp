#include "db/introspect.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "db/session.hpp"

namespace dbaudit::db {

namespace {

using internal::ReadOnlyTransaction;

// Rule id of the note for relations whose structure is readable but whose rows are not.
constexpr const char* kRuleObjectNotReadable = "schema-object-not-readable";

// Every query below is a bulk read over all audited relations at once: their number is fixed,
// whatever the schema size. Each restates `kRelations` so that it filters the same set.
constexpr const char* kExtensionOwned =
    "EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = '%CLASS%'::pg_catalog.regclass "
    "AND e.objid = %OID% AND e.deptype = 'e')";

std::string ExtensionOwned(const std::string& catalog_class, const std::string& oid_column) {
  std::string text = kExtensionOwned;
  text.replace(text.find("%CLASS%"), 7, catalog_class);
  text.replace(text.find("%OID%"), 5, oid_column);
  return text;
}

class Reader {
 public:
  Reader(ReadOnlyTransaction& transaction, const ConnectionSettings& settings, const IntrospectOptions& options)
      : transaction_(transaction), options_(options), prefix_(internal::ObjectUriPrefix(settings.display)) {
    catalog_.origin = ir::CatalogOrigin::kDatabase;
    catalog_.source_name = settings.display;
  }

  ir::Catalog Run() {
    ReadRelations();
    ReadColumns();
    ReadConstraints();
    ReadIndexes();
    ReadTriggers();
    ReadEnums();
    ReadSequences();
    ReadFunctions();
    for (auto& [oid, table] : tables_) catalog_.tables.push_back(std::move(table));
    catalog_.Normalize();
    std::stable_sort(catalog_.diagnostics.begin(), catalog_.diagnostics.end(), [](const auto& a, const auto& b) {
      return std::tie(a.location.object, a.message) < std::tie(b.location.object, b.message);
    });
    return std::move(catalog_);
  }

 private:
  // SQL condition on `column` (a schema name): the requested schemas, or every schema but the
  // system ones.
  std::string SchemaFilter(const std::string& column) const {
    if (options_.schemas.empty()) {
      return column + " NOT IN ('pg_catalog', 'information_schema') AND " + column + " NOT LIKE 'pg\\_toast%' AND " +
             column + " NOT LIKE 'pg\\_temp\\_%'";
    }
    std::string list;
    for (const auto& schema : options_.schemas) list += (list.empty() ? "" : ", ") + transaction_.quote(schema);
    return column + " IN (" + list + ")";
  }

  std::string RelationsCte() const {
    return "WITH rel AS (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
           "c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND " +
           SchemaFilter("n.nspname") + " AND NOT " + ExtensionOwned("pg_catalog.pg_class", "c.oid") + ") ";
  }

  bool Ignored(const std::string& schema, const std::string& name) const {
    for (const auto& ignored : options_.ignored_tables) {
      if (ignored == name || ignored == schema + "." + name) return true;
    }
    return false;
  }

  ir::Location At(const std::string& object) const {
    return ir::Location{.file = {}, .object = prefix_ + "#" + object};
  }

  ir::Table* Find(const pqxx::field& oid) {
    const auto found = tables_.find(oid.as<long long>());
    return found == tables_.end() ? nullptr : &found->second;
  }

  static std::string Text(const pqxx::field& field) { return field.is_null() ? std::string() : field.c_str(); }
  static std::optional<std::string> Optional(const pqxx::field& field) {
    if (field.is_null()) return std::nullopt;
    return std::string(field.c_str());
  }
  static bool Bool(const pqxx::field& field) { return !field.is_null() && field.as<bool>(); }
  static std::vector<std::string> Names(const pqxx::field& field) {
    std::vector<std::string> names;
    if (field.is_null()) return names;
    for (const auto& item : nlohmann::json::parse(field.c_str())) names.push_back(item.get<std::string>());
    return names;
  }

  static ir::TableKind Kind(const std::string& relkind) {
    if (relkind == "p") return ir::TableKind::kPartitionedTable;
    if (relkind == "v") return ir::TableKind::kView;
    if (relkind == "m") return ir::TableKind::kMaterializedView;
    if (relkind == "f") return ir::TableKind::kForeignTable;
    return ir::TableKind::kTable;
  }

  static std::string TrimViewDefinition(std::string text) {
    while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == ';'))
      text.pop_back();
    size_t begin = 0;
    while (begin < text.size() && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
    return text.substr(begin);
  }

  void ReadRelations() {
    const pqxx::result rows = transaction_.exec(
        "SELECT c.oid, n.nspname, c.relname, c.relkind::text, "
        "CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END, d.description, "
        "pg_catalog.has_table_privilege(c.oid, 'SELECT') "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND d.objoid = c.oid AND d.objsubid = 0 "
        "WHERE c.oid IN (" +
        RelationsCte() + "SELECT oid FROM rel) ORDER BY n.nspname, c.relname");
    for (const auto& row : rows) {
      const std::string schema = Text(row[1]);
      const std::string name = Text(row[2]);
      if (Ignored(schema, name)) continue;
      ir::Table table;
      table.schema = schema;
      table.name = name;
      table.kind = Kind(Text(row[3]));
      if (!row[4].is_null()) table.view_definition = TrimViewDefinition(row[4].c_str());
      table.comment = Text(row[5]);
      table.location = At(schema + "." + name);
      if (!Bool(row[6])) {
        catalog_.diagnostics.push_back(ir::Diagnostic{
            kRuleObjectNotReadable, ir::Severity::kNote,
            std::string(ir::ToString(table.kind)) + " " + table.QualifiedName() +
                " is not readable by the connecting role (no SELECT privilege): its structure comes from the "
                "catalogs, but queries on it would fail for this role",
            table.location, false});
      }
      tables_.emplace(row[0].as<long long>(), std::move(table));
    }
  }

  void ReadColumns() {
    const pqxx::result rows = transaction_.exec(
        RelationsCte() +
        "SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "a.attgenerated::text, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, d.description "
        "FROM pg_catalog.pg_attribute a JOIN rel ON rel.oid = a.attrelid "
        "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
        "LEFT JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND d.objoid = a.attrelid AND d.objsubid = a.attnum "
        "WHERE a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum");
    for (const auto& row : rows) {
      ir::Table* table = Find(row[0]);
      if (!table) continue;
      ir::Column column;
      column.name = Text(row[1]);
      column.type = Text(row[2]);
      column.nullable = !Bool(row[3]);
      // A generated column's expression lives in pg_attrdef too; it is no default.
      if (Text(row[4]).empty()) {
        column.server_default = Optional(row[5]);
      } else {
        column.generated = Optional(row[5]);
      }
      const std::string identity = Text(row[6]);
      if (identity == "a") column.identity = ir::IdentityKind::kAlways;
      if (identity == "d") column.identity = ir::IdentityKind::kByDefault;
      column.comment = Text(row[7]);
      column.location = At(table->QualifiedName() + "." + column.name);
      table->columns.push_back(std::move(column));
    }
  }

  static ir::ReferentialAction Action(const std::string& code) {
    if (code == "r") return ir::ReferentialAction::kRestrict;
    if (code == "c") return ir::ReferentialAction::kCascade;
    if (code == "n") return ir::ReferentialAction::kSetNull;
    if (code == "d") return ir::ReferentialAction::kSetDefault;
    return ir::ReferentialAction::kNoAction;
  }

  void ReadConstraints() {
    const std::string key_names =
        "pg_catalog.to_json(ARRAY(SELECT a.attname FROM pg_catalog.unnest(con.%KEY%) WITH ORDINALITY AS k(num, ord) "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.%REL% AND a.attnum = k.num ORDER BY k.ord))::text";
    const auto names_of = [&](const std::string& key, const std::string& rel) {
      std::string text = key_names;
      text.replace(text.find("%KEY%"), 5, key);
      text.replace(text.find("%REL%"), 5, rel);
      return text;
    };
    const pqxx::result rows = transaction_.exec(
        RelationsCte() + "SELECT con.conrelid, con.conname, con.contype::text, " + names_of("conkey", "conrelid") +
        ", fn.nspname, fc.relname, " + names_of("confkey", "confrelid") +
        ", con.confupdtype::text, con.confdeltype::text, con.condeferrable, con.condeferred, "
        "CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid) END, con.conislocal, "
        "con.conparentid <> 0, rc.relispartition "
        "FROM pg_catalog.pg_constraint con JOIN rel ON rel.oid = con.conrelid "
        "JOIN pg_catalog.pg_class rc ON rc.oid = con.conrelid "
        "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid "
        "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
        "WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') ORDER BY con.conrelid, con.conname");
    for (const auto& row : rows) {
      ir::Table* table = Find(row[0]);
      if (!table) continue;
      const std::string name = Text(row[1]);
      const std::string type = Text(row[2]);
      const ir::Location location = At(table->QualifiedName() + "." + name);
      if (type == "p") {
        table->primary_key = ir::PrimaryKey{name, Names(row[3]), location};
      } else if (type == "u") {
        table->unique_constraints.push_back(ir::UniqueConstraint{name, Names(row[3]), location});
      } else if (type == "f") {
        // A partition's copy of its parent's foreign key is implied by the parent's (pg_dump
        // does not print it either).
        if (Bool(row[13])) continue;
        ir::ForeignKey key;
        key.name = name;
        key.columns = Names(row[3]);
        key.referenced_schema = Text(row[4]);
        key.referenced_table = Text(row[5]);
        key.referenced_columns = Names(row[6]);
        key.on_update = Action(Text(row[7]));
        key.on_delete = Action(Text(row[8]));
        key.deferrable = Bool(row[9]);
        key.initially_deferred = Bool(row[10]);
        key.location = location;
        table->foreign_keys.push_back(std::move(key));
      } else if (type == "c") {
        // A table inheriting a CHECK does not repeat it (pg_dump prints it once, on the
        // parent), but a partition does: pg_dump creates it standalone, then attaches it.
        if (!Bool(row[12]) && !Bool(row[14])) continue;
        table->check_constraints.push_back(ir::CheckConstraint{name, Text(row[11]), location});
      } else if (type == "x") {
        catalog_.diagnostics.push_back(
            ir::Diagnostic{kRuleObjectNotReadable, ir::Severity::kNote,
                           "exclusion constraint " + name + " on " + table->QualifiedName() +
                               " is not modelled by dbaudit: it is left out of the comparison",
                           location, false});
      }
    }
  }

  // The predicate of a partial index as pg_dump prints it: what follows " WHERE " in the
  // index definition (pg_get_expr on indpred would print an implicit-AND list instead).
  static std::optional<std::string> Predicate(const pqxx::field& definition) {
    if (definition.is_null()) return std::nullopt;
    const std::string text = definition.c_str();
    const size_t where = text.find(" WHERE ");
    if (where == std::string::npos) return std::nullopt;
    return text.substr(where + 7);
  }

  void ReadIndexes() {
    const pqxx::result rows = transaction_.exec(
        RelationsCte() +
        "SELECT i.indrelid, ic.relname, i.indisunique, am.amname, i.indnkeyatts, "
        "pg_catalog.to_json(ARRAY(SELECT CASE WHEN k.num = 0 "
        "THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::integer, false) ELSE a.attname::text END "
        "FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(num, ord) "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num "
        "ORDER BY k.ord))::text, "
        "CASE WHEN i.indpred IS NOT NULL THEN pg_catalog.pg_get_indexdef(i.indexrelid) END, i.indisvalid "
        "FROM pg_catalog.pg_index i JOIN rel ON rel.oid = i.indrelid "
        "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
        "WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conrelid = i.indrelid "
        "AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')) "
        "ORDER BY i.indrelid, ic.relname");
    for (const auto& row : rows) {
      ir::Table* table = Find(row[0]);
      if (!table) continue;
      ir::Index index;
      index.name = Text(row[1]);
      index.unique = Bool(row[2]);
      index.method = Text(row[3]);
      const auto key_count = static_cast<size_t>(row[4].as<int>());
      std::vector<std::string> columns = Names(row[5]);
      for (size_t i = 0; i < columns.size(); ++i) (i < key_count ? index.keys : index.include).push_back(columns[i]);
      index.predicate = Predicate(row[6]);
      index.valid = Bool(row[7]);
      index.location = At(table->QualifiedName() + "." + index.name);
      table->indexes.push_back(std::move(index));
    }
  }

  // The WHEN condition of a trigger definition, without the parentheses WHEN itself needs:
  // "CREATE TRIGGER t BEFORE UPDATE ON s.x FOR EACH ROW WHEN ((old.a <> new.a)) EXECUTE ..."
  // gives "(old.a <> new.a)", the deparsed expression.
  // The arguments of `EXECUTE FUNCTION f('a', 'b')` at the end of pg_get_triggerdef(): the
  // server prints each as a string literal (quotes doubled). tgargs itself is a NUL-separated
  // bytea, which text functions cannot split without mangling non-ASCII bytes.
  static std::vector<std::string> TriggerArguments(const std::string& definition) {
    std::vector<std::string> arguments;
    const size_t execute = definition.rfind(" EXECUTE ");
    if (execute == std::string::npos) return arguments;
    size_t i = definition.find('(', execute);
    if (i == std::string::npos) return arguments;
    ++i;
    while (i < definition.size() && definition[i] == '\'') {
      std::string value;
      ++i;
      for (; i < definition.size(); ++i) {
        if (definition[i] != '\'') {
          value += definition[i];
        } else if (i + 1 < definition.size() && definition[i + 1] == '\'') {
          value += '\'';
          ++i;
        } else {
          break;
        }
      }
      arguments.push_back(std::move(value));
      ++i;  // the closing quote
      while (i < definition.size() && (definition[i] == ',' || definition[i] == ' ')) ++i;
    }
    return arguments;
  }

  static std::optional<std::string> WhenClause(const std::string& definition) {
    const size_t when = definition.find(" WHEN (");
    if (when == std::string::npos) return std::nullopt;
    const size_t open = when + 6;
    int depth = 0;
    char quote = 0;
    for (size_t i = open; i < definition.size(); ++i) {
      const char c = definition[i];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        return definition.substr(open + 1, i - open - 1);
      }
    }
    return std::nullopt;
  }

  void ReadTriggers() {
    const pqxx::result rows = transaction_.exec(
        RelationsCte() +
        "SELECT t.tgrelid, t.tgname, t.tgtype, pn.nspname, p.proname, pg_catalog.pg_get_triggerdef(t.oid, false) "
        "FROM pg_catalog.pg_trigger t JOIN rel ON rel.oid = t.tgrelid "
        "JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace "
        "WHERE NOT t.tgisinternal AND t.tgparentid = 0 ORDER BY t.tgrelid, t.tgname");
    for (const auto& row : rows) {
      ir::Table* table = Find(row[0]);
      if (!table) continue;
      // pg_trigger.tgtype bits (catalog/pg_trigger.h).
      const int type = row[2].as<int>();
      ir::Trigger trigger;
      trigger.name = Text(row[1]);
      trigger.for_each_row = (type & 1) != 0;
      trigger.timing = (type & 64) ? "INSTEAD OF" : (type & 2) ? "BEFORE" : "AFTER";
      if (type & 4) trigger.events.push_back("INSERT");
      if (type & 8) trigger.events.push_back("DELETE");
      if (type & 16) trigger.events.push_back("UPDATE");
      if (type & 32) trigger.events.push_back("TRUNCATE");
      std::sort(trigger.events.begin(), trigger.events.end());
      trigger.function_schema = Text(row[3]);
      trigger.function_name = Text(row[4]);
      trigger.when = WhenClause(Text(row[5]));
      trigger.arguments = TriggerArguments(Text(row[5]));
      trigger.location = At(table->QualifiedName() + "." + trigger.name);
      table->triggers.push_back(std::move(trigger));
    }
  }

  void ReadEnums() {
    const pqxx::result rows = transaction_.exec(
        "SELECT n.nspname, t.typname, pg_catalog.to_json(pg_catalog.array_agg(e.enumlabel ORDER BY "
        "e.enumsortorder))::text "
        "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
        "JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid WHERE " +
        SchemaFilter("n.nspname") + " AND NOT " + ExtensionOwned("pg_catalog.pg_type", "t.oid") +
        " GROUP BY n.nspname, t.typname ORDER BY n.nspname, t.typname");
    for (const auto& row : rows) {
      ir::EnumType enum_type;
      enum_type.schema = Text(row[0]);
      enum_type.name = Text(row[1]);
      enum_type.labels = Names(row[2]);
      enum_type.location = At(enum_type.schema + "." + enum_type.name);
      catalog_.enums.push_back(std::move(enum_type));
    }
  }

  void ReadSequences() {
    // Identity columns' sequences (deptype 'i') are part of the column, not listed.
    const pqxx::result rows = transaction_.exec(
        "SELECT n.nspname, c.relname, oc.relname, a.attname "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND d.deptype = 'a' AND d.refobjsubid > 0 "
        "LEFT JOIN pg_catalog.pg_class oc ON oc.oid = d.refobjid "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
        "WHERE c.relkind = 'S' AND " +
        SchemaFilter("n.nspname") + " AND NOT " + ExtensionOwned("pg_catalog.pg_class", "c.oid") +
        " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = "
        "'pg_catalog.pg_class'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i') "
        "ORDER BY n.nspname, c.relname");
    for (const auto& row : rows) {
      ir::Sequence sequence;
      sequence.schema = Text(row[0]);
      sequence.name = Text(row[1]);
      sequence.owned_by_table = Text(row[2]);
      sequence.owned_by_column = Text(row[3]);
      sequence.location = At(sequence.schema + "." + sequence.name);
      catalog_.sequences.push_back(std::move(sequence));
    }
  }

  void ReadFunctions() {
    const pqxx::result rows = transaction_.exec(
        "SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), l.lanname, "
        "pg_catalog.pg_get_function_result(p.oid), p.prosrc "
        "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
        "JOIN pg_catalog.pg_language l ON l.oid = p.prolang "
        "WHERE p.prokind IN ('f', 'p') AND " +
        SchemaFilter("n.nspname") + " AND NOT " + ExtensionOwned("pg_catalog.pg_proc", "p.oid") +
        " ORDER BY n.nspname, p.proname, 3");
    for (const auto& row : rows) {
      ir::Function function;
      function.schema = Text(row[0]);
      function.name = Text(row[1]);
      function.arguments = Text(row[2]);
      function.language = Text(row[3]);
      function.returns = Text(row[4]);
      function.body = Text(row[5]);
      function.location = At(function.schema + "." + function.name + "(" + function.arguments + ")");
      catalog_.functions.push_back(std::move(function));
    }
  }

  ReadOnlyTransaction& transaction_;
  const IntrospectOptions& options_;
  std::string prefix_;
  ir::Catalog catalog_;
  std::map<long long, ir::Table> tables_;  // by pg_class oid
};

}  // namespace

ir::Result<ir::Catalog> Introspect(const ConnectionSettings& settings, const IntrospectOptions& options) {
  ir::Catalog catalog;
  const std::optional<ir::Error> error = internal::WithReadOnlyTransaction(
      settings, options,
      [&](ReadOnlyTransaction& transaction) { catalog = Reader(transaction, settings, options).Run(); });
  if (error) return *error;
  return catalog;
}

}  // namespace dbaudit::db
