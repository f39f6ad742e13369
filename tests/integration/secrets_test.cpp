// Issue #11: a password never shows in any output, whichever way it arrives. Every way is run
// through the built binary (audit, check, schema export, docs diff, docs sync, inventory) and
// stdout, stderr and every file the run wrote are searched for the password, literal and
// percent-encoded. Targets dbaudit cannot use (no scheme, a NUL byte, a malformed URL) are
// refused before anything connects; refused connections use a port nobody listens on; the
// rest reach the throwaway server (trust authentication: any password is accepted).
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/pg_cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_project.hpp"

namespace dbaudit {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::RunDbaudit;
using testing::TestCluster;

// Distinctive enough that finding it anywhere is a leak, with characters a URL must encode.
constexpr const char* kPassword = "Pw7/Gq2@Leak%x";
constexpr const char* kEncoded = "Pw7%2FGq2%40Leak%25x";
constexpr const char* kCore = "Gq2";  // the part every spelling shares
// A port with no server behind it: connecting fails at once.
constexpr const char* kRefused = "127.0.0.1:1";

const std::map<std::string, std::string> kCleanEnvironment = {
    {"DATABASE_URL", ""}, {"PGHOST", ""},        {"PGPORT", ""},        {"PGDATABASE", ""},
    {"PGUSER", ""},       {"PGPASSWORD", ""},    {"PGSERVICE", ""},     {"PGSERVICEFILE", ""},
    {"PGPASSFILE", ""},   {"POSTGRES_HOST", ""}, {"POSTGRES_PORT", ""}, {"POSTGRES_PASSWORD", ""}};

constexpr const char* kModels =
    "from flask_sqlalchemy import SQLAlchemy\n"
    "db = SQLAlchemy()\n"
    "class Widget(db.Model):\n"
    "    __tablename__ = 'widgets'\n"
    "    id = db.Column(db.Integer, primary_key=True)\n";

constexpr const char* kDocument = "# Schema\n\n## widgets\n\n| Column | Type |\n|---|---|\n| id | integer |\n";

// One way a password can arrive: the command line's --database-url (when `url` is set), the
// environment, files in the project (.env) and beside it (pgpass, service file).
struct Way {
  std::string name;
  std::string url;  // --database-url, when not empty
  std::map<std::string, std::string> environment;
  std::string dotenv;
  std::string pgpass;        // written to secrets/pgpass (0600), PGPASSFILE points to it
  std::string service_file;  // written to secrets/pg_service.conf, PGSERVICEFILE points to it
  int exit_code = 2;         // every command's, unless the run reaches the server
  std::string message;       // expected on stderr when the exit code is 2
};

class Secrets : public ::testing::Test {
 protected:
  // Runs every command with `way` and fails on any output or written file that holds the
  // password.
  void ExpectNoLeak(const Way& way) {
    testing::TempProject project("secrets");
    project.Write("app/models.py", kModels);
    project.Write("docs/schema.md", kDocument);
    if (!way.dotenv.empty()) project.Write(".env", way.dotenv);
    const fs::path secrets = project.path() / ".." / (project.path().filename().string() + "-secrets");
    fs::create_directories(secrets);
    std::map<std::string, std::string> environment = kCleanEnvironment;
    for (const auto& [key, value] : way.environment) environment[key] = value;
    if (!way.pgpass.empty()) {
      std::ofstream(secrets / "pgpass") << way.pgpass;
      ::chmod((secrets / "pgpass").c_str(), 0600);
      environment["PGPASSFILE"] = (secrets / "pgpass").string();
    }
    if (!way.service_file.empty()) {
      std::ofstream(secrets / "pg_service.conf") << way.service_file;
      environment["PGSERVICEFILE"] = (secrets / "pg_service.conf").string();
    }
    const std::string root = project.path().string();
    const std::vector<std::vector<std::string>> commands = {
        {"check", root},
        {"audit", root, "--output-dir", root + "/out", "--docs", root + "/docs/schema.md"},
        {"schema", "export", "--project-root", root, "-o", root + "/out/export.md"},
        {"schema", "export", "--project-root", root, "--format", "json", "-o", root + "/out/snapshot.json"},
        {"docs", "diff", "--project-root", root, "--docs", root + "/docs/schema.md", "--discrepancies",
         root + "/out/discrepancies.json", "--format", "sarif"},
        {"docs", "sync", "--project-root", root, "--docs", root + "/docs/schema.md"},
        {"inventory", root, "-o", root + "/out/inventory.md"},
        {"plan", root, "--all", "--dry-run"},
    };
    for (std::vector<std::string> arguments : commands) {
      if (!way.url.empty()) arguments.insert(arguments.end(), {"--database-url", way.url});
      const ProcessResult run = RunDbaudit(arguments, root, environment);
      std::string command;
      for (const auto& argument : arguments) command += argument + " ";
      SCOPED_TRACE(way.name + ": dbaudit " + command);
      if (way.exit_code == 2) {
        EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
        EXPECT_NE(run.err.find(way.message), std::string::npos) << run.err;
      } else {
        EXPECT_LE(run.exit_code, 1) << run.out << run.err;
      }
      ExpectClean("stdout", run.out);
      ExpectClean("stderr", run.err);
    }
    // Every file the runs wrote (the project's own inputs hold no password; .env does, by design).
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(project.path())) {
      if (!entry.is_regular_file() || entry.path().filename() == ".env") continue;
      ++files;
      ExpectClean(entry.path().string(), testing::ReadFileOrEmpty(entry.path().string()));
    }
    EXPECT_GE(files, 2u);
    fs::remove_all(secrets);
  }

  static void ExpectClean(const std::string& where, const std::string& text) {
    for (const std::string spelling : {std::string(kPassword), std::string(kEncoded), std::string(kCore)}) {
      EXPECT_EQ(text.find(spelling), std::string::npos) << "the password (" << spelling << ") is in " << where << ":\n"
                                                        << text;
    }
  }
};

const std::string kUnusable = "is not a usable PostgreSQL connection string";

TEST_F(Secrets, UrlOnTheCommandLineInTheEnvironmentAndInDotEnv) {
  const std::string url = std::string("postgresql://app:") + kEncoded + "@" + kRefused + "/shop";
  ExpectNoLeak(
      {"URL, --database-url", url, {}, "", "", "", 2, "could not connect to postgresql://app@127.0.0.1:1/shop"});
  ExpectNoLeak({"URL, DATABASE_URL", "", {{"DATABASE_URL", url}}, "", "", "", 2, "could not connect to"});
  ExpectNoLeak({"URL, .env", "", {}, "DATABASE_URL=" + url + "\n", "", "", 2, "could not connect to"});
  ExpectNoLeak({"URL, .env quoted", "", {}, "export DATABASE_URL='" + url + "'\n", "", "", 2, "could not connect to"});
}

// The case issue #11 found: "app:PW@host/db" went to libpq as it was, and libpq quoted it.
TEST_F(Secrets, UrlWithoutAScheme) {
  const std::string url = std::string("app:") + kEncoded + "@" + kRefused + "/shop";
  const std::string plain = std::string("app:") + kPassword + "@db.example.com/shop";
  ExpectNoLeak({"no scheme, --database-url", url, {}, "", "", "", 2, "--database-url " + kUnusable});
  ExpectNoLeak({"no scheme, literal", plain, {}, "", "", "", 2, "it has no scheme"});
  ExpectNoLeak({"no scheme, DATABASE_URL",
                "",
                {{"DATABASE_URL", url}},
                "",
                "",
                "",
                2,
                "DATABASE_URL (from the "
                "environment) " +
                    kUnusable});
  ExpectNoLeak(
      {"no scheme, .env", "", {}, "DATABASE_URL=" + plain + "\n", "", "", 2, "DATABASE_URL in .env " + kUnusable});
}

TEST_F(Secrets, PgPasswordAndComposeVariables) {
  ExpectNoLeak({"PGPASSWORD",
                "",
                {{"PGHOST", "127.0.0.1"}, {"PGPORT", "1"}, {"PGUSER", "app"}, {"PGPASSWORD", kPassword}},
                "",
                "",
                "",
                2,
                "could not connect to postgresql://app@127.0.0.1:1/"});
  ExpectNoLeak({"POSTGRES_* in .env",
                "",
                {},
                std::string("POSTGRES_HOST=127.0.0.1\nPOSTGRES_PORT=1\nPOSTGRES_USER=app\nPOSTGRES_PASSWORD='") +
                    kPassword + "'\n",
                "",
                "",
                2,
                "could not connect to"});
}

TEST_F(Secrets, KeyValueSettings) {
  ExpectNoLeak({"password=",
                std::string("host=127.0.0.1 port=1 user=app password='") + kPassword + "'",
                {},
                "",
                "",
                "",
                2,
                "could not connect to"});
  ExpectNoLeak({"password= unclosed quote",
                std::string("host=127.0.0.1 port=1 password='") + kPassword,
                {},
                "",
                "",
                "",
                2,
                kUnusable});
  ExpectNoLeak({"password= and an unknown keyword",
                std::string("host=127.0.0.1 password=") + kEncoded + " bogus_option=1",
                {},
                "",
                "",
                "",
                2,
                "'bogus_option' is no libpq connection keyword"});
}

TEST_F(Secrets, PercentEncodedNulAndMalformedUrls) {
  // "%00" used to cut the string short: libpq then went to the default server (here: PGHOST,
  // the throwaway server) with the password. Refused before connecting now.
  const TestCluster cluster = TestCluster::Get();
  const std::map<std::string, std::string> default_server = {{"PGHOST", cluster.socket_dir()},
                                                             {"PGPORT", cluster.port()}};
  for (const std::string url : {std::string("postgresql://app:") + kEncoded + "%00@" + kRefused + "/shop",
                                std::string("postgresql://app:") + kEncoded + "@" + kRefused + "/shop%00x"}) {
    Way way{"%00", url, {}, "", "", "", 2, "NUL byte (%00)"};
    ExpectNoLeak(way);
    way.name = "%00 with a default server";
    way.environment = default_server;
    ExpectNoLeak(way);
  }
  const std::vector<std::pair<std::string, std::string>> malformed = {
      {std::string("postgresql://app:") + kEncoded + "%zz@" + kRefused + "/shop", "two hex digits"},
      // An unencoded '/' ends the host part early: the password's head becomes the port.
      {std::string("postgresql://app:Pw7/") + kCore + "@" + kRefused + "/shop", "a port is not a number"},
      {std::string("postgresql://app:") + kEncoded + "@db:70000/shop", "a port is not a number"},
      {std::string("postgresql://app:") + kEncoded + "@[::1/shop", "is not closed"},
      {std::string("mysql://app:") + kEncoded + "@" + kRefused + "/shop", "its scheme 'mysql'"},
  };
  for (const auto& [url, message] : malformed) ExpectNoLeak({"malformed", url, default_server, "", "", "", 2, message});
}

TEST_F(Secrets, SqlAlchemyUrls) {
  for (const std::string scheme : {"postgresql+psycopg2", "postgresql+asyncpg", "postgres+pg8000"}) {
    ExpectNoLeak({scheme,
                  scheme + "://app:" + kEncoded + "@" + kRefused + "/shop?sslmode=disable",
                  {},
                  "",
                  "",
                  "",
                  2,
                  "could not connect to postgresql://app@127.0.0.1:1/shop"});
  }
}

TEST_F(Secrets, PgpassAndServiceFiles) {
  ExpectNoLeak({".pgpass",
                std::string("postgresql://app@") + kRefused + "/shop",
                {},
                "",
                std::string("127.0.0.1:1:shop:app:") + kPassword + "\n",
                "",
                2,
                "could not connect to"});
  const std::string service = std::string("[shop]\nhost=127.0.0.1\nport=1\nuser=app\npassword=") + kPassword + "\n";
  ExpectNoLeak({"service file, PGSERVICE", "", {{"PGSERVICE", "shop"}}, "", "", service, 2, "could not connect to"});
  ExpectNoLeak({"service file, service=", "service=shop", {}, "", "", service, 2, "could not connect to"});
  ExpectNoLeak({"service file, unknown service", "service=nowhere", {}, "", "", service, 2, "could not connect to"});
}

// A libpq error that quotes what it was given: an invalid option value, a bad port in the
// environment. The password is next to it and never shows.
TEST_F(Secrets, LibpqErrorsThatQuoteTheTarget) {
  ExpectNoLeak({"invalid sslmode",
                std::string("postgresql://app:") + kEncoded + "@" + kRefused + "/shop?sslmode=bogus",
                {},
                "",
                "",
                "",
                2,
                "invalid sslmode value"});
  ExpectNoLeak({"invalid port from PGPORT",
                "",
                {{"PGHOST", "127.0.0.1"}, {"PGPORT", "nope"}, {"PGPASSWORD", kPassword}},
                "",
                "",
                "",
                2,
                "nope"});
}

// The same ways against a server that answers: the artifacts name the database (without the
// password) and hold the schema.
TEST_F(Secrets, LiveRunsWriteNoPasswordIntoTheArtifacts) {
  const TestCluster cluster = TestCluster::Get();
  const std::string database = cluster.CreateDatabase("secrets_live");
  cluster.RunSql(database, "CREATE TABLE widgets (id integer PRIMARY KEY);");
  const std::string where = "/" + database + "?host=" + cluster.socket_dir() + "&port=" + cluster.port();
  ExpectNoLeak({"live URL", std::string("postgresql://postgres:") + kEncoded + "@" + where, {}, "", "", "", 1, ""});
  ExpectNoLeak({"live SQLAlchemy URL in .env",
                "",
                {},
                std::string("DATABASE_URL=postgresql+psycopg2://postgres:") + kEncoded + "@" + where + "\n",
                "",
                "",
                1,
                ""});
  ExpectNoLeak({"live PGPASSWORD",
                "",
                {{"PGHOST", cluster.socket_dir()},
                 {"PGPORT", cluster.port()},
                 {"PGDATABASE", database},
                 {"PGUSER", "postgres"},
                 {"PGPASSWORD", kPassword}},
                "",
                "",
                "",
                1,
                ""});
  ExpectNoLeak({"live .pgpass",
                "postgresql://postgres@" + where,
                {},
                "",
                "*:*:*:postgres:" + std::string(kPassword) + "\n",
                "",
                1,
                ""});
  ExpectNoLeak({"live service file",
                "service=live",
                {},
                "",
                "",
                "[live]\nhost=" + cluster.socket_dir() + "\nport=" + cluster.port() + "\ndbname=" + database +
                    "\nuser=postgres\npassword=" + kPassword + "\n",
                1,
                ""});
  cluster.DropDatabase(database);
}

}  // namespace
}  // namespace dbaudit
