#include "analyzer/driver/constraints_gap.hpp"

namespace dbaudit::driver {

// PLACEHOLDER: the constraints gap's owner replaces this file.
reports::ConstraintsGap BuildConstraintsGap(const CheckRun& run, const std::vector<std::string>&) {
  reports::ConstraintsGap gap;
  gap.models_source = run.report.models_source;
  gap.schema_source = run.report.schema_source;
  return gap;
}

}  // namespace dbaudit::driver
