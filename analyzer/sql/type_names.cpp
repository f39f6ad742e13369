#include "analyzer/sql/type_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace dbaudit::sql {

namespace {

using nlohmann::json;

// pg_catalog types whose format_type() spelling differs from their internal name.
const std::unordered_map<std::string, std::string>& BuiltinSpellings() {
  static const std::unordered_map<std::string, std::string> spellings = {
      {"int2", "smallint"},
      {"int4", "integer"},
      {"int", "integer"},
      {"integer", "integer"},
      {"int8", "bigint"},
      {"bigint", "bigint"},
      {"smallint", "smallint"},
      {"float4", "real"},
      {"real", "real"},
      {"float8", "double precision"},
      {"float", "double precision"},
      {"bool", "boolean"},
      {"boolean", "boolean"},
      {"varchar", "character varying"},
      {"bpchar", "character"},
      {"char", "\"char\""},
      {"decimal", "numeric"},
      {"numeric", "numeric"},
      {"timestamp", "timestamp without time zone"},
      {"timestamptz", "timestamp with time zone"},
      {"time", "time without time zone"},
      {"timetz", "time with time zone"},
      {"varbit", "bit varying"},
      {"bit", "bit"},
      {"interval", "interval"},
  };
  return spellings;
}

// Other pg_catalog types people write unqualified; format_type() prints them as they are.
const std::unordered_set<std::string>& PlainBuiltins() {
  static const std::unordered_set<std::string> names = {
      "text",
      "name",
      "uuid",
      "json",
      "jsonb",
      "bytea",
      "date",
      "inet",
      "cidr",
      "macaddr",
      "macaddr8",
      "money",
      "xml",
      "oid",
      "regclass",
      "regproc",
      "regprocedure",
      "regtype",
      "regoper",
      "regconfig",
      "tsvector",
      "tsquery",
      "point",
      "line",
      "lseg",
      "box",
      "path",
      "polygon",
      "circle",
      "int2vector",
      "oidvector",
      "record",
      "trigger",
      "void",
      "cstring",
      "anyelement",
      "anyarray",
      "anynonarray",
      "anyenum",
      "anyrange",
      "anymultirange",
      "anycompatible",
      "anycompatiblearray",
      "event_trigger",
      "fdw_handler",
      "index_am_handler",
      "tsm_handler",
      "table_am_handler",
      "language_handler",
      "internal",
      "unknown",
      "txid_snapshot",
      "pg_snapshot",
      "pg_lsn",
      "int4range",
      "int8range",
      "numrange",
      "tsrange",
      "tstzrange",
      "daterange",
      "int4multirange",
      "int8multirange",
      "nummultirange",
      "tsmultirange",
      "tstzmultirange",
      "datemultirange",
      "jsonpath",
      "xid",
      "xid8",
      "cid",
      "tid",
      "aclitem",
      "refcursor",
      "regnamespace",
      "regrole",
      "regcollation",
      "regdictionary",
      "regoperator",
      "gtsvector",
      "pg_node_tree",
      "smgr",
  };
  return names;
}

// SQL keywords that quote_identifier() quotes (reserved, column-name and type-function-name
// keywords; a practical subset).
const std::unordered_set<std::string>& QuotedKeywords() {
  static const std::unordered_set<std::string> words = {
      "all",
      "analyse",
      "analyze",
      "and",
      "any",
      "array",
      "as",
      "asc",
      "asymmetric",
      "authorization",
      "between",
      "bigint",
      "binary",
      "bit",
      "boolean",
      "both",
      "case",
      "cast",
      "char",
      "character",
      "check",
      "coalesce",
      "collate",
      "collation",
      "column",
      "concurrently",
      "constraint",
      "create",
      "cross",
      "current_catalog",
      "current_date",
      "current_role",
      "current_schema",
      "current_time",
      "current_timestamp",
      "current_user",
      "dec",
      "decimal",
      "default",
      "deferrable",
      "desc",
      "distinct",
      "do",
      "else",
      "end",
      "except",
      "exists",
      "extract",
      "false",
      "fetch",
      "float",
      "for",
      "foreign",
      "freeze",
      "from",
      "full",
      "grant",
      "greatest",
      "group",
      "grouping",
      "having",
      "ilike",
      "in",
      "initially",
      "inner",
      "inout",
      "int",
      "integer",
      "intersect",
      "interval",
      "into",
      "is",
      "isnull",
      "join",
      "json",
      "lateral",
      "leading",
      "least",
      "left",
      "like",
      "limit",
      "localtime",
      "localtimestamp",
      "national",
      "natural",
      "nchar",
      "none",
      "normalize",
      "not",
      "notnull",
      "null",
      "nullif",
      "numeric",
      "offset",
      "on",
      "only",
      "or",
      "order",
      "out",
      "outer",
      "overlaps",
      "overlay",
      "placing",
      "position",
      "precision",
      "primary",
      "real",
      "references",
      "returning",
      "right",
      "row",
      "select",
      "session_user",
      "setof",
      "similar",
      "smallint",
      "some",
      "substring",
      "symmetric",
      "system_user",
      "table",
      "tablesample",
      "then",
      "time",
      "timestamp",
      "to",
      "trailing",
      "treat",
      "trim",
      "true",
      "union",
      "unique",
      "user",
      "using",
      "values",
      "varchar",
      "variadic",
      "verbose",
      "when",
      "where",
      "window",
      "with",
      "xmlattributes",
      "xmlconcat",
      "xmlelement",
      "xmlexists",
      "xmlforest",
      "xmlnamespaces",
      "xmlparse",
      "xmlpi",
      "xmlroot",
      "xmlserialize",
      "xmltable",
  };
  return words;
}

std::vector<long long> Typmods(const json& type_name) {
  std::vector<long long> values;
  if (!type_name.contains("typmods")) return values;
  for (const auto& item : type_name["typmods"]) {
    if (!item.contains("A_Const")) continue;
    const auto& constant = item["A_Const"];
    if (constant.contains("ival")) {
      values.push_back(constant["ival"].value("ival", 0LL));
    } else if (constant.contains("sval")) {
      try {
        values.push_back(std::stoll(constant["sval"].value("sval", std::string("0"))));
      } catch (...) {
        values.push_back(0);
      }
    } else if (constant.contains("fval")) {
      try {
        values.push_back(std::stoll(constant["fval"].value("fval", std::string("0"))));
      } catch (...) {
        values.push_back(0);
      }
    }
  }
  return values;
}

// Interval field masks as the grammar encodes them (INTERVAL_MASK bits of datetime.h).
std::string IntervalFields(long long range) {
  constexpr long long kMonth = 1 << 1, kYear = 1 << 2, kDay = 1 << 3, kHour = 1 << 10, kMinute = 1 << 11,
                      kSecond = 1 << 12;
  static const std::array<std::pair<long long, const char*>, 13> fields = {{
      {kYear, " year"},
      {kMonth, " month"},
      {kDay, " day"},
      {kHour, " hour"},
      {kMinute, " minute"},
      {kSecond, " second"},
      {kYear | kMonth, " year to month"},
      {kDay | kHour, " day to hour"},
      {kDay | kHour | kMinute, " day to minute"},
      {kDay | kHour | kMinute | kSecond, " day to second"},
      {kHour | kMinute, " hour to minute"},
      {kHour | kMinute | kSecond, " hour to second"},
      {kMinute | kSecond, " minute to second"},
  }};
  for (const auto& [mask, text] : fields) {
    if (range == mask) return text;
  }
  return "";
}

std::string BuiltinWithTypmods(const std::string& internal, const std::string& spelled,
                               const std::vector<long long>& mods) {
  if (mods.empty()) return spelled;
  if (internal == "varchar" || internal == "bpchar" || internal == "bit" || internal == "varbit") {
    const std::string base = internal == "varchar"  ? "character varying"
                             : internal == "bpchar" ? "character"
                             : internal == "bit"    ? "bit"
                                                    : "bit varying";
    return base + "(" + std::to_string(mods[0]) + ")";
  }
  if (internal == "numeric" || internal == "decimal") {
    return "numeric(" + std::to_string(mods[0]) + "," + std::to_string(mods.size() > 1 ? mods[1] : 0) + ")";
  }
  if (internal == "timestamp") return "timestamp(" + std::to_string(mods[0]) + ") without time zone";
  if (internal == "timestamptz") return "timestamp(" + std::to_string(mods[0]) + ") with time zone";
  if (internal == "time") return "time(" + std::to_string(mods[0]) + ") without time zone";
  if (internal == "timetz") return "time(" + std::to_string(mods[0]) + ") with time zone";
  if (internal == "interval") {
    constexpr long long kFullRange = 0x7FFF;
    std::string text = "interval";
    if (mods[0] != kFullRange) text += IntervalFields(mods[0]);
    if (mods.size() > 1 && mods[1] != 0xFFFF) text += "(" + std::to_string(mods[1]) + ")";
    return text;
  }
  std::string text = spelled + "(";
  for (std::size_t i = 0; i < mods.size(); ++i) text += (i ? "," : "") + std::to_string(mods[i]);
  return text + ")";
}

}  // namespace

std::vector<std::string> NameList(const json& list) {
  std::vector<std::string> names;
  const json* items = &list;
  if (list.is_object() && list.contains("List")) items = &list["List"]["items"];
  if (!items->is_array()) return names;
  for (const auto& item : *items) {
    if (item.contains("String")) names.push_back(item["String"].value("sval", std::string()));
  }
  return names;
}

std::string QuoteIdentifier(const std::string& identifier) {
  bool safe = !identifier.empty() && (std::islower(static_cast<unsigned char>(identifier[0])) || identifier[0] == '_');
  for (const char c : identifier) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      safe = false;
    }
  }
  if (safe && !QuotedKeywords().count(identifier)) return identifier;
  std::string quoted = "\"";
  for (const char c : identifier) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

std::string SerialBaseType(const json& type_name) {
  const auto names = NameList(type_name.value("names", json::array()));
  if (names.size() != 1) return "";
  const std::string& name = names[0];
  if (name == "serial" || name == "serial4") return "integer";
  if (name == "bigserial" || name == "serial8") return "bigint";
  if (name == "smallserial" || name == "serial2") return "smallint";
  return "";
}

std::string FormatTypeName(const json& type_name, const std::string& default_schema) {
  const auto names = NameList(type_name.value("names", json::array()));
  if (names.empty()) return "";
  std::string text;
  const std::string serial = SerialBaseType(type_name);
  const bool builtin_path = names.size() == 1 || (names.size() == 2 && names[0] == "pg_catalog");
  const std::string& last = names.back();
  const auto mods = Typmods(type_name);
  if (!serial.empty()) {
    text = serial;
  } else if (builtin_path && BuiltinSpellings().count(last)) {
    // A bare "char" is only reachable as the quoted "char" type: the keyword CHAR becomes bpchar.
    text = BuiltinWithTypmods(last, BuiltinSpellings().at(last), mods);
  } else if (builtin_path && (names.size() == 2 || PlainBuiltins().count(last))) {
    text = BuiltinWithTypmods(last, names.size() == 2 ? QuoteIdentifier(last) : last, mods);
  } else {
    const std::string schema = names.size() >= 2 ? names[names.size() - 2] : default_schema;
    text = QuoteIdentifier(schema) + "." + QuoteIdentifier(last);
    if (!mods.empty()) text = BuiltinWithTypmods(last, text, mods);
  }
  if (type_name.contains("arrayBounds") && !type_name["arrayBounds"].empty()) text += "[]";
  return text;
}

}  // namespace dbaudit::sql
