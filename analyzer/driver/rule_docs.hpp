#pragma once

#include <string>
#include <vector>

#include "reports/report.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

struct RuleDoc {
  std::string id;
  std::string markdown;
};

// docs/rules/<id>.md pages compiled into the binary (generated at build time).
const std::vector<RuleDoc>& EmbeddedRuleDocs();
const RuleDoc* FindRuleDoc(const std::string& id);

// The "What it does" section of a doc page, as one paragraph of plain text.
std::string WhatItDoes(const std::string& markdown);

// What the emitters know of a rule: metadata plus its documentation.
reports::RuleDescriptor DescribeRule(const rules::RuleInfo& info);

}  // namespace dbaudit::driver
