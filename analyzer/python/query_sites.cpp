#include "analyzer/python/query_sites.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "analyzer/python/module_layout.hpp"
#include "analyzer/python/python_syntax.hpp"

namespace dbaudit::python {

namespace {

constexpr int kMaxEvalDepth = 40;
constexpr std::size_t kMaxSqlBytes = std::size_t{1} << 24;  // 16 MiB of built SQL at most

// The value of an expression reaching a sink, as far as it can be known.
struct Evaluated {
  enum class State { kKnown, kDynamic, kUnknown, kText, kConstruct } state = State::kUnknown;
  ir::SqlBuild build = ir::SqlBuild::kLiteral;
  std::string text;
  std::vector<ir::SqlSourceSpan> spans;
  std::string detail;
  ir::Location detail_location;
  bool incomputable = false;  // built from constants only, in a way the reader does not reproduce
  // Not followed (too deep, too large, a constant defined in terms of itself): unknown, and
  // whatever is built from it stays unknown rather than "dynamic".
  bool opaque = false;
};

Evaluated Opaque() {
  Evaluated result;
  result.opaque = true;
  return result;
}

bool IsDunder(const std::string& name) {
  return name.size() > 4 && name.compare(0, 2, "__") == 0 && name.compare(name.size() - 2, 2, "__") == 0;
}

std::vector<std::string> SplitDots(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('.', start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

// Position of text byte `to` inside an exact span that starts at span.text_begin.
std::pair<std::uint32_t, std::uint32_t> Advance(const ir::SqlSourceSpan& span, const std::string& text,
                                                std::uint32_t to) {
  std::uint32_t line = span.line;
  std::uint32_t column = span.column;
  if (!span.exact) return {line, column};
  for (std::uint32_t i = span.text_begin; i < to && i < text.size(); ++i) {
    unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

class Resolver {
 public:
  Resolver(const std::vector<FileQueryFacts>& facts, ProjectModels& models, const std::vector<ir::ModelClass>& classes)
      : facts_(facts), models_(models) {
    for (const auto& model : classes) definitions_.emplace(model.location.file, &model);
  }

  std::vector<ir::FileQueries> Run() {
    std::vector<ir::FileQueries> out;
    for (const auto& file : facts_) {
      ir::FileQueries queries = File(file);
      bool any = !queries.interactions.empty() || !queries.sites.empty() || !queries.attribute_uses.empty();
      if (any) out.push_back(std::move(queries));
    }
    std::sort(out.begin(), out.end(),
              [](const ir::FileQueries& a, const ir::FileQueries& b) { return a.display_path < b.display_path; });
    return out;
  }

 private:
  ir::Location Loc(std::uint32_t file, const Span& span) const {
    ir::Location location;
    location.file = file < facts_.size() ? facts_[file].display_path : "";
    location.line = span.line;
    location.column = span.column;
    location.end_line = span.end_line;
    location.end_column = span.end_column;
    return location;
  }

  // ----- evaluation -----

  static void AppendRange(Evaluated* out, const Evaluated& source, std::uint32_t begin, std::uint32_t end) {
    std::uint32_t offset = static_cast<std::uint32_t>(out->text.size());
    for (const auto& span : source.spans) {
      std::uint32_t from = std::max(span.text_begin, begin);
      std::uint32_t to = std::min(span.text_end, end);
      if (from >= to) continue;
      ir::SqlSourceSpan clipped = span;
      auto [line, column] = Advance(span, source.text, from);
      clipped.line = line;
      clipped.column = column;
      clipped.text_begin = from - begin + offset;
      clipped.text_end = to - begin + offset;
      out->spans.push_back(std::move(clipped));
    }
    out->text.append(source.text, begin, end - begin);
  }

  static void Append(Evaluated* out, const Evaluated& part) {
    AppendRange(out, part, 0, static_cast<std::uint32_t>(part.text.size()));
    if (part.build == ir::SqlBuild::kConstantInterpolation) out->build = part.build;
    if (out->detail.empty() && !part.detail.empty()) {
      out->detail = part.detail;
      out->detail_location = part.detail_location;
    }
    out->incomputable = out->incomputable || part.incomputable;
  }

  Evaluated Dynamic(const std::string& detail, const ir::Location& where) const {
    Evaluated result;
    result.state = Evaluated::State::kDynamic;
    result.build = ir::SqlBuild::kDynamic;
    result.detail = detail;
    result.detail_location = where;
    return result;
  }

  // A part that is not a known constant, inside a built string: dynamic, with what it is.
  Evaluated DynamicPart(const Evaluated& part, const SqlValue& value, const std::string& how) const {
    if (part.state == Evaluated::State::kDynamic || part.opaque) return part;
    // The runtime value by the name it was found under (a parameter, a call), where it is used.
    if (!part.detail.empty() && part.detail_location.line != 0) {
      return Dynamic(how + " `" + part.detail + "`", part.detail_location);
    }
    return Dynamic(how + " `" + Shown(value) + "`", Loc(value.file, value.span));
  }

  static std::string Shown(const SqlValue& value) {
    if (value.kind == SqlValue::Kind::kUnknown || value.kind == SqlValue::Kind::kRef) return value.text;
    if (value.kind == SqlValue::Kind::kInterpolation) return value.text;
    return "expression";
  }

  void NoteConstant(Evaluated* out, const std::string& how, const SqlValue& value) const {
    out->build = ir::SqlBuild::kConstantInterpolation;
    if (out->detail.empty()) {
      out->detail = how + " constant `" + Shown(value) + "`";
      out->detail_location = Loc(value.file, value.span);
    }
  }

  bool TooLarge(const Evaluated& value) const { return value.text.size() > kMaxSqlBytes; }

  Evaluated Eval(const SqlValue* value, int depth) {
    Evaluated result;
    if (!value) return result;
    if (depth > kMaxEvalDepth) return Opaque();
    switch (value->kind) {
      case SqlValue::Kind::kLiteral: {
        result.state = Evaluated::State::kKnown;
        result.text = value->text;
        result.spans = value->spans;
        for (auto& span : result.spans) span.file = facts_[value->file].display_path;
        return result;
      }
      case SqlValue::Kind::kNumber:
        result.state = Evaluated::State::kKnown;
        result.text = value->text;
        return result;
      case SqlValue::Kind::kRef: return EvalRef(*value, depth);
      case SqlValue::Kind::kConcat: return EvalConcat(*value, depth);
      case SqlValue::Kind::kFString: return EvalFString(*value, depth);
      case SqlValue::Kind::kPercent: return EvalPercent(*value, depth);
      case SqlValue::Kind::kFormat: return EvalFormat(*value, depth);
      case SqlValue::Kind::kJoin: return EvalJoin(*value, depth);
      case SqlValue::Kind::kText: result.state = Evaluated::State::kText; return result;
      case SqlValue::Kind::kConstruct: result.state = Evaluated::State::kConstruct; return result;
      case SqlValue::Kind::kAlternatives: return EvalAlternatives(*value, depth);
      default:
        if (value->spec == "opaque") return Opaque();
        result.detail = value->text;
        result.detail_location = Loc(value->file, value->span);
        return result;
    }
  }

  Evaluated EvalRef(const SqlValue& value, int depth) {
    NameTarget target = models_.Resolve(value.file, SplitDots(value.text));
    Evaluated unknown;
    unknown.detail = value.text;
    unknown.detail_location = Loc(value.file, value.span);
    // A project class, function or module: a value the reader does not follow, not user input.
    if (target.kind == NameTarget::Kind::kOther || target.kind == NameTarget::Kind::kModelClass) {
      Evaluated opaque = Opaque();
      opaque.detail = value.text;
      opaque.detail_location = unknown.detail_location;
      return opaque;
    }
    if (target.kind != NameTarget::Kind::kConstant || target.file >= facts_.size()) return unknown;
    auto key = std::make_pair(target.file, target.name);
    if (auto cached = memo_.find(key); cached != memo_.end()) return cached->second;
    if (!in_progress_.insert(key).second) return Opaque();  // NAME = NAME + "...": not followed
    const auto& constants = facts_[target.file].constants;
    auto it = constants.find(target.name);
    Evaluated result = it == constants.end() ? unknown : Eval(it->second.get(), depth + 1);
    in_progress_.erase(key);
    if (result.state == Evaluated::State::kUnknown && result.detail.empty() && !result.opaque) result = unknown;
    memo_.emplace(key, result);
    return result;
  }

  Evaluated EvalConcat(const SqlValue& value, int depth) {
    Evaluated result;
    result.state = Evaluated::State::kKnown;
    for (const auto& child : value.children) {
      Evaluated part = Eval(child.get(), depth + 1);
      if (part.state == Evaluated::State::kText || part.state == Evaluated::State::kConstruct) return Opaque();
      if (part.state != Evaluated::State::kKnown) return DynamicPart(part, *child, "`+` concatenates");
      Append(&result, part);
      if (TooLarge(result)) return Opaque();
    }
    return result;
  }

  Evaluated EvalFString(const SqlValue& value, int depth) {
    Evaluated result;
    result.state = Evaluated::State::kKnown;
    for (const auto& child : value.children) {
      if (child->kind != SqlValue::Kind::kInterpolation) {
        Append(&result, Eval(child.get(), depth + 1));
        continue;
      }
      const SqlValue* inner = child->children.empty() ? nullptr : child->children[0].get();
      Evaluated part = Eval(inner, depth + 1);
      if (part.state != Evaluated::State::kKnown) return DynamicPart(part, *child, "f-string interpolates");
      NoteConstant(&result, "f-string interpolates", *child);
      if (!child->spec.empty()) {
        result.incomputable = true;
        continue;
      }
      Append(&result, part);
      if (TooLarge(result)) return Opaque();
    }
    return result;
  }

  Evaluated EvalAlternatives(const SqlValue& value, int depth) {
    std::vector<Evaluated> options;
    for (const auto& child : value.children) {
      Evaluated option = Eval(child.get(), depth + 1);
      if (option.state == Evaluated::State::kDynamic) return option;
      if (option.opaque) return option;
      options.push_back(std::move(option));
    }
    bool same = !options.empty();
    for (const auto& option : options) {
      // A runtime value on one path: what is built from it is dynamic.
      if (option.state == Evaluated::State::kUnknown) return option;
      same = same && option.state == options[0].state && option.text == options[0].text;
    }
    if (same) return options[0];
    // Known values, different on different paths: not checkable, but not user input either.
    Evaluated opaque = Opaque();
    opaque.detail = "assigned differently on different paths";
    opaque.detail_location = Loc(value.file, value.span);
    return opaque;
  }

  // "... %s ..." % args
  Evaluated EvalPercent(const SqlValue& value, int depth) {
    const SqlValue& templ_value = *value.children[0];
    Evaluated templ = Eval(&templ_value, depth + 1);
    if (templ.state != Evaluated::State::kKnown) return DynamicPart(templ, templ_value, "`%` formats into");
    const SqlValue& args = *value.children[1];
    std::vector<std::pair<const SqlValue*, Evaluated>> positional;
    std::map<std::string, std::pair<const SqlValue*, Evaluated>> named;
    if (args.kind == SqlValue::Kind::kTuple || args.kind == SqlValue::Kind::kDict) {
      for (std::size_t i = 0; i < args.children.size(); ++i) {
        const SqlValue* item = args.children[i].get();
        Evaluated evaluated = Eval(item, depth + 1);
        if (evaluated.state != Evaluated::State::kKnown) return DynamicPart(evaluated, *item, "`%` formats");
        if (args.kind == SqlValue::Kind::kDict) {
          named[args.names[i]] = {item, std::move(evaluated)};
        } else {
          positional.emplace_back(item, std::move(evaluated));
        }
      }
    } else {
      Evaluated evaluated = Eval(&args, depth + 1);
      if (evaluated.state != Evaluated::State::kKnown) return DynamicPart(evaluated, args, "`%` formats");
      positional.emplace_back(&args, std::move(evaluated));
    }
    Evaluated result;
    result.state = Evaluated::State::kKnown;
    result.build = ir::SqlBuild::kConstantInterpolation;
    const SqlValue* first =
        positional.empty() ? (named.empty() ? &args : named.begin()->second.first) : positional[0].first;
    NoteConstant(&result, "`%` formats", *first);
    const std::string& text = templ.text;
    std::size_t next = 0;
    std::uint32_t copied = 0;
    for (std::uint32_t i = 0; i < text.size(); ++i) {
      if (text[i] != '%') continue;
      AppendRange(&result, templ, copied, i);
      if (i + 1 >= text.size()) return Incomputable(result);
      char c = text[i + 1];
      if (c == '%') {
        AppendRange(&result, templ, i, i + 1);
        copied = i + 2;
        ++i;
        continue;
      }
      const Evaluated* substitute = nullptr;
      std::uint32_t j = i + 1;
      if (c == '(') {
        std::size_t close = text.find(')', j);
        if (close == std::string::npos) return Incomputable(result);
        auto found = named.find(text.substr(j + 1, close - j - 1));
        if (found == named.end()) return Incomputable(result);
        substitute = &found->second.second;
        j = static_cast<std::uint32_t>(close + 1);
      } else {
        if (next >= positional.size()) return Incomputable(result);
        substitute = &positional[next++].second;
      }
      if (j >= text.size() || (text[j] != 's' && text[j] != 'd' && text[j] != 'i')) return Incomputable(result);
      Append(&result, *substitute);
      copied = j + 1;
      i = j;
    }
    AppendRange(&result, templ, copied, static_cast<std::uint32_t>(text.size()));
    if (next != positional.size()) return Incomputable(result);
    if (templ.build == ir::SqlBuild::kConstantInterpolation) result.build = templ.build;
    return result;
  }

  static Evaluated Incomputable(Evaluated result) {
    result.incomputable = true;
    return result;
  }

  // "... {} ...".format(args)
  Evaluated EvalFormat(const SqlValue& value, int depth) {
    const SqlValue& templ_value = *value.children[0];
    Evaluated templ = Eval(&templ_value, depth + 1);
    if (templ.state != Evaluated::State::kKnown) return DynamicPart(templ, templ_value, "`.format()` on");
    std::size_t keyword_count = value.names.size();
    std::size_t positional_count = value.children.size() - 1 - keyword_count;
    std::vector<Evaluated> positional;
    std::map<std::string, Evaluated> named;
    for (std::size_t i = 1; i < value.children.size(); ++i) {
      const SqlValue* item = value.children[i].get();
      Evaluated evaluated = Eval(item, depth + 1);
      if (evaluated.state != Evaluated::State::kKnown) return DynamicPart(evaluated, *item, "`.format()` inserts");
      if (i - 1 < positional_count) {
        positional.push_back(std::move(evaluated));
      } else {
        named[value.names[i - 1 - positional_count]] = std::move(evaluated);
      }
    }
    Evaluated result;
    result.state = Evaluated::State::kKnown;
    const SqlValue* first = value.children.size() > 1 ? value.children[1].get() : &templ_value;
    NoteConstant(&result, "`.format()` inserts", *first);
    if (value.spec == "splat") return Incomputable(result);
    const std::string& text = templ.text;
    std::size_t automatic = 0;
    std::uint32_t copied = 0;
    for (std::uint32_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c != '{' && c != '}') continue;
      AppendRange(&result, templ, copied, i);
      if (i + 1 < text.size() && text[i + 1] == c) {
        AppendRange(&result, templ, i, i + 1);
        copied = i + 2;
        ++i;
        continue;
      }
      if (c == '}') return Incomputable(result);
      std::size_t close = text.find('}', i);
      if (close == std::string::npos) return Incomputable(result);
      std::string field = text.substr(i + 1, close - i - 1);
      const Evaluated* substitute = nullptr;
      if (field.find_first_of(":!.[") != std::string::npos) return Incomputable(result);
      if (field.empty()) {
        if (automatic >= positional.size()) return Incomputable(result);
        substitute = &positional[automatic++];
      } else if (std::all_of(field.begin(), field.end(), [](char d) { return d >= '0' && d <= '9'; })) {
        std::size_t index = std::stoul(field);
        if (index >= positional.size()) return Incomputable(result);
        substitute = &positional[index];
      } else {
        auto found = named.find(field);
        if (found == named.end()) return Incomputable(result);
        substitute = &found->second;
      }
      Append(&result, *substitute);
      copied = static_cast<std::uint32_t>(close + 1);
      i = static_cast<std::uint32_t>(close);
      if (TooLarge(result)) return Opaque();
    }
    AppendRange(&result, templ, copied, static_cast<std::uint32_t>(text.size()));
    return result;
  }

  Evaluated EvalJoin(const SqlValue& value, int depth) {
    Evaluated separator = Eval(value.children[0].get(), depth + 1);
    if (separator.state != Evaluated::State::kKnown) {
      return DynamicPart(separator, *value.children[0], "join() with separator");
    }
    Evaluated result;
    result.state = Evaluated::State::kKnown;
    for (std::size_t i = 1; i < value.children.size(); ++i) {
      const SqlValue* item = value.children[i].get();
      Evaluated part = Eval(item, depth + 1);
      if (part.state != Evaluated::State::kKnown) return DynamicPart(part, *item, "join() of");
      if (i > 1) Append(&result, separator);
      Append(&result, part);
      if (TooLarge(result)) return Opaque();
    }
    if (value.children.size() > 1) NoteConstant(&result, "join() of", *value.children[1]);
    return result;
  }

  // ----- sites -----

  std::optional<ir::QuerySite> Site(const FileQueryFacts& file, const RawSite& raw) {
    ir::QuerySite site;
    site.kind = raw.kind;
    site.api = raw.api;
    site.location = Loc(file.file, raw.span);
    site.param_style = raw.param_style;
    site.position = raw.position;
    if (!raw.other_database.empty()) {
      site.target = ir::SqlTarget::kOtherDatabase;
      site.target_detail = raw.other_database;
    } else if (role_ == FileRole::kMigration) {
      site.target = ir::SqlTarget::kMigration;
    } else if (role_ == FileRole::kTest) {
      site.target = ir::SqlTarget::kTest;
    }
    if (!raw.model_root.empty()) {
      NameTarget target = models_.Resolve(file.file, raw.model_root);
      if (target.kind != NameTarget::Kind::kModelClass || !target.rest.empty()) return std::nullopt;
      return site;
    }
    if (raw.kind == ir::QueryKind::kOrm) return site;
    if (raw.no_sql || !raw.sql) {
      site.unresolved = true;
      return site;
    }
    Evaluated value = Eval(raw.sql.get(), 0);
    switch (value.state) {
      case Evaluated::State::kText:
      case Evaluated::State::kConstruct:
        if (!raw.drop_if_construct) {
          site.unresolved = true;
          return site;
        }
        if (!raw.session_use) return std::nullopt;  // the text()/select() is the site
        site.kind = ir::QueryKind::kOrm;
        site.param_style = ir::ParamStyle::kUnknown;
        return site;
      case Evaluated::State::kUnknown: site.unresolved = true; return site;
      case Evaluated::State::kDynamic:
        site.build = ir::SqlBuild::kDynamic;
        site.build_detail = value.detail;
        site.build_location = value.detail_location;
        return site;
      case Evaluated::State::kKnown: break;
    }
    site.build = value.build;
    if (value.build == ir::SqlBuild::kConstantInterpolation) {
      site.build_detail = value.detail;
      site.build_location = value.detail_location;
    }
    if (value.incomputable) {
      site.build = ir::SqlBuild::kConstantInterpolation;
      site.unresolved = true;
      return site;
    }
    ir::SqlText sql;
    sql.text = std::move(value.text);
    sql.spans = std::move(value.spans);
    site.sql = std::move(sql);
    return site;
  }

  ir::FileQueries File(const FileQueryFacts& file) {
    ir::FileQueries queries;
    queries.display_path = file.display_path;
    std::set<std::string> module_level_names;
    for (const auto& [name, value] : file.constants) module_level_names.insert(name);
    role_ = file.is_migration ? FileRole::kMigration : RoleOfFile(file.display_path, module_level_names);
    queries.is_migration = role_ == FileRole::kMigration;
    queries.is_test = role_ == FileRole::kTest;
    std::map<ir::Interaction, ir::InteractionCount> counts;
    auto count = [&](ir::Interaction interaction, const ir::Location& where) {
      auto& entry = counts[interaction];
      entry.interaction = interaction;
      if (entry.count == 0 || std::tie(where.line, where.column) < std::tie(entry.first.line, entry.first.column)) {
        entry.first = where;
      }
      ++entry.count;
    };
    for (const auto& event : file.events) count(event.interaction, Loc(file.file, event.span));
    auto defined = definitions_.equal_range(file.display_path);
    for (auto it = defined.first; it != defined.second; ++it) {
      count(ir::Interaction::kModelDefinition, it->second->location);
    }
    for (const auto& raw : file.sites) {
      auto site = Site(file, raw);
      if (!site) continue;
      if (site->kind == ir::QueryKind::kRawSql) {
        count(ir::Interaction::kRawSql, site->location);
        if (site->build != ir::SqlBuild::kLiteral) count(ir::Interaction::kStringBuiltSql, site->location);
      }
      if (raw.model_query || !raw.model_root.empty()) count(ir::Interaction::kModelQuery, site->location);
      queries.sites.push_back(std::move(*site));
    }
    AttributeUses(file, &queries);
    for (auto& [interaction, entry] : counts) queries.interactions.push_back(entry);
    return queries;
  }

  void AttributeUses(const FileQueryFacts& file, ir::FileQueries* queries) {
    const std::string& module = models_.ModuleOf(file.file);
    for (const auto& use : file.attribute_uses) {
      NameTarget target = models_.Resolve(file.file, use.path);
      if (target.kind != NameTarget::Kind::kModelClass || target.rest.empty()) continue;
      const std::string& attribute = target.rest[0];
      if (IsDunder(attribute) || attribute == "query" || attribute == "query_class") continue;
      if (!use.enclosing_class.empty() &&
          (module.empty() ? use.enclosing_class : module + "." + use.enclosing_class) == target.qualified) {
        continue;
      }
      std::size_t index = use.path.size() - target.rest.size();
      if (index >= use.spans.size()) continue;
      ir::ModelAttributeUse out;
      out.kind = ir::AttributeUseKind::kClassAttribute;
      out.model_class = target.qualified;
      out.attribute = attribute;
      out.location = Loc(file.file, use.spans[index]);
      queries->attribute_uses.push_back(std::move(out));
    }
    for (const auto& filter : file.filter_by) {
      NameTarget target = models_.Resolve(file.file, filter.entity);
      if (target.kind != NameTarget::Kind::kModelClass || !target.rest.empty()) continue;
      ir::ModelAttributeUse out;
      out.kind = ir::AttributeUseKind::kFilterByKeyword;
      out.model_class = target.qualified;
      out.attribute = filter.keyword;
      out.location = Loc(file.file, filter.span);
      queries->attribute_uses.push_back(std::move(out));
    }
    std::stable_sort(queries->attribute_uses.begin(), queries->attribute_uses.end(),
                     [](const ir::ModelAttributeUse& a, const ir::ModelAttributeUse& b) {
                       return std::tie(a.location.line, a.location.column) <
                              std::tie(b.location.line, b.location.column);
                     });
  }

  const std::vector<FileQueryFacts>& facts_;
  ProjectModels& models_;
  std::multimap<std::string, const ir::ModelClass*> definitions_;  // by the file defining them
  std::map<std::pair<std::uint32_t, std::string>, Evaluated> memo_;
  std::set<std::pair<std::uint32_t, std::string>> in_progress_;
  FileRole role_ = FileRole::kApplication;  // of the file being resolved
};

}  // namespace

std::vector<ir::FileQueries> ResolveQueries(const std::vector<FileQueryFacts>& facts, ProjectModels& models,
                                            const std::vector<ir::ModelClass>& classes) {
  Resolver resolver(facts, models, classes);
  return resolver.Run();
}

}  // namespace dbaudit::python
