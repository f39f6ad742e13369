#include "db/conninfo.hpp"

#include <cctype>

namespace dbaudit::db {

std::optional<std::vector<std::pair<std::string, std::string>>> ParseConnInfo(const std::string& conninfo) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t i = 0;
  const auto skip_space = [&] {
    while (i < conninfo.size() && std::isspace(static_cast<unsigned char>(conninfo[i]))) ++i;
  };
  for (;;) {
    skip_space();
    if (i >= conninfo.size()) break;
    std::string key;
    while (i < conninfo.size() && conninfo[i] != '=' && !std::isspace(static_cast<unsigned char>(conninfo[i]))) {
      key += conninfo[i++];
    }
    skip_space();
    if (i >= conninfo.size() || conninfo[i] != '=' || key.empty()) return std::nullopt;
    ++i;
    skip_space();
    std::string value;
    if (i < conninfo.size() && conninfo[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < conninfo.size()) {
        if (conninfo[i] == '\\' && i + 1 < conninfo.size()) {
          value += conninfo[i + 1];
          i += 2;
          continue;
        }
        if (conninfo[i] == '\'') {
          closed = true;
          ++i;
          break;
        }
        value += conninfo[i++];
      }
      if (!closed) return std::nullopt;
    } else {
      while (i < conninfo.size() && !std::isspace(static_cast<unsigned char>(conninfo[i]))) {
        if (conninfo[i] == '\\' && i + 1 < conninfo.size()) ++i;
        value += conninfo[i++];
      }
    }
    pairs.emplace_back(key, value);
  }
  return pairs;
}

std::string QuoteConnInfoValue(const std::string& value) {
  bool plain = !value.empty();
  for (char c : value) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '\\') plain = false;
  }
  if (plain) return value;
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::string ConnInfoValue(const std::string& conninfo, const std::string& key) {
  std::string found;
  if (const auto pairs = ParseConnInfo(conninfo)) {
    for (const auto& [name, value] : *pairs) {
      if (name == key) found = value;
    }
  }
  return found;
}

}  // namespace dbaudit::db
