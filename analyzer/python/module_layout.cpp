#include "analyzer/python/module_layout.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

namespace dbaudit::python {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> PathSegments(const std::string& display_path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= display_path.size()) {
    std::size_t slash = display_path.find('/', start);
    if (slash == std::string::npos) slash = display_path.size();
    if (slash > start) segments.push_back(display_path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool IsIdentifier(const std::string& text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool ModuleLayout::IsPackageFolder(const fs::path& folder) {
  auto known = package_folders_.find(folder);
  if (known != package_folders_.end()) return known->second;
  std::error_code error;
  const bool package = fs::is_regular_file(folder / "__init__.py", error);
  package_folders_.emplace(folder, package);
  return package;
}

ModuleName ModuleLayout::NameOf(const fs::path& absolute_file, const fs::path& project_root) {
  ModuleName result;
  const fs::path file = absolute_file.lexically_normal();
  const std::string stem = file.stem().string();
  result.is_package = file.filename() == "__init__.py";
  std::vector<std::string> parts;
  if (!result.is_package) parts.push_back(stem);
  fs::path folder = file.parent_path();
  if (!IsPackageFolder(folder)) {
    // Not inside a package: the path below the project root is the best guess, as before.
    const fs::path relative = file.lexically_relative(project_root.lexically_normal());
    result.import_root = project_root;
    if (relative.empty() || *relative.begin() == "..") {
      result.import_root = folder;
      result.name = result.is_package ? "" : stem;
      return result;
    }
    std::string name;
    for (const auto& part : relative.parent_path()) {
      if (part == ".") continue;
      name += part.string() + ".";
    }
    if (result.is_package) {
      if (!name.empty()) name.pop_back();
    } else {
      name += stem;
    }
    result.name = name;
    return result;
  }
  while (IsPackageFolder(folder) && folder.has_relative_path()) {
    parts.push_back(folder.filename().string());
    folder = folder.parent_path();
  }
  result.import_root = folder;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!result.name.empty()) result.name += '.';
    result.name += *it;
  }
  // Folders between the project root and the import root: namespace packages when they are
  // identifiers, a source root (src/, lib/) otherwise.
  const fs::path between = folder.lexically_relative(project_root.lexically_normal());
  if (between.empty() || between == "." || *between.begin() == "..") return result;
  std::string prefix;
  for (const auto& part : between) {
    const std::string segment = part.string();
    if (segment == "." || segment.empty()) continue;
    if (segment == "src" || segment == "lib" || !IsIdentifier(segment)) {
      prefix.clear();
      break;
    }
    prefix += segment + ".";
  }
  if (prefix.empty()) return result;
  result.alias = result.name;
  result.name = result.name.empty() ? prefix.substr(0, prefix.size() - 1) : prefix + result.name;
  return result;
}

std::vector<fs::path> ModuleLayout::Candidates(const std::string& dotted, const std::vector<fs::path>& roots) {
  std::vector<fs::path> found;
  fs::path relative;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    std::size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    if (dot == start) return found;  // "a..b", a relative name: not a module path
    relative /= dotted.substr(start, dot - start);
    start = dot + 1;
  }
  for (const fs::path& root : roots) {
    std::error_code error;
    fs::path module_file = root / relative;
    module_file += ".py";
    if (fs::is_regular_file(module_file, error)) found.push_back(module_file);
    fs::path package_file = root / relative / "__init__.py";
    if (fs::is_regular_file(package_file, error)) found.push_back(package_file);
  }
  return found;
}

FileRole RoleOfFile(const std::string& display_path, const std::set<std::string>& module_level_names) {
  if (module_level_names.count("revision") && module_level_names.count("down_revision")) return FileRole::kMigration;
  const std::vector<std::string> segments = PathSegments(display_path);
  if (segments.empty()) return FileRole::kApplication;
  const std::string& file_name = segments.back();
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    const std::string& folder = segments[i];
    if (folder == "migrations" || folder == "alembic" || folder == "migration") return FileRole::kMigration;
    if (folder == "versions" && i > 0 &&
        (segments[i - 1].find("migration") != std::string::npos ||
         segments[i - 1].find("alembic") != std::string::npos)) {
      return FileRole::kMigration;
    }
  }
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    if (segments[i] == "tests" || segments[i] == "test" || segments[i] == "testing") return FileRole::kTest;
  }
  if (file_name == "conftest.py" || file_name.rfind("test_", 0) == 0 || EndsWith(file_name, "_test.py") ||
      EndsWith(file_name, "_tests.py")) {
    return FileRole::kTest;
  }
  return FileRole::kApplication;
}

}  // namespace dbaudit::python
