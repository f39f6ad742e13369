#pragma once

#include <string>

#include "analyzer/driver/check.hpp"
#include "reports/inventory.hpp"

namespace dbaudit::driver {

// db_inventory.md's rows from a finished run: each file with query sites, its interaction
// counts, the tables its SQL names, its risk and why, and the query- findings located in it.
reports::InventoryReport BuildInventory(const CheckRun& run);

// The file's place in the project, in the audit plan's words ("models", "routes", "utils",
// "scripts", "scripts-debug", "temp", "migrations", "tests", "root script", "other").
std::string FileRole(const std::string& display_path, bool is_migration);

}  // namespace dbaudit::driver
