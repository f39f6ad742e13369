#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/ir/finding.hpp"
#include "analyzer/ir/query.hpp"
#include "rules/rule.hpp"

// What the query- rules share: locating a SQL offset in the Python file, the closest real
// name for a hint, and the model classes by name.
namespace dbaudit::rules::query {

// The Python location of byte `offset` of the site's SQL (the call when unknown).
ir::Location LocateInSite(const ir::QuerySite& site, std::uint32_t offset);

// The candidate closest to `name` by edit distance, when it is close enough to be a likely
// typo (at most 2 edits, or a third of the name's length); empty otherwise. Ties go to the
// alphabetically first, so the hint is deterministic.
std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates);

// "; did you mean \"email\"?" or "" when there is no close name.
std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates);

// The model class named `qualified_name`, or null.
const ir::ModelClass* FindModelClass(const Facts& facts, const std::string& qualified_name);

// Attributes SQLAlchemy, Flask-SQLAlchemy and SQLModel put on every mapped class
// (query, metadata, __table__, c, ...): never unknown.
bool IsFrameworkAttribute(const std::string& name);

// The fingerprint of a query finding: the rule, the subject and the file, so that two
// findings in different files differ and a line move changes nothing.
void SetQueryFingerprint(ir::Finding& finding, const std::string& file);

// One finding per raw SQL site built as `build`, at the interpolated expression (the sink as
// related location): "<what> reaches <api>: <detail>; <advice>".
void ReportBuiltSql(const Rule& rule, const Facts& facts, ir::SqlBuild build, const std::string& what,
                    const std::string& advice, const std::optional<ir::Fix>& fix, FindingSink& sink);

// "model app.models.User"'s short form for messages: "User".
std::string ShortClassName(const std::string& qualified_name);

}  // namespace dbaudit::rules::query
