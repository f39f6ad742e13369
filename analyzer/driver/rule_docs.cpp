#include "analyzer/driver/rule_docs.hpp"

#include <sstream>

namespace dbaudit::driver {

const RuleDoc* FindRuleDoc(const std::string& id) {
  for (const auto& doc : EmbeddedRuleDocs()) {
    if (doc.id == id) return &doc;
  }
  return nullptr;
}

std::string WhatItDoes(const std::string& markdown) {
  std::istringstream lines(markdown);
  std::string line;
  std::string paragraph;
  bool inside = false;
  while (std::getline(lines, line)) {
    if (line.rfind("## ", 0) == 0) {
      if (inside) break;
      inside = line == "## What it does";
      continue;
    }
    if (!inside) continue;
    if (line.empty()) {
      if (!paragraph.empty()) break;
      continue;
    }
    if (!paragraph.empty()) paragraph += ' ';
    paragraph += line;
  }
  return paragraph;
}

reports::RuleDescriptor DescribeRule(const rules::RuleInfo& info) {
  reports::RuleDescriptor descriptor;
  descriptor.id = info.id;
  descriptor.default_severity = info.default_severity;
  descriptor.summary = info.summary;
  descriptor.category = info.category;
  descriptor.help_uri = "https://github.com/dbaudit/dbaudit/blob/main/docs/rules/" + info.id + ".md";
  if (const RuleDoc* doc = FindRuleDoc(info.id)) {
    descriptor.help_markdown = doc->markdown;
    descriptor.full_description = WhatItDoes(doc->markdown);
  }
  if (descriptor.full_description.empty()) descriptor.full_description = info.summary;
  if (descriptor.help_markdown.empty()) descriptor.help_markdown = info.summary;
  return descriptor;
}

}  // namespace dbaudit::driver
