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
  // Non-empty when the target given cannot be used (not a PostgreSQL URL, malformed, a NUL
  // byte): why, in words that never quote it. Nothing connects with such settings; conninfo is
  // empty and display names only the origin.
  std::string problem;
};

// The first of: `explicit_url`, DATABASE_URL in `environment`, DATABASE_URL in
// `project_root`/.env, PG* variables in `environment`. nullopt when none is given.
// sqlalchemy-style URLs ("postgresql+psycopg2://") are accepted; sslmode is kept. A target
// that is given but cannot be used (no scheme, another database's scheme, a malformed URL,
// a NUL byte, key/value settings that do not parse) comes back with `problem` set, before
// anything connects.
std::optional<ConnectionSettings> ResolveConnection(const std::optional<std::string>& explicit_url,
                                                    const std::map<std::string, std::string>& environment,
                                                    const std::filesystem::path& project_root);

// The one redaction every message, error and report that may hold a connection target goes
// through. Removes passwords from any text: URLs' user:password@ (with or without a scheme),
// password=... in conninfo strings and query strings, the literal `secret` when given, and
// every password ResolveConnection has seen (RememberSecret), in their literal and
// percent-encoded spellings.
std::string RedactSecrets(const std::string& text, const std::string& secret = {});

// Remembers a password (from a URL, key/value settings, PGPASSWORD or .env) so that
// RedactSecrets removes it from every later message. Empty strings are ignored.
void RememberSecret(const std::string& secret);

}  // namespace dbaudit::db
