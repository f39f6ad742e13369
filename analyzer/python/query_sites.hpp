#pragma once

#include <vector>

#include "analyzer/ir/query.hpp"
#include "analyzer/python/project_models.hpp"
#include "analyzer/python/query_facts.hpp"

// Internal to analyzer/python: turns each file's query facts into ir::FileQueries once every
// file has been read (constants imported from other modules, which names are mapped classes).
namespace dbaudit::python {

// `facts` indexed by file index (as SummarizeFiles fills it); `classes` as
// ProjectModels::Classes returns them. Files without any interaction are left out; the result
// is sorted by display path.
std::vector<ir::FileQueries> ResolveQueries(const std::vector<FileQueryFacts>& facts, ProjectModels& models,
                                            const std::vector<ir::ModelClass>& classes);

}  // namespace dbaudit::python
