#include <memory>

#include <fmt/format.h>

#include "rules/rule.hpp"
#include "rules/rule_support.hpp"
#include "rules/schema/index_support.hpp"

namespace dbaudit::rules {

namespace {

std::string ReferencedName(const ir::Table& table, const ir::ForeignKey& key) {
  return DisplayName(key.referenced_schema.empty() ? table.schema : key.referenced_schema, key.referenced_table);
}

class SchemaForeignKeyWithoutIndex final : public Rule {
 public:
  const RuleInfo& Info() const override {
    static const RuleInfo info{"schema-foreign-key-without-index", ir::Severity::kWarning,
                               "A foreign key of the database has no index whose leading columns are its columns.", ""};
    return info;
  }

  void Check(const Facts& facts, FindingSink& sink) const override {
    if (!facts.schema) return;
    for (const UnsupportedForeignKey& unsupported : ForeignKeysWithoutIndex(*facts.schema)) {
      const ir::Table& table = *unsupported.table;
      const ir::ForeignKey& key = *unsupported.key;
      const std::string referenced = ReferencedName(table, key);
      const std::string named = key.name.empty() ? std::string{} : " " + key.name;
      ir::Finding finding = MakeFinding(
          *this, fmt::format("foreign key{} {} has no supporting index: every DELETE on {} and every UPDATE of its "
                             "key scans {} for referencing rows, and joins from {} to {} cannot use an index",
                             named, DescribeForeignKey(table, key), referenced, DisplayName(table), referenced,
                             DisplayName(table)));
      const ir::ForeignKey* declared = FindModelForeignKey(facts.model_diff, table, key);
      Locate(finding, key.location, declared ? declared->location : ir::Location{}, kDeclaredInModels);
      if (!finding.location.IsKnown()) finding.location = table.location;
      finding.subject = {table.schema, table.name, key.columns, key.name};
      ir::Fix fix;
      fix.description = "create the index (CONCURRENTLY, outside a transaction)";
      fix.sql = SupportingIndexSql(table, key);
      finding.fix = std::move(fix);
      sink.Report(std::move(finding));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> MakeSchemaForeignKeyWithoutIndex() {
  return std::make_unique<SchemaForeignKeyWithoutIndex>();
}

}  // namespace dbaudit::rules
