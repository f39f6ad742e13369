#pragma once

// The only door to libpg_query: every result struct is owned by a RAII holder in the .cpp,
// and what leaves is a parsed nlohmann::json tree or plain offsets. Internal to analyzer/sql.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dbaudit::sql {

struct ParseOutcome {
  bool ok = false;
  nlohmann::json tree;        // {"version":..., "stmts":[{"stmt":{...}, "stmt_location":..}]}
  std::string error_message;  // the parser's message when !ok
  // 0-based position of the error in the input, in CHARACTERS (cursorpos - 1: libpg_query
  // counts UTF-8 characters, not bytes; callers convert).
  std::size_t error_offset = 0;
  bool has_error_offset = false;
};

// Parses one or more statements. Never throws.
ParseOutcome Parse(const std::string& sql);

struct StatementSpan {
  std::size_t offset = 0;
  std::size_t length = 0;
};

// Splits a script into statements with libpg_query's scanner (so one statement that does not
// parse does not hide the others). nullopt when the scanner itself fails.
std::optional<std::vector<StatementSpan>> SplitWithScanner(const std::string& sql);

}  // namespace dbaudit::sql
