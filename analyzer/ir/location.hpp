#pragma once

#include <cstdint>
#include <string>

namespace dbaudit::ir {

// Where a fact came from. Either a position in a file (path relative to the project root,
// 1-based line and column; 0 when unknown) or a database object, named by a URI such as
// `postgresql://host/db#public.users.email` or `schema.sql#public.users.email`.
struct Location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;
  std::uint32_t end_column = 0;
  std::string object;

  bool HasFile() const { return !file.empty(); }
  bool HasObject() const { return !object.empty(); }
  bool IsKnown() const { return HasFile() || HasObject(); }

  friend bool operator==(const Location&, const Location&) = default;
  friend auto operator<=>(const Location&, const Location&) = default;
};

// "file:line:col", "file", or the object URI; what a human reads in a message.
std::string Describe(const Location& location);

}  // namespace dbaudit::ir
