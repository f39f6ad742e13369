#pragma once

#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/query.hpp"
#include "analyzer/python/model_reader.hpp"

namespace dbaudit::python {

// Everything dbaudit reads from the Python sources, from one parse of each file.
struct PythonProject {
  ir::Catalog models;                    // as ReadModels returns it (diagnostics included)
  std::vector<ir::ModelClass> classes;   // every mapped class, sorted by qualified_name
  std::vector<ir::FileQueries> queries;  // one per file that touches the database, sorted by path
};

// Reads models and query sites in one pass: each file is parsed once (in parallel), model
// summaries and query sites are taken from the same tree, then cross-file facts are resolved
// (model classes, which names are models, constants imported from other modules).
PythonProject ReadPythonProject(const std::vector<SourceFile>& files, const ModelReaderOptions& options);

}  // namespace dbaudit::python
