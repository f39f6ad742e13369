#include "db/connection.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "db/conninfo.hpp"

namespace dbaudit::db {

namespace {

std::string Trim(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// True when every '%' in `text` starts a two-digit hex escape, as a URL requires (libpq
// refuses the others too).
bool PercentEncodingIsValid(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') continue;
    if (i + 2 >= text.size() || HexValue(text[i + 1]) < 0 || HexValue(text[i + 2]) < 0) return false;
    i += 2;
  }
  return true;
}

// Encodes what would break a URL's user, host or path part when displayed.
std::string PercentEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// libpq's connection keywords that may ride in a URL's query string. Anything else there is
// a driver option (SQLAlchemy's, psycopg's, asyncpg's) that libpq would reject.
const std::set<std::string>& LibpqKeywords() {
  static const std::set<std::string> keywords = {"application_name",
                                                 "channel_binding",
                                                 "client_encoding",
                                                 "connect_timeout",
                                                 "dbname",
                                                 "gssencmode",
                                                 "hostaddr",
                                                 "host",
                                                 "keepalives",
                                                 "keepalives_count",
                                                 "keepalives_idle",
                                                 "keepalives_interval",
                                                 "krbsrvname",
                                                 "load_balance_hosts",
                                                 "options",
                                                 "passfile",
                                                 "password",
                                                 "port",
                                                 "requirepeer",
                                                 "requiressl",
                                                 "service",
                                                 "ssl_max_protocol_version",
                                                 "ssl_min_protocol_version",
                                                 "sslcert",
                                                 "sslcompression",
                                                 "sslcrl",
                                                 "sslcrldir",
                                                 "sslkey",
                                                 "sslmode",
                                                 "sslpassword",
                                                 "sslrootcert",
                                                 "sslsni",
                                                 "target_session_attrs",
                                                 "tcp_user_timeout",
                                                 "user"};
  return keywords;
}

// A connection target split into libpq's keywords, in a stable order.
struct Target {
  std::vector<std::pair<std::string, std::string>> params;

  void Set(const std::string& key, const std::string& value) {
    for (auto& [existing_key, existing_value] : params) {
      if (existing_key == key) {
        existing_value = value;
        return;
      }
    }
    params.emplace_back(key, value);
  }
  std::string Get(const std::string& key) const {
    for (const auto& [existing_key, value] : params) {
      if (existing_key == key) return value;
    }
    return {};
  }
};

bool IsPostgresScheme(const std::string& scheme) {
  return scheme == "postgresql" || scheme == "postgres" || StartsWith(scheme, "postgresql+") ||
         StartsWith(scheme, "postgres+");
}

// What is wrong with a connection target, in words that never quote it: the text may hold a
// password anywhere (an unencoded '/' or '#' moves it into the host or the path).
using Problem = std::optional<std::string>;

bool HasControlCharacter(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool IsPort(const std::string& port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const int number = std::stoi(port);
  return number >= 1 && number <= 65535;
}

constexpr const char* kEncodeHint =
    " (a '/', '?', '#' or '%' in the password must be percent-encoded: %2F, %3F, %23, %25)";

// Splits "host1:5432,[::1]:5433" into comma-separated host and port lists.
Problem ParseHosts(const std::string& hostspec, Target& target) {
  std::string hosts;
  std::string ports;
  bool any_port = false;
  std::stringstream stream(hostspec);
  std::string entry;
  bool first = true;
  while (std::getline(stream, entry, ',')) {
    std::string host = entry;
    std::string port;
    bool has_port = false;
    if (StartsWith(entry, "[")) {
      const size_t close = entry.find(']');
      if (close == std::string::npos) return "an IPv6 host's '[' is not closed by ']'";
      host = entry.substr(1, close - 1);
      if (close + 1 < entry.size()) {
        if (entry[close + 1] != ':') return "something other than ':port' follows an IPv6 host's ']'";
        port = entry.substr(close + 2);
        has_port = true;
      }
    } else if (const size_t colon = entry.rfind(':'); colon != std::string::npos) {
      host = entry.substr(0, colon);
      port = entry.substr(colon + 1);
      has_port = true;
    }
    if (has_port && !port.empty() && !IsPort(port))
      return std::string("a port is not a number from 1 to 65535") + kEncodeHint;
    hosts += (first ? "" : ",") + PercentDecode(host);
    ports += (first ? "" : ",") + port;
    any_port = any_port || !port.empty();
    first = false;
  }
  if (!hosts.empty() && hosts.find_first_not_of(',') != std::string::npos) target.Set("host", hosts);
  if (any_port) target.Set("port", ports);
  return std::nullopt;
}

// "scheme://" at the very start of `text`; empty when it does not start with one.
std::string SchemeOf(const std::string& text) {
  static const std::regex kScheme(R"(^([A-Za-z][A-Za-z0-9+.\-]*)://)");
  std::smatch match;
  if (!std::regex_search(text, match, kScheme)) return {};
  return match[1].str();
}

ir::Result<Target> ParseUrl(const std::string& url) {
  const std::string scheme = SchemeOf(url);
  if (!IsPostgresScheme(Lower(scheme))) {
    return ir::Error{"its scheme '" + scheme +
                         "' is not PostgreSQL's (postgresql://, postgres://, or SQLAlchemy's postgresql+driver://)",
                     {}};
  }
  if (HasControlCharacter(url)) return ir::Error{"it holds a control character", {}};
  if (!PercentEncodingIsValid(url)) {
    return ir::Error{"it holds a '%' that is not followed by two hex digits (a literal '%' is written %25)", {}};
  }
  std::string rest = url.substr(scheme.size() + 3);
  if (const size_t hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
  std::string query;
  if (const size_t question = rest.find('?'); question != std::string::npos) {
    query = rest.substr(question + 1);
    rest.resize(question);
  }
  std::string path;
  if (const size_t slash = rest.find('/'); slash != std::string::npos) {
    path = rest.substr(slash + 1);
    rest.resize(slash);
  }
  Target target;
  // The last '@' ends the user info: an unencoded '@' in a password is common enough.
  if (const size_t at = rest.rfind('@'); at != std::string::npos) {
    const std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const size_t colon = userinfo.find(':');
    const std::string user = PercentDecode(userinfo.substr(0, colon));
    if (!user.empty()) target.Set("user", user);
    if (colon != std::string::npos) target.Set("password", PercentDecode(userinfo.substr(colon + 1)));
  }
  if (auto problem = ParseHosts(rest, target)) return ir::Error{*problem, {}};
  if (!path.empty()) target.Set("dbname", PercentDecode(path));
  std::stringstream stream(query);
  std::string pair;
  while (std::getline(stream, pair, '&')) {
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    if (equals == std::string::npos) {
      return ir::Error{std::string("a query parameter has no '=' (param=value)") + kEncodeHint, {}};
    }
    std::string key = PercentDecode(pair.substr(0, equals));
    const std::string value = PercentDecode(pair.substr(equals + 1));
    // asyncpg spells it ssl=require; psycopg and libpq spell it sslmode.
    if (key == "ssl" && !value.empty() && value != "true" && value != "false") key = "sslmode";
    if (key == "ssl" && value == "true") {
      target.Set("sslmode", "require");
      continue;
    }
    if (LibpqKeywords().count(key)) target.Set(key, value);
  }
  return target;
}

// "host=... dbname=..." strings (libpq's key/value form) given where a URL was expected.
ir::Result<Target> ParseKeyValueConnInfo(const std::string& text) {
  const auto pairs = ParseConnInfo(text);
  if (!pairs || pairs->empty()) {
    return ir::Error{
        "it is key/value settings that do not parse (each is key=value; a quoted value needs its "
        "closing quote)",
        {}};
  }
  Target target;
  for (const auto& [key, value] : *pairs) {
    if (!LibpqKeywords().count(key)) {
      static const std::regex kPlainKey("[A-Za-z_]{1,40}");
      return ir::Error{std::regex_match(key, kPlainKey) ? "'" + key + "' is no libpq connection keyword"
                                                        : std::string("it names something that is no libpq connection "
                                                                      "keyword"),
                       {}};
    }
    target.Set(key, value);
  }
  return target;
}

std::string BuildConnInfo(const Target& target) {
  std::string conninfo;
  for (const auto& [key, value] : target.params) {
    if (!conninfo.empty()) conninfo += ' ';
    conninfo += key + "=" + QuoteConnInfoValue(value);
  }
  return conninfo;
}

// postgresql://user@host:port/db?sslmode=... without the password. Socket directories and
// several hosts go in the query string, as libpq's own URIs write them.
std::string BuildDisplay(const Target& target) {
  std::string display = "postgresql://";
  const std::string user = target.Get("user");
  if (!user.empty()) display += PercentEncode(user) + "@";
  const std::string host = target.Get("host");
  const std::string port = target.Get("port");
  const bool simple_host = !host.empty() && host.find_first_of("/,") == std::string::npos;
  const bool simple_port = port.find(',') == std::string::npos;
  std::vector<std::pair<std::string, std::string>> query;
  if (simple_host) {
    display += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  } else if (!host.empty()) {
    query.emplace_back("host", host);
  }
  if (!port.empty() && simple_host && simple_port) {
    display += ":" + port;
  } else if (!port.empty()) {
    query.emplace_back("port", port);
  }
  display += "/" + PercentEncode(target.Get("dbname"));
  for (const auto& [key, value] : target.params) {
    if (key == "user" || key == "host" || key == "port" || key == "dbname" || key == "password" ||
        key == "sslpassword") {
      continue;
    }
    query.emplace_back(key, value);
  }
  for (size_t i = 0; i < query.size(); ++i) display += (i == 0 ? "?" : "&") + query[i].first + "=" + query[i].second;
  return display;
}

// The password a malformed target most likely holds ("user:password@host" with or without a
// scheme), so that it is redacted wherever it might still show.
void RememberProbablePassword(const std::string& text) {
  const size_t at = text.rfind('@');
  if (at == std::string::npos) return;
  size_t begin = text.find("://");
  begin = begin == std::string::npos || begin > at ? 0 : begin + 3;
  const size_t colon = text.find(':', begin);
  if (colon == std::string::npos || colon > at) return;
  RememberSecret(text.substr(colon + 1, at - colon - 1));
  RememberSecret(PercentDecode(text.substr(colon + 1, at - colon - 1)));
}

std::string DescribeOrigin(const std::string& origin) {
  if (origin == "DATABASE_URL") return "DATABASE_URL (from the environment)";
  if (origin == ".env") return "DATABASE_URL in .env";
  return origin;
}

// Settings that must not be used: nothing connects with them, and `problem` says why.
ConnectionSettings Unusable(const std::string& text, const std::string& origin, const std::string& reason) {
  RememberProbablePassword(text);
  ConnectionSettings settings;
  settings.display = "the connection string of " + DescribeOrigin(origin);
  settings.origin = origin;
  settings.problem = DescribeOrigin(origin) + " is not a usable PostgreSQL connection string: " + reason +
                     "; it was not used (and is not shown: it may hold a password)";
  return settings;
}

bool HoldsNul(const Target& target) {
  return std::any_of(target.params.begin(), target.params.end(), [](const auto& param) {
    return param.first.find('\0') != std::string::npos || param.second.find('\0') != std::string::npos;
  });
}

ConnectionSettings FromUrlOrConnInfo(const std::string& text, const std::string& origin) {
  ir::Result<Target> target = ir::Error{};
  if (text.find('\0') != std::string::npos) {
    target = ir::Error{"it holds a NUL byte", {}};
  } else if (!SchemeOf(text).empty()) {
    target = ParseUrl(text);
  } else if (const size_t at = text.find('@'); at != std::string::npos && at < text.find_first_of("= \t")) {
    // "user:password@host/db": a URL without its scheme, not key/value settings.
    target = ir::Error{"it has no scheme (put postgresql:// in front of it)", {}};
  } else if (text.find('=') != std::string::npos) {
    target = ParseKeyValueConnInfo(text);
  } else {
    target = ir::Error{
        "it is neither a URL (postgresql://user@host/dbname) nor key/value settings "
        "(host=... dbname=...)",
        {}};
  }
  if (target.ok() && HoldsNul(target.value())) {
    // libpq takes C strings: everything after the NUL would be dropped, and with it the host.
    target = ir::Error{"it holds a NUL byte (%00), which no connection setting may contain", {}};
  }
  if (!target.ok()) return Unusable(text, origin, target.error().message);
  RememberSecret(target.value().Get("password"));
  RememberSecret(target.value().Get("sslpassword"));
  return ConnectionSettings{BuildConnInfo(target.value()), BuildDisplay(target.value()), origin, {}};
}

std::optional<ConnectionSettings> FromVariables(const std::map<std::string, std::string>& variables,
                                                const std::string& origin) {
  // libpq's own variables first, then the docker-compose spellings.
  static const std::array<std::pair<const char*, const char*>, 14> kNames = {{
      {"PGHOST", "host"},
      {"PGHOSTADDR", "hostaddr"},
      {"PGPORT", "port"},
      {"PGDATABASE", "dbname"},
      {"PGUSER", "user"},
      {"PGPASSWORD", "password"},
      {"PGSSLMODE", "sslmode"},
      {"PGSERVICE", "service"},
      {"PGAPPNAME", "application_name"},
      {"POSTGRES_HOST", "host"},
      {"POSTGRES_PORT", "port"},
      {"POSTGRES_DB", "dbname"},
      {"POSTGRES_USER", "user"},
      {"POSTGRES_PASSWORD", "password"},
  }};
  Target target;
  bool any = false;
  for (const auto& [variable, keyword] : kNames) {
    const auto found = variables.find(variable);
    if (found == variables.end() || found->second.empty()) continue;
    if (!target.Get(keyword).empty()) continue;  // PG* wins over POSTGRES_*
    target.Set(keyword, found->second);
    // A password alone does not say where to connect.
    any = any || std::string(keyword) != "password";
  }
  if (!any) return std::nullopt;
  RememberSecret(target.Get("password"));
  return ConnectionSettings{BuildConnInfo(target), BuildDisplay(target), origin, {}};
}

std::string Lookup(const std::map<std::string, std::string>& variables, const std::string& name) {
  const auto found = variables.find(name);
  return found == variables.end() ? std::string() : found->second;
}

// ${NAME} and $NAME expansion, as python-dotenv does for unquoted and double-quoted values.
std::string Expand(const std::string& value, const std::map<std::string, std::string>& dotenv,
                   const std::map<std::string, std::string>& environment) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '$' && i + 1 < value.size() && value[i + 1] == '{') {
      const size_t close = value.find('}', i + 2);
      if (close != std::string::npos) {
        std::string name = value.substr(i + 2, close - i - 2);
        std::string fallback;
        if (const size_t dash = name.find(":-"); dash != std::string::npos) {
          fallback = name.substr(dash + 2);
          name.resize(dash);
        }
        std::string found = Lookup(environment, name);
        if (found.empty()) found = Lookup(dotenv, name);
        out += found.empty() ? fallback : found;
        i = close;
        continue;
      }
    }
    out += value[i];
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> ParseDotEnv(const std::string& text,
                                               const std::map<std::string, std::string>& environment) {
  std::map<std::string, std::string> values;
  std::stringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (StartsWith(line, "export ") || StartsWith(line, "export\t")) line = Trim(line.substr(7));
    const size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    const std::string key = Trim(line.substr(0, equals));
    std::string raw = Trim(line.substr(equals + 1));
    std::string value;
    if (!raw.empty() && (raw[0] == '\'' || raw[0] == '"')) {
      const char quote = raw[0];
      // A quoted value may span lines; read on until its closing quote.
      std::string body = raw.substr(1);
      size_t close = std::string::npos;
      for (;;) {
        for (size_t i = 0; i < body.size(); ++i) {
          if (quote == '"' && body[i] == '\\' && i + 1 < body.size()) {
            ++i;
            continue;
          }
          if (body[i] == quote) {
            close = i;
            break;
          }
        }
        if (close != std::string::npos) break;
        std::string next;
        if (!std::getline(stream, next)) break;
        body += "\n" + next;
      }
      body = body.substr(0, close);
      if (quote == '\'') {
        value = body;
      } else {
        for (size_t i = 0; i < body.size(); ++i) {
          if (body[i] == '\\' && i + 1 < body.size()) {
            const char next = body[++i];
            value += next == 'n' ? '\n' : next == 't' ? '\t' : next;
          } else {
            value += body[i];
          }
        }
        value = Expand(value, values, environment);
      }
    } else {
      // An unquoted value ends at " #" (an inline comment).
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '#' && i > 0 && std::isspace(static_cast<unsigned char>(raw[i - 1]))) {
          raw.resize(i);
          break;
        }
      }
      value = Expand(Trim(raw), values, environment);
    }
    if (!key.empty()) values[key] = value;
  }
  return values;
}

std::optional<ConnectionSettings> ResolveConnection(const std::optional<std::string>& explicit_url,
                                                    const std::map<std::string, std::string>& environment,
                                                    const std::filesystem::path& project_root) {
  if (explicit_url && !Trim(*explicit_url).empty()) return FromUrlOrConnInfo(Trim(*explicit_url), "--database-url");
  if (const std::string url = Trim(Lookup(environment, "DATABASE_URL")); !url.empty()) {
    return FromUrlOrConnInfo(url, "DATABASE_URL");
  }
  std::map<std::string, std::string> dotenv;
  std::error_code error;
  const std::filesystem::path dotenv_path = project_root / ".env";
  if (!project_root.empty() && std::filesystem::is_regular_file(dotenv_path, error)) {
    std::ifstream file(dotenv_path, std::ios::binary);
    std::stringstream contents;
    contents << file.rdbuf();
    dotenv = ParseDotEnv(contents.str(), environment);
  }
  if (const std::string url = Trim(Lookup(dotenv, "DATABASE_URL")); !url.empty()) {
    return FromUrlOrConnInfo(url, ".env");
  }
  if (auto settings = FromVariables(environment, "PG* variables")) return settings;
  return FromVariables(dotenv, ".env");
}

namespace {

std::mutex& SecretsMutex() {
  static std::mutex mutex;
  return mutex;
}

std::set<std::string>& RememberedSecrets() {
  static std::set<std::string> secrets;
  return secrets;
}

bool IsWordCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Replaces `secret` where it stands alone: a password "postgres" is removed from
// 'role "postgres"' but leaves "postgresql://" readable.
void ReplaceSecret(std::string& text, const std::string& secret) {
  for (size_t at = text.find(secret); at != std::string::npos;) {
    const size_t end = at + secret.size();
    const bool alone = (at == 0 || !IsWordCharacter(text[at - 1]) || !IsWordCharacter(secret.front())) &&
                       (end == text.size() || !IsWordCharacter(text[end]) || !IsWordCharacter(secret.back()));
    if (!alone) {
      at = text.find(secret, at + 1);
      continue;
    }
    text.replace(at, secret.size(), "***");
    at = text.find(secret, at + 3);
  }
}

}  // namespace

void RememberSecret(const std::string& secret) {
  if (secret.empty()) return;
  const std::lock_guard<std::mutex> lock(SecretsMutex());
  RememberedSecrets().insert(secret);
}

std::string RedactSecrets(const std::string& text, const std::string& secret) {
  std::vector<std::string> secrets;
  {
    const std::lock_guard<std::mutex> lock(SecretsMutex());
    secrets.assign(RememberedSecrets().begin(), RememberedSecrets().end());
  }
  if (!secret.empty()) secrets.push_back(secret);
  // The literal, and its percent-encoded spelling as it sat in a URL; longest first, so that a
  // secret holding another is removed whole.
  std::vector<std::string> spellings;
  for (const std::string& one : secrets) {
    spellings.push_back(one);
    spellings.push_back(PercentEncode(one));
  }
  std::sort(spellings.begin(), spellings.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string out = text;
  for (const std::string& spelling : spellings) ReplaceSecret(out, spelling);
  // scheme://user:password@host: the last '@' before the path ends the password.
  static const std::regex kUrlPassword(R"(([A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]*):([^\s/?#]*)@)");
  out = std::regex_replace(out, kUrlPassword, "$1:***@");
  // user:password@host without a scheme, as people paste a URL's tail.
  static const std::regex kBarePassword(R"(((?:^|[\s'"(=])[^\s:/?#@'"(=]+):([^\s/?#'"]*)@([^\s@'"]))");
  out = std::regex_replace(out, kBarePassword, "$1:***@$3");
  // password=... in conninfo strings and URL query strings, quoted or not (an unclosed quote
  // runs to the end).
  static const std::regex kKeyValuePassword(R"(((?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&'"]+))",
                                            std::regex::icase);
  out = std::regex_replace(out, kKeyValuePassword, "$1***");
  return out;
}

}  // namespace dbaudit::db
