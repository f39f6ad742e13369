#pragma once

#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/finding.hpp"
#include "rules/rule.hpp"

// Small helpers every rule shares: SQL quoting, names as messages spell them, and the
// boilerplate of a finding. Free functions, no state.
namespace dbaudit::rules {

// PostgreSQL's quote_ident(): the identifier as is when it is a lower-case, non-keyword
// identifier, else in double quotes with embedded double quotes doubled.
std::string QuoteIdent(const std::string& identifier);
// A string literal: single quotes doubled.
std::string QuoteLiteral(const std::string& text);
// "schema"."name" with each part quoted as needed ("public.users", "\"Order\"").
std::string QualifiedSql(const std::string& schema, const std::string& name);
// "(a, b)" with each part quoted as needed.
std::string ColumnListSql(const std::vector<std::string>& columns);

// The name a message uses: "users" for public tables, "audit.events" otherwise.
std::string DisplayName(const ir::Table& table);
std::string DisplayName(const std::string& schema, const std::string& name);
// "users.email"
std::string DisplayColumn(const ir::Table& table, const std::string& column);
// "(a, b)"
std::string DisplayList(const std::vector<std::string>& items);
// The type as a message prints it; "an unknown type" when the source could not tell.
std::string DisplayType(const std::string& type);

// "model app.models.User", "models a.A, b.B" or "the models" (Table::mapped_by).
std::string DescribeModels(const ir::Table& table);
// DescribeModels with a verb that agrees: "model a.User does not", "the models do not".
std::string DescribeModelsWithVerb(const ir::Table& table, const std::string& singular, const std::string& plural);
// "orders(user_id) referencing users(id)"
std::string DescribeForeignKey(const ir::Table& table, const ir::ForeignKey& key);
// "ON DELETE CASCADE ON UPDATE NO ACTION" (unspecified prints as NO ACTION).
std::string DescribeActions(const ir::ForeignKey& key);
// "FOREIGN KEY (a) REFERENCES s.t (b) ON DELETE CASCADE": the constraint's definition, with
// actions left out when they are NO ACTION.
std::string ForeignKeyDefinitionSql(const ir::Table& table, const ir::ForeignKey& key);
// The name PostgreSQL would give: <table>_<col>[_<col>...]_<suffix>, cut to 63 bytes.
std::string DefaultConstraintName(const std::string& table, const std::vector<std::string>& columns,
                                  const std::string& suffix);

// A finding of `rule` with its id, default severity and message.
ir::Finding MakeFinding(const Rule& rule, std::string message);

// Primary location: `preferred` (the side under audit) when known, else `fallback`; the
// other one, when known, becomes a related location with `related_message`.
void Locate(ir::Finding& finding, const ir::Location& preferred, const ir::Location& fallback,
            const std::string& related_message);

// The related-location messages every comparison rule uses.
inline constexpr const char* kDeclaredInDatabase = "declared in the database here";
inline constexpr const char* kDeclaredInModels = "declared in the models here";

// Turns every Facts::diagnostics entry with `rule`'s id into a finding (location, message and
// `incomplete` copied). Several diagnostics of one file get distinct fingerprints.
void ReportDiagnostics(const Rule& rule, const Facts& facts, FindingSink& sink);

}  // namespace dbaudit::rules
