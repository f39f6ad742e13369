#include <algorithm>

#include <fmt/core.h>

#include "analyzer/driver/command_support.hpp"
#include "analyzer/driver/rule_docs.hpp"
#include "rules/rule.hpp"

namespace dbaudit::driver {

namespace {

int RunRulesCommand(const std::string& id) {
  const auto all = rules::MakeAllRules();
  if (id.empty()) {
    size_t width = 0;
    for (const auto& rule : all) width = std::max(width, rule->Info().id.size());
    for (const auto& rule : all) {
      const auto& info = rule->Info();
      fmt::print("{:<{}}  {:<7}  {}\n", info.id, width, ir::ToString(info.default_severity), info.summary);
    }
    return 0;
  }
  for (const auto& rule : all) {
    if (rule->Info().id != id) continue;
    const RuleDoc* doc = FindRuleDoc(id);
    if (doc) {
      fmt::print("{}", doc->markdown);
    } else {
      fmt::print("# {}\n\n{}\n", id, rule->Info().summary);
    }
    return 0;
  }
  PrintError("unknown rule '" + id + "' (see `dbaudit rules`)");
  return kExitToolFailure;
}

}  // namespace

std::vector<Command> AddRulesCommand(CLI::App& app) {
  auto rule_id = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("rules", "List the rules, or print the documentation of one");
  command->add_option("id", *rule_id, "A rule id");
  return {{command, [rule_id] { return RunRulesCommand(*rule_id); }}};
}

}  // namespace dbaudit::driver
