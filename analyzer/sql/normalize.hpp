#pragma once

#include <optional>
#include <string>

namespace dbaudit::sql {

// A default expression in a form where equal meanings compare equal: casts of literals
// dropped ('x'::character varying -> 'x'), now() / CURRENT_TIMESTAMP /
// transaction_timestamp() unified, public. / pg_catalog. dropped from function names, keyword
// case and white space folded. Returns nullopt when
// the text does not parse as an expression (callers then compare the raw text).
std::optional<std::string> NormalizeDefault(const std::string& expression);

// An index key expression in a form where the model's spelling and the server's compare
// equal: NormalizeDefault's folding, plus the casts of column references and the schema of
// built-in and public functions that pg_get_indexdef adds. nullopt when it does not parse.
std::optional<std::string> NormalizeIndexExpression(const std::string& expression);

// An index key written with its sort order ("created_at DESC", "name ASC NULLS LAST") without
// it: the database readers keep a key's column or expression only, so order is not compared.
std::string WithoutSortOrder(const std::string& key);

// True for nextval('...'::regclass) defaults, i.e. the column is serial-like.
bool IsSequenceDefault(const std::string& expression);

// A type name as people and pg_dump write it, in format_type()'s canonical spelling:
// "varchar(255)" -> "character varying(255)", "int4" -> "integer", "timestamptz" ->
// "timestamp with time zone", "serial" -> "integer", "bool" -> "boolean", "int[]" ->
// "integer[]". User-defined type names are returned schema-qualified with
// `default_schema` when unqualified. Unknown names are returned lower-cased.
std::string CanonicalTypeName(const std::string& spelled, const std::string& default_schema = "public");

// PostgreSQL's quote_identifier(): the name as is when it may stand bare (lower-case letters,
// digits, underscores, not a reserved keyword), else double-quoted with '"' doubled.
std::string QuoteIdentifier(const std::string& identifier);

}  // namespace dbaudit::sql
