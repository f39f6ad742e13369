#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"

// Reads PL/pgSQL trigger function bodies with libpg_query (pg_query_parse_plpgsql) and records
// which columns of NEW each one assigns, so the timestamp- rules recognise a trigger by what
// its body does, never by its name.
namespace dbaudit::sql {

struct BodyReading {
  // The columns of NEW the body assigns (sorted, unique); nullopt when they are not known.
  std::optional<std::vector<std::string>> assigned_new_columns;
  // Why they are not known (empty when they are).
  std::string note;
  // libpg_query rejected the body (as opposed to a body read whose effect is not knowable).
  bool not_parsed = false;
};

// Reads one PL/pgSQL trigger function body (pg_proc.prosrc: the text between the dollar
// quotes). Counts `NEW.col := ...`, `NEW.col = ...`, `SELECT/EXECUTE ... INTO NEW.col`,
// `GET DIAGNOSTICS NEW.col = ...` and assignments through an ALIAS FOR NEW, at any depth (IF,
// CASE, loops, nested blocks, exception handlers). A body that assigns the whole record
// (`NEW := ...`, `SELECT * INTO NEW`) or that does not parse gives nullopt and a note with
// the line inside the body (line 1 is the text right after the opening dollar quote, as
// PostgreSQL numbers it). Never throws.
BodyReading ReadTriggerBody(const std::string& body);

// Fills Function::assigned_new_columns and Function::body_note for every function of the
// catalog: PL/pgSQL trigger functions are read; other PL/pgSQL functions have no NEW record
// (an empty list); functions in other languages are not read (nullopt, with a note). A body
// that a trigger of the catalog runs and that libpg_query cannot parse also becomes an
// input-sql-not-parsed diagnostic at the function (not marked incomplete: only what that
// trigger sets is unknown).
void ReadFunctionBodies(ir::Catalog& catalog);

}  // namespace dbaudit::sql
