#pragma once

#include <string>
#include <vector>

#include "analyzer/driver/check.hpp"
#include "reports/constraints_gap.hpp"

namespace dbaudit::driver {

// The constraints gap of a finished check run: the models compared with the schema, and the
// schema's foreign keys without a supporting index (the predicate of the rule
// schema-foreign-key-without-index). Without a schema: an empty gap and a note. Without
// models: only the foreign keys without an index, and a note. Sorted (SortConstraintsGap).
// `ignore_tables` as in CheckOptions.
reports::ConstraintsGap BuildConstraintsGap(const CheckRun& run, const std::vector<std::string>& ignore_tables);

}  // namespace dbaudit::driver
