#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"

namespace dbaudit::python {

struct SourceFile {
  std::filesystem::path absolute_path;
  std::string display_path;  // relative to the project root, '/'-separated; goes in Locations
};

struct ModelReaderOptions {
  std::string default_schema = "public";
  unsigned threads = 0;  // 0: std::thread::hardware_concurrency()
  // Alembic / Flask-Migrate revisions declare throwaway classes frozen at their revision, and
  // test suites declare models of their own: neither describes today's schema by default.
  bool read_migration_models = false;
  bool read_test_models = false;
  // Read the project's modules that the given files import but that lie outside the given
  // paths (a base class or a `db` object next to a models folder), to resolve names only.
  bool read_imported_modules = true;
};

// Reads every SQLAlchemy / Flask-SQLAlchemy / SQLModel model and Table() in `files` into a
// Catalog (origin kModels), without importing or running anything. Files are parsed in
// parallel; cross-file facts (mixins, base classes, inheritance, TypeDecorators, constants)
// are resolved after all files are read. Files that cannot be read, syntax errors and
// constructs that cannot be understood become Catalog::diagnostics with their location.
ir::Catalog ReadModels(const std::vector<SourceFile>& files, const ModelReaderOptions& options);

// Flask-SQLAlchemy's automatic table name for a class without __tablename__
// ("UserAccount" -> "user_account", "HTTPRequest" -> "http_request").
std::string FlaskSqlalchemyTableName(const std::string& class_name);

}  // namespace dbaudit::python
