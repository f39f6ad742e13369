#include "analyzer/python/naming.hpp"

#include <cctype>

#include "analyzer/python/model_reader.hpp"

namespace dbaudit::python {

namespace {

bool IsLowerOrDigit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool IsLower(char c) {
  return c >= 'a' && c <= 'z';
}

}  // namespace

// Flask-SQLAlchemy 3's camel_to_snake_case:
//   re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower().lstrip("_")
// Every match is a single upper-case letter, so matches never overlap and can be decided
// one character at a time.
std::string FlaskSqlalchemyTableName(const std::string& class_name) {
  std::string out;
  out.reserve(class_name.size() + 4);
  for (std::size_t i = 0; i < class_name.size(); ++i) {
    char c = class_name[i];
    if (IsUpper(c)) {
      bool after_lower = i > 0 && IsLowerOrDigit(class_name[i - 1]);
      bool before_lower = i > 0 && i + 1 < class_name.size() && IsLower(class_name[i + 1]);
      if (after_lower || before_lower) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  std::size_t first = out.find_first_not_of('_');
  return first == std::string::npos ? std::string() : out.substr(first);
}

std::string ApplyConvention(const std::string& templ, const ConventionTokens& tokens) {
  std::string out;
  std::size_t i = 0;
  while (i < templ.size()) {
    if (templ.compare(i, 2, "%(") == 0) {
      std::size_t close = templ.find(")s", i + 2);
      if (close != std::string::npos) {
        std::string key = templ.substr(i + 2, close - i - 2);
        std::string value;
        const auto& cols = tokens.columns;
        const auto& refs = tokens.referred_columns;
        if (key == "table_name") {
          value = tokens.table_name;
        } else if (key == "constraint_name") {
          value = tokens.constraint_name;
        } else if (key == "referred_table_name") {
          value = tokens.referred_table_name;
        } else if (key == "column_0_name") {
          value = cols.empty() ? "" : cols[0];
        } else if (key == "column_0_label") {
          value = cols.empty() ? "" : tokens.table_name + "_" + cols[0];
        } else if (key == "column_0_key") {
          value = cols.empty() ? "" : cols[0];
        } else if (key == "column_0N_name" || key == "column_0_N_name") {
          std::string separator = key == "column_0_N_name" ? "_" : "";
          for (std::size_t k = 0; k < cols.size(); ++k) value += (k ? separator : "") + cols[k];
        } else if (key == "column_0N_label" || key == "column_0_N_label") {
          std::string separator = key == "column_0_N_label" ? "_" : "";
          for (std::size_t k = 0; k < cols.size(); ++k)
            value += (k ? separator : "") + tokens.table_name + "_" + cols[k];
        } else if (key == "referred_column_0_name") {
          value = refs.empty() ? "" : refs[0];
        } else if (key == "referred_column_0N_name" || key == "referred_column_0_N_name") {
          std::string separator = key == "referred_column_0_N_name" ? "_" : "";
          for (std::size_t k = 0; k < refs.size(); ++k) value += (k ? separator : "") + refs[k];
        } else {
          value = templ.substr(i, close + 2 - i);  // unknown token: keep it visible
        }
        out += value;
        i = close + 2;
        continue;
      }
    }
    out += templ[i++];
  }
  return out;
}

}  // namespace dbaudit::python
