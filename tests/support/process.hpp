#pragma once

#include <map>
#include <string>
#include <vector>

namespace dbaudit::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program (looked up on PATH) with `input` on stdin, capturing stdout and stderr.
// `environment` entries are added to (or, with an empty value, removed from) the current one.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& input = {},
                         const std::map<std::string, std::string>& environment = {},
                         const std::string& working_directory = {});

// Runs the built dbaudit binary.
ProcessResult RunDbaudit(const std::vector<std::string>& arguments, const std::string& working_directory = {},
                         const std::map<std::string, std::string>& environment = {});

std::string ReadFileOrEmpty(const std::string& path);

}  // namespace dbaudit::testing
