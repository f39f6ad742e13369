#include "analyzer/python/naming.hpp"

#include <algorithm>
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

namespace dbaudit::python {

namespace {

// The replacement text with its group references (\1, \g<1>, \2, \g<2>) filled in.
std::string Expand(const std::string& replacement, const std::string& group1, const std::string& group2) {
  std::string out;
  for (std::size_t i = 0; i < replacement.size(); ++i) {
    if (replacement[i] == '\\' && i + 1 < replacement.size()) {
      char digit = 0;
      std::size_t skip = 0;
      if (replacement[i + 1] == '1' || replacement[i + 1] == '2') {
        digit = replacement[i + 1];
        skip = 1;
      } else if (replacement.compare(i + 1, 2, "g<") == 0 && i + 4 < replacement.size() && replacement[i + 4] == '>') {
        digit = replacement[i + 3];
        skip = 4;
      }
      if (digit == '1' || digit == '2') {
        out += digit == '1' ? group1 : group2;
        i += skip;
        continue;
      }
    }
    out += replacement[i];
  }
  return out;
}

}  // namespace

std::optional<std::string> ApplyCaseSplitSub(const std::string& pattern, const std::string& replacement,
                                             const std::string& text) {
  const std::size_t n = text.size();
  std::string out;
  if (pattern == "(?<!^)(?=[A-Z])" || pattern == "(?!^)(?=[A-Z])" || pattern == "(?<=.)(?=[A-Z])") {
    // Zero-width: the replacement goes before every capital but a leading one.
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0 && IsUpper(text[i])) out += replacement;
      out += text[i];
    }
    return out;
  }
  if (pattern == "(?=[A-Z])") {
    for (char c : text) {
      if (IsUpper(c)) out += replacement;
      out += c;
    }
    return out;
  }
  if (pattern == "(?<=[a-z0-9])(?=[A-Z])" || pattern == "(?<=[a-z])(?=[A-Z])") {
    const bool digits = pattern.find("0-9") != std::string::npos;
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0 && IsUpper(text[i]) && (digits ? IsLowerOrDigit(text[i - 1]) : IsLower(text[i - 1]))) {
        out += replacement;
      }
      out += text[i];
    }
    return out;
  }
  if (pattern == "([A-Z])" || pattern == "([A-Z]{1})") {
    for (char c : text) out += IsUpper(c) ? Expand(replacement, std::string(1, c), "") : std::string(1, c);
    return out;
  }
  if (pattern == "(.)([A-Z][a-z]+)") {
    for (std::size_t i = 0; i < n;) {
      if (i + 2 < n && IsUpper(text[i + 1]) && IsLower(text[i + 2])) {
        std::size_t end = i + 2;
        while (end < n && IsLower(text[end])) ++end;
        out += Expand(replacement, text.substr(i, 1), text.substr(i + 1, end - i - 1));
        i = end;
      } else {
        out += text[i++];
      }
    }
    return out;
  }
  if (pattern == "([a-z0-9])([A-Z])" || pattern == "([a-z\\d])([A-Z])" || pattern == "([a-z])([A-Z])") {
    const bool digits = pattern != "([a-z])([A-Z])";
    for (std::size_t i = 0; i < n;) {
      if (i + 1 < n && (digits ? IsLowerOrDigit(text[i]) : IsLower(text[i])) && IsUpper(text[i + 1])) {
        out += Expand(replacement, text.substr(i, 1), text.substr(i + 1, 1));
        i += 2;
      } else {
        out += text[i++];
      }
    }
    return out;
  }
  if (pattern == "([A-Z]+)([A-Z][a-z])") {
    for (std::size_t i = 0; i < n;) {
      std::size_t run = i;
      while (run < n && IsUpper(text[run])) ++run;
      if (run - i >= 2 && run < n && IsLower(text[run])) {
        out += Expand(replacement, text.substr(i, run - 1 - i), text.substr(run - 1, 2));
        i = run + 1;
      } else {
        out += text[i++];
      }
    }
    return out;
  }
  return std::nullopt;
}

std::vector<std::string> SnakeCaseCandidates(const std::string& class_name) {
  std::vector<std::string> candidates;
  auto add = [&](std::string name) {
    if (!name.empty() && std::find(candidates.begin(), candidates.end(), name) == candidates.end()) {
      candidates.push_back(std::move(name));
    }
  };
  add(FlaskSqlalchemyTableName(class_name));
  std::string every_capital = *ApplyCaseSplitSub("(?<!^)(?=[A-Z])", "_", class_name);
  for (char& c : every_capital) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  add(every_capital);
  std::string lower = class_name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  add(lower);
  return candidates;
}

}  // namespace dbaudit::python
