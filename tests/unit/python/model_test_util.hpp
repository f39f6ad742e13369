#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "analyzer/python/model_reader.hpp"

namespace dbaudit::python::testing {

// Writes small Python projects into a fresh temporary directory and reads their models.
class PythonModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            ("dbaudit_py_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + info->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Write(const std::string& relative, const std::string& text) {
    WriteAside(relative, text);
    files_.push_back({root_ / relative, relative});
  }

  // A file on disk that is not among the files given to the reader (outside the paths).
  void WriteAside(const std::string& relative, const std::string& text) {
    auto path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
  }

  ir::Catalog Read(unsigned threads = 2) {
    ModelReaderOptions options;
    options.threads = threads;
    return Read(options);
  }
  ir::Catalog Read(ModelReaderOptions options) { return ReadModels(files_, options); }

  static const ir::Table& TableOf(const ir::Catalog& catalog, const std::string& name,
                                  const std::string& schema = "public") {
    const ir::Table* table = catalog.FindTable(schema, name);
    if (!table) {
      std::string names;
      for (const auto& t : catalog.tables) names += t.QualifiedName() + " ";
      ADD_FAILURE() << "no table " << schema << "." << name << "; tables: " << names;
      static ir::Table empty;
      return empty;
    }
    return *table;
  }

  static const ir::Column& ColumnOf(const ir::Table& table, const std::string& name) {
    const ir::Column* column = table.FindColumn(name);
    if (!column) {
      std::string names;
      for (const auto& c : table.columns) names += c.name + " ";
      ADD_FAILURE() << "no column " << name << " in " << table.name << "; columns: " << names;
      static ir::Column empty;
      return empty;
    }
    return *column;
  }

  static int CountDiagnostics(const ir::Catalog& catalog, const std::string& rule) {
    int count = 0;
    for (const auto& d : catalog.diagnostics) count += d.rule_id == rule;
    return count;
  }

  static std::string Diagnostics(const ir::Catalog& catalog) {
    std::string out;
    for (const auto& d : catalog.diagnostics) {
      out += d.rule_id + " " + d.location.file + ":" + std::to_string(d.location.line) + ":" +
             std::to_string(d.location.column) + " " + d.message + "\n";
    }
    return out;
  }

  std::filesystem::path root_;
  std::vector<SourceFile> files_;
};

}  // namespace dbaudit::python::testing
