#include "db/connection.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "db/conninfo.hpp"

namespace dbaudit::db {
namespace {

using Environment = std::map<std::string, std::string>;

// A project folder with an optional .env, removed at the end of the test.
class ProjectDir {
 public:
  explicit ProjectDir(const std::string& dotenv = {}) {
    path_ = std::filesystem::temp_directory_path() /
            ("dbaudit-db-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
    if (!dotenv.empty()) std::ofstream(path_ / ".env") << dotenv;
  }
  ~ProjectDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

std::string Value(const ConnectionSettings& settings, const std::string& key) {
  return ConnInfoValue(settings.conninfo, key);
}

TEST(ResolveConnection, NothingGivenIsNullopt) {
  ProjectDir project;
  EXPECT_FALSE(ResolveConnection(std::nullopt, {}, project.path()).has_value());
  EXPECT_FALSE(ResolveConnection(std::string("  "), {{"HOME", "/root"}}, project.path()).has_value());
}

TEST(ResolveConnection, PrecedenceExplicitThenEnvironmentThenDotEnvThenPgVariables) {
  ProjectDir project("DATABASE_URL=postgresql://dotenv@h3/db3\n");
  const Environment environment = {{"DATABASE_URL", "postgresql://env@h2/db2"}, {"PGHOST", "h4"}};

  auto settings = ResolveConnection(std::string("postgresql://cli@h1/db1"), environment, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->origin, "--database-url");
  EXPECT_EQ(Value(*settings, "host"), "h1");

  settings = ResolveConnection(std::nullopt, environment, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->origin, "DATABASE_URL");
  EXPECT_EQ(Value(*settings, "host"), "h2");

  settings = ResolveConnection(std::nullopt, {{"PGHOST", "h4"}}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->origin, ".env");
  EXPECT_EQ(Value(*settings, "host"), "h3");
  EXPECT_EQ(Value(*settings, "user"), "dotenv");

  ProjectDir empty;
  settings = ResolveConnection(std::nullopt, {{"PGHOST", "h4"}, {"PGDATABASE", "db4"}}, empty.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->origin, "PG* variables");
  EXPECT_EQ(Value(*settings, "host"), "h4");
  EXPECT_EQ(Value(*settings, "dbname"), "db4");
}

TEST(ResolveConnection, PgVariablesPassThrough) {
  ProjectDir project;
  const Environment environment = {
      {"PGHOST", "/var/run/postgresql"}, {"PGPORT", "5433"},          {"PGDATABASE", "app"}, {"PGUSER", "auditor"},
      {"PGPASSWORD", "pg s3cret"},       {"PGSSLMODE", "verify-full"}};
  const auto settings = ResolveConnection(std::nullopt, environment, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "host"), "/var/run/postgresql");
  EXPECT_EQ(Value(*settings, "port"), "5433");
  EXPECT_EQ(Value(*settings, "dbname"), "app");
  EXPECT_EQ(Value(*settings, "user"), "auditor");
  EXPECT_EQ(Value(*settings, "password"), "pg s3cret");
  EXPECT_EQ(Value(*settings, "sslmode"), "verify-full");
  EXPECT_EQ(settings->display.find("s3cret"), std::string::npos) << settings->display;
  EXPECT_NE(settings->display.find("sslmode=verify-full"), std::string::npos) << settings->display;
}

TEST(ResolveConnection, PasswordAloneSaysNothingAboutWhere) {
  ProjectDir project;
  EXPECT_FALSE(ResolveConnection(std::nullopt, {{"PGPASSWORD", "x"}}, project.path()).has_value());
}

TEST(ResolveConnection, DotEnvWithOnlyComposeVariables) {
  ProjectDir project("POSTGRES_USER=app\nPOSTGRES_PASSWORD=composepw\nPOSTGRES_DB=appdb\nPOSTGRES_HOST=db\n");
  const auto settings = ResolveConnection(std::nullopt, {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->origin, ".env");
  EXPECT_EQ(Value(*settings, "dbname"), "appdb");
  EXPECT_EQ(Value(*settings, "password"), "composepw");
  EXPECT_EQ(settings->display, "postgresql://app@db/appdb");
}

TEST(ResolveConnection, SqlAlchemyUrlsLoseTheirDriver) {
  ProjectDir project;
  for (const std::string scheme : {"postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg",
                                   "postgresql+asyncpg", "postgresql+pg8000"}) {
    const auto settings = ResolveConnection(scheme + "://app:pw@db.example.com:6543/shop", {}, project.path());
    ASSERT_TRUE(settings) << scheme;
    EXPECT_EQ(Value(*settings, "host"), "db.example.com") << scheme;
    EXPECT_EQ(Value(*settings, "port"), "6543") << scheme;
    EXPECT_EQ(Value(*settings, "dbname"), "shop") << scheme;
    EXPECT_EQ(Value(*settings, "user"), "app") << scheme;
    EXPECT_EQ(Value(*settings, "password"), "pw") << scheme;
    EXPECT_EQ(settings->display, "postgresql://app@db.example.com:6543/shop") << scheme;
  }
}

TEST(ResolveConnection, PercentEncodedPasswordIsDecodedForLibpqAndNeverDisplayed) {
  ProjectDir project;
  const auto settings =
      ResolveConnection(std::string("postgresql+psycopg2://app:p%40ss%3Aw%2Fo%20rd@db/shop"), {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "password"), "p@ss:w/o rd");
  EXPECT_EQ(settings->display.find("p%40ss"), std::string::npos);
  EXPECT_EQ(settings->display.find("p@ss"), std::string::npos);
  EXPECT_EQ(settings->display, "postgresql://app@db/shop");
}

TEST(ResolveConnection, QueryParametersKeptDriverOptionsDropped) {
  ProjectDir project;
  const auto settings = ResolveConnection(
      std::string("postgresql://app:pw@db/shop?sslmode=require&connect_timeout=3&charset=utf8&application_name=x"), {},
      project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "sslmode"), "require");
  EXPECT_EQ(Value(*settings, "connect_timeout"), "3");
  EXPECT_EQ(Value(*settings, "application_name"), "x");
  EXPECT_EQ(settings->conninfo.find("charset"), std::string::npos);
  EXPECT_EQ(settings->display, "postgresql://app@db/shop?sslmode=require&connect_timeout=3&application_name=x");
}

TEST(ResolveConnection, AsyncpgSslSpelling) {
  ProjectDir project;
  const auto settings =
      ResolveConnection(std::string("postgresql+asyncpg://app@db/shop?ssl=require"), {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "sslmode"), "require");
}

TEST(ResolveConnection, SocketDirectoryInQueryAndEmptyHost) {
  ProjectDir project;
  const auto settings =
      ResolveConnection(std::string("postgresql://postgres@/appdb?host=/tmp/pg%20sock&port=5999"), {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "host"), "/tmp/pg sock");
  EXPECT_EQ(Value(*settings, "port"), "5999");
  EXPECT_EQ(Value(*settings, "dbname"), "appdb");
  EXPECT_EQ(settings->display, "postgresql://postgres@/appdb?host=/tmp/pg sock&port=5999");
}

TEST(ResolveConnection, SeveralHostsAndIpv6) {
  ProjectDir project;
  auto settings = ResolveConnection(std::string("postgresql://u@h1:5432,h2:5433/db"), {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "host"), "h1,h2");
  EXPECT_EQ(Value(*settings, "port"), "5432,5433");
  settings = ResolveConnection(std::string("postgresql://u@[::1]:5432/db"), {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "host"), "::1");
  EXPECT_EQ(settings->display, "postgresql://u@[::1]:5432/db");
}

TEST(ResolveConnection, KeyValueConnInfoAccepted) {
  ProjectDir project;
  const auto settings =
      ResolveConnection(std::string(R"(host=/tmp port=5432 dbname=app password='it\'s')"), {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "host"), "/tmp");
  EXPECT_EQ(Value(*settings, "password"), "it's");
  EXPECT_EQ(settings->display, "postgresql:///app?host=/tmp&port=5432");
}

TEST(ResolveConnection, UnquotedPasswordWithAtSign) {
  ProjectDir project;
  const auto settings = ResolveConnection(std::string("postgresql://app:p@ss@db/shop"), {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(Value(*settings, "password"), "p@ss");
  EXPECT_EQ(Value(*settings, "host"), "db");
}

TEST(ParseDotEnv, QuotesExportCommentsAndExpansion) {
  const auto values = ParseDotEnv(
      "# a comment\n"
      "\n"
      "export A=plain # trailing comment\n"
      "B='single # not a comment ${A}'\n"
      "C=\"double \\\"quoted\\\" ${A}\"\n"
      "D = spaced \n"
      "E=${MISSING:-fallback}\n"
      "F=${HOME}/x\n"
      "G=\"multi\nline\"\n"
      "NOEQUALS\n"
      "H=a#b\n",
      {{"HOME", "/home/me"}});
  EXPECT_EQ(values.at("A"), "plain");
  EXPECT_EQ(values.at("B"), "single # not a comment ${A}");
  EXPECT_EQ(values.at("C"), "double \"quoted\" plain");
  EXPECT_EQ(values.at("D"), "spaced");
  EXPECT_EQ(values.at("E"), "fallback");
  EXPECT_EQ(values.at("F"), "/home/me/x");
  EXPECT_EQ(values.at("G"), "multi\nline");
  EXPECT_EQ(values.at("H"), "a#b");
  EXPECT_EQ(values.count("NOEQUALS"), 0u);
}

TEST(ResolveConnection, DotEnvExportAndQuotes) {
  ProjectDir project(
      "# settings\nexport DATABASE_URL=\"postgresql+psycopg2://app:dotenvpw@db:5432/app?sslmode=disable\"\n");
  const auto settings = ResolveConnection(std::nullopt, {}, project.path());
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->origin, ".env");
  EXPECT_EQ(Value(*settings, "password"), "dotenvpw");
  EXPECT_EQ(Value(*settings, "sslmode"), "disable");
  EXPECT_EQ(settings->display, "postgresql://app@db:5432/app?sslmode=disable");
}

TEST(ConnInfo, QuoteAndParseRoundTrip) {
  for (const std::string value : {"plain", "with space", "it's", "back\\slash", ""}) {
    const auto pairs = ParseConnInfo("key=" + QuoteConnInfoValue(value) + " other=1");
    ASSERT_TRUE(pairs) << value;
    ASSERT_EQ(pairs->size(), 2u) << value;
    EXPECT_EQ((*pairs)[0].second, value);
  }
  EXPECT_FALSE(ParseConnInfo("key='unterminated").has_value());
  EXPECT_FALSE(ParseConnInfo("novalue").has_value());
}

TEST(RedactSecrets, UrlsConnInfoAndLiterals) {
  const std::string url_text = "could not connect to postgresql://app:hunter2@db:5432/app: refused";
  const std::string redacted_url = RedactSecrets(url_text);
  EXPECT_EQ(redacted_url.find("hunter2"), std::string::npos) << redacted_url;
  EXPECT_NE(redacted_url.find("postgresql://app:***@db:5432/app"), std::string::npos) << redacted_url;

  const std::string sqlalchemy = RedactSecrets("postgresql+asyncpg://app:p@ss:word@db/app");
  EXPECT_EQ(sqlalchemy.find("ss:word"), std::string::npos) << sqlalchemy;
  EXPECT_NE(sqlalchemy.find("@db/app"), std::string::npos) << sqlalchemy;

  const std::string conninfo = RedactSecrets("host=db password=hunter2 user=app");
  EXPECT_EQ(conninfo.find("hunter2"), std::string::npos) << conninfo;
  EXPECT_NE(conninfo.find("user=app"), std::string::npos) << conninfo;

  const std::string quoted = RedactSecrets("host=db password = 'two words' user=app");
  EXPECT_EQ(quoted.find("two"), std::string::npos) << quoted;
  EXPECT_EQ(quoted.find("words"), std::string::npos) << quoted;

  const std::string query = RedactSecrets("postgresql://db/app?password=hunter2&sslmode=require");
  EXPECT_EQ(query.find("hunter2"), std::string::npos) << query;
  EXPECT_NE(query.find("sslmode=require"), std::string::npos) << query;

  const std::string literal = RedactSecrets("FATAL: password authentication failed (tried p@ss and p%40ss)", "p@ss");
  EXPECT_EQ(literal.find("p@ss"), std::string::npos) << literal;
  EXPECT_EQ(literal.find("p%40ss"), std::string::npos) << literal;

  EXPECT_EQ(RedactSecrets("nothing secret here"), "nothing secret here");
}

// Issue #11: targets that are no usable PostgreSQL URL were handed to libpq as they were, and
// libpq quoted them (password and all) in its error; "%00" cut the string short so that libpq
// went to the default local server with the password. Now they are refused before anything
// connects, with a reason that never quotes them.
TEST(ResolveConnection, MalformedTargetsAreRefusedWithoutQuotingThem) {
  ProjectDir project;
  const std::string pw = "Zq9-Unusable-Pw";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"app:" + pw + "@db.example.com/shop", "it has no scheme"},
      {"app:" + pw + "@db.example.com:5432/shop?sslmode=require", "it has no scheme"},
      {"mysql://app:" + pw + "@db/shop", "its scheme 'mysql' is not PostgreSQL's"},
      {"postgresql://app:" + pw + "%00@db/shop", "NUL byte (%00)"},
      {"postgresql://app:" + pw + "@db/shop%00", "NUL byte (%00)"},
      {"postgresql://app@db/shop?application_name=x%00y", "NUL byte (%00)"},
      {"postgresql://app:" + pw + "%zz@db/shop", "not followed by two hex digits"},
      {"postgresql://app:" + pw + "%4@db/shop", "not followed by two hex digits"},
      {"postgresql://app:" + pw + "@db:54x2/shop", "a port is not a number"},
      {"postgresql://app:" + pw + "@db:99999/shop", "a port is not a number"},
      {"postgresql://app:" + pw + "@db:0/shop", "a port is not a number"},
      {"postgresql://app:pa/" + pw + "@db/shop", "a port is not a number"},  // an unencoded '/'
      {"postgresql://app:pa#" + pw + "@db/shop", "a port is not a number"},  // an unencoded '#'
      {"postgresql://app:pa?" + pw + "@db/shop", "a port is not a number"},  // an unencoded '?'
      {"postgresql://app:" + pw + "@[::1/shop", "is not closed"},
      {"postgresql://app:" + pw + "@[::1]x/shop", "follows an IPv6 host"},
      {"postgresql://app:" + pw + "@db/shop?sslmode", "has no '='"},
      {"postgresql://app:" + pw + "\t@db/shop", "control character"},
      {"host=db password='" + pw, "do not parse"},
      {"host=db password=" + pw + " bogus_option=1", "'bogus_option' is no libpq connection keyword"},
      {"just-some-words", "neither a URL"},
      {std::string("postgresql://app:") + pw + std::string(1, '\0') + "@db/shop", "NUL byte"},
  };
  for (const auto& [url, reason] : cases) {
    for (const auto& [environment, origin, label] :
         {std::tuple<Environment, std::optional<std::string>, std::string>{{}, url, "--database-url"},
          {{{"DATABASE_URL", url}}, std::nullopt, "DATABASE_URL (from the environment)"}}) {
      const auto settings = ResolveConnection(origin, environment, project.path());
      ASSERT_TRUE(settings) << url;
      EXPECT_EQ(settings->conninfo, "") << url;
      EXPECT_NE(settings->problem.find(label + " is not a usable PostgreSQL connection string"), std::string::npos)
          << settings->problem;
      EXPECT_NE(settings->problem.find(reason), std::string::npos) << url << "\n" << settings->problem;
      for (const std::string& text : {settings->problem, settings->display}) {
        EXPECT_EQ(text.find(pw), std::string::npos) << text;
        EXPECT_EQ(text.find("Unusable-Pw"), std::string::npos) << text;
      }
    }
  }
  ProjectDir dotenv("DATABASE_URL=app:" + pw + "@db/shop\n");
  const auto settings = ResolveConnection(std::nullopt, {}, dotenv.path());
  ASSERT_TRUE(settings);
  EXPECT_NE(settings->problem.find("DATABASE_URL in .env is not a usable"), std::string::npos) << settings->problem;
  EXPECT_EQ(settings->problem.find(pw), std::string::npos);
}

TEST(ResolveConnection, WellFormedTargetsAreStillAccepted) {
  ProjectDir project;
  for (const std::string url :
       {"postgresql://", "postgresql:///shop", "postgresql://db", "postgresql://db:/shop", "postgres://u@db:6543/shop",
        "postgresql://u:p%40ss%25@db/shop?sslmode=require&&connect_timeout=5", "postgresql://u@[::1]/shop",
        "postgresql://u@h1:5432,h2:5433/shop", "postgresql+asyncpg://app:p@ss:word@db/app", "host=/tmp dbname=app",
        "postgresql://u:pa ss@db/shop"}) {
    const auto settings = ResolveConnection(url, {}, project.path());
    ASSERT_TRUE(settings) << url;
    EXPECT_EQ(settings->problem, "") << url;
  }
}

TEST(RedactSecrets, SchemelessUrlsUnclosedQuotesAndRememberedPasswords) {
  const std::string bare = RedactSecrets("could not connect to app:Hunter2-bare@db.example.com/shop: refused");
  EXPECT_EQ(bare.find("Hunter2-bare"), std::string::npos) << bare;
  EXPECT_NE(bare.find("app:***@db.example.com/shop"), std::string::npos) << bare;
  const std::string unclosed = RedactSecrets("unterminated: host=db password='Hunter2 unclosed");
  EXPECT_EQ(unclosed.find("Hunter2"), std::string::npos) << unclosed;
  EXPECT_EQ(unclosed.find("unclosed"), std::string::npos) << unclosed;
  // Locations and times are no URLs.
  EXPECT_EQ(RedactSecrets("app/models.py:12:5: note: at 10:30 @decorator"),
            "app/models.py:12:5: note: at 10:30 @decorator");

  ProjectDir project;
  // Seen once by ResolveConnection, a password is removed from every later message, in its
  // literal and percent-encoded spellings, where it stands alone.
  ASSERT_TRUE(ResolveConnection(std::string("postgresql://app:Remembered%2FPw@db/shop"), {}, project.path()));
  const std::string later = RedactSecrets("server said: Remembered/Pw and Remembered%2FPw");
  EXPECT_EQ(later, "server said: *** and ***");
  ASSERT_TRUE(ResolveConnection(std::nullopt, {{"PGHOST", "db"}, {"PGPASSWORD", "postgres"}}, project.path()));
  EXPECT_EQ(RedactSecrets("role \"postgres\" at postgresql://db/x"), "role \"***\" at postgresql://db/x");
}

TEST(ResolveConnection, DisplayNeverHoldsThePassword) {
  ProjectDir project;
  const std::string password = "Sup3r-S3cret";
  for (const std::string url :
       {"postgresql://app:" + password + "@db/app", "postgresql://app:" + password + "@db/app?sslmode=require",
        "postgresql://app@db/app?password=" + password, "host=db password=" + password,
        "mysql://app:" + password + "@db/app"}) {
    const auto settings = ResolveConnection(url, {}, project.path());
    ASSERT_TRUE(settings) << url;
    EXPECT_EQ(settings->display.find(password), std::string::npos) << settings->display;
  }
}

}  // namespace
}  // namespace dbaudit::db
