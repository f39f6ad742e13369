#pragma once

#include <string>

namespace dbaudit::testing {

// Compares `actual` with the snapshot file at `path` (relative to the source tree). With
// DBAUDIT_UPDATE_SNAPSHOTS=1 in the environment the snapshot is (re)written instead and the
// check passes; a missing snapshot fails and says how to create it.
void ExpectMatchesSnapshot(const std::string& actual, const std::string& path);

// Replaces every occurrence of `from` with `to` (used to redact absolute paths and versions).
std::string ReplaceAll(std::string text, const std::string& from, const std::string& to);

}  // namespace dbaudit::testing
