#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rules/rule.hpp"

// Every registered rule has a well-formed id, a doc page with the fixed headings, a fixture
// folder and a known category; the registry is sorted and ids are unique.
namespace dbaudit::rules {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = DBAUDIT_SOURCE_DIR;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> RuleIds() {
  std::vector<std::string> ids;
  for (const auto& rule : MakeAllRules()) ids.push_back(rule->Info().id);
  return ids;
}

TEST(RuleHygiene, RegistryIsNotEmptyUniqueAndSorted) {
  const auto ids = RuleIds();
  ASSERT_FALSE(ids.empty());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST(RuleHygiene, IdsAreKebabCaseWithAKnownFamily) {
  const std::regex kebab("^[a-z][a-z0-9]*(-[a-z0-9]+)+$");
  const std::vector<std::string> families = {"model-", "input-", "schema-", "query-", "docs-", "timestamp-"};
  for (const auto& id : RuleIds()) {
    EXPECT_TRUE(std::regex_match(id, kebab)) << id;
    EXPECT_TRUE(std::any_of(families.begin(), families.end(), [&](const std::string& family) {
      return id.rfind(family, 0) == 0;
    })) << id;
  }
}

TEST(RuleHygiene, MetadataIsComplete) {
  // The model_comparison_results.md sections, named as the audit plan names them.
  const std::set<std::string> categories = {"",
                                            "tables_only_in_models",
                                            "tables_only_in_schema",
                                            "columns_only_in_models",
                                            "columns_only_in_schema",
                                            "type_mismatches",
                                            "nullable_mismatches",
                                            "primary_key_mismatch",
                                            "foreign_keys_only_in_models",
                                            "foreign_keys_only_in_schema",
                                            "foreign_key_action_mismatches",
                                            "unique_constraints_only_in_models",
                                            "unique_constraints_only_in_schema",
                                            "indexes_only_in_models",
                                            "indexes_only_in_schema",
                                            "server_default_mismatches",
                                            "enum_mismatches",
                                            "created_at_without_database_default",
                                            "onupdate_without_trigger",
                                            "trigger_and_onupdate",
                                            "timestamps_without_time_zone"};
  std::set<std::string> used;
  for (const auto& rule : MakeAllRules()) {
    const RuleInfo& info = rule->Info();
    EXPECT_FALSE(info.summary.empty()) << info.id;
    EXPECT_EQ(info.summary.find('\n'), std::string::npos) << info.id;
    EXPECT_TRUE(categories.count(info.category)) << info.id << ": " << info.category;
    if (!info.category.empty()) {
      EXPECT_TRUE(used.insert(info.category).second) << "category used twice: " << info.category;
    }
  }
}

TEST(RuleHygiene, EveryRuleHasADocWithTheFixedHeadings) {
  const std::vector<std::string> sections = {"## What it does", "## Why is this bad?", "## Example",   "## Use instead",
                                             "## Options",      "## Known problems",   "## References"};
  for (const auto& id : RuleIds()) {
    const fs::path page = kSourceDir / "docs" / "rules" / (id + ".md");
    ASSERT_TRUE(fs::exists(page)) << page;
    const auto lines = Lines(ReadText(page));
    ASSERT_GE(lines.size(), 3u) << page;
    EXPECT_EQ(lines[0], "# " + id) << page;
    // The one-line summary follows the title (after an optional blank line).
    const std::string& summary = lines[1].empty() ? lines[2] : lines[1];
    EXPECT_FALSE(summary.empty()) << page;
    EXPECT_NE(summary.rfind("#", 0), 0u) << page;
    std::vector<std::string> headings;
    for (const auto& line : lines) {
      if (line.rfind("## ", 0) == 0) headings.push_back(line);
    }
    EXPECT_EQ(headings, sections) << page;
  }
}

TEST(RuleHygiene, DocsIndexListsEveryRule) {
  const std::string index = ReadText(kSourceDir / "docs" / "rules" / "README.md");
  ASSERT_FALSE(index.empty());
  for (const auto& id : RuleIds()) EXPECT_NE(index.find("[" + id + "]"), std::string::npos) << id;
}

TEST(RuleHygiene, NoDocWithoutARule) {
  const auto ids = RuleIds();
  for (const auto& entry : fs::directory_iterator(kSourceDir / "docs" / "rules")) {
    const std::string stem = entry.path().stem().string();
    if (entry.path().extension() != ".md" || stem == "README") continue;
    EXPECT_TRUE(std::binary_search(ids.begin(), ids.end(), stem)) << "doc for unknown rule " << stem;
  }
}

TEST(RuleHygiene, EveryRuleHasAFixtureFolder) {
  for (const auto& id : RuleIds()) {
    const fs::path folder = kSourceDir / "tests" / "rules" / id;
    EXPECT_TRUE(fs::is_directory(folder)) << folder;
    EXPECT_TRUE(fs::exists(folder / "README.md")) << folder;
    EXPECT_TRUE(fs::exists(folder / "schema.sql")) << folder;
  }
}

}  // namespace
}  // namespace dbaudit::rules
