#pragma once

#include <string>
#include <vector>

#include "analyzer/driver/check.hpp"
#include "reports/constraints_gap.hpp"

namespace dbaudit::driver {

// The constraints gap of a finished check run (models and schema both read); an empty gap
// with a note when either side is missing. `ignore_tables` as in CheckOptions.
reports::ConstraintsGap BuildConstraintsGap(const CheckRun& run, const std::vector<std::string>& ignore_tables);

}  // namespace dbaudit::driver
