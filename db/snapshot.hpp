#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/result.hpp"

namespace dbaudit::db {

// A JSON snapshot of a Catalog (the `--schema-json` source and `schema export --format json`).
// Round trip: FromSnapshot(ToSnapshot(c)) is SameSchema with c.
nlohmann::ordered_json ToSnapshot(const ir::Catalog& catalog);
ir::Result<ir::Catalog> FromSnapshot(const nlohmann::json& json, const std::string& display_path);
ir::Result<ir::Catalog> ReadSnapshotFile(const std::string& path, const std::string& display_path);

}  // namespace dbaudit::db
