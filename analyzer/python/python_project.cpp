#include "analyzer/python/python_project.hpp"

#include "analyzer/python/project_models.hpp"
#include "analyzer/python/query_facts.hpp"
#include "analyzer/python/query_sites.hpp"

namespace dbaudit::python {

PythonProject ReadPythonProject(const std::vector<SourceFile>& files, const ModelReaderOptions& options) {
  std::vector<SourceFile> sorted = SortedUniqueFiles(files);
  // Each file is parsed once: its model summary and its query facts come from the same tree,
  // and neither keeps the tree or the source.
  std::vector<FileQueryFacts> facts;
  std::vector<FileSummary> summaries = SummarizeFiles(sorted, options, &facts);
  std::unique_ptr<ProjectModels> models = MakeProjectModels(std::move(summaries), options);
  PythonProject project;
  project.models = models->Catalog();
  project.classes = models->Classes(facts);
  project.queries = ResolveQueries(facts, *models, project.classes);
  return project;
}

}  // namespace dbaudit::python
