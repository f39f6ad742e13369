#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "analyzer/ir/result.hpp"

namespace dbaudit::db {

struct ConnectionSettings {
  std::string conninfo;  // what libpq receives; may hold a password: never print it
  std::string display;   // the same with the password redacted: "postgresql://app@db:5432/app"
  std::string origin;    // where it came from: "--database-url", "DATABASE_URL", ".env", "PG* variables"
};

// The first of: `explicit_url`, DATABASE_URL in `environment`, DATABASE_URL in
// `project_root`/.env, PG* variables in `environment`. nullopt when none is given.
// sqlalchemy-style URLs ("postgresql+psycopg2://") are accepted; sslmode is kept.
std::optional<ConnectionSettings> ResolveConnection(const std::optional<std::string>& explicit_url,
                                                    const std::map<std::string, std::string>& environment,
                                                    const std::filesystem::path& project_root);

// Removes passwords from any text: URLs' user:password@, password=... in conninfo strings,
// and the literal `secret` when given.
std::string RedactSecrets(const std::string& text, const std::string& secret = {});

}  // namespace dbaudit::db
