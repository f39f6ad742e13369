#include "analyzer/ir/query.hpp"

#include <algorithm>

namespace dbaudit::ir {

const char* ToString(SqlBuild build) {
  switch (build) {
    case SqlBuild::kLiteral: return "literal";
    case SqlBuild::kConstantInterpolation: return "constant-interpolation";
    case SqlBuild::kDynamic: return "dynamic";
  }
  return "literal";
}

const char* ToString(SqlTarget target) {
  switch (target) {
    case SqlTarget::kAuditedDatabase: return "audited-database";
    case SqlTarget::kMigration: return "migration";
    case SqlTarget::kTest: return "test";
    case SqlTarget::kOtherDatabase: return "other-database";
  }
  return "audited-database";
}

const char* ToString(Interaction interaction) {
  switch (interaction) {
    case Interaction::kSqlalchemyImport: return "sqlalchemy-import";
    case Interaction::kFlaskSqlalchemyImport: return "flask-sqlalchemy-import";
    case Interaction::kModelDefinition: return "model-definition";
    case Interaction::kSessionUse: return "session-use";
    case Interaction::kModelQuery: return "model-query";
    case Interaction::kRawSql: return "raw-sql";
    case Interaction::kExecute: return "execute";
    case Interaction::kDdl: return "ddl";
    case Interaction::kDbApiDriver: return "db-api-driver";
    case Interaction::kMigration: return "migration";
    case Interaction::kStringBuiltSql: return "string-built-sql";
  }
  return "raw-sql";
}

const ModelAttribute* ModelClass::Find(const std::string& name) const {
  auto it =
      std::lower_bound(attributes.begin(), attributes.end(), name,
                       [](const ModelAttribute& attribute, const std::string& key) { return attribute.name < key; });
  if (it == attributes.end() || it->name != name) return nullptr;
  return &*it;
}

Location LocateInSql(const SqlText& sql, std::uint32_t offset, const Location& site) {
  for (const SqlSourceSpan& span : sql.spans) {
    if (offset < span.text_begin || offset >= span.text_end) continue;
    Location location;
    location.file = span.file;
    location.line = span.line;
    location.column = span.column;
    if (!span.exact) return location;
    // Walk the decoded text: a newline moves to the next source line (triple-quoted strings),
    // every other UTF-8 sequence is one column.
    for (std::uint32_t i = span.text_begin; i < offset && i < sql.text.size(); ++i) {
      const unsigned char byte = static_cast<unsigned char>(sql.text[i]);
      if (byte == '\n') {
        ++location.line;
        location.column = 1;
      } else if ((byte & 0xC0) != 0x80) {
        ++location.column;
      }
    }
    return location;
  }
  return site;
}

}  // namespace dbaudit::ir
