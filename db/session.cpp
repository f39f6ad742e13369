#include "db/session.hpp"

#include <cctype>
#include <exception>

#include "db/conninfo.hpp"

namespace dbaudit::db::internal {

namespace {

// libpq's messages span lines ("...failed: ...\n\tIs the server running..."): one line reads
// better in a diagnostic.
std::string OneLine(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Clean(const std::string& message, const std::string& password) {
  return RedactSecrets(OneLine(message), password);
}

// The user's own connect_timeout, if any, comes later and wins (libpq keeps the last value).
std::string WithConnectTimeout(const std::string& conninfo, int seconds) {
  if (seconds <= 0 || conninfo.find("://") != std::string::npos) return conninfo;
  return "connect_timeout=" + std::to_string(seconds) + " application_name=dbaudit " + conninfo;
}

}  // namespace

std::string ObjectUriPrefix(const std::string& display) {
  std::string prefix = display;
  if (const size_t question = prefix.find('?'); question != std::string::npos) prefix.resize(question);
  if (const size_t scheme = prefix.find("://"); scheme != std::string::npos) {
    const size_t authority = scheme + 3;
    const size_t slash = prefix.find('/', authority);
    const size_t at = prefix.rfind('@', slash);
    if (at != std::string::npos && at >= authority) prefix.erase(authority, at + 1 - authority);
  }
  return prefix;
}

std::optional<ir::Error> WithReadOnlyTransaction(const ConnectionSettings& settings, const IntrospectOptions& options,
                                                 const std::function<void(ReadOnlyTransaction&)>& body) {
  if (!settings.problem.empty()) return ir::Error{RedactSecrets(settings.problem), {}};
  const std::string password = ConnInfoValue(settings.conninfo, "password");
  std::unique_ptr<pqxx::connection> connection;
  try {
    connection = std::make_unique<pqxx::connection>(WithConnectTimeout(settings.conninfo, options.connect_timeout_s));
  } catch (const std::exception& error) {
    return ir::Error{"could not connect to " + settings.display + ": " + Clean(error.what(), password), {}};
  }
  try {
    ReadOnlyTransaction transaction(*connection, "dbaudit");
    transaction.exec("SET LOCAL statement_timeout = " + std::to_string(std::max(0, options.statement_timeout_ms)));
    transaction.exec("SET LOCAL lock_timeout = " + std::to_string(std::max(0, options.lock_timeout_ms)));
    transaction.exec("SET LOCAL search_path TO ''");
    const pqxx::result read_only = transaction.exec("SHOW transaction_read_only");
    if (read_only.empty() || std::string(read_only[0][0].c_str()) != "on") {
      return ir::Error{
          "refusing to introspect " + settings.display + ": the server did not start a read-only transaction", {}};
    }
    body(transaction);
    // Nothing to keep: a read-only transaction is simply ended.
    transaction.abort();
  } catch (const pqxx::broken_connection& error) {
    return ir::Error{"lost the connection to " + settings.display + ": " + Clean(error.what(), password), {}};
  } catch (const pqxx::sql_error& error) {
    return ir::Error{"catalog query failed on " + settings.display + ": " + Clean(error.what(), password), {}};
  } catch (const std::exception& error) {
    return ir::Error{"could not read the schema of " + settings.display + ": " + Clean(error.what(), password), {}};
  }
  return std::nullopt;
}

}  // namespace dbaudit::db::internal
