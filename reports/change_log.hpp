#pragma once

#include <string>
#include <string_view>
#include <vector>

// pgdb_changes.md: the log of database changes the audit plan keeps. `dbaudit plan` appends
// one entry per script; earlier entries are never touched.
namespace dbaudit::reports {

struct ChangeLogEntry {
  std::string date;           // UTC, YYYY-MM-DD
  std::string script_path;    // as the entry shows it (relative to the log's folder when inside it)
  std::string sha256;         // of the script's bytes, lower-case hex
  std::string schema_source;  // redacted
  std::string tool_version;
  std::string summary;                   // one line: "4 changes for 5 findings; ..."
  std::vector<std::string> changes;      // one line each
  std::vector<std::string> hazards;      // distinct, in script order
  std::vector<std::string> not_planned;  // one line each
  std::string status = "pending approval";
};

inline constexpr const char* kChangeLogTitle = "# Database change log";

// The entry as Markdown, starting with "## <date> — <script>" and ending with a blank line.
std::string RenderChangeLogEntry(const ChangeLogEntry& entry);

// The new contents of the log: `existing` byte for byte, then the entry. When the log does
// not exist yet (`exists` false) it starts with the title and a sentence saying what it is.
std::string AppendChangeLogEntry(const std::string& existing, bool exists, const ChangeLogEntry& entry);

// SHA-256 of `data` as 64 lower-case hex digits (FIPS 180-4).
std::string Sha256Hex(std::string_view data);

}  // namespace dbaudit::reports
