#include "tests/support/sarif_validator.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "tests/support/process.hpp"

namespace dbaudit::testing {

const char* SarifMultitoolPath() {
  return DBAUDIT_SARIF_MULTITOOL;
}

std::vector<std::string> SarifMultitoolErrors(const std::string& sarif, const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("dbaudit_sarif_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path input = dir / "dbaudit.sarif";
  const std::filesystem::path output = dir / "validation.sarif";
  std::filesystem::remove(output);
  std::ofstream(input, std::ios::binary) << sarif;

  const ProcessResult run = RunProcess(
      {DBAUDIT_SARIF_MULTITOOL, "validate", "--rule-kind", "Gh;Sarif", input.string(), "-o", output.string()});
  std::vector<std::string> errors;
  const std::string report = ReadFileOrEmpty(output.string());
  if (report.empty()) {
    errors.push_back("the multitool wrote no report (exit " + std::to_string(run.exit_code) + "): " + run.out +
                     run.err);
    return errors;
  }
  const auto validation = nlohmann::json::parse(report);
  for (const auto& result : validation.at("runs").at(0).value("results", nlohmann::json::array())) {
    if (result.value("level", "warning") != "error") continue;
    errors.push_back(result.at("ruleId").get<std::string>() + ": " + result.at("message").dump());
  }
  std::filesystem::remove_all(dir);
  return errors;
}

}  // namespace dbaudit::testing
