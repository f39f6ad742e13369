#pragma once

#include <string>
#include <vector>

namespace dbaudit::python {

// The values SQLAlchemy substitutes into a MetaData naming_convention template.
struct ConventionTokens {
  std::string table_name;
  std::string constraint_name;
  std::vector<std::string> columns;
  std::string referred_table_name;
  std::vector<std::string> referred_columns;
};

// Expands "%(table_name)s", "%(column_0_name)s", "%(column_0_label)s", "%(column_0N_name)s",
// "%(column_0_N_name)s", "%(referred_table_name)s", "%(referred_column_0_name)s" and
// "%(constraint_name)s".
std::string ApplyConvention(const std::string& templ, const ConventionTokens& tokens);

}  // namespace dbaudit::python
