#pragma once

#include <string>
#include <vector>

namespace dbaudit::driver {

// Every comma-separated item of every value, trimmed of blanks, empty items dropped:
// {"model-*, -model-x", "query-*"} -> {"model-*", "-model-x", "query-*"}. Used for list options
// on the command line and for the rule ids of `# dbaudit: ignore[a, b]`.
std::vector<std::string> SplitCommaList(const std::vector<std::string>& values);

}  // namespace dbaudit::driver
