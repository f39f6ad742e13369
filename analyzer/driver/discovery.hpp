#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/ir/diagnostic.hpp"
#include "analyzer/python/model_reader.hpp"

namespace dbaudit::driver {

struct DiscoveryOptions {
  std::filesystem::path project_root;
  std::vector<std::string> exclude;  // glob patterns on '/'-separated paths relative to the root
  bool respect_gitignore = true;     // skip what the project's .gitignore files ignore
};

struct DiscoveredFiles {
  std::vector<python::SourceFile> python_files;  // sorted by display path
  std::vector<ir::Diagnostic> diagnostics;       // folders that could not be listed
};

// Every *.py file under `paths` (files or folders), skipping hidden folders, virtual
// environments, caches and build output, what the .gitignore files under the project root
// ignore, and whatever `exclude` matches. Files named explicitly are always read. Deterministic.
DiscoveredFiles DiscoverPythonFiles(const std::vector<std::filesystem::path>& paths, const DiscoveryOptions& options);

// fnmatch-style glob on '/'-separated paths: '*' stays within a segment, '**' crosses them.
// A pattern without '/' matches any path segment (e.g. "migrations" or "*_test.py").
bool GlobMatches(const std::string& pattern, const std::string& path);

// `path` relative to `root` with '/' separators when inside it, else the path as given.
std::string DisplayPath(const std::filesystem::path& path, const std::filesystem::path& root);

}  // namespace dbaudit::driver
