#include "db/snapshot.hpp"

#include <array>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

namespace dbaudit::db {

namespace {

constexpr const char* kFormat = "dbaudit-catalog";
constexpr int kVersion = 1;

// Enum spellings in the file: stable tokens, independent of the C++ names.
constexpr std::array<std::pair<ir::CatalogOrigin, const char*>, 5> kOrigins = {{
    {ir::CatalogOrigin::kModels, "models"},
    {ir::CatalogOrigin::kDatabase, "database"},
    {ir::CatalogOrigin::kDump, "dump"},
    {ir::CatalogOrigin::kDocument, "document"},
    {ir::CatalogOrigin::kSnapshot, "snapshot"},
}};
constexpr std::array<std::pair<ir::TableKind, const char*>, 5> kKinds = {{
    {ir::TableKind::kTable, "table"},
    {ir::TableKind::kPartitionedTable, "partitioned_table"},
    {ir::TableKind::kView, "view"},
    {ir::TableKind::kMaterializedView, "materialized_view"},
    {ir::TableKind::kForeignTable, "foreign_table"},
}};
constexpr std::array<std::pair<ir::ReferentialAction, const char*>, 6> kActions = {{
    {ir::ReferentialAction::kUnspecified, "unspecified"},
    {ir::ReferentialAction::kNoAction, "no_action"},
    {ir::ReferentialAction::kRestrict, "restrict"},
    {ir::ReferentialAction::kCascade, "cascade"},
    {ir::ReferentialAction::kSetNull, "set_null"},
    {ir::ReferentialAction::kSetDefault, "set_default"},
}};
constexpr std::array<std::pair<ir::IdentityKind, const char*>, 3> kIdentities = {{
    {ir::IdentityKind::kNone, "none"},
    {ir::IdentityKind::kAlways, "always"},
    {ir::IdentityKind::kByDefault, "by_default"},
}};
constexpr std::array<std::pair<ir::Severity, const char*>, 3> kSeverities = {{
    {ir::Severity::kNote, "note"},
    {ir::Severity::kWarning, "warning"},
    {ir::Severity::kError, "error"},
}};

template <typename E, size_t N>
const char* Token(const std::array<std::pair<E, const char*>, N>& table, E value) {
  for (const auto& [item, token] : table) {
    if (item == value) return token;
  }
  return table[0].second;
}

// ---- writing ----------------------------------------------------------------------------

using Json = nlohmann::ordered_json;

void PutLocation(Json& json, const ir::Location& location) {
  if (location == ir::Location{}) return;
  Json out = Json::object();
  if (!location.file.empty()) out["file"] = location.file;
  if (location.line) out["line"] = location.line;
  if (location.column) out["column"] = location.column;
  if (location.end_line) out["end_line"] = location.end_line;
  if (location.end_column) out["end_column"] = location.end_column;
  if (!location.object.empty()) out["object"] = location.object;
  json["location"] = std::move(out);
}

void PutOptional(Json& json, const char* key, const std::optional<std::string>& value) {
  if (value) json[key] = *value;
}

Json ColumnJson(const ir::Column& column) {
  Json json;
  json["name"] = column.name;
  json["type"] = column.type;
  if (column.nullable) json["nullable"] = *column.nullable;
  PutOptional(json, "server_default", column.server_default);
  json["identity"] = Token(kIdentities, column.identity);
  PutOptional(json, "generated", column.generated);
  if (!column.comment.empty()) json["comment"] = column.comment;
  if (column.autoincrement) json["autoincrement"] = true;
  if (!column.attribute.empty()) json["attribute"] = column.attribute;
  PutOptional(json, "python_default", column.python_default);
  PutOptional(json, "python_onupdate", column.python_onupdate);
  PutOptional(json, "server_onupdate", column.server_onupdate);
  PutLocation(json, column.location);
  return json;
}

Json TableJson(const ir::Table& table) {
  Json json;
  json["schema"] = table.schema;
  json["name"] = table.name;
  json["kind"] = Token(kKinds, table.kind);
  if (!table.comment.empty()) json["comment"] = table.comment;
  PutOptional(json, "view_definition", table.view_definition);
  json["columns"] = Json::array();
  for (const auto& column : table.columns) json["columns"].push_back(ColumnJson(column));
  if (table.primary_key) {
    Json key;
    key["name"] = table.primary_key->name;
    key["columns"] = table.primary_key->columns;
    PutLocation(key, table.primary_key->location);
    json["primary_key"] = std::move(key);
  }
  json["foreign_keys"] = Json::array();
  for (const auto& foreign_key : table.foreign_keys) {
    Json key;
    key["name"] = foreign_key.name;
    key["columns"] = foreign_key.columns;
    key["referenced_schema"] = foreign_key.referenced_schema;
    key["referenced_table"] = foreign_key.referenced_table;
    key["referenced_columns"] = foreign_key.referenced_columns;
    key["on_delete"] = Token(kActions, foreign_key.on_delete);
    key["on_update"] = Token(kActions, foreign_key.on_update);
    key["deferrable"] = foreign_key.deferrable;
    key["initially_deferred"] = foreign_key.initially_deferred;
    PutLocation(key, foreign_key.location);
    json["foreign_keys"].push_back(std::move(key));
  }
  json["unique_constraints"] = Json::array();
  for (const auto& unique : table.unique_constraints) {
    Json item;
    item["name"] = unique.name;
    item["columns"] = unique.columns;
    PutLocation(item, unique.location);
    json["unique_constraints"].push_back(std::move(item));
  }
  json["check_constraints"] = Json::array();
  for (const auto& check : table.check_constraints) {
    Json item;
    item["name"] = check.name;
    item["expression"] = check.expression;
    PutLocation(item, check.location);
    json["check_constraints"].push_back(std::move(item));
  }
  json["indexes"] = Json::array();
  for (const auto& index : table.indexes) {
    Json item;
    item["name"] = index.name;
    item["keys"] = index.keys;
    item["unique"] = index.unique;
    item["method"] = index.method;
    PutOptional(item, "predicate", index.predicate);
    if (!index.valid) item["valid"] = false;
    item["include"] = index.include;
    PutLocation(item, index.location);
    json["indexes"].push_back(std::move(item));
  }
  json["triggers"] = Json::array();
  for (const auto& trigger : table.triggers) {
    Json item;
    item["name"] = trigger.name;
    item["timing"] = trigger.timing;
    item["events"] = trigger.events;
    item["for_each_row"] = trigger.for_each_row;
    item["function_schema"] = trigger.function_schema;
    item["function_name"] = trigger.function_name;
    PutOptional(item, "when", trigger.when);
    if (!trigger.arguments.empty()) item["arguments"] = trigger.arguments;
    PutLocation(item, trigger.location);
    json["triggers"].push_back(std::move(item));
  }
  if (!table.mapped_by.empty()) json["mapped_by"] = table.mapped_by;
  PutLocation(json, table.location);
  return json;
}

// ---- reading ----------------------------------------------------------------------------

// Thrown inside FromSnapshot only, caught there: the first malformed value ends the read.
struct Malformed {
  std::string path;
  std::string problem;
};

class JsonReader {
 public:
  explicit JsonReader(const nlohmann::json& json, std::string path = "$") : json_(json), path_(std::move(path)) {}

  const nlohmann::json& json() const { return json_; }
  const std::string& path() const { return path_; }

  [[noreturn]] void Fail(const std::string& problem) const { throw Malformed{path_, problem}; }

  void ExpectObject() const {
    if (!json_.is_object()) Fail("expected an object");
  }

  bool Has(const char* key) const { return json_.contains(key) && !json_.at(key).is_null(); }

  JsonReader Member(const char* key) const {
    ExpectObject();
    if (!json_.contains(key)) JsonReader(nullptr_json_, path_ + "." + key).Fail("is missing");
    return JsonReader(json_.at(key), path_ + "." + key);
  }

  std::string String(const char* key) const {
    const JsonReader member = Member(key);
    if (!member.json_.is_string()) member.Fail("expected a string");
    return member.json_.get<std::string>();
  }
  std::string StringOr(const char* key, const std::string& fallback) const { return Has(key) ? String(key) : fallback; }
  std::optional<std::string> OptionalString(const char* key) const {
    if (!Has(key)) return std::nullopt;
    return String(key);
  }
  bool Bool(const char* key) const {
    const JsonReader member = Member(key);
    if (!member.json_.is_boolean()) member.Fail("expected true or false");
    return member.json_.get<bool>();
  }
  bool BoolOr(const char* key, bool fallback) const { return Has(key) ? Bool(key) : fallback; }
  std::uint32_t Unsigned(const char* key) const {
    if (!Has(key)) return 0;
    const JsonReader member = Member(key);
    if (!member.json_.is_number_unsigned()) member.Fail("expected a non-negative integer");
    return member.json_.get<std::uint32_t>();
  }
  std::vector<std::string> Strings(const char* key) const {
    std::vector<std::string> values;
    if (!Has(key)) return values;
    for (const JsonReader& item : Array(key)) {
      if (!item.json_.is_string()) item.Fail("expected a string");
      values.push_back(item.json_.get<std::string>());
    }
    return values;
  }
  std::vector<JsonReader> Array(const char* key) const {
    std::vector<JsonReader> items;
    if (!Has(key)) return items;
    const JsonReader member = Member(key);
    if (!member.json_.is_array()) member.Fail("expected an array");
    for (size_t i = 0; i < member.json_.size(); ++i) {
      items.emplace_back(member.json_.at(i), member.path_ + "[" + std::to_string(i) + "]");
    }
    return items;
  }
  template <typename E, size_t N>
  E Enum(const char* key, const std::array<std::pair<E, const char*>, N>& table, E fallback) const {
    if (!Has(key)) return fallback;
    const std::string token = String(key);
    for (const auto& [value, name] : table) {
      if (token == name) return value;
    }
    std::string known;
    for (const auto& [value, name] : table) known += (known.empty() ? "" : ", ") + std::string(name);
    Member(key).Fail("unknown value \"" + token + "\" (expected one of " + known + ")");
  }

 private:
  static inline const nlohmann::json nullptr_json_ = nullptr;
  const nlohmann::json& json_;
  std::string path_;
};

ir::Location ReadLocation(const JsonReader& owner) {
  ir::Location location;
  if (!owner.Has("location")) return location;
  const JsonReader reader = owner.Member("location");
  reader.ExpectObject();
  location.file = reader.StringOr("file", "");
  location.line = reader.Unsigned("line");
  location.column = reader.Unsigned("column");
  location.end_line = reader.Unsigned("end_line");
  location.end_column = reader.Unsigned("end_column");
  location.object = reader.StringOr("object", "");
  return location;
}

ir::Column ReadColumn(const JsonReader& reader) {
  reader.ExpectObject();
  ir::Column column;
  column.name = reader.String("name");
  column.type = reader.StringOr("type", "");
  if (reader.Has("nullable")) column.nullable = reader.Bool("nullable");
  column.server_default = reader.OptionalString("server_default");
  column.identity = reader.Enum("identity", kIdentities, ir::IdentityKind::kNone);
  column.generated = reader.OptionalString("generated");
  column.comment = reader.StringOr("comment", "");
  column.autoincrement = reader.BoolOr("autoincrement", false);
  column.attribute = reader.StringOr("attribute", "");
  column.python_default = reader.OptionalString("python_default");
  column.python_onupdate = reader.OptionalString("python_onupdate");
  column.server_onupdate = reader.OptionalString("server_onupdate");
  column.location = ReadLocation(reader);
  return column;
}

ir::Table ReadTable(const JsonReader& reader) {
  reader.ExpectObject();
  ir::Table table;
  table.schema = reader.String("schema");
  table.name = reader.String("name");
  table.kind = reader.Enum("kind", kKinds, ir::TableKind::kTable);
  table.comment = reader.StringOr("comment", "");
  table.view_definition = reader.OptionalString("view_definition");
  for (const JsonReader& item : reader.Array("columns")) table.columns.push_back(ReadColumn(item));
  if (reader.Has("primary_key")) {
    const JsonReader key = reader.Member("primary_key");
    key.ExpectObject();
    table.primary_key = ir::PrimaryKey{key.StringOr("name", ""), key.Strings("columns"), ReadLocation(key)};
  }
  for (const JsonReader& item : reader.Array("foreign_keys")) {
    item.ExpectObject();
    ir::ForeignKey key;
    key.name = item.StringOr("name", "");
    key.columns = item.Strings("columns");
    key.referenced_schema = item.StringOr("referenced_schema", "");
    key.referenced_table = item.String("referenced_table");
    key.referenced_columns = item.Strings("referenced_columns");
    key.on_delete = item.Enum("on_delete", kActions, ir::ReferentialAction::kUnspecified);
    key.on_update = item.Enum("on_update", kActions, ir::ReferentialAction::kUnspecified);
    key.deferrable = item.BoolOr("deferrable", false);
    key.initially_deferred = item.BoolOr("initially_deferred", false);
    key.location = ReadLocation(item);
    table.foreign_keys.push_back(std::move(key));
  }
  for (const JsonReader& item : reader.Array("unique_constraints")) {
    item.ExpectObject();
    table.unique_constraints.push_back(
        ir::UniqueConstraint{item.StringOr("name", ""), item.Strings("columns"), ReadLocation(item)});
  }
  for (const JsonReader& item : reader.Array("check_constraints")) {
    item.ExpectObject();
    table.check_constraints.push_back(
        ir::CheckConstraint{item.StringOr("name", ""), item.String("expression"), ReadLocation(item)});
  }
  for (const JsonReader& item : reader.Array("indexes")) {
    item.ExpectObject();
    ir::Index index;
    index.name = item.StringOr("name", "");
    index.keys = item.Strings("keys");
    index.unique = item.BoolOr("unique", false);
    index.method = item.StringOr("method", "btree");
    index.valid = item.BoolOr("valid", true);
    index.predicate = item.OptionalString("predicate");
    index.include = item.Strings("include");
    index.location = ReadLocation(item);
    table.indexes.push_back(std::move(index));
  }
  for (const JsonReader& item : reader.Array("triggers")) {
    item.ExpectObject();
    ir::Trigger trigger;
    trigger.name = item.String("name");
    trigger.timing = item.StringOr("timing", "");
    trigger.events = item.Strings("events");
    trigger.for_each_row = item.BoolOr("for_each_row", true);
    trigger.function_schema = item.StringOr("function_schema", "");
    trigger.function_name = item.StringOr("function_name", "");
    trigger.when = item.OptionalString("when");
    trigger.arguments = item.Strings("arguments");
    trigger.location = ReadLocation(item);
    table.triggers.push_back(std::move(trigger));
  }
  table.mapped_by = reader.Strings("mapped_by");
  table.location = ReadLocation(reader);
  return table;
}

ir::Catalog ReadCatalog(const JsonReader& root) {
  root.ExpectObject();
  if (root.String("format") != kFormat) root.Member("format").Fail(std::string("expected \"") + kFormat + "\"");
  const JsonReader version = root.Member("version");
  if (!version.json().is_number_integer() || version.json().get<long long>() != kVersion) {
    version.Fail("unsupported snapshot version " + version.json().dump() + " (this dbaudit reads version " +
                 std::to_string(kVersion) + ")");
  }
  ir::Catalog catalog;
  catalog.origin = root.Enum("origin", kOrigins, ir::CatalogOrigin::kSnapshot);
  catalog.source_name = root.StringOr("source_name", "");
  for (const JsonReader& item : root.Array("tables")) catalog.tables.push_back(ReadTable(item));
  for (const JsonReader& item : root.Array("enums")) {
    item.ExpectObject();
    catalog.enums.push_back(
        ir::EnumType{item.String("schema"), item.String("name"), item.Strings("labels"), ReadLocation(item)});
  }
  for (const JsonReader& item : root.Array("sequences")) {
    item.ExpectObject();
    catalog.sequences.push_back(ir::Sequence{item.String("schema"), item.String("name"),
                                             item.StringOr("owned_by_table", ""), item.StringOr("owned_by_column", ""),
                                             ReadLocation(item)});
  }
  for (const JsonReader& item : root.Array("functions")) {
    item.ExpectObject();
    catalog.functions.push_back(ir::Function{item.String("schema"), item.String("name"), item.StringOr("arguments", ""),
                                             item.StringOr("language", ""), item.StringOr("returns", ""),
                                             item.StringOr("body", ""), ReadLocation(item)});
  }
  for (const JsonReader& item : root.Array("diagnostics")) {
    item.ExpectObject();
    ir::Diagnostic diagnostic;
    diagnostic.rule_id = item.String("rule_id");
    diagnostic.severity = item.Enum("severity", kSeverities, ir::Severity::kNote);
    diagnostic.message = item.String("message");
    diagnostic.incomplete = item.BoolOr("incomplete", false);
    diagnostic.location = ReadLocation(item);
    catalog.diagnostics.push_back(std::move(diagnostic));
  }
  return catalog;
}

}  // namespace

nlohmann::ordered_json ToSnapshot(const ir::Catalog& catalog) {
  Json json;
  json["format"] = kFormat;
  json["version"] = kVersion;
  json["origin"] = Token(kOrigins, catalog.origin);
  json["source_name"] = catalog.source_name;
  json["tables"] = Json::array();
  for (const auto& table : catalog.tables) json["tables"].push_back(TableJson(table));
  json["enums"] = Json::array();
  for (const auto& enum_type : catalog.enums) {
    Json item;
    item["schema"] = enum_type.schema;
    item["name"] = enum_type.name;
    item["labels"] = enum_type.labels;
    PutLocation(item, enum_type.location);
    json["enums"].push_back(std::move(item));
  }
  json["sequences"] = Json::array();
  for (const auto& sequence : catalog.sequences) {
    Json item;
    item["schema"] = sequence.schema;
    item["name"] = sequence.name;
    if (!sequence.owned_by_table.empty()) item["owned_by_table"] = sequence.owned_by_table;
    if (!sequence.owned_by_column.empty()) item["owned_by_column"] = sequence.owned_by_column;
    PutLocation(item, sequence.location);
    json["sequences"].push_back(std::move(item));
  }
  json["functions"] = Json::array();
  for (const auto& function : catalog.functions) {
    Json item;
    item["schema"] = function.schema;
    item["name"] = function.name;
    item["arguments"] = function.arguments;
    item["language"] = function.language;
    item["returns"] = function.returns;
    item["body"] = function.body;
    PutLocation(item, function.location);
    json["functions"].push_back(std::move(item));
  }
  json["diagnostics"] = Json::array();
  for (const auto& diagnostic : catalog.diagnostics) {
    Json item;
    item["rule_id"] = diagnostic.rule_id;
    item["severity"] = Token(kSeverities, diagnostic.severity);
    item["message"] = diagnostic.message;
    if (diagnostic.incomplete) item["incomplete"] = true;
    PutLocation(item, diagnostic.location);
    json["diagnostics"].push_back(std::move(item));
  }
  return json;
}

ir::Result<ir::Catalog> FromSnapshot(const nlohmann::json& json, const std::string& display_path) {
  try {
    return ReadCatalog(JsonReader(json));
  } catch (const Malformed& malformed) {
    return ir::Error{
        display_path + ": not a valid dbaudit catalog snapshot: " + malformed.path + " " + malformed.problem,
        ir::Location{.file = display_path}};
  } catch (const nlohmann::json::exception& error) {
    return ir::Error{display_path + ": not a valid dbaudit catalog snapshot: " + error.what(),
                     ir::Location{.file = display_path}};
  }
}

ir::Result<ir::Catalog> ReadSnapshotFile(const std::string& path, const std::string& display_path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return ir::Error{"cannot read " + display_path, ir::Location{.file = display_path}};
  std::stringstream contents;
  contents << file.rdbuf();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(contents.str());
  } catch (const nlohmann::json::parse_error& error) {
    // byte is 1-based in nlohmann's parse errors.
    return ir::Error{display_path + ": not valid JSON: " + error.what(), ir::Location{.file = display_path}};
  }
  return FromSnapshot(json, display_path);
}

}  // namespace dbaudit::db
