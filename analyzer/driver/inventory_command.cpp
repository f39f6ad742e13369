#include "analyzer/driver/command_support.hpp"

namespace dbaudit::driver {

std::vector<Command> AddInventoryCommand(CLI::App& app) {
  return {};
}

}  // namespace dbaudit::driver
