#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/query.hpp"
#include "analyzer/python/model_reader.hpp"
#include "analyzer/python/python_syntax.hpp"
#include "analyzer/python/query_facts.hpp"

// Internal to analyzer/python: the model reader's cross-file resolution, shared by ReadModels
// and ReadPythonProject so that both see the same classes, names and tables.
namespace dbaudit::python {

// `files` sorted by display path without duplicates: the order file indexes refer to.
std::vector<SourceFile> SortedUniqueFiles(const std::vector<SourceFile>& files);

// Reads and parses every file once, in parallel. With `facts`, it is resized to the files and
// each file's query facts come from the same tree as its summary.
std::vector<FileSummary> SummarizeFiles(const std::vector<SourceFile>& sorted, const ModelReaderOptions& options,
                                        std::vector<FileQueryFacts>* facts);

// What a dotted name written in a file stands for.
struct NameTarget {
  enum class Kind { kNone, kModelClass, kConstant, kExternal, kOther } kind = Kind::kNone;
  std::string qualified;          // kModelClass: ModelClass::qualified_name; kExternal: the library name
  std::vector<std::string> rest;  // kModelClass: the names after the class (`User.email.desc` -> email, desc)
  std::uint32_t file = 0;         // kConstant: the file defining it
  std::string name;               // kConstant: its module-level name there
};

class ProjectModels {
 public:
  virtual ~ProjectModels() = default;
  // The models as ReadModels returns them. Call once, before the others.
  virtual ir::Catalog Catalog() = 0;
  // Every mapped class with its attributes, sorted by qualified name.
  virtual std::vector<ir::ModelClass> Classes(const std::vector<FileQueryFacts>& facts) = 0;
  virtual NameTarget Resolve(std::uint32_t file, const std::vector<std::string>& path) = 0;
  // The dotted module name of a file, as qualified class names use it.
  virtual const std::string& ModuleOf(std::uint32_t file) const = 0;
};

std::unique_ptr<ProjectModels> MakeProjectModels(std::vector<FileSummary> summaries, const ModelReaderOptions& options);

}  // namespace dbaudit::python
