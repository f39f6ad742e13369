#include "analyzer/driver/discovery.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <system_error>

namespace dbaudit::driver {

namespace fs = std::filesystem;

namespace {

// Folders that never hold the application's own code.
const std::set<std::string>& SkippedFolderNames() {
  static const std::set<std::string> names = {"__pycache__", "node_modules", "site-packages", "venv",
                                              "env",         "build",        "dist",          "htmlcov"};
  return names;
}

bool MatchSegment(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_t = t;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string_view> Split(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t slash = text.find('/', start);
    const size_t end = slash == std::string_view::npos ? text.size() : slash;
    if (end > start) parts.push_back(text.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool MatchParts(const std::vector<std::string_view>& pattern, size_t p, const std::vector<std::string_view>& path,
                size_t t) {
  if (p == pattern.size()) return t == path.size();
  if (pattern[p] == "**") {
    for (size_t skip = t; skip <= path.size(); ++skip) {
      if (MatchParts(pattern, p + 1, path, skip)) return true;
    }
    return false;
  }
  if (t == path.size()) return false;
  return MatchSegment(pattern[p], path[t]) && MatchParts(pattern, p + 1, path, t + 1);
}

// The .gitignore files met on the way down, as git reads them: blank lines and '#' comments
// skipped, '!' re-includes, a trailing '/' matches folders only, a pattern with a '/' other
// than a trailing one is anchored to its file's folder, otherwise it matches a name at any
// depth below it; the last matching pattern wins.
class GitIgnore {
 public:
  void Load(const fs::path& folder, const std::string& base) {
    std::ifstream in(folder / ".gitignore");
    if (!in) return;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      while (!line.empty() && line.back() == ' ' && !(line.size() > 1 && line[line.size() - 2] == '\\')) {
        line.pop_back();
      }
      if (line.empty() || line[0] == '#') continue;
      Pattern pattern;
      pattern.base = base;
      if (line[0] == '!') {
        pattern.negate = true;
        line.erase(0, 1);
      } else if (line[0] == '\\') {
        line.erase(0, 1);  // "\#file", "\!file"
      }
      if (!line.empty() && line.back() == '/') {
        pattern.folders_only = true;
        while (!line.empty() && line.back() == '/') line.pop_back();
      }
      if (line.empty()) continue;
      pattern.anchored = line.find('/') != std::string::npos;
      if (line[0] == '/') line.erase(0, 1);
      pattern.text = line;
      patterns_.push_back(std::move(pattern));
    }
  }

  bool Ignores(const std::string& display_path, bool is_folder) const {
    bool ignored = false;
    for (const Pattern& pattern : patterns_) {
      if (pattern.folders_only && !is_folder) continue;
      std::string_view relative = display_path;
      if (!pattern.base.empty()) {
        if (!relative.starts_with(pattern.base + "/")) continue;
        relative.remove_prefix(pattern.base.size() + 1);
      }
      bool matches = false;
      const auto path_parts = Split(relative);
      if (pattern.anchored) {
        matches = MatchParts(Split(pattern.text), 0, path_parts, 0);
      } else if (!path_parts.empty()) {
        matches = MatchSegment(pattern.text, path_parts.back());
      }
      if (matches) ignored = !pattern.negate;
    }
    return ignored;
  }

 private:
  struct Pattern {
    std::string base;  // display path of the folder holding the .gitignore ("" = root)
    std::string text;
    bool negate = false;
    bool folders_only = false;
    bool anchored = false;
  };
  std::vector<Pattern> patterns_;
};

}  // namespace

bool GlobMatches(const std::string& pattern, const std::string& path) {
  std::string trimmed = pattern;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
  if (trimmed.rfind("./", 0) == 0) trimmed = trimmed.substr(2);
  const auto path_parts = Split(path);
  if (trimmed.find('/') == std::string::npos) {
    return std::any_of(path_parts.begin(), path_parts.end(),
                       [&](std::string_view part) { return MatchSegment(trimmed, part); });
  }
  const auto pattern_parts = Split(trimmed);
  // A folder pattern also excludes everything below it.
  for (size_t length = 1; length <= path_parts.size(); ++length) {
    std::vector<std::string_view> prefix(path_parts.begin(), path_parts.begin() + length);
    if (MatchParts(pattern_parts, 0, prefix, 0)) return true;
  }
  return false;
}

std::string DisplayPath(const fs::path& path, const fs::path& root) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error).lexically_normal();
  const fs::path absolute_root = fs::absolute(root, error).lexically_normal();
  const fs::path relative = absolute.lexically_relative(absolute_root);
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return path.generic_string();
}

DiscoveredFiles DiscoverPythonFiles(const std::vector<fs::path>& paths, const DiscoveryOptions& options) {
  DiscoveredFiles result;
  std::set<std::string> seen;
  auto excluded = [&](const std::string& display) {
    return std::any_of(options.exclude.begin(), options.exclude.end(),
                       [&](const std::string& pattern) { return GlobMatches(pattern, display); });
  };
  GitIgnore gitignore;
  std::set<std::string> gitignore_loaded;
  // Loads the .gitignore of `folder` once, if it is inside the project root.
  auto load_gitignore = [&](const fs::path& folder) {
    if (!options.respect_gitignore) return;
    const std::string display = DisplayPath(folder, options.project_root);
    const std::string base = display == "." ? "" : display;
    if (!base.empty() && (base.starts_with("/") || base.starts_with(".."))) return;
    if (gitignore_loaded.insert(base).second) gitignore.Load(folder, base);
  };
  load_gitignore(options.project_root);
  auto add = [&](const fs::path& file) {
    const std::string display = DisplayPath(file, options.project_root);
    if (excluded(display) || !seen.insert(display).second) return;
    result.python_files.push_back({fs::absolute(file).lexically_normal(), display});
  };

  for (const auto& path : paths) {
    std::error_code error;
    const auto status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      result.diagnostics.push_back({ir::kRuleFileUnreadable,
                                    ir::Severity::kError,
                                    "path does not exist: " + path.generic_string(),
                                    {.file = path.generic_string()},
                                    true});
      continue;
    }
    if (!fs::is_directory(status)) {
      add(path);  // an explicitly named file is read whatever its extension
      continue;
    }
    // The .gitignore files between the project root and this folder apply to it too.
    {
      std::error_code relative_error;
      const fs::path root = fs::absolute(options.project_root, relative_error).lexically_normal();
      const fs::path relative = fs::absolute(path, relative_error).lexically_normal().lexically_relative(root);
      fs::path folder = root;
      if (!relative.empty() && *relative.begin() != "..") {
        for (const auto& part : relative) {
          if (part == "." || part.empty()) continue;
          folder /= part;
          load_gitignore(folder);
        }
      }
    }
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error);
    if (error) {
      result.diagnostics.push_back({ir::kRuleFileUnreadable,
                                    ir::Severity::kError,
                                    "cannot list folder " + path.generic_string() + ": " + error.message(),
                                    {.file = DisplayPath(path, options.project_root)},
                                    true});
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (error) {
        result.diagnostics.push_back({ir::kRuleFileUnreadable,
                                      ir::Severity::kError,
                                      "cannot list folder: " + error.message(),
                                      {.file = DisplayPath(it->path(), options.project_root)},
                                      true});
        error.clear();
        continue;
      }
      const fs::path& entry_path = it->path();
      const std::string name = entry_path.filename().string();
      std::error_code type_error;
      if (it->is_directory(type_error)) {
        const bool hidden = name.size() > 1 && name[0] == '.';
        const std::string display = DisplayPath(entry_path, options.project_root);
        if (hidden || SkippedFolderNames().count(name) || excluded(display) || gitignore.Ignores(display, true) ||
            fs::exists(entry_path / "pyvenv.cfg", type_error)) {
          it.disable_recursion_pending();
        } else {
          load_gitignore(entry_path);
        }
        continue;
      }
      if (entry_path.extension() == ".py" && (it->is_regular_file(type_error) || it->is_symlink(type_error)) &&
          !gitignore.Ignores(DisplayPath(entry_path, options.project_root), false)) {
        add(entry_path);
      }
    }
  }
  std::sort(result.python_files.begin(), result.python_files.end(),
            [](const auto& a, const auto& b) { return a.display_path < b.display_path; });
  return result;
}

}  // namespace dbaudit::driver
