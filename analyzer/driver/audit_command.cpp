#include "analyzer/driver/command_support.hpp"

namespace dbaudit::driver {

// PLACEHOLDER: the `audit` command's owner replaces this file.
std::vector<Command> AddAuditCommand(CLI::App&) {
  return {};
}

}  // namespace dbaudit::driver
