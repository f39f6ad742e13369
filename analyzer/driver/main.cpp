#include "analyzer/driver/cli.hpp"

int main(int argc, char** argv) {
  return dbaudit::driver::RunCli(argc, argv);
}
