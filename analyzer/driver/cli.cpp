#include "analyzer/driver/cli.hpp"

namespace dbaudit::driver {

int RunCli(int argc, char** argv) { return 0; }

}  // namespace dbaudit::driver
