#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// libpq key/value connection strings and .env files, without libpq: what connection.cpp and
// the introspection need to build and take apart connection settings (and what the unit
// tests check directly).
namespace dbaudit::db {

// Parses "host=/tmp port=5432 password='a b'" into pairs in order; nullopt when malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseConnInfo(const std::string& conninfo);

// Quotes a value for a key/value connection string when it needs it ('' for empty).
std::string QuoteConnInfoValue(const std::string& value);

// The value of `key` in a key/value connection string (last one wins, as in libpq).
std::string ConnInfoValue(const std::string& conninfo, const std::string& key);

// KEY=VALUE lines as python-dotenv reads them: `export KEY=...`, single and double quotes,
// comments, ${VAR} expansion from `environment` then earlier keys.
std::map<std::string, std::string> ParseDotEnv(const std::string& text,
                                               const std::map<std::string, std::string>& environment);

}  // namespace dbaudit::db
