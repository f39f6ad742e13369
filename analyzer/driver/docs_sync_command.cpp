#include "analyzer/driver/command_support.hpp"

namespace dbaudit::driver {

std::vector<Command> AddDocsSyncCommand(CLI::App& docs) {
  return {};
}

}  // namespace dbaudit::driver
