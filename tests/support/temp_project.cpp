#include "tests/support/temp_project.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>

#include <unistd.h>

#include "tests/support/process.hpp"

namespace dbaudit::testing {

namespace fs = std::filesystem;

TempProject::TempProject(const std::string& prefix) {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("dbaudit-" + prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempProject::~TempProject() {
  std::error_code error;
  fs::remove_all(path_, error);
}

void TempProject::Write(const std::string& relative, const std::string& text) const {
  fs::create_directories((path_ / relative).parent_path());
  std::ofstream(path_ / relative, std::ios::binary) << text;
}

std::string TempProject::Read(const std::string& relative) const {
  return ReadFileOrEmpty((path_ / relative).string());
}

std::vector<std::string> TempProject::List(const std::string& relative) const {
  std::vector<std::string> names;
  std::error_code error;
  if (!fs::is_directory(path_ / relative, error)) return names;
  for (const auto& entry : fs::directory_iterator(path_ / relative)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace dbaudit::testing
