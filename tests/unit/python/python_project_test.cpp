#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analyzer/ir/catalog.hpp"
#include "tests/unit/python/query_test_util.hpp"

namespace dbaudit::python::testing {
namespace {

const std::filesystem::path& ExampleRoot() {
  static const std::filesystem::path root = std::filesystem::path(DBAUDIT_SOURCE_DIR) / "examples" / "flask_shop";
  return root;
}

std::vector<SourceFile> ExampleFiles() {
  std::vector<SourceFile> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(ExampleRoot())) {
    if (entry.path().extension() != ".py") continue;
    files.push_back({entry.path(), std::filesystem::relative(entry.path(), ExampleRoot()).generic_string()});
  }
  return files;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// 1-based positions of every `needle` in `text` that is not part of a longer name.
std::vector<std::pair<std::uint32_t, std::uint32_t>> Occurrences(const std::string& text, const std::string& needle) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_')) continue;
    std::uint32_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') ++line, line_start = i + 1;
    }
    out.emplace_back(line, static_cast<std::uint32_t>(at - line_start + 1));
  }
  return out;
}

class PythonProjectExample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ModelReaderOptions options;
    options.threads = 2;
    project_ = new PythonProject(ReadPythonProject(ExampleFiles(), options));
  }
  static void TearDownTestSuite() {
    delete project_;
    project_ = nullptr;
  }
  static PythonProject* project_;
};

PythonProject* PythonProjectExample::project_ = nullptr;

TEST_F(PythonProjectExample, ModelsAreWhatReadModelsReturns) {
  ModelReaderOptions options;
  options.threads = 1;
  ir::Catalog models = ReadModels(ExampleFiles(), options);
  ASSERT_FALSE(models.tables.empty());
  EXPECT_TRUE(ir::SameSchema(project_->models, models)) << ir::DescribeSchemaDifferences(project_->models, models);
  EXPECT_EQ(project_->models.diagnostics.size(), models.diagnostics.size());
  EXPECT_EQ(project_->models.origin, models.origin);
}

TEST_F(PythonProjectExample, EveryMappedClassHasItsTableAndColumns) {
  std::set<std::string> mapped;
  for (const auto& table : project_->models.tables) {
    for (const auto& name : table.mapped_by) {
      mapped.insert(name);
      const ir::ModelClass* model = PythonQueryTest::ClassOf(*project_, name);
      ASSERT_NE(model, nullptr) << name;
      EXPECT_EQ(model->table, table.name) << name;
      EXPECT_EQ(model->schema, table.schema) << name;
      // Every column of a class's own table is an attribute under some name, with that column.
      if (table.mapped_by.size() == 1) {
        for (const auto& column : table.columns) {
          bool found = false;
          for (const auto& attribute : model->attributes) {
            found = found || (attribute.kind == ir::ModelAttributeKind::kColumn && attribute.column == column.name);
          }
          EXPECT_TRUE(found) << name << " has no attribute for column " << column.name;
        }
      }
    }
  }
  EXPECT_EQ(mapped.size(), project_->classes.size());
}

TEST_F(PythonProjectExample, EveryRawSqlSiteInRoutesAndScriptsIsFound) {
  std::size_t expected_total = 0;
  for (const auto& file : ExampleFiles()) {
    const std::string& path = file.display_path;
    if (path.rfind("app/routes/", 0) != 0 && path.rfind("scripts/", 0) != 0) continue;
    std::string text = ReadText(file.absolute_path);
    auto expected = Occurrences(text, "text(");
    auto cursor = Occurrences(text, "cur.execute(");
    expected.insert(expected.end(), cursor.begin(), cursor.end());
    expected_total += expected.size();
    auto sites = PythonQueryTest::Sites(*project_, path);
    std::set<std::pair<std::uint32_t, std::uint32_t>> raw;
    for (const auto* site : sites) {
      if (site->kind == ir::QueryKind::kRawSql) raw.insert({site->location.line, site->location.column});
    }
    for (const auto& position : expected) {
      EXPECT_TRUE(raw.count(position)) << path << ":" << position.first << ":" << position.second
                                       << " is not a raw SQL site\n"
                                       << PythonQueryTest::Dump(*project_);
    }
    EXPECT_EQ(raw.size(), expected.size()) << path;
  }
  EXPECT_GE(expected_total, 7u);
}

TEST_F(PythonProjectExample, TheLegacySearchIsStringBuiltAndTheRestIsLiteral) {
  auto sites = PythonQueryTest::Sites(*project_, "app/routes/catalog.py", "text");
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0]->build, ir::SqlBuild::kDynamic);
  EXPECT_NE(sites[0]->build_detail.find("`term`"), std::string::npos) << sites[0]->build_detail;
  EXPECT_EQ(sites[1]->build, ir::SqlBuild::kLiteral);
  ASSERT_TRUE(sites[1]->sql);
  EXPECT_NE(sites[1]->sql->text.find("FROM products p JOIN categories c"), std::string::npos);
  // The module-level text() constant and its use.
  auto reports = PythonQueryTest::Sites(*project_, "app/routes/reports.py", "text");
  ASSERT_GE(reports.size(), 2u);
  ASSERT_TRUE(reports[0]->sql);
  EXPECT_NE(reports[0]->sql->text.find("FROM daily_sales"), std::string::npos);
  // The export script talks to psycopg2 directly.
  auto script = PythonQueryTest::Sites(*project_, "scripts/export_customers.py", "cursor.execute");
  ASSERT_EQ(script.size(), 2u);
  for (const auto* site : script) {
    EXPECT_EQ(site->param_style, ir::ParamStyle::kPyformat);
    EXPECT_EQ(site->build, ir::SqlBuild::kLiteral);
  }
  // Server defaults written with text() in the models are no queries.
  EXPECT_TRUE(PythonQueryTest::Sites(*project_, "app/models/user.py", "text").empty());
}

TEST_F(PythonProjectExample, AttributeUsesNameMappedClasses) {
  // The example carries deliberate drift, so not every name must exist; most do.
  std::size_t known = 0;
  std::size_t total = 0;
  for (const auto& file : project_->queries) {
    for (const auto& use : file.attribute_uses) {
      const ir::ModelClass* model = PythonQueryTest::ClassOf(*project_, use.model_class);
      ASSERT_NE(model, nullptr) << use.model_class;
      EXPECT_TRUE(model->complete) << use.model_class;
      known += model->Find(use.attribute) != nullptr;
      ++total;
    }
  }
  EXPECT_GE(known, 10u);
  EXPECT_GE(known * 4, total * 3);
  // One that is certainly there, at its position.
  const ir::FileQueries* catalog = PythonQueryTest::FileOf(*project_, "app/routes/catalog.py");
  ASSERT_NE(catalog, nullptr);
  std::string text = ReadText(ExampleRoot() / "app/routes/catalog.py");
  auto stock = Occurrences(text, "Product.stock");
  ASSERT_FALSE(stock.empty());
  bool found = false;
  for (const auto& use : catalog->attribute_uses) {
    found = found || (use.model_class == "app.models.catalog.Product" && use.attribute == "stock" &&
                      use.location.line == stock[0].first &&
                      use.location.column == stock[0].second + std::string("Product.").size());
  }
  EXPECT_TRUE(found) << PythonQueryTest::Dump(*project_);
}

}  // namespace
}  // namespace dbaudit::python::testing
