#include "tests/support/snapshot.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace dbaudit::testing {

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  size_t position = 0;
  while ((position = text.find(from, position)) != std::string::npos) {
    text.replace(position, from.size(), to);
    position += to.size();
  }
  return text;
}

void ExpectMatchesSnapshot(const std::string& actual, const std::string& path) {
  const std::filesystem::path full = std::filesystem::path(DBAUDIT_SOURCE_DIR) / path;
  const char* update = std::getenv("DBAUDIT_UPDATE_SNAPSHOTS");
  if (update && std::string(update) == "1") {
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << actual;
    return;
  }
  if (!std::filesystem::exists(full)) {
    ADD_FAILURE() << "snapshot " << path << " does not exist; review the output below and create it with "
                  << "DBAUDIT_UPDATE_SNAPSHOTS=1:\n"
                  << actual;
    return;
  }
  const std::string expected = ReadFileOrEmpty(full.string());
  EXPECT_EQ(expected, actual) << "snapshot " << path
                              << " differs; if the change is intended, rerun with DBAUDIT_UPDATE_SNAPSHOTS=1 "
                                 "and review the diff";
}

}  // namespace dbaudit::testing
