#include "analyzer/driver/config.hpp"

#include <cctype>
#include <set>

#include <toml++/toml.h>

namespace dbaudit::driver {

namespace fs = std::filesystem;

std::optional<ir::Severity> ParseSeverity(const std::string& text) {
  if (text == "error") return ir::Severity::kError;
  if (text == "warning") return ir::Severity::kWarning;
  if (text == "note") return ir::Severity::kNote;
  return std::nullopt;
}

namespace {

ir::Error ErrorAt(const fs::path& file, const toml::node& node, const std::string& message) {
  const auto& begin = node.source().begin;
  return {
      file.generic_string() + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) + ": " + message,
      {.file = file.generic_string(), .line = begin.line, .column = begin.column}};
}

std::optional<ir::Error> ReadString(const fs::path& file, const toml::node& node, const std::string& key,
                                    std::optional<std::string>& out) {
  const auto* value = node.as_string();
  if (!value) return ErrorAt(file, node, "'" + key + "' must be a string");
  out = value->get();
  return std::nullopt;
}

std::optional<ir::Error> ReadStrings(const fs::path& file, const toml::node& node, const std::string& key,
                                     std::vector<std::string>& out) {
  if (const auto* single = node.as_string()) {
    out = {single->get()};
    return std::nullopt;
  }
  const auto* array = node.as_array();
  if (!array) return ErrorAt(file, node, "'" + key + "' must be a list of strings");
  out.clear();
  for (const auto& element : *array) {
    const auto* text = element.as_string();
    if (!text) return ErrorAt(file, element, "'" + key + "' must hold only strings");
    out.push_back(text->get());
  }
  return std::nullopt;
}

std::optional<ir::Error> ReadTimestamps(const fs::path& file, const toml::node& node, rules::TimestampPolicy& policy) {
  const auto* table = node.as_table();
  if (!table) return ErrorAt(file, node, "'timestamps' must be a table");
  for (const auto& [key_node, value] : *table) {
    const std::string key(key_node.str());
    std::optional<ir::Error> error;
    if (key == "created-at" || key == "updated-at") {
      std::vector<std::string> names;
      error = ReadStrings(file, value, "timestamps." + key, names);
      for (auto& name : names) {
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      (key == "created-at" ? policy.created_columns : policy.updated_columns) = std::move(names);
    } else if (key == "require-time-zone") {
      const auto* flag = value.as_boolean();
      if (!flag) return ErrorAt(file, value, "'timestamps.require-time-zone' must be true or false");
      policy.require_time_zone = flag->get();
    } else if (key == "trigger-function") {
      std::optional<std::string> name;
      error = ReadString(file, value, "timestamps." + key, name);
      if (!error && name->empty()) error = ErrorAt(file, value, "'timestamps.trigger-function' must not be empty");
      if (!error) policy.trigger_function = *name;
    } else {
      return ErrorAt(file, value, "unknown configuration key 'timestamps." + key + "'");
    }
    if (error) return error;
  }
  return std::nullopt;
}

std::optional<ir::Error> ReadTable(const fs::path& file, const toml::table& table, FileConfig& config) {
  for (const auto& [key_node, node] : table) {
    const std::string key(key_node.str());
    std::optional<ir::Error> error;
    if (key == "paths") {
      error = ReadStrings(file, node, key, config.paths);
    } else if (key == "exclude") {
      error = ReadStrings(file, node, key, config.exclude);
    } else if (key == "schema-sql") {
      error = ReadString(file, node, key, config.schema_sql);
    } else if (key == "schema-json") {
      error = ReadString(file, node, key, config.schema_json);
    } else if (key == "schemas") {
      error = ReadStrings(file, node, key, config.schemas);
    } else if (key == "ignore-tables") {
      error = ReadStrings(file, node, key, config.ignore_tables);
    } else if (key == "select") {
      error = ReadStrings(file, node, key, config.select);
    } else if (key == "fail-on") {
      error = ReadString(file, node, key, config.fail_on);
      if (!error && config.fail_on != "error" && config.fail_on != "warning" && config.fail_on != "note" &&
          config.fail_on != "never") {
        error = ErrorAt(file, node, "'fail-on' must be one of error, warning, note, never");
      }
    } else if (key == "format") {
      error = ReadString(file, node, key, config.format);
    } else if (key == "model-comparison-output") {
      error = ReadString(file, node, key, config.model_comparison_output);
    } else if (key == "inventory-output") {
      error = ReadString(file, node, key, config.inventory_output);
    } else if (key == "schema-export-output") {
      error = ReadString(file, node, key, config.schema_export_output);
    } else if (key == "docs") {
      error = ReadString(file, node, key, config.docs);
    } else if (key == "discrepancies-output") {
      error = ReadString(file, node, key, config.discrepancies_output);
    } else if (key == "docs-backup-dir") {
      error = ReadString(file, node, key, config.docs_backup_dir);
    } else if (key == "constraints-gap-output") {
      error = ReadString(file, node, key, config.constraints_gap_output);
    } else if (key == "sarif-output") {
      error = ReadString(file, node, key, config.sarif_output);
    } else if (key == "baseline") {
      error = ReadString(file, node, key, config.baseline);
    } else if (key == "plan-dir") {
      error = ReadString(file, node, key, config.plan_dir);
    } else if (key == "changelog") {
      error = ReadString(file, node, key, config.changelog);
    } else if (key == "timestamps") {
      error = ReadTimestamps(file, node, config.timestamps);
    } else if (key == "models-in-migrations" || key == "models-in-tests" || key == "allow-no-models") {
      const auto* flag = node.as_boolean();
      if (!flag) return ErrorAt(file, node, "'" + key + "' must be true or false");
      (key == "models-in-migrations" ? config.models_in_migrations
       : key == "models-in-tests"    ? config.models_in_tests
                                     : config.allow_no_models) = flag->get();
    } else if (key == "severity") {
      const auto* severities = node.as_table();
      if (!severities) return ErrorAt(file, node, "'severity' must be a table of rule id = \"error|warning|note\"");
      for (const auto& [rule_node, level_node] : *severities) {
        const auto* level = level_node.as_string();
        const auto parsed = level ? ParseSeverity(level->get()) : std::nullopt;
        if (!parsed)
          return ErrorAt(
              file, level_node,
              "severity of '" + std::string(rule_node.str()) + "' must be \"error\", \"warning\" or \"note\"");
        config.severity[std::string(rule_node.str())] = *parsed;
      }
    } else {
      return ErrorAt(file, node, "unknown configuration key '" + key + "'");
    }
    if (error) return error;
  }
  return std::nullopt;
}

ir::Result<FileConfig> Load(const fs::path& file, bool is_pyproject) {
  FileConfig config;
  config.path = file;
  toml::table document;
  try {
    document = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    return ir::Error{file.generic_string() + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
                         ": not valid TOML: " + std::string(error.description()),
                     {.file = file.generic_string(), .line = begin.line, .column = begin.column}};
  }
  const toml::table* table = &document;
  if (is_pyproject) {
    table = document["tool"]["dbaudit"].as_table();
    if (!table) return FileConfig{};  // a pyproject.toml without [tool.dbaudit] configures nothing
  }
  if (auto error = ReadTable(file, *table, config)) return *error;
  return config;
}

}  // namespace

ir::Result<FileConfig> LoadConfig(const fs::path& project_root, const std::optional<fs::path>& explicit_path) {
  if (explicit_path) {
    std::error_code error;
    if (!fs::is_regular_file(*explicit_path, error)) {
      return ir::Error{"configuration file not found: " + explicit_path->generic_string(), {}};
    }
    return Load(*explicit_path, explicit_path->filename() == "pyproject.toml");
  }
  std::error_code error;
  if (fs::is_regular_file(project_root / "dbaudit.toml", error)) return Load(project_root / "dbaudit.toml", false);
  if (fs::is_regular_file(project_root / "pyproject.toml", error)) {
    return Load(project_root / "pyproject.toml", true);
  }
  return FileConfig{};
}

}  // namespace dbaudit::driver
