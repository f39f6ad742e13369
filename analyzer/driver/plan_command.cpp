#include "analyzer/driver/command_support.hpp"

namespace dbaudit::driver {

// PLACEHOLDER: the `plan` command's owner replaces this file.
std::vector<Command> AddPlanCommand(CLI::App&) {
  return {};
}

}  // namespace dbaudit::driver
