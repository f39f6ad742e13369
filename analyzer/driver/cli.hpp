#pragma once

namespace dbaudit::driver {

// Parses the command line and runs the subcommand. Returns the process exit code:
// 0 nothing at or above --fail-on, 1 findings, 2 the tool could not do its job.
int RunCli(int argc, char** argv);

}  // namespace dbaudit::driver
