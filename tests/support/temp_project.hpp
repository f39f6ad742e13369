#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dbaudit::testing {

// A fresh folder under the system temp dir for one test's project files, removed with the
// object. `prefix` keeps the folders of different test files apart.
class TempProject {
 public:
  explicit TempProject(const std::string& prefix);
  ~TempProject();
  TempProject(const TempProject&) = delete;
  TempProject& operator=(const TempProject&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` byte for byte to `relative`, creating the folders on the way.
  void Write(const std::string& relative, const std::string& text) const;
  // The file's content, or "" when it cannot be read.
  std::string Read(const std::string& relative) const;
  // The sorted names in the folder `relative`; empty when it is no folder.
  std::vector<std::string> List(const std::string& relative) const;

 private:
  std::filesystem::path path_;
};

}  // namespace dbaudit::testing
