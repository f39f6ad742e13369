#include "reports/constraints_gap.hpp"

namespace dbaudit::reports {

// PLACEHOLDER: the constraints gap's owner replaces this file.
std::string RenderConstraintsGap(const ConstraintsGap&) {
  return "# Constraints gap\n";
}

}  // namespace dbaudit::reports
