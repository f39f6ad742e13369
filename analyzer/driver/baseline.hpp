#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/ir/finding.hpp"
#include "analyzer/ir/result.hpp"

// Known findings, recorded once, so that only new ones fail a run: `check --write-baseline`
// writes the file, `--baseline` (or the configuration key `baseline`) reads it.
namespace dbaudit::driver {

inline constexpr const char* kDefaultBaselinePath = "dbaudit-baseline.json";
inline constexpr int kBaselineVersion = 1;

struct Baseline {
  std::set<std::string> fingerprints;
};

// {"version": 1, "findings": [{"rule", "fingerprint", "file", "message"}...]}, sorted by rule,
// then fingerprint; "file" is the finding's file or database object. Deterministic.
std::string RenderBaseline(const std::vector<ir::Finding>& findings);

// Parses a baseline file's text. A file that is no JSON, or JSON of another shape, is an
// Error whose message starts with "<display_path>:<line>: ".
ir::Result<Baseline> ParseBaseline(const std::string& text, const std::string& display_path);
ir::Result<Baseline> ReadBaseline(const std::filesystem::path& path, const std::string& display_path);

struct BaselineSplit {
  std::vector<ir::Finding> new_findings;  // in their original order
  std::size_t known = 0;                  // findings dropped because the baseline has them
};

BaselineSplit ApplyBaseline(std::vector<ir::Finding> findings, const Baseline& baseline);

// "3 findings are in the baseline" (or "1 finding is").
std::string DescribeBaselineMatches(std::size_t known);

struct CommandContext;

// The baseline a command uses: `explicit_path` (--baseline, must exist), else the
// configuration's `baseline` when that file exists, else none. An unreadable or malformed
// file is an Error.
struct LoadedBaseline {
  Baseline baseline;
  std::string display_path;
};
ir::Result<std::optional<LoadedBaseline>> LoadBaselineFor(const CommandContext& context,
                                                          const std::string& explicit_path);

// Where --write-baseline writes: `explicit_path`, else the configuration's `baseline`, else
// dbaudit-baseline.json in the project root. An Error when the configured one leaves the
// project root (CommandContext::ConfiguredOutput).
ir::Result<std::filesystem::path> BaselineWritePath(const CommandContext& context, const std::string& explicit_path);

}  // namespace dbaudit::driver
