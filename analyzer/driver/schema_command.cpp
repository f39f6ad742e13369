#include "analyzer/driver/command_support.hpp"

namespace dbaudit::driver {

std::vector<Command> AddSchemaCommands(CLI::App& app) {
  return {};
}

}  // namespace dbaudit::driver
