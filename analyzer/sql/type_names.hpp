#pragma once

// libpg_query TypeName nodes -> format_type() spelling. The one mapping used by the dump
// reader and by CanonicalTypeName. Internal to analyzer/sql.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/sql/normalize.hpp"

namespace dbaudit::sql {

// format_type() with an empty search_path: builtins unqualified, others schema-qualified.
// SERIAL-family names map to their integer type (the caller adds the sequence default).
std::string FormatTypeName(const nlohmann::json& type_name, const std::string& default_schema);

// "serial" -> "integer", "bigserial" -> "bigint", "smallserial" -> "smallint", else "".
std::string SerialBaseType(const nlohmann::json& type_name);

// The strings of a List of String nodes (names, qualified names).
std::vector<std::string> NameList(const nlohmann::json& list);

}  // namespace dbaudit::sql
