#include "analyzer/sql/normalize.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "analyzer/sql/pg_query_wrapper.hpp"
#include "analyzer/sql/type_names.hpp"

namespace dbaudit::sql {

namespace {

using nlohmann::json;

// The expression node of "SELECT <expression>", or nullopt when that is not what parsed.
std::optional<json> ParseExpression(const std::string& expression) {
  // A trailing ';' or a second statement would change the meaning: parse exactly one target.
  ParseOutcome outcome = Parse("SELECT " + expression);
  if (!outcome.ok) return std::nullopt;
  const json& statements = outcome.tree.value("stmts", json::array());
  if (statements.size() != 1) return std::nullopt;
  const json& select = statements[0].value("stmt", json::object()).value("SelectStmt", json::object());
  const json& targets = select.value("targetList", json::array());
  if (targets.size() != 1 || select.size() != 3) return std::nullopt;  // targetList, limitOption, op
  const json& target = targets[0].value("ResTarget", json::object());
  if (!target.contains("val") || target.contains("name")) return std::nullopt;
  return target["val"];
}

bool IsNumericType(const std::string& type) {
  return type == "smallint" || type == "integer" || type == "bigint" || type == "numeric" || type == "real" ||
         type == "double precision" || type.rfind("numeric(", 0) == 0;
}

bool IsIntegerText(const std::string& text) {
  std::size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (i >= text.size()) return false;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return text.size() < 19;
}

bool IsDecimalText(const std::string& text) {
  bool digits = false;
  bool dot = false;
  std::size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  for (; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits = true;
    } else if (text[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

// A string constant cast to a type, re-read the way the server stores the typed constant.
json TypedConstant(const json& constant, const std::string& type) {
  if (!constant.contains("sval")) return constant;
  const std::string text = constant["sval"].value("sval", std::string());
  if (type == "boolean") {
    std::string lower;
    for (const char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "true" || lower == "t" || lower == "yes" || lower == "y" || lower == "on" || lower == "1") {
      return json{{"boolval", json{{"boolval", true}}}};
    }
    if (lower == "false" || lower == "f" || lower == "no" || lower == "n" || lower == "off" || lower == "0") {
      return json{{"boolval", json::object()}};
    }
    return constant;
  }
  if (IsNumericType(type)) {
    if (IsIntegerText(text)) {
      const long long value = std::stoll(text);
      return value == 0 ? json{{"ival", json::object()}} : json{{"ival", json{{"ival", value}}}};
    }
    if (IsDecimalText(text)) return json{{"fval", json{{"fval", text}}}};
  }
  return constant;
}

bool IsBareFunction(const json& call, const char* name) {
  const auto names = NameList(call.value("funcname", json::array()));
  if (names.empty() || names.back() != name) return false;
  if (names.size() == 2 && names[0] != "pg_catalog") return false;
  return !call.contains("args") && !call.contains("agg_star");
}

// libpg_query 15-4.0 prints a negative integer constant as "ival": {} (the same as 0): read
// the value back from the source text at the constant's location.
void RepairNegativeInteger(json& constant, const json& original, const std::string& source) {
  if (!constant.contains("ival") || !constant["ival"].empty() || !original.contains("location")) return;
  std::size_t i = original["location"].get<std::size_t>();
  if (i >= source.size() || source[i] != '-') return;
  std::size_t end = i + 1;
  while (end < source.size() && std::isdigit(static_cast<unsigned char>(source[end]))) ++end;
  if (IsIntegerText(source.substr(i, end - i)))
    constant["ival"] = json{{"ival", std::stoll(source.substr(i, end - i))}};
}

// Rewrites the tree bottom-up into its canonical form.
json Canonical(const json& node, const std::string& source) {
  if (node.is_array()) {
    json result = json::array();
    for (const auto& item : node) result.push_back(Canonical(item, source));
    return result;
  }
  if (!node.is_object()) return node;
  json result = json::object();
  for (const auto& [key, value] : node.items()) {
    if (key == "location") continue;
    result[key] = Canonical(value, source);
    if (key == "A_Const") RepairNegativeInteger(result[key], value, source);
  }
  if (result.contains("TypeCast")) {
    const json& cast = result["TypeCast"];
    const json& argument = cast.value("arg", json::object());
    if (argument.contains("A_Const")) {
      const std::string type = FormatTypeName(cast.value("typeName", json::object()), "public");
      return json{{"A_Const", TypedConstant(argument["A_Const"], type)}};
    }
  }
  if (result.contains("FuncCall")) {
    json& call = result["FuncCall"];
    if (IsBareFunction(call, "now") || IsBareFunction(call, "transaction_timestamp")) {
      return json{{"CurrentTimestamp", json::object()}};
    }
    // pg_dump and pg_get_expr qualify functions (public.generate_ulid()); models rarely do.
    if (call.contains("funcname")) {
      const auto names = NameList(call["funcname"]);
      if (names.size() == 2 && (names[0] == "pg_catalog" || names[0] == "public")) {
        call["funcname"].erase(call["funcname"].begin());
      }
    }
  }
  if (result.contains("SQLValueFunction")) {
    const json& function = result["SQLValueFunction"];
    if (function.value("op", std::string()) == "SVFOP_CURRENT_TIMESTAMP") {
      return json{{"CurrentTimestamp", json::object()}};
    }
  }
  if (result.contains("A_Const")) {
    // Uncast 'true' / 'false' are how people spell boolean defaults by hand.
    const json& constant = result["A_Const"];
    if (constant.contains("sval")) {
      const std::string text = constant["sval"].value("sval", std::string());
      if (text == "true") return json{{"A_Const", json{{"boolval", json{{"boolval", true}}}}}};
      if (text == "false") return json{{"A_Const", json{{"boolval", json::object()}}}};
    }
  }
  return result;
}

bool ContainsNextval(const json& node) {
  if (node.is_array()) {
    for (const auto& item : node) {
      if (ContainsNextval(item)) return true;
    }
    return false;
  }
  if (!node.is_object()) return false;
  if (node.contains("FuncCall")) {
    const auto names = NameList(node["FuncCall"].value("funcname", json::array()));
    if (!names.empty() && names.back() == "nextval") return true;
  }
  for (const auto& [key, value] : node.items()) {
    if (ContainsNextval(value)) return true;
  }
  return false;
}

// Index keys as pg_get_indexdef prints them carry the casts the server resolved
// (lower((name)::text)): drop them, so that the key as the model writes it (lower(name))
// compares equal. (Canonical already drops public. / pg_catalog. from function names.)
json WithoutResolvedDecorations(const json& node) {
  if (node.is_array()) {
    json result = json::array();
    for (const auto& item : node) result.push_back(WithoutResolvedDecorations(item));
    return result;
  }
  if (!node.is_object()) return node;
  json result = json::object();
  for (const auto& [key, value] : node.items()) result[key] = WithoutResolvedDecorations(value);
  if (result.contains("TypeCast")) {
    const json& argument = result["TypeCast"].value("arg", json::object());
    if (argument.contains("ColumnRef")) return argument;
  }
  return result;
}

}  // namespace

std::optional<std::string> NormalizeIndexExpression(const std::string& expression) {
  const auto tree = ParseExpression(expression);
  if (!tree) return std::nullopt;
  return WithoutResolvedDecorations(Canonical(*tree, "SELECT " + expression)).dump();
}

std::optional<std::string> NormalizeDefault(const std::string& expression) {
  const auto tree = ParseExpression(expression);
  if (!tree) return std::nullopt;
  // nlohmann::json keeps object keys sorted: the dump is canonical.
  return Canonical(*tree, "SELECT " + expression).dump();
}

bool IsSequenceDefault(const std::string& expression) {
  const auto tree = ParseExpression(expression);
  if (!tree) return false;
  const json& node = *tree;
  // nextval(...) itself, possibly under a cast.
  if (node.contains("TypeCast")) return ContainsNextval(node["TypeCast"].value("arg", json::object()));
  if (!node.contains("FuncCall")) return false;
  const auto names = NameList(node["FuncCall"].value("funcname", json::array()));
  return !names.empty() && names.back() == "nextval";
}

std::string WithoutSortOrder(const std::string& key) {
  std::string text = key;
  auto trim = [&] {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  };
  // Removes `word` when it ends the text as a whole word (any case).
  auto drop = [&](const std::string& word) {
    if (text.size() <= word.size()) return false;
    const std::size_t at = text.size() - word.size();
    if (!std::isspace(static_cast<unsigned char>(text[at - 1]))) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
    }
    text.resize(at);
    trim();
    return true;
  };
  trim();
  if (drop("first") || drop("last")) {
    if (!drop("nulls")) return key;
  }
  if (!drop("desc")) drop("asc");
  return text.empty() ? key : text;
}

std::string CanonicalTypeName(const std::string& spelled, const std::string& default_schema) {
  std::string lowered;
  for (const char c : spelled) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const ParseOutcome outcome = Parse("SELECT NULL::" + spelled);
  if (!outcome.ok) return lowered;
  const json& statements = outcome.tree.value("stmts", json::array());
  if (statements.size() != 1) return lowered;
  const json& targets = statements[0]
                            .value("stmt", json::object())
                            .value("SelectStmt", json::object())
                            .value("targetList", json::array());
  if (targets.size() != 1) return lowered;
  const json& value = targets[0].value("ResTarget", json::object()).value("val", json::object());
  if (!value.contains("TypeCast")) return lowered;
  const std::string formatted = FormatTypeName(value["TypeCast"].value("typeName", json::object()), default_schema);
  return formatted.empty() ? lowered : formatted;
}

}  // namespace dbaudit::sql
