#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "analyzer/python/python_project.hpp"
#include "tests/unit/python/model_test_util.hpp"

namespace dbaudit::python::testing {

// Small Python projects read with ReadPythonProject; helpers find what a test asserts on.
class PythonQueryTest : public PythonModelTest {
 public:
  PythonProject ReadProject(unsigned threads = 2) {
    ModelReaderOptions options;
    options.threads = threads;
    return ReadPythonProject(files_, options);
  }

  // The source written for `relative`, to compute expected positions with find().
  void WriteSource(const std::string& relative, const std::string& text) {
    sources_[relative] = text;
    Write(relative, text);
  }

  // 1-based line and column (ASCII sources) of the `occurrence`-th `needle` in a written file.
  std::pair<std::uint32_t, std::uint32_t> Pos(const std::string& relative, const std::string& needle,
                                              int occurrence = 0) const {
    const std::string& text = sources_.at(relative);
    std::size_t at = text.find(needle);
    for (int i = 0; i < occurrence && at != std::string::npos; ++i) at = text.find(needle, at + 1);
    EXPECT_NE(at, std::string::npos) << needle;
    if (at == std::string::npos) return {0, 0};
    std::uint32_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    return {line, static_cast<std::uint32_t>(at - line_start + 1)};
  }

  static const ir::FileQueries* FileOf(const PythonProject& project, const std::string& path) {
    for (const auto& file : project.queries) {
      if (file.display_path == path) return &file;
    }
    return nullptr;
  }

  static std::vector<const ir::QuerySite*> Sites(const PythonProject& project, const std::string& path,
                                                 const std::string& api = "") {
    std::vector<const ir::QuerySite*> out;
    const ir::FileQueries* file = FileOf(project, path);
    if (!file) return out;
    for (const auto& site : file->sites) {
      if (api.empty() || site.api == api) out.push_back(&site);
    }
    return out;
  }

  static const ir::ModelClass* ClassOf(const PythonProject& project, const std::string& qualified) {
    for (const auto& model : project.classes) {
      if (model.qualified_name == qualified) return &model;
    }
    return nullptr;
  }

  static const ir::InteractionCount* InteractionOf(const ir::FileQueries& file, ir::Interaction interaction) {
    for (const auto& entry : file.interactions) {
      if (entry.interaction == interaction) return &entry;
    }
    return nullptr;
  }

  static std::string Dump(const PythonProject& project) {
    std::string out;
    for (const auto& file : project.queries) {
      out += file.display_path + (file.is_migration ? " [migration]" : "") + "\n";
      for (const auto& entry : file.interactions) {
        out += "  ~ " + std::string(ir::ToString(entry.interaction)) + " x" + std::to_string(entry.count) + " @" +
               std::to_string(entry.first.line) + "\n";
      }
      for (const auto& site : file.sites) {
        out += "  " + std::string(site.kind == ir::QueryKind::kOrm ? "orm " : "raw ") + site.api + " " +
               std::to_string(site.location.line) + ":" + std::to_string(site.location.column) + "-" +
               std::to_string(site.location.end_line) + ":" + std::to_string(site.location.end_column) + " " +
               ir::ToString(site.build) + (site.unresolved ? " unresolved" : "") +
               " style=" + std::to_string(static_cast<int>(site.param_style));
        if (site.sql) out += " sql=[" + site.sql->text + "] spans=" + std::to_string(site.sql->spans.size());
        if (!site.build_detail.empty()) {
          out += " detail=" + site.build_detail + " @" + std::to_string(site.build_location.line) + ":" +
                 std::to_string(site.build_location.column);
        }
        out += "\n";
      }
      for (const auto& use : file.attribute_uses) {
        out += std::string("  use ") + (use.kind == ir::AttributeUseKind::kFilterByKeyword ? "kw " : "attr ") +
               use.model_class + "." + use.attribute + " @" + std::to_string(use.location.line) + ":" +
               std::to_string(use.location.column) + "\n";
      }
    }
    for (const auto& model : project.classes) {
      out += "class " + model.qualified_name + " " + model.schema + "." + model.table +
             (model.complete ? "" : " incomplete") + ":";
      for (const auto& attribute : model.attributes) {
        out += " " + attribute.name + "/" + std::to_string(static_cast<int>(attribute.kind));
        if (!attribute.column.empty() && attribute.column != attribute.name) out += "=" + attribute.column;
      }
      out += "\n";
    }
    return out;
  }

  std::map<std::string, std::string> sources_;
};

}  // namespace dbaudit::python::testing
