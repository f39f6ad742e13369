#pragma once

#include <optional>
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

// re.sub(pattern, replacement, text) for the patterns table-name recipes use to split a
// CamelCase class name at case boundaries ("(?<!^)(?=[A-Z])", "([A-Z])", "(.)([A-Z][a-z]+)",
// "([a-z0-9])([A-Z])", "([A-Z]+)([A-Z][a-z])", ...), with the replacement's group references
// (\1, \g<1>) applied; nullopt for any other pattern, which then stays unknown.
std::optional<std::string> ApplyCaseSplitSub(const std::string& pattern, const std::string& replacement,
                                             const std::string& text);

// The table names a class name becomes under the common snake-case recipes, most common
// first, without duplicates: Flask-SQLAlchemy's, a separator before every capital but the
// first, and the name in lower case. Used when the recipe itself cannot be read: the
// database then tells which one the code computes.
std::vector<std::string> SnakeCaseCandidates(const std::string& class_name);

}  // namespace dbaudit::python
