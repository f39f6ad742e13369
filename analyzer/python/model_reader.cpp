#include "analyzer/python/model_reader.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "analyzer/python/known_types.hpp"
#include "analyzer/python/module_layout.hpp"
#include "analyzer/python/naming.hpp"
#include "analyzer/python/project_models.hpp"
#include "analyzer/python/python_syntax.hpp"
#include "analyzer/python/query_facts.hpp"
#include "analyzer/sql/normalize.hpp"

namespace dbaudit::python {

namespace {

constexpr int kMaxResolveDepth = 12;

// ---------------------------------------------------------------------------------------------
// Reading files
// ---------------------------------------------------------------------------------------------

ir::Diagnostic FileDiagnostic(const std::string& file, const std::string& rule, ir::Severity severity,
                              std::string message, std::uint32_t line = 0, std::uint32_t column = 0) {
  ir::Diagnostic diagnostic;
  diagnostic.rule_id = rule;
  diagnostic.severity = severity;
  diagnostic.message = std::move(message);
  diagnostic.location.file = file;
  diagnostic.location.line = line;
  diagnostic.location.column = column;
  return diagnostic;
}

// Length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none.
std::size_t Utf8SequenceLength(const std::string& text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t minimum = 0;
  std::uint32_t code = 0;
  if ((c & 0xE0) == 0xC0) {
    length = 2, code = c & 0x1F, minimum = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3, code = c & 0x0F, minimum = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4, code = c & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

// Reads one file; binary and unreadable files become an error diagnostic, invalid UTF-8 is
// replaced byte for byte with '?' (so offsets stay put) and noted.
FileSummary ReadAndSummarize(const SourceFile& file, std::uint32_t index, FileQueryFacts* facts,
                             const ModuleName& name) {
  if (facts) {
    facts->display_path = file.display_path;
    facts->file = index;
  }
  FileSummary empty;
  empty.display_path = file.display_path;
  empty.module = name.name;
  empty.is_package = name.is_package;
  std::FILE* handle = std::fopen(file.absolute_path.c_str(), "rb");
  if (!handle) {
    auto diagnostic = FileDiagnostic(file.display_path, ir::kRuleFileUnreadable, ir::Severity::kError,
                                     "cannot read Python file: " + std::string(std::strerror(errno)));
    diagnostic.incomplete = true;
    empty.diagnostics.push_back(std::move(diagnostic));
    return empty;
  }
  std::string source;
  char buffer[65536];
  bool failed = false;
  int read_errno = 0;
  while (true) {
    std::size_t got = std::fread(buffer, 1, sizeof buffer, handle);
    source.append(buffer, got);
    if (got < sizeof buffer) {
      if (std::ferror(handle)) {
        failed = true;
        read_errno = errno;
      }
      break;
    }
  }
  std::fclose(handle);
  if (failed) {
    auto diagnostic = FileDiagnostic(file.display_path, ir::kRuleFileUnreadable, ir::Severity::kError,
                                     "cannot read Python file: " + std::string(std::strerror(read_errno)));
    diagnostic.incomplete = true;
    empty.diagnostics.push_back(std::move(diagnostic));
    return empty;
  }
  if (source.find('\0') != std::string::npos) {
    auto diagnostic = FileDiagnostic(file.display_path, ir::kRuleFileUnreadable, ir::Severity::kError,
                                     "file is binary (contains NUL bytes), not Python source; not read");
    diagnostic.incomplete = true;
    empty.diagnostics.push_back(std::move(diagnostic));
    return empty;
  }
  std::uint32_t bad_line = 0;
  std::uint32_t line = 1;
  for (std::size_t i = 0; i < source.size();) {
    if (source[i] == '\n') ++line;
    std::size_t length = Utf8SequenceLength(source, i);
    if (length == 0) {
      if (!bad_line) bad_line = line;
      source[i] = '?';
      length = 1;
    }
    i += length;
  }
  FileSummary summary = SummarizePython(source, file.display_path, index, facts, &name.name, name.is_package);
  if (!name.alias.empty()) summary.module_alias = name.alias;
  std::set<std::string> module_level_names;
  for (const Binding& binding : summary.assignments) module_level_names.insert(binding.name);
  switch (RoleOfFile(file.display_path, module_level_names)) {
    case FileRole::kApplication: summary.role = SourceRole::kApplication; break;
    case FileRole::kMigration: summary.role = SourceRole::kMigration; break;
    case FileRole::kTest: summary.role = SourceRole::kTest; break;
  }
  if (bad_line) {
    summary.diagnostics.push_back(FileDiagnostic(file.display_path, ir::kRulePythonSyntaxError, ir::Severity::kNote,
                                                 "file is not valid UTF-8; invalid bytes were replaced before reading",
                                                 bad_line, 1));
  }
  return summary;
}

// ---------------------------------------------------------------------------------------------
// Resolution structures
// ---------------------------------------------------------------------------------------------

struct ClassKey {
  std::uint32_t file = 0;
  std::uint32_t index = 0;
  friend bool operator==(const ClassKey&, const ClassKey&) = default;
  friend auto operator<=>(const ClassKey&, const ClassKey&) = default;
};

struct Ref {
  enum Kind { kNone, kExternal, kClass, kAssign, kFunction, kModule } kind = kNone;
  std::string external;  // qualified external name, or the module name for kModule
  std::uint32_t file = 0;
  std::uint32_t index = 0;  // class index or assignment index
  std::vector<std::string> rest;
};

// A call seen through `functools.partial` factories: positional and keyword arguments merged.
struct CallView {
  const Expr* call = nullptr;
  const Expr* callee = nullptr;
  std::string canonical;
  std::vector<const Expr*> positional;
  std::vector<std::pair<std::string, const Expr*>> keywords;  // later entries win

  const Expr* Kw(const std::string& name) const {
    for (auto it = keywords.rbegin(); it != keywords.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return nullptr;
  }
};

struct Meta {
  std::map<std::string, std::string> convention;  // "ix", "uq", "ck", "fk", "pk" -> template
  std::string schema;
  std::string identity;  // where the MetaData is made (ir::Table::metadata); "" when not known
};

enum class Flavor { kNone, kDeclarative, kFlask, kSqlModel };

struct EnumDraft {
  std::string name;
  // Empty: the default schema, as SQLAlchemy creates the type there unless it is given
  // schema=, metadata= (a MetaData with a schema) or inherit_schema=True (the table's).
  std::string schema;
  std::vector<std::string> labels;
  bool inherit_schema = false;
};

struct TypeResult {
  std::string type;
  bool integer = false;
  std::optional<EnumDraft> enum_draft;
  std::string problem;  // why the type is unknown
};

struct FkDraft {
  std::vector<std::string> columns;
  std::string schema;  // empty: default
  std::string table;
  std::vector<std::string> referenced;
  std::string name;
  ir::ReferentialAction on_delete = ir::ReferentialAction::kUnspecified;
  ir::ReferentialAction on_update = ir::ReferentialAction::kUnspecified;
  bool deferrable = false;
  bool initially_deferred = false;
  ir::Location location;
};

struct ColumnDraft {
  ir::Column column;
  bool primary_key = false;
  bool unique = false;
  bool index = false;
  std::optional<bool> autoincrement;
  bool integer = false;
  bool type_from_fk = false;
  std::vector<FkDraft> fks;
  std::vector<ir::CheckConstraint> checks;
  std::optional<EnumDraft> enum_draft;
  std::string attribute;       // the Python attribute (or key) that names the column in code
  bool search_vector = false;  // a TSVectorType column (sqlalchemy-searchable indexes it)
};

struct TableDraft {
  std::string schema;
  std::string name;
  ir::Location location;
  std::vector<std::string> mapped_by;
  std::vector<ColumnDraft> columns;
  std::vector<const Expr*> constraint_items;  // from __table_args__ or Table(...)
  Meta meta;
  std::string comment;
  std::uint32_t file = 0;
  std::vector<std::string> class_attributes;   // names usable as bare column references
  std::vector<std::string> name_alternatives;  // ir::Table::name_alternatives
  std::vector<std::string> unread_bases;       // ir::Table::unread_bases
};

struct ClassState {
  int status = 0;  // 0 new, 1 computing, 2 done
  bool lineage = false;
  bool root = false;
  bool type_decorator = false;
  bool py_enum = false;
  bool abstract_concrete = false;  // derives directly from AbstractConcreteBase: maps no table
  Flavor flavor = Flavor::kNone;
  bool has_meta = false;
  Meta meta;
  std::vector<ClassKey> bases;
  std::vector<ClassKey> mro;
  std::vector<std::string> unread_bases;  // library classes it derives from (ir::Table::unread_bases)
  // Mapping, decided in the table phase.
  int table_status = 0;
  int table = -1;  // index into drafts: own table, or the parent's under single-table inheritance
  bool own_table = false;
};

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

bool IsDunder(const std::string& name) {
  return name.size() > 4 && name.compare(0, 2, "__") == 0 && name.compare(name.size() - 2, 2, "__") == 0;
}

ir::ReferentialAction ParseAction(const std::string& text) {
  std::string upper = Upper(text);
  if (upper == "CASCADE") return ir::ReferentialAction::kCascade;
  if (upper == "SET NULL") return ir::ReferentialAction::kSetNull;
  if (upper == "SET DEFAULT") return ir::ReferentialAction::kSetDefault;
  if (upper == "RESTRICT") return ir::ReferentialAction::kRestrict;
  if (upper == "NO ACTION") return ir::ReferentialAction::kNoAction;
  return ir::ReferentialAction::kUnspecified;
}

std::string QuoteSqlString(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// ---------------------------------------------------------------------------------------------
// The reader: cross-file resolution and catalog building
// ---------------------------------------------------------------------------------------------

class Reader : public ProjectModels {
 public:
  Reader(std::vector<FileSummary> files, const ModelReaderOptions& options)
      : files_(std::move(files)), options_(options) {
    indexes_.resize(files_.size());
    for (std::uint32_t f = 0; f < files_.size(); ++f) {
      const auto& file = files_[f];
      modules_[file.module] = f;
      if (!file.module_alias.empty()) alias_modules_.emplace(file.module_alias, f);
      for (std::uint32_t i = 0; i < file.classes.size(); ++i) indexes_[f].classes[file.classes[i].name] = i;
      for (std::uint32_t i = 0; i < file.assignments.size(); ++i) indexes_[f].bindings[file.assignments[i].name] = i;
      for (std::uint32_t i = 0; i < file.classes.size(); ++i) all_classes_.push_back({f, i});
    }
  }

  ir::Catalog Catalog() override { return Run(); }

  // Classes that mixins build with type() inside a declared_attr, one per mapped class that
  // inherits the mixin and maps a table of its own (a label or comment table per parent, with a
  // foreign key back to it), each with the file it goes to (the mixin's: its bases and columns
  // resolve through that file's imports). Problems go to `notes`. Decides every class's table on
  // the way, so call it on a reader that is then set aside: the built classes join the files
  // of a new one (MakeReader).
  struct BuiltClasses {
    std::vector<std::pair<std::uint32_t, ClassDef>> classes;
    std::vector<ir::Diagnostic> notes;
  };
  // Whether any class has a declared_attr that calls type(): only then is there anything for
  // ClassesBuiltByMixins to find.
  bool MayBuildClasses() {
    return std::any_of(all_classes_.begin(), all_classes_.end(), [&](ClassKey key) {
      const auto& body = Class(key).body;
      return std::any_of(body.begin(), body.end(), [&](const Binding& binding) {
        return binding.is_method && !binding.built_classes.empty() && DecoratedDeclaredAttr(binding);
      });
    });
  }
  BuiltClasses ClassesBuiltByMixins() {
    BuiltClasses built;
    for (const auto& key : all_classes_) Analyze(key);
    ReadModuleTables();
    for (const auto& key : all_classes_) DecideTable(key);
    std::set<std::pair<std::uint32_t, std::string>> taken;
    for (std::uint32_t f = 0; f < files_.size(); ++f) {
      for (const auto& klass : files_[f].classes) taken.insert({f, klass.name});
    }
    std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> unreadable;  // type() calls noted once
    for (const auto& key : all_classes_) {
      const ClassState& state = states_[key];
      if (!state.own_table || state.table < 0) continue;
      for (const auto& owner : state.mro) {
        for (const Binding& binding : Class(owner).body) {
          if (!binding.is_method || binding.built_classes.empty() || !DecoratedDeclaredAttr(binding)) continue;
          for (const Expr& call : binding.built_classes) {
            std::string problem;
            auto klass = BuildClass(call, binding, key, &problem);
            if (!klass) {
              if (unreadable.insert(CallKey(call)).second) {
                ir::Diagnostic note;
                note.rule_id = ir::kRuleModelUnreadable;
                note.severity = ir::Severity::kNote;
                note.location = Loc(call);
                note.message = "declared_attr '" + binding.name + "' builds a mapped class with type() that the " +
                               "analyzer cannot read (" + problem + "); the tables it makes are not known";
                built.notes.push_back(std::move(note));
              }
              continue;
            }
            std::string name = klass->name;
            for (int n = 2; taken.count({owner.file, name}); ++n) name = klass->name + "_" + std::to_string(n);
            klass->name = name;
            taken.insert({owner.file, name});
            built.classes.emplace_back(owner.file, std::move(*klass));
          }
        }
      }
    }
    return built;
  }

  std::vector<FileSummary> TakeFiles() { return std::move(files_); }
  void AddNotes(std::vector<ir::Diagnostic> notes) {
    for (auto& note : notes) diagnostics_.push_back(std::move(note));
  }
  const std::string& ModuleOf(std::uint32_t file) const override { return files_[file].module; }

  ir::Catalog Run() {
    ir::Catalog catalog;
    catalog.origin = ir::CatalogOrigin::kModels;
    catalog.source_name = "models";
    for (auto& file : files_) {
      for (auto& diagnostic : file.diagnostics) catalog.diagnostics.push_back(diagnostic);
    }
    for (const auto& key : all_classes_) Analyze(key);
    ReadModuleTables();
    searchable_ = CallsMakeSearchable();
    for (const auto& key : all_classes_) DecideTable(key);
    // Tables' own classes first, so that single-table subclasses append after their parent.
    for (const auto& key : all_classes_) {
      if (states_[key].own_table) FillClassColumns(key);
    }
    for (const auto& key : all_classes_) {
      if (!states_[key].own_table) FillClassColumns(key);
    }
    for (const auto& call : module_index_calls_) ReadModuleIndex(*call);
    for (const auto& [call, scope] : class_index_calls_) ReadModuleIndex(*call, scope);
    BuildCatalog(catalog);
    CheckCoverage(catalog);
    FinishUnknownTypeNotes();
    for (auto& diagnostic : diagnostics_) catalog.diagnostics.push_back(std::move(diagnostic));
    std::stable_sort(catalog.diagnostics.begin(), catalog.diagnostics.end(),
                     [](const ir::Diagnostic& a, const ir::Diagnostic& b) {
                       return std::tie(a.location.file, a.location.line, a.location.column, a.rule_id, a.message) <
                              std::tie(b.location.file, b.location.line, b.location.column, b.rule_id, b.message);
                     });
    // A mixin read for several tables reports the same problem once.
    catalog.diagnostics.erase(std::unique(catalog.diagnostics.begin(), catalog.diagnostics.end(),
                                          [](const ir::Diagnostic& a, const ir::Diagnostic& b) {
                                            return a.rule_id == b.rule_id && a.location == b.location &&
                                                   a.message == b.message;
                                          }),
                              catalog.diagnostics.end());
    catalog.Normalize();
    return catalog;
  }

 private:
  struct FileIndex {
    std::map<std::string, std::uint32_t> classes;
    std::map<std::string, std::uint32_t> bindings;
  };

  // ----- locations and notes -----

  ir::Location Loc(const Expr& expr) const {
    ir::Location location;
    location.file = files_[expr.file].display_path;
    location.line = expr.line;
    location.column = expr.column;
    return location;
  }
  // "path:line:column" of an expression: where a MetaData is made, as ir::Table::metadata says.
  std::string Place(const Expr& expr) const {
    return files_[expr.file].display_path + ":" + std::to_string(expr.line) + ":" + std::to_string(expr.column);
  }
  ir::Location Loc(std::uint32_t file, std::uint32_t line, std::uint32_t column) const {
    ir::Location location;
    location.file = files_[file].display_path;
    location.line = line;
    location.column = column;
    return location;
  }
  void Note(const ir::Location& location, std::string message) {
    ir::Diagnostic diagnostic;
    diagnostic.rule_id = ir::kRuleModelUnreadable;
    diagnostic.severity = ir::Severity::kNote;
    diagnostic.message = std::move(message);
    diagnostic.location = location;
    diagnostics_.push_back(std::move(diagnostic));
  }
  // One note per distinct unknown type, at its first column, however many columns use it:
  // the column itself is kept and compared without its type.
  void NoteUnknownType(const ir::Location& location, const std::string& problem) {
    auto [it, first] = unknown_types_.try_emplace(problem, UnknownTypeUse{diagnostics_.size(), 0});
    ++it->second.columns;
    if (first) Note(location, problem + "; the column is compared without its type");
  }
  void FinishUnknownTypeNotes() {
    for (const auto& [problem, use] : unknown_types_) {
      if (use.columns > 1) {
        diagnostics_[use.diagnostic].message +=
            " (the same for " + std::to_string(use.columns - 1) + " more column" + (use.columns > 2 ? "s" : "") + ")";
      }
    }
    for (const auto& [base, use] : unread_base_notes_) {
      if (use.columns > 1) {
        diagnostics_[use.diagnostic].message +=
            " (the same for " + std::to_string(use.columns - 1) + " more table" + (use.columns > 2 ? "s" : "") + ")";
      }
    }
  }
  const ClassDef& Class(ClassKey key) const { return files_[key.file].classes[key.index]; }
  // Whether the classes and Table() calls of a file are today's models (see SourceRole).
  bool DeclaresModels(std::uint32_t file) const {
    switch (files_[file].role) {
      case SourceRole::kApplication: return true;
      case SourceRole::kMigration: return options_.read_migration_models;
      case SourceRole::kTest: return options_.read_test_models;
      case SourceRole::kContext: return false;
    }
    return false;
  }
  std::string QualifiedClass(ClassKey key) const {
    const auto& module = files_[key.file].module;
    return module.empty() ? Class(key).name : module + "." + Class(key).name;
  }

  // Whether the project calls make_searchable() (sqlalchemy-searchable, or a copy of it in
  // the project) at module level, which indexes every TSVectorType column.
  bool CallsMakeSearchable() const {
    for (const FileSummary& file : files_) {
      for (const Expr& call : file.calls) {
        const Expr& callee = call.Callee();
        if ((callee.kind == ExprKind::kName || callee.kind == ExprKind::kAttribute) &&
            callee.text == "make_searchable") {
          return true;
        }
      }
    }
    return false;
  }

  // ----- coverage: never a silent miss -----

  static bool ImportsSqlAlchemy(const FileSummary& file) {
    for (const auto& [local, qualified] : file.imports) {
      for (const char* library : {"sqlalchemy", "flask_sqlalchemy", "sqlmodel"}) {
        const std::string prefix = library;
        if (qualified == prefix || qualified.rfind(prefix + ".", 0) == 0) return true;
      }
    }
    return false;
  }

  // A project that uses SQLAlchemy but yields no models, or leaves most classes that name a
  // table untied to a declarative base, would otherwise compare nothing and pass: say so,
  // with the reason, as an input-models-not-read diagnostic that makes the run incomplete.
  void CheckCoverage(const ir::Catalog& catalog) {
    std::size_t importing = 0;
    const FileSummary* first_importing = nullptr;
    for (const FileSummary& file : files_) {
      if (file.role != SourceRole::kApplication || !ImportsSqlAlchemy(file)) continue;
      ++importing;
      if (!first_importing) first_importing = &file;
    }
    std::vector<ClassKey> naming;  // classes that assign __tablename__ / __table__ themselves
    std::vector<ClassKey> untied;
    for (const ClassKey& key : all_classes_) {
      if (!DeclaresModels(key.file)) continue;
      const ClassDef& klass = Class(key);
      bool names_table = false;
      for (const Binding& binding : klass.body) {
        if (!binding.is_method && (binding.name == "__tablename__" || binding.name == "__table__")) names_table = true;
      }
      if (const Binding* abstract = klass.Find("__abstract__")) {
        if (EvalBool(abstract->value ? &*abstract->value : nullptr).value_or(false)) names_table = false;
      }
      // A class without a base is no model in any ORM; a based one naming a table is
      // SQLAlchemy's even when its module imports only the project's `db`.
      if (!names_table || klass.bases.empty()) continue;
      naming.push_back(key);
      if (!states_[key].lineage && !states_[key].root) untied.push_back(key);
    }
    if (importing == 0 && naming.empty()) return;
    const std::size_t read = catalog.tables.size();
    std::string message;
    ir::Location location;
    if (read == 0) {
      message = importing == 0
                    ? std::to_string(naming.size()) + " classes name a table, but no model or Table() was read"
                    : std::to_string(importing) + (importing == 1 ? " file imports" : " files import") +
                          " SQLAlchemy, but no model or Table() was read";
      if (first_importing) location.file = first_importing->display_path;
    } else if (untied.size() >= 3 && untied.size() * 2 > naming.size()) {
      message = std::to_string(untied.size()) + " of " + std::to_string(naming.size()) +
                " classes that name a table could not be tied to a declarative base, so their tables were not read";
    } else {
      return;
    }
    if (!untied.empty()) {
      const ClassKey first = untied.front();
      const ClassDef& klass = Class(first);
      location = Loc(first.file, klass.line, klass.column);
      std::string bases;
      for (const Expr& base : klass.bases) bases += (bases.empty() ? "" : ", ") + base.source;
      message += "; class " + klass.name + (bases.empty() ? " has no base class" : " derives from " + bases) +
                 ", which the analyzer could not resolve to a declarative base (is the module that defines it among "
                 "the given paths or below the project root?)";
    } else {
      message += "; no class assigns __tablename__ or derives from a declarative base the analyzer recognises";
    }
    ir::Diagnostic diagnostic;
    diagnostic.rule_id = ir::kRuleModelsNotRead;
    diagnostic.severity = ir::Severity::kError;
    diagnostic.message = std::move(message);
    diagnostic.location = std::move(location);
    diagnostic.incomplete = true;
    diagnostics_.push_back(std::move(diagnostic));
  }

  // ----- name resolution -----

  int FindModule(const std::string& name) {
    auto exact = modules_.find(name);
    if (exact != modules_.end()) return static_cast<int>(exact->second);
    // The other name a file imports as (the package chain, or the path below the project root).
    if (auto alias = alias_modules_.find(name); alias != alias_modules_.end()) return static_cast<int>(alias->second);
    auto cached = module_cache_.find(name);
    if (cached != module_cache_.end()) return cached->second;
    // A src/ layout or a project root above the package: match on a unique dotted suffix.
    if (!module_suffixes_built_) IndexModuleSuffixes();
    int found = -1;
    if (auto match = module_suffixes_.find(name); match != module_suffixes_.end()) found = match->second;
    if (found < 0) found = -1;
    module_cache_[name] = found;
    return found;
  }

  // Every proper dotted suffix of every module ("b.c" and "c" of "a.b.c") -> its file, or -2
  // when several modules end with it: FindModule's suffix match without a scan of all modules
  // for each name it has not seen (most imported names are not modules).
  void IndexModuleSuffixes() {
    module_suffixes_built_ = true;
    for (const auto& [module, file] : modules_) {
      for (std::size_t dot = module.find('.'); dot != std::string::npos; dot = module.find('.', dot + 1)) {
        auto [it, inserted] = module_suffixes_.emplace(module.substr(dot + 1), static_cast<int>(file));
        if (!inserted) it->second = -2;
      }
    }
  }

  Ref ResolveName(std::uint32_t file, const std::string& name, int depth, bool allow_bare) {
    Ref ref;
    if (depth > kMaxResolveDepth) return ref;
    const auto& index = indexes_[file];
    auto klass = index.classes.find(name);
    auto binding = index.bindings.find(name);
    if (klass != index.classes.end() || binding != index.bindings.end()) {
      bool use_class = binding == index.bindings.end() ||
                       (klass != index.classes.end() &&
                        files_[file].classes[klass->second].line > files_[file].assignments[binding->second].line);
      ref.file = file;
      if (use_class) {
        ref.kind = Ref::kClass;
        ref.index = klass->second;
      } else {
        ref.kind = files_[file].assignments[binding->second].is_method ? Ref::kFunction : Ref::kAssign;
        ref.index = binding->second;
      }
      return ref;
    }
    auto import = files_[file].imports.find(name);
    if (import != files_[file].imports.end()) return ResolveQualified(import->second, depth + 1);
    for (const auto& star : files_[file].star_imports) {
      int module = FindModule(star);
      if (module < 0) continue;
      Ref inner = ResolveName(static_cast<std::uint32_t>(module), name, depth + 1, false);
      if (inner.kind != Ref::kNone && inner.kind != Ref::kExternal) return inner;
    }
    if (!allow_bare) return ref;
    ref.kind = Ref::kExternal;
    ref.external = name;
    return ref;
  }

  Ref ResolveQualified(const std::string& qualified, int depth) {
    Ref ref;
    if (depth > kMaxResolveDepth) return ref;
    auto parts = Split(qualified, '.');
    for (std::size_t k = parts.size(); k >= 1; --k) {
      std::vector<std::string> head(parts.begin(), parts.begin() + k);
      int module = FindModule(Join(head, "."));
      if (module < 0) continue;
      if (k == parts.size()) {
        ref.kind = Ref::kModule;
        ref.file = static_cast<std::uint32_t>(module);
        ref.external = files_[module].module;
        return ref;
      }
      Ref inner = ResolveName(static_cast<std::uint32_t>(module), parts[k], depth + 1, false);
      if (inner.kind == Ref::kNone) {
        // `from pkg import module` where pkg/__init__.py does not mention it.
        int submodule = FindModule(files_[module].module + "." + parts[k]);
        if (submodule >= 0) {
          inner.kind = Ref::kModule;
          inner.file = static_cast<std::uint32_t>(submodule);
          inner.external = files_[submodule].module;
        } else {
          break;
        }
      }
      for (std::size_t r = k + 1; r < parts.size(); ++r) inner.rest.push_back(parts[r]);
      if (inner.kind == Ref::kModule && !inner.rest.empty()) {
        return ResolveQualified(inner.external + "." + Join(inner.rest, "."), depth + 1);
      }
      if (inner.kind == Ref::kExternal && !inner.rest.empty()) {
        inner.external += "." + Join(inner.rest, ".");
        inner.rest.clear();
      }
      return inner;
    }
    ref.kind = Ref::kExternal;
    ref.external = qualified;
    return ref;
  }

  // Name / Attribute chains only.
  Ref ResolveExpr(const Expr& expr, int depth = 0) {
    std::vector<std::string> path;
    const Expr* current = &expr;
    while (current->kind == ExprKind::kAttribute) {
      path.push_back(current->text);
      current = &current->children[0];
    }
    if (current->kind != ExprKind::kName) return {};
    path.push_back(current->text);
    std::reverse(path.begin(), path.end());
    // Name lookups depend only on the file and the dotted path: the same `db.Column` is
    // resolved thousands of times in a large project, so top-level results are cached.
    std::string cache_key;
    if (depth == 0) {
      cache_key = std::to_string(expr.file) + ':' + Join(path, ".");
      if (auto cached = resolve_cache_.find(cache_key); cached != resolve_cache_.end()) return cached->second;
    }
    Ref ref = ResolveTopLevel(expr, path, depth);
    if (depth == 0) resolve_cache_.emplace(std::move(cache_key), ref);
    return ref;
  }

  Ref ResolveTopLevel(const Expr& expr, const std::vector<std::string>& path, int depth) {
    Ref ref = ResolveName(expr.file, path[0], depth, true);
    for (std::size_t i = 1; i < path.size(); ++i) ref.rest.push_back(path[i]);
    if (ref.kind == Ref::kModule && !ref.rest.empty()) {
      return ResolveQualified(ref.external + "." + Join(ref.rest, "."), depth + 1);
    }
    if (ref.kind == Ref::kExternal && !ref.rest.empty()) {
      ref.external += "." + Join(ref.rest, ".");
      ref.rest.clear();
    }
    return ref;
  }

  const Binding& Assignment(const Ref& ref) const { return files_[ref.file].assignments[ref.index]; }

  static std::string Leaf(const std::string& qualified) {
    auto parts = Split(qualified, '.');
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (parts[i] == "func") return "func." + parts.back();
    }
    return parts.back();
  }

  bool IsSqlAlchemyInstance(const Binding& binding, int depth) {
    if (!binding.value || binding.value->kind != ExprKind::kCall) return false;
    return FactoryCanonical(binding.value->Callee(), depth + 1) == "SQLAlchemy";
  }

  // Canonical(), except that a project class deriving from Flask-SQLAlchemy's SQLAlchemy
  // (`class SQLAlchemy(_BaseSQLAlchemy)`, tuned by the team) still names the library factory.
  std::string FactoryCanonical(const Expr& callee, int depth = 0) {
    std::string canonical = Canonical(callee, depth);
    if (!canonical.empty() || depth > kMaxResolveDepth) return canonical;
    if (callee.kind != ExprKind::kName && callee.kind != ExprKind::kAttribute) return "";
    Ref ref = ResolveExpr(callee);
    if (ref.kind != Ref::kClass || !ref.rest.empty()) return "";
    for (const Expr& base : files_[ref.file].classes[ref.index].bases) {
      if (FactoryCanonical(base, depth + 1) == "SQLAlchemy") return "SQLAlchemy";
    }
    return "";
  }

  // The library name a Name/Attribute stands for ("Column", "mapped_column", "func.now"), or
  // "" for project classes and anything unknown.
  std::string Canonical(const Expr& expr, int depth = 0) {
    if (depth > kMaxResolveDepth) return "";
    if (expr.kind != ExprKind::kName && expr.kind != ExprKind::kAttribute) return "";
    if (depth != 0) return CanonicalOf(expr, depth);
    // Like ResolveExpr's cache: a top-level answer depends only on the file and the dotted
    // path, and the same `db.Column` is asked for thousands of times.
    const Expr* root = &expr;
    while (root->kind == ExprKind::kAttribute) root = &root->children[0];
    if (root->kind != ExprKind::kName) return "";  // what ResolveExpr answers for such chains
    std::string cache_key = CacheKey(expr);
    if (auto cached = canonical_cache_.find(cache_key); cached != canonical_cache_.end()) return cached->second;
    std::string canonical = CanonicalOf(expr, depth);
    canonical_cache_.emplace(std::move(cache_key), canonical);
    return canonical;
  }

  // "file:dotted.path" of a Name / Attribute chain.
  static std::string CacheKey(const Expr& expr) {
    std::string dotted;
    const Expr* current = &expr;
    while (current->kind == ExprKind::kAttribute) {
      dotted.insert(0, "." + current->text);
      current = &current->children[0];
    }
    return std::to_string(expr.file) + ':' + current->text + dotted;
  }

  std::string CanonicalOf(const Expr& expr, int depth) {
    Ref ref = ResolveExpr(expr, depth);
    if (ref.kind == Ref::kExternal) return Leaf(ref.external);
    if (ref.kind != Ref::kAssign) return "";
    const Binding& binding = Assignment(ref);
    if (!binding.value) return "";
    if (ref.rest.empty()) {
      if (binding.value->kind == ExprKind::kName || binding.value->kind == ExprKind::kAttribute) {
        return Canonical(*binding.value, depth + 1);
      }
      return "";
    }
    // `db.Column`, `db.func.now` where db = SQLAlchemy().
    if (IsSqlAlchemyInstance(binding, depth)) {
      if (ref.rest.size() == 1 && ref.rest[0] == "Model") return "flask.Model";
      return Leaf(Join(ref.rest, "."));
    }
    if (binding.value->kind == ExprKind::kName || binding.value->kind == ExprKind::kAttribute) {
      std::string base = Canonical(*binding.value, depth + 1);
      if (!base.empty()) return Leaf(base + "." + Join(ref.rest, "."));
    }
    return "";
  }

  CallView View(const Expr& call, int depth = 0) {
    CallView view;
    view.call = &call;
    view.callee = &call.Callee();
    for (std::size_t i = 0; i < call.PositionalCount(); ++i) view.positional.push_back(&call.Positional(i));
    for (std::size_t i = 0; i < call.keywords.size(); ++i)
      view.keywords.emplace_back(call.keywords[i], &call.KeywordValue(i));
    if (depth < kMaxResolveDepth &&
        (view.callee->kind == ExprKind::kName || view.callee->kind == ExprKind::kAttribute)) {
      Ref ref = ResolveExpr(*view.callee);
      if (ref.kind == Ref::kAssign && ref.rest.empty()) {
        const Binding& binding = Assignment(ref);
        if (binding.value && binding.value->kind == ExprKind::kCall &&
            Canonical(binding.value->Callee()) == "partial" && binding.value->PositionalCount() >= 1) {
          // NotNullColumn = partial(db.Column, nullable=False)
          const Expr& factory = *binding.value;
          CallView inner;
          inner.call = &call;
          inner.callee = &factory.Positional(0);
          for (std::size_t i = 1; i < factory.PositionalCount(); ++i)
            inner.positional.push_back(&factory.Positional(i));
          for (auto* p : view.positional) inner.positional.push_back(p);
          for (std::size_t i = 0; i < factory.keywords.size(); ++i) {
            inner.keywords.emplace_back(factory.keywords[i], &factory.KeywordValue(i));
          }
          for (auto& kw : view.keywords) inner.keywords.push_back(kw);
          inner.canonical = Canonical(*inner.callee);
          return inner;
        }
      }
    }
    view.canonical = Canonical(*view.callee);
    if (view.canonical.empty()) view.canonical = ForwardedCanonical(*view.callee);
    return view;
  }

  // A project function that only forwards its arguments to a library call
  // (`def Table(*args, **kwargs): ...; return sa.Table(*args, **kwargs)`) stands for that call.
  std::string ForwardedCanonical(const Expr& callee) {
    if (callee.kind != ExprKind::kName && callee.kind != ExprKind::kAttribute) return "";
    Ref ref = ResolveExpr(callee);
    if (ref.kind != Ref::kFunction || !ref.rest.empty()) return "";
    const Binding& function = Assignment(ref);
    const Expr* returned = function.last_returned ? &*function.last_returned : ReturnedValue(function);
    if (!returned || returned->kind != ExprKind::kCall || returned->PositionalCount() == 0) return "";
    const std::string& first = returned->Positional(0).source;
    if (first.size() < 2 || first[0] != '*' || first[1] == '*') return "";
    return Canonical(returned->Callee());
  }

  // ----- constants -----

  std::optional<long long> EvalInt(const Expr* expr, int depth = 0) {
    if (!expr || depth > kMaxResolveDepth) return std::nullopt;
    switch (expr->kind) {
      case ExprKind::kNumber: {
        std::string digits;
        for (char c : expr->text) {
          if (c != '_') digits += c;
        }
        try {
          std::size_t used = 0;
          long long value = std::stoll(digits, &used, 0);
          if (used == digits.size()) return value;
        } catch (...) {
        }
        return std::nullopt;
      }
      case ExprKind::kName:
      case ExprKind::kAttribute: {
        Ref ref = ResolveExpr(*expr);
        if (ref.kind != Ref::kAssign || !ref.rest.empty()) return std::nullopt;
        const Binding& binding = Assignment(ref);
        return binding.value ? EvalInt(&*binding.value, depth + 1) : std::nullopt;
      }
      case ExprKind::kBinaryOp: {
        auto left = EvalInt(&expr->children[0], depth + 1);
        auto right = EvalInt(&expr->children[1], depth + 1);
        if (!left || !right) return std::nullopt;
        if (expr->text == "+") return *left + *right;
        if (expr->text == "-") return *left - *right;
        if (expr->text == "*") return *left * *right;
        if (expr->text == "//" && *right != 0) return *left / *right;
        return std::nullopt;
      }
      default: return std::nullopt;
    }
  }

  std::optional<std::string> EvalString(const Expr* expr, int depth = 0) {
    if (!expr || depth > kMaxResolveDepth) return std::nullopt;
    if (expr->kind == ExprKind::kString) return expr->text;
    if (expr->kind == ExprKind::kName || expr->kind == ExprKind::kAttribute) {
      Ref ref = ResolveExpr(*expr);
      if (ref.kind == Ref::kClass && ref.rest.size() == 2 && (ref.rest[1] == "value" || ref.rest[1] == "name")) {
        return EnumMemberString({ref.file, ref.index}, ref.rest[0], ref.rest[1] == "value", depth);
      }
      if (ref.kind == Ref::kClass && ref.rest.size() == 1 && ref.rest[0] == "__tablename__") {
        // `Other.__tablename__`: the name decided for that model, however it is computed.
        const ClassKey key{ref.file, ref.index};
        Analyze(key);
        DecideTable(key);
        const ClassState& state = states_[key];
        if (state.table_status == 2 && state.table >= 0 && state.own_table) return drafts_[state.table].name;
        const Binding* own = Class(key).Find("__tablename__");
        return own && own->value ? EvalString(&*own->value, depth + 1) : std::nullopt;
      }
      if (ref.kind != Ref::kAssign || !ref.rest.empty()) return std::nullopt;
      const Binding& binding = Assignment(ref);
      return binding.value ? EvalString(&*binding.value, depth + 1) : std::nullopt;
    }
    if (expr->kind == ExprKind::kBinaryOp && expr->text == "+") {
      auto left = EvalString(&expr->children[0], depth + 1);
      auto right = EvalString(&expr->children[1], depth + 1);
      if (left && right) return *left + *right;
    }
    if (expr->kind == ExprKind::kFString) {
      std::string text;
      for (const Expr& part : expr->children) {
        auto value = EvalString(&part, depth + 1);
        if (!value) return std::nullopt;
        text += *value;
      }
      return text;
    }
    return std::nullopt;
  }

  // `Color.RED.value` / `Color.RED.name` of a Python enum class of the project. A member
  // written as a tuple takes its first item as the value (the common `(value, label)` idiom).
  std::optional<std::string> EnumMemberString(ClassKey key, const std::string& member, bool value, int depth) {
    Analyze(key);
    if (!states_[key].py_enum) return std::nullopt;
    const Binding* binding = Class(key).Find(member);
    if (!binding || binding->is_method || !binding->value) return std::nullopt;
    if (!value) return member;
    const Expr* item = &*binding->value;
    if (item->kind == ExprKind::kTuple && !item->children.empty()) item = &item->children[0];
    return EvalString(item, depth + 1);
  }

  std::optional<bool> EvalBool(const Expr* expr, int depth = 0) {
    if (!expr || depth > kMaxResolveDepth) return std::nullopt;
    if (expr->kind == ExprKind::kTrue) return true;
    if (expr->kind == ExprKind::kFalse) return false;
    if (expr->kind == ExprKind::kNone) return false;
    if (expr->kind == ExprKind::kNumber) return expr->text != "0";
    if (expr->kind == ExprKind::kName || expr->kind == ExprKind::kAttribute) {
      Ref ref = ResolveExpr(*expr);
      if (ref.kind != Ref::kAssign || !ref.rest.empty()) return std::nullopt;
      const Binding& binding = Assignment(ref);
      return binding.value ? EvalBool(&*binding.value, depth + 1) : std::nullopt;
    }
    return std::nullopt;
  }

  // A Name bound to a module-level value: the value (following simple aliases).
  const Expr* Deref(const Expr* expr, int depth = 0) {
    while (expr && (expr->kind == ExprKind::kName || expr->kind == ExprKind::kAttribute) &&
           depth++ < kMaxResolveDepth) {
      Ref ref = ResolveExpr(*expr);
      if (ref.kind != Ref::kAssign || !ref.rest.empty()) return expr;
      const Binding& binding = Assignment(ref);
      if (!binding.value) return expr;
      expr = &*binding.value;
    }
    return expr;
  }

  // ----- metadata and naming conventions -----

  Meta MetaFromCall(const Expr* expr) {
    Meta meta;
    expr = Deref(expr);
    if (!expr || expr->kind != ExprKind::kCall || Canonical(expr->Callee()) != "MetaData") return meta;
    meta.identity = Place(*expr);
    if (auto schema = EvalString(expr->Keyword("schema"))) meta.schema = *schema;
    const Expr* convention = Deref(expr->Keyword("naming_convention"));
    if (convention && convention->kind == ExprKind::kDict) {
      for (std::size_t i = 0; i + 1 < convention->children.size(); i += 2) {
        const Expr& key = convention->children[i];
        auto value = EvalString(&convention->children[i + 1]);
        if (!value) continue;
        std::string name;
        if (key.kind == ExprKind::kString) {
          name = key.text;
        } else {
          std::string canonical = Canonical(key);
          if (canonical == "Index") name = "ix";
          if (canonical == "UniqueConstraint") name = "uq";
          if (canonical == "CheckConstraint") name = "ck";
          if (canonical == "ForeignKeyConstraint") name = "fk";
          if (canonical == "PrimaryKeyConstraint") name = "pk";
        }
        if (!name.empty()) meta.convention[name] = *value;
      }
    }
    return meta;
  }

  // `Base.metadata`, `db.metadata`, `metadata` (a MetaData() variable), `MetaData(...)`.
  std::optional<Meta> MetaFromExpression(const Expr* expr, int depth = 0) {
    if (!expr || depth > kMaxResolveDepth) return std::nullopt;
    if (expr->kind == ExprKind::kCall) {
      if (Canonical(expr->Callee()) == "MetaData") return MetaFromCall(expr);
      return std::nullopt;
    }
    if (expr->kind == ExprKind::kAttribute && expr->text == "metadata") {
      const Expr& owner = expr->children[0];
      Ref ref = ResolveExpr(owner);
      if (ref.kind == Ref::kClass && ref.rest.empty()) {
        ClassKey key{ref.file, ref.index};
        Analyze(key);
        return states_[key].meta;
      }
      if (ref.kind == Ref::kAssign && ref.rest.empty()) return MetaFromBaseBinding(Assignment(ref), depth + 1);
      return std::nullopt;
    }
    if (expr->kind == ExprKind::kName || expr->kind == ExprKind::kAttribute) {
      Ref ref = ResolveExpr(*expr);
      if (ref.kind == Ref::kAssign && ref.rest.empty() && Assignment(ref).value) {
        return MetaFromExpression(&*Assignment(ref).value, depth + 1);
      }
    }
    return std::nullopt;
  }

  // Meta of `db = SQLAlchemy(metadata=...)`, `Base = declarative_base(metadata=...)`,
  // `reg = registry(metadata=...)`, `Base = reg.generate_base()`.
  std::optional<Meta> MetaFromBaseBinding(const Binding& binding, int depth) {
    if (!binding.value || depth > kMaxResolveDepth) return std::nullopt;
    const Expr& value = *binding.value;
    if (value.kind != ExprKind::kCall) return MetaFromExpression(&value, depth + 1);
    std::string canonical = FactoryCanonical(value.Callee());
    if (canonical == "SQLAlchemy" || canonical == "declarative_base" || canonical == "registry") {
      if (const Expr* metadata = value.Keyword("metadata")) return MetaFromExpression(metadata, depth + 1);
      // SQLAlchemy(model_class=Base): db.Model uses Base's metadata.
      if (const Expr* model_class = value.Keyword("model_class")) {
        if (auto key = ProjectClass(*model_class); key && states_[*key].status == 2 && states_[*key].has_meta) {
          return states_[*key].meta;
        }
      }
      Meta own;  // the factory makes a MetaData of its own
      own.identity = Place(value);
      return own;
    }
    if (value.Callee().kind == ExprKind::kAttribute && value.Callee().text == "generate_base") {
      return MetaFromRegistry(&value.Callee().children[0], depth + 1);
    }
    return std::nullopt;
  }

  std::optional<Meta> MetaFromRegistry(const Expr* registry, int depth) {
    registry = Deref(registry);
    if (!registry || registry->kind != ExprKind::kCall || Canonical(registry->Callee()) != "registry") {
      return std::nullopt;
    }
    if (const Expr* metadata = registry->Keyword("metadata")) return MetaFromExpression(metadata, depth + 1);
    Meta own;
    own.identity = Place(*registry);
    return own;
  }

  // ----- classes: bases, lineage, MRO -----

  enum class BaseKind { kOther, kProjectClass, kRootParent, kModelBase };
  struct BaseInfo {
    BaseKind kind = BaseKind::kOther;
    ClassKey key;
    Flavor flavor = Flavor::kNone;
    std::optional<Meta> meta;
    std::string canonical;
    std::string external;  // the qualified name, for a class outside the project
  };

  BaseInfo ClassifyBase(const Expr& expr, int depth = 0) {
    BaseInfo info;
    // `Warn = Warn` re-exports and alias chains may loop: give up past the resolve depth.
    if (depth > kMaxResolveDepth) return info;
    const Expr* target = &expr;
    if (target->kind == ExprKind::kSubscript) target = &target->children[0];  // Generic[T]
    Ref ref = ResolveExpr(*target);
    if (ref.kind == Ref::kClass && ref.rest.empty()) {
      info.kind = BaseKind::kProjectClass;
      info.key = {ref.file, ref.index};
      return info;
    }
    if (ref.kind == Ref::kAssign) {
      const Binding& binding = Assignment(ref);
      if (!ref.rest.empty()) {
        if (ref.rest.size() == 1 && ref.rest[0] == "Model" && IsSqlAlchemyInstance(binding, 0)) {
          info.kind = BaseKind::kModelBase;
          info.flavor = Flavor::kFlask;
          info.meta = MetaFromBaseBinding(binding, 0);
        }
        return info;
      }
      if (binding.value && binding.value->kind == ExprKind::kCall) {
        const Expr& value = *binding.value;
        std::string canonical = Canonical(value.Callee());
        bool generate = value.Callee().kind == ExprKind::kAttribute && value.Callee().text == "generate_base";
        if (canonical == "declarative_base" || generate) {
          info.kind = BaseKind::kModelBase;
          info.flavor = Flavor::kDeclarative;
          info.meta = MetaFromBaseBinding(binding, 0);
        }
        return info;
      }
      if (binding.value) return ClassifyBase(*binding.value, depth + 1);  // Model = db.Model
      return info;
    }
    info.canonical = Canonical(*target);
    if (ref.kind == Ref::kExternal) info.external = ref.external;
    if (info.canonical == "DeclarativeBase" || info.canonical == "DeclarativeBaseNoMeta") {
      info.kind = BaseKind::kRootParent;
      info.flavor = Flavor::kDeclarative;
    } else if (info.canonical == "SQLModel") {
      info.kind = BaseKind::kModelBase;
      info.flavor = Flavor::kSqlModel;
      info.meta = Meta{};
      info.meta->identity = "SQLModel.metadata";
    } else if (info.canonical == "flask.Model" || info.canonical == "Model") {
      info.kind = BaseKind::kModelBase;
      info.flavor = Flavor::kFlask;
      info.meta = Meta{};
      if (ref.kind == Ref::kAssign) info.meta = MetaFromBaseBinding(Assignment(ref), 0);
    }
    return info;
  }

  void Analyze(ClassKey key) {
    ClassState& state = states_[key];
    if (state.status != 0) return;
    state.status = 1;
    const ClassDef& klass = Class(key);
    std::optional<Meta> meta;
    for (const Expr& base_expr : klass.bases) {
      BaseInfo base = ClassifyBase(base_expr);
      switch (base.kind) {
        case BaseKind::kProjectClass: {
          if (base.key == key) break;
          Analyze(base.key);
          const ClassState& parent = states_[base.key];
          if (parent.status == 1) break;  // a cycle: ignore the edge
          states_[key].bases.push_back(base.key);
          if (parent.lineage || parent.root) states_[key].lineage = true;
          if (states_[key].flavor == Flavor::kNone) states_[key].flavor = parent.flavor;
          if (parent.type_decorator) states_[key].type_decorator = true;
          if (parent.py_enum) states_[key].py_enum = true;
          if (!meta && parent.has_meta) meta = parent.meta;
          break;
        }
        case BaseKind::kRootParent:
          states_[key].root = true;
          if (states_[key].flavor == Flavor::kNone) states_[key].flavor = base.flavor;
          break;
        case BaseKind::kModelBase:
          states_[key].lineage = true;
          if (states_[key].flavor == Flavor::kNone || base.flavor == Flavor::kSqlModel)
            states_[key].flavor = base.flavor;
          if (!meta && base.meta) meta = base.meta;
          break;
        case BaseKind::kOther:
          if (base.canonical == "AbstractConcreteBase") states_[key].abstract_concrete = true;
          if (base.canonical == "TypeDecorator" || base.canonical == "UserDefinedType") {
            states_[key].type_decorator = base.canonical == "TypeDecorator";
          }
          if (base.canonical == "Enum" || base.canonical == "IntEnum" || base.canonical == "StrEnum" ||
              base.canonical == "Flag" || base.canonical == "IntFlag") {
            states_[key].py_enum = true;
          }
          if (MayDeclareColumns(base.external)) states_[key].unread_bases.push_back(base.external);
          break;
      }
    }
    for (const Expr& decorator : klass.decorators) {
      const Expr* target = decorator.kind == ExprKind::kCall ? &decorator.Callee() : &decorator;
      if (target->kind != ExprKind::kAttribute && target->kind != ExprKind::kName) continue;
      std::string leaf = target->kind == ExprKind::kAttribute ? target->text : target->source;
      std::string canonical = Canonical(*target);
      if (leaf == "mapped" || leaf == "mapped_as_dataclass") {
        states_[key].lineage = true;
        if (states_[key].flavor == Flavor::kNone) states_[key].flavor = Flavor::kDeclarative;
        if (!meta && target->kind == ExprKind::kAttribute) meta = MetaFromRegistry(&target->children[0], 0);
      } else if (canonical == "as_declarative" || leaf == "as_declarative_base") {
        states_[key].root = true;
        if (states_[key].flavor == Flavor::kNone) states_[key].flavor = Flavor::kDeclarative;
        if (decorator.kind == ExprKind::kCall) {
          if (const Expr* metadata = decorator.Keyword("metadata")) meta = MetaFromExpression(metadata);
        }
        if (!meta && target->kind == ExprKind::kAttribute) meta = MetaFromRegistry(&target->children[0], 0);
      }
    }
    if (states_[key].root) {
      // class Base(DeclarativeBase): metadata = MetaData(...)
      if (const Binding* binding = klass.Find("metadata"); binding && binding->value) {
        if (auto own = MetaFromExpression(&*binding->value)) meta = own;
      }
      if (const Binding* binding = klass.Find("registry"); binding && binding->value) {
        if (auto own = MetaFromRegistry(&*binding->value, 0)) meta = own;
      }
    }
    if (states_[key].root && (!meta || meta->identity.empty())) {
      // A declarative base class without a MetaData of its own: it makes one.
      if (!meta) meta = Meta{};
      meta->identity =
          files_[key.file].display_path + ":" + std::to_string(klass.line) + ":" + std::to_string(klass.column);
    }
    ClassState& done = states_[key];
    if (meta) {
      done.meta = *meta;
      done.has_meta = true;
    }
    done.mro = Linearize(key);
    done.status = 2;
  }

  // A class outside the project that a model derives from may declare columns the reader
  // never sees (a library's mixin), unless it is one known to declare none.
  static bool MayDeclareColumns(const std::string& external) {
    if (external.empty()) return false;
    static const std::set<std::string> kNoColumns = {"object",
                                                     "ABC",
                                                     "Generic",
                                                     "Protocol",
                                                     "UserMixin",
                                                     "RoleMixin",
                                                     "AsyncAttrs",
                                                     "MappedAsDataclass",
                                                     "SerializerMixin",
                                                     "AnonymousUserMixin",
                                                     "Exception",
                                                     "str",
                                                     "int",
                                                     "dict",
                                                     "BaseModel",
                                                     "ComparableEntity",
                                                     "Hashable"};
    const std::size_t dot = external.rfind('.');
    const std::string leaf = dot == std::string::npos ? external : external.substr(dot + 1);
    if (kNoColumns.count(leaf)) return false;
    for (const char* library : {"sqlalchemy", "typing", "abc", "enum", "builtins", "collections", "dataclasses",
                                "flask_sqlalchemy", "sqlmodel", "pydantic"}) {
      const std::string prefix = library;
      if (external == prefix || external.rfind(prefix + ".", 0) == 0) return false;
    }
    return true;
  }

  // C3 linearization over project classes; falls back to depth-first order on conflicts.
  std::vector<ClassKey> Linearize(ClassKey key) {
    std::vector<std::vector<ClassKey>> sequences;
    const auto& bases = states_[key].bases;
    for (const auto& base : bases) sequences.push_back(states_[base].mro);
    sequences.push_back(bases);
    std::vector<ClassKey> result{key};
    while (true) {
      bool any = false;
      for (const auto& sequence : sequences) any = any || !sequence.empty();
      if (!any) return result;
      std::optional<ClassKey> chosen;
      for (const auto& sequence : sequences) {
        if (sequence.empty()) continue;
        ClassKey head = sequence.front();
        bool in_tail = false;
        for (const auto& other : sequences) {
          if (std::find(other.begin() + (other.empty() ? 0 : 1), other.end(), head) != other.end()) in_tail = true;
        }
        if (!in_tail) {
          chosen = head;
          break;
        }
      }
      if (!chosen) {
        std::vector<ClassKey> fallback{key};
        for (const auto& base : bases) {
          for (const auto& k : states_[base].mro) {
            if (std::find(fallback.begin(), fallback.end(), k) == fallback.end()) fallback.push_back(k);
          }
        }
        return fallback;
      }
      result.push_back(*chosen);
      for (auto& sequence : sequences) {
        sequence.erase(std::remove(sequence.begin(), sequence.end(), *chosen), sequence.end());
      }
    }
  }

  // Finds the most derived definition of `name` among `classes`.
  std::pair<const Binding*, ClassKey> FindIn(const std::vector<ClassKey>& classes, const std::string& name) {
    for (const auto& key : classes) {
      if (const Binding* binding = Class(key).Find(name)) return {binding, key};
    }
    return {nullptr, {}};
  }

  // ----- table names and mapping -----

  bool DecoratedDeclaredAttr(const Binding& binding) {
    for (const Expr& decorator : binding.decorators) {
      if (decorator.source.find("declared_attr") != std::string::npos) return true;
    }
    return false;
  }

  // `__tablename__` of `target` as defined by `binding`: a string, a constant, or a
  // declared_attr computing it from the class name (lower(), concatenation, re.sub case
  // splitting, project helper functions). A recipe that cannot be evaluated exactly gives the
  // common snake-case spellings: the first is returned, the others go to `alternatives` and
  // the database decides. nullopt (with a note) when nothing can be said.
  std::optional<std::string> TableNameFrom(const Binding& binding, ClassKey target,
                                           std::vector<std::string>* alternatives = nullptr) {
    if (!binding.is_method) {
      if (auto text = EvalString(binding.value ? &*binding.value : nullptr)) return text;
      Note(Loc(binding.value ? binding.value->file : target.file, binding.line, binding.column),
           "__tablename__ of class " + Class(target).name + " is not a string the analyzer can read; class skipped");
      return std::nullopt;
    }
    if (auto text = EvalFunctionString(binding, {ClassArgument{}}, target, 0)) return text;
    std::vector<std::string> candidates = SnakeCaseCandidates(Class(target).name);
    if (alternatives && !candidates.empty()) {
      *alternatives = candidates;  // the first is the name used until the database decides
      return candidates.front();
    }
    Note(Loc(ReturnedFile(binding, target), binding.line, binding.column),
         "__tablename__ is computed by a declared_attr function the analyzer cannot read; class " + Class(target).name +
             " is skipped");
    return std::nullopt;
  }

  // What a function returns when its body is readable: the final return of a straight-line
  // body, else a body that is only a return; nullptr otherwise.
  static const Expr* ReturnedValue(const Binding& function) {
    if (function.final_returned) return &*function.final_returned;
    return function.returned ? &*function.returned : nullptr;
  }

  // ----- strings computed from the class (declared_attr recipes) -----

  // An argument of an evaluated function: a string, or the mapped class itself (`cls`).
  struct ClassArgument {
    std::optional<std::string> text;  // unset: the class
  };
  struct StringEnv {
    std::map<std::string, std::string> strings;
    std::set<std::string> classes;  // names bound to the class
  };

  // Evaluates `function` (a method or a module-level function with a readable body) called
  // with `arguments` bound to its parameters (a method's first parameter is the class).
  std::optional<std::string> EvalFunctionString(const Binding& function, const std::vector<ClassArgument>& arguments,
                                                ClassKey target, int depth) {
    if (depth > kMaxResolveDepth) return std::nullopt;
    const Expr* result = ReturnedValue(function);
    if (!result) return std::nullopt;
    StringEnv env;
    for (std::size_t i = 0; i < arguments.size() && i < function.parameters.size(); ++i) {
      if (arguments[i].text) {
        env.strings[function.parameters[i]] = *arguments[i].text;
      } else {
        env.classes.insert(function.parameters[i]);
      }
    }
    if (function.parameters.empty() && arguments.size() == 1 && !arguments[0].text) env.classes.insert("cls");
    for (const auto& [name, value] : function.locals) {
      auto text = EvalClassString(value, target, env, depth + 1);
      if (!text) return std::nullopt;
      env.strings[name] = *text;
      env.classes.erase(name);
    }
    return EvalClassString(*result, target, env, depth + 1);
  }

  std::optional<std::string> EvalClassString(const Expr& expr, ClassKey target, const StringEnv& env, int depth) {
    if (depth > kMaxResolveDepth) return std::nullopt;
    switch (expr.kind) {
      case ExprKind::kString: return expr.text;
      case ExprKind::kName: {
        if (auto bound = env.strings.find(expr.text); bound != env.strings.end()) return bound->second;
        if (env.classes.count(expr.text)) return std::nullopt;
        return EvalString(&expr, depth + 1);
      }
      case ExprKind::kAttribute: {
        const Expr& object = expr.children[0];
        if (object.kind == ExprKind::kName && env.classes.count(object.text)) {
          if (expr.text == "__name__") return Class(target).name;
          if (expr.text == "__tablename__" && states_[target].table_status == 2 && states_[target].table >= 0 &&
              states_[target].own_table) {
            return drafts_[states_[target].table].name;  // the name decided for the class, however computed
          }
          // cls.__flavor__: the most derived class attribute of the mapped class.
          auto [attribute, owner] = FindIn(states_[target].mro, expr.text);
          if (!attribute || attribute->is_method || !attribute->value) return std::nullopt;
          return EvalClassString(*attribute->value, target, StringEnv{}, depth + 1);
        }
        return EvalString(&expr, depth + 1);
      }
      case ExprKind::kBinaryOp: {
        auto left = EvalClassString(expr.children[0], target, env, depth + 1);
        auto right = EvalClassString(expr.children[1], target, env, depth + 1);
        if (!left || !right) return std::nullopt;
        if (expr.text == "+") return *left + *right;
        if (expr.text == "%") {
          const std::size_t at = left->find("%s");
          if (at == std::string::npos) return std::nullopt;
          return left->substr(0, at) + *right + left->substr(at + 2);
        }
        return std::nullopt;
      }
      case ExprKind::kCall: return EvalStringCall(expr, target, env, depth);
      case ExprKind::kFString: {
        std::string text;
        for (const Expr& part : expr.children) {
          auto value = EvalClassString(part, target, env, depth + 1);
          if (!value) return std::nullopt;
          text += *value;
        }
        return text;
      }
      default: return std::nullopt;
    }
  }

  std::optional<std::string> EvalStringCall(const Expr& call, ClassKey target, const StringEnv& env, int depth) {
    const Expr& callee = call.Callee();
    std::vector<std::optional<std::string>> args;
    for (std::size_t i = 0; i < call.PositionalCount(); ++i) {
      args.push_back(EvalClassString(call.Positional(i), target, env, depth + 1));
    }
    auto all_known = [&] {
      return std::all_of(args.begin(), args.end(), [](const auto& arg) { return arg.has_value(); });
    };
    if (callee.kind == ExprKind::kAttribute && call.keywords.empty()) {
      // str methods on a computed string.
      const std::string& method = callee.text;
      if (auto object = EvalClassString(callee.children[0], target, env, depth + 1); object && all_known()) {
        std::string text = *object;
        if (method == "lower" && args.empty()) return Lower(text);
        if (method == "upper" && args.empty()) return Upper(text);
        if ((method == "strip" || method == "lstrip" || method == "rstrip") && args.size() <= 1) {
          const std::string chars = args.empty() ? std::string(" \t\n") : *args[0];
          std::size_t begin = 0;
          std::size_t end = text.size();
          if (method != "rstrip") begin = std::min(text.find_first_not_of(chars), text.size());
          if (method != "lstrip")
            end = text.find_last_not_of(chars) == std::string::npos ? begin : text.find_last_not_of(chars) + 1;
          return text.substr(begin, end > begin ? end - begin : 0);
        }
        if (method == "replace" && args.size() == 2 && !args[0]->empty()) {
          for (std::size_t at = text.find(*args[0]); at != std::string::npos;
               at = text.find(*args[0], at + args[1]->size())) {
            text.replace(at, args[0]->size(), *args[1]);
          }
          return text;
        }
        if (method == "format") {
          for (const auto& arg : args) {
            const std::size_t at = text.find("{}");
            if (at == std::string::npos) return std::nullopt;
            text.replace(at, 2, *arg);
          }
          return text;
        }
        return std::nullopt;
      }
    }
    const std::string canonical = Canonical(callee);
    if (canonical == "sub" && args.size() == 3 && all_known() && call.keywords.empty()) {
      return ApplyCaseSplitSub(*args[0], *args[1], *args[2]);  // re.sub(pattern, repl, text)
    }
    if (callee.kind == ExprKind::kAttribute && callee.children[0].kind == ExprKind::kName &&
        env.classes.count(callee.children[0].text)) {
      // cls._table_prefix(name): a classmethod of the mapped class, with cls bound to it.
      auto [method, owner] = FindIn(states_[target].mro, callee.text);
      if (!method || !method->is_method) return std::nullopt;
      std::vector<ClassArgument> arguments = {ClassArgument{}};
      for (const auto& arg : args) {
        if (!arg) return std::nullopt;
        arguments.push_back({arg});
      }
      return EvalFunctionString(*method, arguments, target, depth + 1);
    }
    Ref ref = callee.kind == ExprKind::kName || callee.kind == ExprKind::kAttribute ? ResolveExpr(callee) : Ref{};
    if (ref.kind == Ref::kFunction && ref.rest.empty()) {
      std::vector<ClassArgument> arguments;
      for (std::size_t i = 0; i < call.PositionalCount(); ++i) {
        const Expr& argument = call.Positional(i);
        if (argument.kind == ExprKind::kName && env.classes.count(argument.text)) {
          arguments.push_back({});
        } else if (args[i]) {
          arguments.push_back({args[i]});
        } else {
          return std::nullopt;
        }
      }
      return EvalFunctionString(Assignment(ref), arguments, target, depth + 1);
    }
    return std::nullopt;
  }

  // `type(name, (bases...), {"__tablename__": ..., "column": Column(...)})` called in `function`
  // for `target`: the class it makes, with the function's first parameter bound to `target`.
  std::optional<ClassDef> BuildClass(const Expr& call, const Binding& function, ClassKey target, std::string* problem) {
    const ClassScope scope = ScopeOf(function);
    const Expr& bases = *Deref(&call.Positional(1));
    const Expr& namespace_dict = *Deref(&call.Positional(2));
    if (bases.kind != ExprKind::kTuple && bases.kind != ExprKind::kList) {
      *problem = "its bases are not a tuple";
      return std::nullopt;
    }
    if (namespace_dict.kind != ExprKind::kDict) {
      *problem = "its namespace is not a dict literal";
      return std::nullopt;
    }
    ClassDef klass;
    klass.built_by_mixin = true;
    klass.line = call.line;
    klass.column = call.column;
    const Expr name = Specialize(call.Positional(0), target, scope);
    klass.name = name.kind == ExprKind::kString ? name.text : Class(target).name + "_" + function.name;
    for (const Expr& base : bases.children) {
      if (Mentions(base, scope.names)) {
        *problem = "a base depends on the class it is built for";
        return std::nullopt;
      }
      klass.bases.push_back(base);
    }
    for (std::size_t i = 0; i + 1 < namespace_dict.children.size(); i += 2) {
      const Expr& key = namespace_dict.children[i];
      if (key.kind != ExprKind::kString) {
        *problem = "a namespace key is not a string";
        return std::nullopt;
      }
      const Expr& value = namespace_dict.children[i + 1];
      Binding attribute;
      attribute.name = key.text;
      attribute.value = Specialize(value, target, scope);
      attribute.line = value.line;
      attribute.column = value.column;
      klass.body.push_back(std::move(attribute));
    }
    // `"__tablename__": None`: no table of its own (single-table inheritance of its base).
    klass.body.erase(std::remove_if(klass.body.begin(), klass.body.end(),
                                    [](const Binding& b) {
                                      return b.name == "__tablename__" && b.value && b.value->kind == ExprKind::kNone;
                                    }),
                     klass.body.end());
    if (const Binding* table_name = klass.Find("__tablename__");
        table_name && table_name->value && table_name->value->kind != ExprKind::kString) {
      *problem = "its __tablename__ '" + table_name->value->source + "' is not readable";
      return std::nullopt;
    }
    return klass;
  }

  // ----- declared_attr bodies bound to one mapped class -----

  // Whether `expr` names one of `names` anywhere.
  static bool Mentions(const Expr& expr, const std::set<std::string>& names) {
    if (expr.kind == ExprKind::kName && names.count(expr.text)) return true;
    for (const Expr& child : expr.children) {
      if (Mentions(child, names)) return true;
    }
    return false;
  }

  // A string value standing where `where` was written.
  static Expr StringAt(const Expr& where, std::string text) {
    Expr literal;
    literal.kind = ExprKind::kString;
    literal.source = "'" + text + "'";
    literal.text = std::move(text);
    literal.file = where.file;
    literal.line = where.line;
    literal.column = where.column;
    return literal;
  }

  // What a function body's names stand for when it runs for one class.
  struct ClassScope {
    StringEnv env;                       // strings and the names bound to the class
    std::map<std::string, Expr> locals;  // other locals, already bound
    std::set<std::string> names;         // every name above
  };

  ClassScope ScopeOf(const Binding& function) {
    ClassScope scope;
    scope.env.classes.insert(function.parameters.empty() ? std::string("cls") : function.parameters[0]);
    scope.names = scope.env.classes;
    return scope;
  }

  // `expr` with the class-bound names of `scope` replaced: locals by their values, and every
  // string computed from the class (`cls._table_prefix("torrents.id")`,
  // f"{cls.__tablename__}_id") by its value, so that Column / ForeignKey / Index reading sees
  // plain literals. What cannot be computed is left as written.
  Expr Specialize(const Expr& expr, ClassKey target, const ClassScope& scope, int depth = 0) {
    if (depth > kMaxResolveDepth * 8 || !Mentions(expr, scope.names)) return expr;
    if (expr.kind == ExprKind::kName) {
      if (auto text = scope.env.strings.find(expr.text); text != scope.env.strings.end()) {
        return StringAt(expr, text->second);
      }
      if (auto local = scope.locals.find(expr.text); local != scope.locals.end()) return local->second;
      return expr;
    }
    Expr bound = expr;
    for (Expr& child : bound.children) child = Specialize(child, target, scope, depth + 1);
    switch (bound.kind) {
      case ExprKind::kAttribute:
      case ExprKind::kCall:
      case ExprKind::kBinaryOp:
      case ExprKind::kFString:
        if (Mentions(bound, scope.env.classes)) {
          if (auto text = EvalClassString(bound, target, scope.env, 0)) return StringAt(expr, *text);
        } else if (bound.kind == ExprKind::kFString || bound.kind == ExprKind::kBinaryOp) {
          if (auto text = EvalClassString(bound, target, StringEnv{}, 0)) return StringAt(expr, *text);
        }
        break;
      default: break;
    }
    return bound;
  }

  // The value a declared_attr function gives `target`: its return, with the function's first
  // parameter bound to the class and the locals of a straight-line body bound in order.
  // nullptr when the body is not one the reader follows.
  const Expr* DeclaredAttrValue(const Binding& function, ClassKey target) {
    const Expr* result = ReturnedValue(function);
    if (!result) return nullptr;
    ClassScope scope = ScopeOf(function);
    for (const auto& [name, value] : function.locals) {
      Expr bound = Specialize(value, target, scope);
      scope.env.classes.erase(name);
      scope.env.strings.erase(name);
      scope.locals.erase(name);
      if (bound.kind == ExprKind::kString) {
        scope.env.strings[name] = bound.text;
      } else {
        scope.locals[name] = std::move(bound);
      }
      scope.names.insert(name);
    }
    if (!Mentions(*result, scope.names)) return result;
    specialized_.push_back(Specialize(*result, target, scope));
    return &specialized_.back();
  }

  std::uint32_t ReturnedFile(const Binding& binding, ClassKey fallback) {
    if (binding.returned) return binding.returned->file;
    if (!binding.decorators.empty()) return binding.decorators[0].file;
    return fallback.file;
  }

  bool OwnPrimaryKey(ClassKey key) {
    for (const Binding& binding : Class(key).body) {
      const Expr* value = binding.value ? &*binding.value : nullptr;
      if (binding.is_method && DecoratedDeclaredAttr(binding)) value = ReturnedValue(binding);
      if (value && value->kind == ExprKind::kCall) {
        CallView view = View(*value);
        if (view.canonical == "Column" || view.canonical == "mapped_column" || view.canonical == "Field") {
          if (EvalBool(view.Kw("primary_key")).value_or(false)) return true;
        }
      }
      if (binding.annotation) {
        if (auto annotated = AnnotatedColumn(*binding.annotation)) {
          if (EvalBool(annotated->Kw("primary_key")).value_or(false)) return true;
        }
      }
    }
    return false;
  }

  int NewDraft(std::string name, std::string schema, ir::Location location, std::uint32_t file, Meta meta) {
    TableDraft draft;
    draft.name = std::move(name);
    draft.schema = schema.empty() ? (meta.schema.empty() ? options_.default_schema : meta.schema) : schema;
    draft.location = std::move(location);
    draft.file = file;
    draft.meta = std::move(meta);
    drafts_.push_back(std::move(draft));
    return static_cast<int>(drafts_.size() - 1);
  }

  void DecideTable(ClassKey key) {
    ClassState& state = states_[key];
    if (state.table_status != 0) return;
    state.table_status = 1;
    const ClassDef& klass = Class(key);
    if (!state.lineage || state.root) {
      states_[key].table_status = 2;
      return;
    }
    std::vector<std::string> alternatives;  // other names a computed __tablename__ may give
    auto finish = [&](int table, bool own) {
      states_[key].table = table;
      states_[key].own_table = own;
      states_[key].table_status = 2;
      if (table >= 0 && own) drafts_[table].name_alternatives = alternatives;
    };
    if (!DeclaresModels(key.file) && !klass.built_by_mixin) return finish(-1, false);
    if (const Binding* abstract = klass.Find("__abstract__")) {
      if (EvalBool(abstract->value ? &*abstract->value : nullptr).value_or(false)) return finish(-1, false);
    }
    // The columns of an AbstractConcreteBase go into each concrete subclass's own table.
    if (state.abstract_concrete) return finish(-1, false);
    Flavor flavor = state.flavor;
    std::vector<ClassKey> mro = state.mro;
    Meta meta = state.meta;
    ir::Location location = Loc(key.file, klass.line, klass.column);
    if (flavor == Flavor::kSqlModel) {
      if (!EvalBool(klass.Keyword("table")).value_or(false)) return finish(-1, false);
      std::string name = Lower(klass.name);
      if (const Binding* own = klass.Find("__tablename__")) {
        auto text = TableNameFrom(*own, key, &alternatives);
        if (!text) return finish(-1, false);
        name = *text;
      }
      return finish(NewDraft(name, TableArgsSchema(mro), location, key.file, meta), true);
    }
    if (const Binding* own_table = klass.Find("__table__"); own_table && own_table->value) {
      // `__table__ = Table(...)` or `__table__ = some_module_level_table`.
      const Expr* value = Deref(&*own_table->value);
      auto known = module_tables_.find(CallKey(*value));
      int table = known != module_tables_.end() ? known->second : TableFromCall(*value, &meta);
      if (table < 0) {
        Note(Loc(key.file, own_table->line, own_table->column),
             "__table__ of class " + klass.name + " is not a Table() the analyzer can read");
      }
      if (table >= 0) drafts_[table].mapped_by.push_back(QualifiedClass(key));
      return finish(table, false);
    }
    if (const Binding* own = klass.Find("__tablename__")) {
      if (flavor == Flavor::kFlask && !OwnPrimaryKey(key)) {
        // Flask-SQLAlchemy makes a subclass without a primary key of its own single-table
        // inheritance of its mapped parent, even when it names a table (__table_cls__).
        for (std::size_t i = 1; i < mro.size(); ++i) {
          DecideTable(mro[i]);
          if (states_[mro[i]].table < 0) continue;
          const int table = states_[mro[i]].table;
          drafts_[table].mapped_by.push_back(QualifiedClass(key));
          return finish(table, false);
        }
      }
      auto text = TableNameFrom(*own, key, &alternatives);
      if (!text) return finish(-1, false);
      return finish(NewDraft(*text, TableArgsSchema(mro), location, key.file, meta), true);
    }
    // The nearest mapped ancestor and the __tablename__ the class inherits from non-mapped ones.
    std::optional<ClassKey> mapped_parent;
    for (std::size_t i = 1; i < mro.size(); ++i) {
      DecideTable(mro[i]);
      if (states_[mro[i]].table >= 0) {
        mapped_parent = mro[i];
        break;
      }
    }
    const Binding* inherited_name = nullptr;
    for (std::size_t i = 1; i < mro.size(); ++i) {
      if (states_[mro[i]].table >= 0) continue;
      if (const Binding* binding = Class(mro[i]).Find("__tablename__")) {
        inherited_name = binding;
        break;
      }
    }
    if (mapped_parent && !OwnPrimaryKey(key)) {
      // Single-table inheritance: the class shares its parent's table.
      int table = states_[*mapped_parent].table;
      drafts_[table].mapped_by.push_back(QualifiedClass(key));
      return finish(table, false);
    }
    std::optional<std::string> name;
    if (inherited_name && (inherited_name->is_method || !mapped_parent)) {
      name = TableNameFrom(*inherited_name, key, &alternatives);
      if (!name) return finish(-1, false);
    } else if (flavor == Flavor::kFlask) {
      name = FlaskSqlalchemyTableName(klass.name);
    }
    if (!name) {
      Note(location, "class " + klass.name +
                         " derives from a declarative base but has no __tablename__ the analyzer can read; skipped");
      return finish(-1, false);
    }
    return finish(NewDraft(*name, TableArgsSchema(mro), location, key.file, meta), true);
  }

  // The "schema" entry of the (inherited) __table_args__ dictionary, if any.
  std::string TableArgsSchema(const std::vector<ClassKey>& mro) {
    auto [binding, owner] = FindIn(mro, "__table_args__");
    if (!binding || !binding->value) return "";
    const Expr* args = Deref(&*binding->value);
    const Expr* dict = nullptr;
    if (args->kind == ExprKind::kDict) dict = args;
    if ((args->kind == ExprKind::kTuple || args->kind == ExprKind::kList) && !args->children.empty() &&
        Deref(&args->children.back())->kind == ExprKind::kDict) {
      dict = Deref(&args->children.back());
    }
    if (!dict) return "";
    for (std::size_t i = 0; i + 1 < dict->children.size(); i += 2) {
      if (dict->children[i].kind == ExprKind::kString && dict->children[i].text == "schema") {
        return EvalString(&dict->children[i + 1]).value_or("");
      }
    }
    return "";
  }

  // ----- types -----

  std::vector<std::string> EnumMembers(ClassKey key, bool values) {
    std::vector<std::string> labels;
    for (const Binding& binding : Class(key).body) {
      if (binding.is_method || !binding.value || binding.name.empty() || binding.name[0] == '_') continue;
      if (values) {
        // A member written as a tuple (`ACTIVE = ("active", "Active")`) has its first item as value.
        const Expr* value = &*binding.value;
        if (value->kind == ExprKind::kTuple && !value->children.empty()) value = &value->children[0];
        auto text = EvalString(value);
        labels.push_back(text ? *text : value->source);
      } else {
        labels.push_back(binding.name);
      }
    }
    return labels;
  }

  std::optional<ClassKey> ProjectClass(const Expr& expr) {
    if (expr.kind != ExprKind::kName && expr.kind != ExprKind::kAttribute) return std::nullopt;
    Ref ref = ResolveExpr(expr);
    if (ref.kind != Ref::kClass || !ref.rest.empty()) return std::nullopt;
    ClassKey key{ref.file, ref.index};
    Analyze(key);
    return key;
  }

  TypeResult EnumType(const CallView& view, const Expr& where) {
    TypeResult result;
    EnumDraft draft;
    std::optional<ClassKey> enum_class;
    for (const Expr* argument : view.positional) {
      if (auto text = EvalString(argument)) {
        draft.labels.push_back(*text);
      } else if (auto key = ProjectClass(*argument); key && states_[*key].py_enum) {
        enum_class = key;
      } else if (argument->kind == ExprKind::kList || argument->kind == ExprKind::kTuple) {
        for (const Expr& item : argument->children) {
          if (auto text = EvalString(&item)) draft.labels.push_back(*text);
        }
      } else {
        result.problem = "Enum argument '" + argument->source + "' is not readable";
        return result;
      }
    }
    if (enum_class) draft.labels = EnumMembers(*enum_class, view.Kw("values_callable") != nullptr);
    if (auto name = EvalString(view.Kw("name"))) {
      draft.name = *name;
    } else if (enum_class) {
      draft.name = Lower(Class(*enum_class).name);
    }
    if (auto schema = EvalString(view.Kw("schema"))) draft.schema = *schema;
    if (draft.schema.empty()) {
      if (auto meta = MetaFromExpression(view.Kw("metadata"))) draft.schema = meta->schema;
    }
    draft.inherit_schema = EvalBool(view.Kw("inherit_schema")).value_or(false);
    if (!EvalBool(view.Kw("native_enum")).value_or(true)) {
      std::size_t longest = 0;
      for (const auto& label : draft.labels) longest = std::max(longest, label.size());
      auto length = EvalInt(view.Kw("length"));
      result.type = "character varying(" + std::to_string(length ? *length : static_cast<long long>(longest)) + ")";
      return result;
    }
    if (draft.name.empty()) {
      result.problem = "Enum without name=: PostgreSQL needs a type name";
      return result;
    }
    result.type = draft.name;  // qualified with the schema when the table is known
    if (!draft.labels.empty()) result.enum_draft = draft;
    if (draft.labels.empty()) result.enum_draft = EnumDraft{draft.name, draft.schema, {}, draft.inherit_schema};
    return result;
  }

  TypeResult ResolveType(const Expr& expr, int depth = 0) {
    TypeResult result;
    if (depth > kMaxResolveDepth) {
      result.problem = "type alias chain too deep";
      return result;
    }
    const Expr* callee = expr.kind == ExprKind::kCall ? &expr.Callee() : &expr;
    if (expr.kind == ExprKind::kCall && callee->kind == ExprKind::kAttribute && callee->text == "with_variant") {
      const Expr* dialect = expr.PositionalCount() > 1 ? &expr.Positional(1) : expr.Keyword("dialect_name");
      auto name = EvalString(dialect);
      if (name && (*name == "postgresql" || *name == "postgres") && expr.PositionalCount() > 0) {
        return ResolveType(expr.Positional(0), depth + 1);
      }
      return ResolveType(callee->children[0], depth + 1);
    }
    if (expr.kind == ExprKind::kCall && callee->kind == ExprKind::kAttribute && callee->text == "as_mutable" &&
        expr.PositionalCount() > 0) {
      // MutableDict.as_mutable(JSONB), or a project's own Mutable subclass: the wrapped type.
      return ResolveType(expr.Positional(0), depth + 1);
    }
    if (callee->kind != ExprKind::kName && callee->kind != ExprKind::kAttribute) {
      result.problem = "column type '" + expr.source + "' is not readable";
      return result;
    }
    Ref ref = ResolveExpr(*callee);
    if (ref.kind == Ref::kClass && ref.rest.empty()) {
      ClassKey key{ref.file, ref.index};
      Analyze(key);
      if (states_[key].type_decorator) {
        // load_dialect_impl() decides the type per dialect (the GUID recipe: CHAR(32) impl,
        // UUID on PostgreSQL); the impl attribute is what every other dialect gets.
        auto [dialect_impl, dialect_owner] = FindIn(states_[key].mro, "load_dialect_impl");
        if (dialect_impl && dialect_impl->is_method) {
          const Expr* chosen = dialect_impl->postgres_returned ? &*dialect_impl->postgres_returned
                               : dialect_impl->returned        ? &*dialect_impl->returned
                                                               : nullptr;
          if (chosen && chosen->kind == ExprKind::kCall && chosen->Callee().kind == ExprKind::kAttribute &&
              chosen->Callee().text == "type_descriptor" && chosen->PositionalCount() >= 1) {
            chosen = &chosen->Positional(0);  // dialect.type_descriptor(UUID())
          }
          if (chosen) {
            TypeResult on_postgres = ResolveType(*chosen, depth + 1);
            if (!on_postgres.type.empty()) return on_postgres;
          }
        }
        auto [impl, owner] = FindIn(states_[key].mro, "impl");
        if (impl && impl->value) {
          const Expr& impl_type = *impl->value;
          if (expr.kind == ExprKind::kCall && expr.children.size() > 1 &&
              (impl_type.kind == ExprKind::kName || impl_type.kind == ExprKind::kAttribute)) {
            // TypeDecorator.__init__ passes its arguments to the impl class:
            // UTCDateTime(timezone=True) with impl = DateTime is DateTime(timezone=True).
            Expr forwarded = expr;
            forwarded.children[0] = impl_type;
            return ResolveType(forwarded, depth + 1);
          }
          return ResolveType(impl_type, depth + 1);
        }
        result.problem = "TypeDecorator " + Class(key).name + " has no readable impl";
        return result;
      }
      result.problem = "project type class " + Class(key).name + " is not a TypeDecorator the analyzer can read";
      return result;
    }
    if (ref.kind == Ref::kFunction && ref.rest.empty() && expr.kind == ExprKind::kCall) {
      // A helper returning a type (`key_type("Query")`): what it returns, when that does not
      // depend on its arguments.
      const Binding& helper = Assignment(ref);
      const Expr* returned = ReturnedValue(helper);
      if (returned && helper.locals.empty()) {
        TypeResult inner = ResolveType(*returned, depth + 1);
        if (!inner.type.empty()) return inner;
      }
      result.problem = "column type '" + callee->source + "(...)' is computed by a function the analyzer cannot follow";
      return result;
    }
    if (ref.kind == Ref::kAssign && ref.rest.empty()) {
      const Binding& binding = Assignment(ref);
      if (binding.value) {
        if (expr.kind == ExprKind::kCall && binding.value->kind == ExprKind::kCall) {
          result.problem = "column type '" + expr.source + "' is built by a call the analyzer cannot follow";
          return result;
        }
        if (expr.kind != ExprKind::kCall) return ResolveType(*binding.value, depth + 1);
      }
    }
    std::string name = Canonical(*callee);
    CallView view;
    if (expr.kind == ExprKind::kCall) view = View(expr);
    auto arg = [&](std::size_t i, const char* keyword) -> const Expr* {
      if (expr.kind != ExprKind::kCall) return nullptr;
      if (const Expr* value = view.Kw(keyword)) return value;
      return i < view.positional.size() ? view.positional[i] : nullptr;
    };
    auto length_type = [&](const std::string& base, const char* unsized) {
      const Expr* length = arg(0, "length");
      if (!length) return std::string(unsized);
      if (auto n = EvalInt(length)) return base + "(" + std::to_string(*n) + ")";
      result.problem = "length '" + length->source + "' is not a constant the analyzer can read";
      return std::string();
    };
    auto timed = [&](const std::string& base) {
      const Expr* tz = arg(0, "timezone");
      bool with_tz = EvalBool(tz).value_or(false);
      std::string precision;
      if (auto p = EvalInt(expr.kind == ExprKind::kCall ? view.Kw("precision") : nullptr)) {
        precision = "(" + std::to_string(*p) + ")";
      }
      return base + precision + (with_tz ? " with time zone" : " without time zone");
    };
    if (name == "String" || name == "VARCHAR" || name == "Unicode" || name == "NVARCHAR" || name == "AutoString") {
      result.type = length_type("character varying", "character varying");
    } else if (name == "CHAR" || name == "NCHAR") {
      result.type = length_type("character", "character(1)");
    } else if (name == "BIT") {
      result.type = length_type("bit", "bit(1)");
    } else if (name == "DateTime" || name == "TIMESTAMP" || name == "DATETIME") {
      result.type = timed("timestamp");
    } else if (name == "Time" || name == "TIME") {
      result.type = timed("time");
    } else if (name == "Float" || name == "FLOAT") {
      auto precision = EvalInt(arg(0, "precision"));
      result.type = precision && *precision <= 24 ? "real" : "double precision";
    } else if (name == "Numeric" || name == "NUMERIC" || name == "DECIMAL") {
      auto precision = EvalInt(arg(0, "precision"));
      auto scale = EvalInt(arg(1, "scale"));
      result.type = precision ? "numeric(" + std::to_string(*precision) + "," + std::to_string(scale.value_or(0)) + ")"
                              : "numeric";
    } else if (name == "ARRAY") {
      const Expr* item = arg(0, "item_type");
      if (!item) {
        result.problem = "ARRAY without an item type";
        return result;
      }
      TypeResult inner = ResolveType(*item, depth + 1);
      if (inner.type.empty()) return inner;
      result.type = inner.type + "[]";
      result.enum_draft = inner.enum_draft;
    } else if (name == "Enum" || name == "ENUM") {
      if (expr.kind != ExprKind::kCall) {
        result.problem = "Enum used without arguments";
        return result;
      }
      return EnumType(view, expr);
    } else if (name == "ChoiceType") {
      // sqlalchemy_utils: ChoiceType(choices, impl=Integer()); without impl, Unicode(255).
      if (const Expr* impl = arg(1, "impl")) return ResolveType(*impl, depth + 1);
      result.type = "character varying(255)";
    } else if (name == "ArrowType") {
      result.type = timed("timestamp");  // sqlalchemy_utils: impl DateTime(timezone=...)
    } else if (name == "PasswordType") {
      // sqlalchemy_utils: VARBINARY(max_length) -> bytea on PostgreSQL.
      result.type = "bytea";
    } else if (name == "StringEncryptedType" || name == "EncryptedType") {
      // sqlalchemy_utils: impl String -> varchar, unbounded unless length= is given.
      result.type = length_type("character varying", "character varying");
    } else if (const KnownType* known = FindKnownType(name)) {
      result.type = known->postgres;
    } else if (result.problem.empty()) {
      result.problem = "column type '" + callee->source + "' is not one the analyzer knows";
    }
    result.integer = result.type == "integer" || result.type == "bigint" || result.type == "smallint";
    return result;
  }

  // ----- annotations -----

  struct Unwrapped {
    const Expr* inner = nullptr;
    bool optional = false;
    bool several = false;  // Union of several non-None types
  };

  void CollectUnion(const Expr* expr, std::vector<const Expr*>* out, bool* none, int depth = 0) {
    if (depth > kMaxResolveDepth) return;
    if (expr->kind == ExprKind::kNone) {
      *none = true;
    } else if (expr->kind == ExprKind::kBinaryOp && expr->text == "|") {
      CollectUnion(&expr->children[0], out, none, depth + 1);
      CollectUnion(&expr->children[1], out, none, depth + 1);
    } else if (expr->kind == ExprKind::kSubscript && Canonical(expr->children[0]) == "Optional" &&
               expr->children.size() == 2) {
      *none = true;
      CollectUnion(&expr->children[1], out, none, depth + 1);
    } else if (expr->kind == ExprKind::kSubscript && Canonical(expr->children[0]) == "Union") {
      for (std::size_t i = 1; i < expr->children.size(); ++i) CollectUnion(&expr->children[i], out, none, depth + 1);
    } else if (expr->kind == ExprKind::kName && expr->text == "None") {
      *none = true;
    } else {
      out->push_back(expr);
    }
  }

  Unwrapped Unwrap(const Expr& expr) {
    Unwrapped result;
    std::vector<const Expr*> items;
    CollectUnion(&expr, &items, &result.optional);
    if (items.size() == 1) result.inner = items[0];
    result.several = items.size() > 1;
    return result;
  }

  // The `X` of `Mapped[X]` (also sa.orm.Mapped), or nullptr.
  const Expr* MappedInner(const Expr& annotation, bool* relationship_like) {
    const Expr* expr = &annotation;
    if (expr->kind == ExprKind::kString) return nullptr;  // "Mapped[int]" as a string: not read
    if (expr->kind != ExprKind::kSubscript || expr->children.size() != 2) return nullptr;
    std::string canonical = Canonical(expr->children[0]);
    if (canonical == "WriteOnlyMapped" || canonical == "DynamicMapped") *relationship_like = true;
    if (canonical != "Mapped") return nullptr;
    return &expr->children[1];
  }

  // `intpk = Annotated[int, mapped_column(primary_key=True)]`: the mapped_column() of the alias.
  std::optional<CallView> AnnotatedColumn(const Expr& annotation) {
    bool relationship_like = false;
    const Expr* inner = MappedInner(annotation, &relationship_like);
    if (!inner) return std::nullopt;
    Unwrapped unwrapped = Unwrap(*inner);
    if (!unwrapped.inner) return std::nullopt;
    const Expr* target = Deref(unwrapped.inner);
    if (!target || target->kind != ExprKind::kSubscript || Canonical(target->children[0]) != "Annotated") {
      return std::nullopt;
    }
    for (std::size_t i = 2; i < target->children.size(); ++i) {
      const Expr& item = target->children[i];
      if (item.kind == ExprKind::kCall) {
        CallView view = View(item);
        if (view.canonical == "mapped_column") return view;
      }
    }
    return std::nullopt;
  }

  // The value `annotation` maps to in the current class's type_annotation_map, or nullptr.
  // Keys match by what they name: the same project class, or the same library name.
  const Expr* AnnotationMapEntry(const Expr& annotation) {
    if (!annotation_map_ || annotation_map_->kind != ExprKind::kDict) return nullptr;
    if (annotation.kind != ExprKind::kName && annotation.kind != ExprKind::kAttribute &&
        annotation.kind != ExprKind::kSubscript) {
      return nullptr;
    }
    auto same = [&](const Expr& key) {
      if (key.source == annotation.source) return true;
      if (key.kind == ExprKind::kSubscript || annotation.kind == ExprKind::kSubscript) return false;
      auto key_class = ProjectClass(key);
      auto annotation_class = ProjectClass(annotation);
      if (key_class || annotation_class) return key_class == annotation_class;
      const std::string canonical = Canonical(key);
      return !canonical.empty() && canonical == Canonical(annotation);
    };
    for (std::size_t i = 0; i + 1 < annotation_map_->children.size(); i += 2) {
      if (same(annotation_map_->children[i])) return &annotation_map_->children[i + 1];
    }
    return nullptr;
  }

  // The type_annotation_map entry keyed by enum.Enum itself, or nullptr.
  const Expr* GenericEnumEntry() {
    if (!annotation_map_ || annotation_map_->kind != ExprKind::kDict) return nullptr;
    for (std::size_t i = 0; i + 1 < annotation_map_->children.size(); i += 2) {
      const Expr& key = annotation_map_->children[i];
      if ((key.kind == ExprKind::kName || key.kind == ExprKind::kAttribute) && !ProjectClass(key) &&
          Canonical(key) == "Enum") {
        return &annotation_map_->children[i + 1];
      }
    }
    return nullptr;
  }

  // Python annotation -> column type, with SQLAlchemy 2.0's default type map (and SQLModel's).
  TypeResult PythonType(const Expr& expr, bool sqlmodel, const CallView* field, int depth = 0) {
    TypeResult result;
    if (depth > kMaxResolveDepth) {
      result.problem = "annotation alias chain too deep";
      return result;
    }
    if (const Expr* mapped_type = AnnotationMapEntry(expr)) return ResolveType(*mapped_type, depth + 1);
    if (const Expr* generic = GenericEnumEntry();
        generic && generic->kind == ExprKind::kCall && generic->PositionalCount() >= 1) {
      // `enum.Enum: Enum(enum.Enum, values_callable=...)` in the map serves every enum class
      // (SQLAlchemy looks the annotation's bases up): the same Enum() for this class.
      if (auto key = ProjectClass(expr); key && states_[*key].py_enum) {
        Expr specific = *generic;
        specific.children[1] = expr;
        return ResolveType(specific, depth + 1);
      }
    }
    if (expr.kind == ExprKind::kSubscript) {
      std::string head = Canonical(expr.children[0]);
      if (head == "Annotated" && expr.children.size() >= 2) {
        return PythonType(expr.children[1], sqlmodel, field, depth + 1);
      }
      result.problem = "annotation '" + expr.source + "' has no default column type";
      return result;
    }
    if (expr.kind != ExprKind::kName && expr.kind != ExprKind::kAttribute) {
      result.problem = "annotation '" + expr.source + "' is not readable";
      return result;
    }
    Ref ref = ResolveExpr(expr);
    if (ref.kind == Ref::kClass && ref.rest.empty()) {
      ClassKey key{ref.file, ref.index};
      Analyze(key);
      if (states_[key].py_enum) {
        EnumDraft draft{Lower(Class(key).name), "", EnumMembers(key, false)};
        result.type = draft.name;
        result.enum_draft = draft;
        return result;
      }
      result.problem = "annotation '" + expr.source + "' names a class that is no column type";
      return result;
    }
    if (ref.kind == Ref::kAssign && ref.rest.empty() && Assignment(ref).value) {
      const Expr& value = *Assignment(ref).value;
      if (value.kind == ExprKind::kSubscript && Canonical(value.children[0]) == "Annotated" &&
          value.children.size() >= 2) {
        Unwrapped unwrapped = Unwrap(value.children[1]);
        if (unwrapped.inner) return PythonType(*unwrapped.inner, sqlmodel, field, depth + 1);
      }
      return PythonType(value, sqlmodel, field, depth + 1);
    }
    std::string name = Canonical(expr);
    if (name == "int") {
      result.type = "integer";
      result.integer = true;
    } else if (name == "str") {
      result.type = "character varying";
      if (field) {
        if (auto length = EvalInt(field->Kw("max_length"))) result.type += "(" + std::to_string(*length) + ")";
      }
    } else if (name == "bool") {
      result.type = "boolean";
    } else if (name == "float") {
      result.type = "double precision";
    } else if (name == "Decimal") {
      result.type = "numeric";
      if (field) {
        auto digits = EvalInt(field->Kw("max_digits"));
        auto places = EvalInt(field->Kw("decimal_places"));
        if (digits) result.type += "(" + std::to_string(*digits) + "," + std::to_string(places.value_or(0)) + ")";
      }
    } else if (name == "datetime") {
      result.type = "timestamp without time zone";
    } else if (name == "date") {
      result.type = "date";
    } else if (name == "time") {
      result.type = "time without time zone";
    } else if (name == "timedelta") {
      result.type = "interval";
    } else if (name == "bytes") {
      result.type = "bytea";
    } else if (name == "UUID") {
      result.type = "uuid";
    } else {
      result.problem = "annotation '" + expr.source + "' has no default column type";
    }
    return result;
  }

  // ----- columns -----

  std::optional<std::string> RenderSql(const Expr* expr, bool* exact, int depth = 0) {
    if (!expr) return std::nullopt;
    if (depth > kMaxResolveDepth) {
      *exact = false;
      return expr->source;
    }
    switch (expr->kind) {
      case ExprKind::kString: return QuoteSqlString(expr->text);
      case ExprKind::kNumber: return expr->text;
      case ExprKind::kTrue: return std::string("true");
      case ExprKind::kFalse: return std::string("false");
      case ExprKind::kName:
      case ExprKind::kAttribute: {
        const Expr* value = Deref(expr);
        if (value != expr) return RenderSql(value, exact, depth + 1);
        if (auto text = EvalString(expr)) return QuoteSqlString(*text);  // an enum member's .value
        if (expr->kind == ExprKind::kAttribute) {
          // Model.attribute inside an expression (func.lower(User.email)): the column.
          if (auto key = ProjectClass(expr->children[0]); key && (states_[*key].lineage || states_[*key].root)) {
            return ColumnNameOf(*key, expr->text);
          }
          // cls.created inside a declared_attr's __table_args__: the mapped class's attribute.
          const Expr& owner = expr->children[0];
          if (owner.kind == ExprKind::kName && (owner.text == "cls" || owner.text == "self")) return expr->text;
          // A member of a str-based enum as server_default: SQLAlchemy renders its value.
          Ref ref = ResolveExpr(*expr);
          if (ref.kind == Ref::kClass && ref.rest.size() == 1) {
            if (auto value = EnumMemberString({ref.file, ref.index}, ref.rest[0], true, depth)) {
              return QuoteSqlString(*value);
            }
          }
        }
        break;
      }
      case ExprKind::kCall: {
        std::string canonical = Canonical(expr->Callee());
        if ((canonical == "text" || canonical == "literal_column") && expr->PositionalCount() >= 1) {
          if (auto text = EvalString(&expr->Positional(0))) return text;
        }
        if (canonical == "DefaultClause" && expr->PositionalCount() >= 1) {
          return RenderSql(&expr->Positional(0), exact, depth + 1);
        }
        if (canonical == "false" || canonical == "true") return canonical;
        if (canonical == "null") return std::string("NULL");
        if (canonical == "literal" && expr->PositionalCount() >= 1) {
          if (auto text = EvalString(&expr->Positional(0))) return QuoteSqlString(*text);
        }
        if ((canonical == "column" || canonical == "Column") && expr->PositionalCount() >= 1) {
          if (auto name = EvalString(&expr->Positional(0))) return *name;  // func.lower(column("email"))
        }
        if (expr->Callee().kind == ExprKind::kAttribute && expr->PositionalCount() == 0 && expr->keywords.empty()) {
          const std::string& method = expr->Callee().text;
          if (method == "desc" || method == "asc") {
            // User.created.desc() as an index key: the database readers keep a key's column
            // or expression without its sort order too, so the order is not compared (yet).
            return RenderSql(&expr->Callee().children[0], exact, depth + 1);
          }
        }
        if (canonical.rfind("func.", 0) == 0) {
          std::string function = canonical.substr(5);
          static const std::set<std::string> kNoParens = {
              "current_timestamp", "current_date", "current_time", "localtime",
              "localtimestamp",    "current_user", "session_user", "user"};
          if (kNoParens.count(Lower(function)) && expr->children.size() == 1) return Upper(function);
          std::string out = function + "(";
          for (std::size_t i = 0; i < expr->PositionalCount(); ++i) {
            auto argument = RenderSql(&expr->Positional(i), exact, depth + 1);
            if (!argument) return std::nullopt;
            out += (i ? ", " : "") + *argument;
          }
          if (!expr->keywords.empty()) *exact = false;
          return out + ")";
        }
        break;
      }
      default: break;
    }
    *exact = false;
    return expr->source;
  }

  void ReadServerDefault(const Expr* expr, ColumnDraft* draft, bool onupdate) {
    if (!expr || expr->kind == ExprKind::kNone) return;
    if (expr->kind == ExprKind::kCall && Canonical(expr->Callee()) == "FetchedValue") {
      if (!onupdate)
        Note(Loc(*expr), "server_default=FetchedValue(): the default lives in the database and is not known");
      if (onupdate) draft->column.server_onupdate = expr->source;
      return;
    }
    bool exact = true;
    auto text = RenderSql(expr, &exact);
    if (!text) return;
    if (!exact) {
      Note(Loc(*expr), std::string(onupdate ? "server_onupdate" : "server_default") + " '" + expr->source +
                           "' is not an expression the analyzer can render as SQL; kept as written");
    }
    if (onupdate) {
      draft->column.server_onupdate = *text;
    } else {
      draft->column.server_default = *text;
    }
  }

  // ForeignKey("t.c"), ForeignKey("s.t.c"), ForeignKey(Model.attr), ForeignKey(table.c.col).
  std::optional<FkDraft> ReadForeignKey(const CallView& view) {
    FkDraft fk;
    fk.location = Loc(*view.call);
    const Expr* target = view.positional.empty() ? view.Kw("column") : view.positional[0];
    if (!target) {
      Note(fk.location, "ForeignKey without a target");
      return std::nullopt;
    }
    if (!ReadReference(*target, &fk)) {
      Note(Loc(*target), "foreign key target '" + target->source + "' is not readable");
      return std::nullopt;
    }
    ReadFkOptions(view, &fk);
    return fk;
  }

  void ReadFkOptions(const CallView& view, FkDraft* fk) {
    if (auto name = EvalString(view.Kw("name"))) fk->name = *name;
    if (auto action = EvalString(view.Kw("ondelete"))) fk->on_delete = ParseAction(*action);
    if (auto action = EvalString(view.Kw("onupdate"))) fk->on_update = ParseAction(*action);
    if (auto deferrable = EvalBool(view.Kw("deferrable"))) fk->deferrable = *deferrable;
    if (auto initially = EvalString(view.Kw("initially"))) fk->initially_deferred = Upper(*initially) == "DEFERRED";
  }

  // One referenced column into fk (table/schema must agree for composite keys).
  bool ReadReference(const Expr& target, FkDraft* fk) {
    if (target.kind == ExprKind::kName && filling_) {
      // `parent_id = Column(ForeignKey(id))`: a column of the same class body, by its Python name.
      const auto [owner, mapped] = *filling_;
      const Binding* column = Class(owner).Find(target.text);
      const int table = states_[mapped].table;
      if (column && !column->is_method && column->value && column->value->kind == ExprKind::kCall && table >= 0 &&
          (View(*column->value).canonical == "Column" || View(*column->value).canonical == "mapped_column")) {
        fk->table = drafts_[table].name;
        fk->schema = drafts_[table].schema;
        fk->referenced.push_back(ColumnNameOf(mapped, target.text));
        return true;
      }
    }
    if (auto text = EvalString(&target)) {
      auto parts = Split(*text, '.');
      if (parts.size() < 2) return false;
      std::string column = parts.back();
      std::string table = parts[parts.size() - 2];
      std::string schema = parts.size() >= 3 ? parts[parts.size() - 3] : "";
      fk->table = table;
      fk->schema = schema;
      fk->referenced.push_back(column);
      return true;
    }
    if (target.kind != ExprKind::kAttribute) return false;
    const Expr& owner = target.children[0];
    // table.c.col / table.columns.col
    if (owner.kind == ExprKind::kAttribute && (owner.text == "c" || owner.text == "columns")) {
      const Expr* table_expr = Deref(&owner.children[0]);
      if (table_expr && table_expr->kind == ExprKind::kCall && Canonical(table_expr->Callee()) == "Table" &&
          table_expr->PositionalCount() >= 1) {
        auto name = EvalString(&table_expr->Positional(0));
        if (!name) return false;
        fk->table = *name;
        fk->schema = EvalString(table_expr->Keyword("schema")).value_or("");
        fk->referenced.push_back(target.text);
        return true;
      }
      return false;
    }
    auto key = ProjectClass(owner);
    if (!key) return false;
    DecideTable(*key);
    int table = states_[*key].table;
    if (table < 0) return false;
    fk->table = drafts_[table].name;
    fk->schema = drafts_[table].schema;
    fk->referenced.push_back(ColumnNameOf(*key, target.text));
    return true;
  }

  // The database name of attribute `attribute` of a model class (Column("name", ...) or key).
  std::string ColumnNameOf(ClassKey key, const std::string& attribute) {
    auto [binding, owner] = FindIn(states_[key].mro, attribute);
    if (binding && binding->value && binding->value->kind == ExprKind::kCall) {
      CallView view = View(*binding->value);
      if (!view.positional.empty()) {
        if (auto name = EvalString(view.positional[0])) return *name;
      }
      if (auto name = EvalString(view.Kw("name"))) return *name;
    }
    return attribute;
  }

  struct ColumnContext {
    std::string attribute;         // Python attribute (declarative) or empty (Table())
    const Expr* mapped = nullptr;  // X of Mapped[X]
    const Expr* sqlmodel_annotation = nullptr;
    bool table_column = false;  // Column inside Table(): first string is required
    ir::Location location;
  };

  // Column(...) / mapped_column(...) / Field(...) -> a draft. `annotated` holds the keywords
  // of an Annotated[...] alias, which the call's own keywords override.
  std::optional<ColumnDraft> ReadColumn(const CallView* view, const ColumnContext& context,
                                        const CallView* annotated = nullptr) {
    ColumnDraft draft;
    draft.column.location = context.location;
    draft.column.name = context.attribute;
    draft.attribute = context.attribute;
    bool is_field = view && view->canonical == "Field";
    CallView merged;
    if (view) merged = *view;
    if (annotated) {
      std::vector<std::pair<std::string, const Expr*>> keywords = annotated->keywords;
      for (auto& kw : merged.keywords) keywords.push_back(kw);
      merged.keywords = std::move(keywords);
      if (merged.positional.empty()) merged.positional = annotated->positional;
    }
    // SQLModel: Field(sa_column=Column(...)) is the column itself.
    if (is_field) {
      if (const Expr* sa_column = merged.Kw("sa_column"); sa_column && sa_column->kind == ExprKind::kCall) {
        CallView inner = View(*sa_column);
        ColumnContext inner_context = context;
        inner_context.sqlmodel_annotation = nullptr;
        auto result = ReadColumn(&inner, inner_context);
        if (result && !result->column.nullable.has_value()) result->column.nullable = true;
        return result;
      }
      if (const Expr* extra = Deref(merged.Kw("sa_column_kwargs")); extra && extra->kind == ExprKind::kDict) {
        for (std::size_t i = 0; i + 1 < extra->children.size(); i += 2) {
          if (extra->children[i].kind == ExprKind::kString) {
            merged.keywords.emplace_back(extra->children[i].text, &extra->children[i + 1]);
          }
        }
      }
    }
    TypeResult type;
    bool type_given = false;
    bool explicit_type = false;  // a type argument, not the Mapped[] annotation
    std::size_t first = 0;
    if (!is_field && !merged.positional.empty()) {
      const std::string& first_source = merged.positional[0]->source;
      if ((merged.positional[0]->kind == ExprKind::kFString && !EvalString(merged.positional[0])) ||
          (merged.positional[0]->kind == ExprKind::kOther && first_source.size() > 1 &&
           (first_source[0] == 'f' || first_source[0] == 'F') && (first_source[1] == '"' || first_source[1] == '\''))) {
        Note(context.location, "column name " + first_source + " is computed at run time; column not read");
        return std::nullopt;
      }
      if (auto name = EvalString(merged.positional[0])) {
        draft.column.name = *name;
        first = 1;
      } else if (merged.positional.size() >= 2 && merged.positional[0]->kind != ExprKind::kCall &&
                 !ResolveType(*merged.positional[1]).type.empty()) {
        // Column(<something unread>, Integer): the type comes second, so the first is the name.
        Note(context.location, "column name " + first_source + " is computed at run time; column not read");
        return std::nullopt;
      }
    }
    if (auto name = EvalString(merged.Kw("name")); name && !is_field) draft.column.name = *name;
    if (auto key = EvalString(merged.Kw("key"))) draft.attribute = *key;
    if (draft.column.name.empty()) {
      Note(context.location, "column without a readable name");
      return std::nullopt;
    }
    for (std::size_t i = first; !is_field && i < merged.positional.size(); ++i) {
      const Expr* argument = merged.positional[i];
      std::string canonical;
      if (argument->kind == ExprKind::kCall) canonical = View(*argument).canonical;
      if (canonical == "ForeignKey") {
        if (auto fk = ReadForeignKey(View(*argument))) draft.fks.push_back(std::move(*fk));
      } else if (canonical == "Identity") {
        bool always = EvalBool(argument->Keyword("always")).value_or(false);
        draft.column.identity = always ? ir::IdentityKind::kAlways : ir::IdentityKind::kByDefault;
      } else if (canonical == "Computed") {
        if (argument->PositionalCount() >= 1) {
          auto text = EvalString(&argument->Positional(0));
          draft.column.generated = text ? *text : argument->Positional(0).source;
        }
      } else if (canonical == "CheckConstraint") {
        ir::CheckConstraint check;
        check.location = Loc(*argument);
        if (argument->PositionalCount() >= 1) {
          auto text = EvalString(&argument->Positional(0));
          check.expression = text ? *text : argument->Positional(0).source;
        }
        check.name = EvalString(argument->Keyword("name")).value_or("");
        draft.checks.push_back(std::move(check));
      } else if (canonical == "Sequence") {
        // The sequence feeds the default; nothing for the catalog's column shape.
      } else if (!type_given) {
        type = ResolveType(*argument);
        type_given = true;
        explicit_type = true;
        const Expr& type_callee = argument->kind == ExprKind::kCall ? argument->Callee() : *argument;
        draft.search_vector = Canonical(type_callee) == "TSVectorType";
      }
    }
    if (const Expr* type_kw = merged.Kw(is_field ? "sa_type" : "type_")) {
      type = ResolveType(*type_kw);
      type_given = true;
      explicit_type = true;
    }
    bool optional = false;
    bool annotated_type = false;
    if (!type_given && (context.mapped || context.sqlmodel_annotation)) {
      const Expr* annotation = context.mapped ? context.mapped : context.sqlmodel_annotation;
      Unwrapped unwrapped = Unwrap(*annotation);
      optional = unwrapped.optional;
      annotated_type = true;
      if (unwrapped.inner) {
        type = PythonType(*unwrapped.inner, context.sqlmodel_annotation != nullptr, is_field ? &merged : nullptr);
      } else {
        type.problem = "annotation '" + annotation->source + "' has no single column type";
      }
      type_given = true;
    } else if (context.mapped || context.sqlmodel_annotation) {
      const Expr* annotation = context.mapped ? context.mapped : context.sqlmodel_annotation;
      optional = Unwrap(*annotation).optional;
      annotated_type = true;
    }
    if (is_field) {
      if (const Expr* foreign_key = merged.Kw("foreign_key")) {
        FkDraft fk;
        fk.location = Loc(*foreign_key);
        if (ReadReference(*foreign_key, &fk)) {
          if (auto action = EvalString(merged.Kw("ondelete"))) fk.on_delete = ParseAction(*action);
          draft.fks.push_back(std::move(fk));
        } else {
          Note(Loc(*foreign_key), "foreign_key '" + foreign_key->source + "' is not readable");
        }
      }
    }
    // A column typed only by its Mapped[] annotation takes the referenced column's type when
    // it has a ForeignKey: SQLAlchemy 2.0 resolves the FK's type over the annotation's.
    draft.type_from_fk = (!type_given || (annotated_type && !explicit_type)) && !draft.fks.empty();
    draft.column.type = type.type;
    draft.integer = type.integer;
    draft.enum_draft = type.enum_draft;
    if (!type_given && !draft.type_from_fk)
      type.problem = "column " + draft.column.name + " has no type the analyzer can read";
    if (draft.column.type.empty() && !draft.type_from_fk && !type.problem.empty()) {
      NoteUnknownType(context.location, type.problem);
    }
    draft.primary_key = EvalBool(merged.Kw("primary_key")).value_or(false);
    draft.unique = EvalBool(merged.Kw("unique")).value_or(false);
    draft.index = EvalBool(merged.Kw("index")).value_or(false);
    if (const Expr* autoincrement = merged.Kw("autoincrement")) {
      if (auto value = EvalBool(autoincrement)) draft.autoincrement = *value;
    }
    if (const Expr* nullable = merged.Kw("nullable")) {
      if (auto value = EvalBool(nullable)) {
        draft.column.nullable = *value;
      } else {
        Note(Loc(*nullable), "nullable='" + nullable->source + "' is not a constant the analyzer can read");
      }
    }
    if (draft.primary_key) {
      draft.column.nullable = false;
    } else if (!draft.column.nullable.has_value()) {
      draft.column.nullable = annotated_type ? optional : true;
    }
    ReadServerDefault(merged.Kw("server_default"), &draft, false);
    ReadServerDefault(merged.Kw("server_onupdate"), &draft, true);
    const Expr* python_default = merged.Kw("default");
    if (!python_default) python_default = merged.Kw("insert_default");
    if (!python_default && is_field) python_default = merged.Kw("default_factory");
    if (python_default && !(is_field && python_default->kind == ExprKind::kNone)) {
      draft.column.python_default = python_default->source;
    }
    if (is_field && !python_default && !view->positional.empty() && view->positional[0]->kind != ExprKind::kNone) {
      draft.column.python_default = view->positional[0]->source;  // Field(5)
    }
    if (const Expr* onupdate = merged.Kw("onupdate")) draft.column.python_onupdate = onupdate->source;
    if (auto comment = EvalString(merged.Kw("comment"))) draft.column.comment = *comment;
    if (draft.attribute != draft.column.name) draft.column.attribute = draft.attribute;
    return draft;
  }

  // ----- class columns -----

  static bool SkippedAttribute(const std::string& name) {
    static const std::set<std::string> kSkipped = {
        "metadata", "registry", "query", "query_class", "type_annotation_map", "model_config", "impl", "cache_ok"};
    return IsDunder(name) || kSkipped.count(name) > 0;
  }

  // Calls whose value is a class attribute other than a column (what `deferred(Column())` and
  // `column_property(Column())` wrap is read before this is asked).
  static bool NotAColumn(const std::string& canonical) {
    static const std::set<std::string> kNotColumns = {
        "relationship",    "Relationship",    "backref",   "association_proxy", "synonym",
        "composite",       "column_property", "deferred",  "query_expression",  "dynamic_loader",
        "hybrid_property", "relation",        "validates", "declared_attr",     "ClassVar"};
    return kNotColumns.count(canonical) > 0;
  }

  // A class-body binding as a column of the class's table, or nullopt when it is something else.
  // `target`: the mapped class a mixin's declared_attr is read for (its body then runs with
  // `cls` bound to it); without one, only a body that is just a return is read.
  std::optional<ColumnDraft> BindingColumn(const Binding& binding, std::uint32_t file, Flavor flavor,
                                           std::optional<ClassKey> target = std::nullopt) {
    ColumnContext context;
    context.attribute = binding.name;
    context.location = Loc(file, binding.line, binding.column);
    const Expr* value = binding.value ? &*binding.value : nullptr;
    if (binding.is_method) {
      if (!DecoratedDeclaredAttr(binding)) return std::nullopt;
      value = target ? DeclaredAttrValue(binding, *target) : (binding.returned ? &*binding.returned : nullptr);
      if (!value) {
        // A body that ends in `return relationship(...)` maps no column, whatever it does before.
        if (binding.last_returned && binding.last_returned->kind == ExprKind::kCall &&
            NotAColumn(View(*binding.last_returned).canonical)) {
          return std::nullopt;
        }
        Note(context.location, "declared_attr '" + binding.name + "' is computed by code the analyzer does not read");
        return std::nullopt;
      }
    }
    if (value && value->kind == ExprKind::kAttribute && !binding.annotation && alias_depth_ < kMaxResolveDepth) {
      // `id = BaseMixin.id`: the column another (mixin) class declares, under this name.
      Ref ref = ResolveExpr(*value);
      if (ref.kind == Ref::kClass && ref.rest.size() == 1) {
        ClassKey other{ref.file, ref.index};
        Analyze(other);
        auto [source, owner] = FindIn(states_[other].mro, ref.rest[0]);
        if (source && source != &binding && !source->is_method) {
          Binding renamed = *source;
          renamed.name = binding.name;
          ++alias_depth_;
          auto column = BindingColumn(renamed, owner.file, flavor);
          --alias_depth_;
          if (column) column->column.location = context.location;
          return column;
        }
      }
    }
    bool relationship_like = false;
    const Expr* mapped = binding.annotation ? MappedInner(*binding.annotation, &relationship_like) : nullptr;
    if (relationship_like) return std::nullopt;
    context.mapped = mapped;
    std::optional<CallView> annotated;
    if (binding.annotation) annotated = AnnotatedColumn(*binding.annotation);
    if (value && value->kind == ExprKind::kCall) {
      CallView view = View(*value);
      if ((view.canonical == "deferred" || view.canonical == "column_property") && !view.positional.empty() &&
          view.positional[0]->kind == ExprKind::kCall) {
        CallView inner = View(*view.positional[0]);
        if (inner.canonical == "Column" || inner.canonical == "mapped_column") view = inner;
      }
      if (view.canonical == "Column" || view.canonical == "mapped_column") {
        return ReadColumn(&view, context, annotated ? &*annotated : nullptr);
      }
      if (view.canonical == "Field" && flavor == Flavor::kSqlModel) {
        if (!binding.annotation) return std::nullopt;
        context.sqlmodel_annotation = &*binding.annotation;
        return ReadColumn(&view, context);
      }
      if (NotAColumn(view.canonical)) return std::nullopt;
      Ref ref = ResolveExpr(*view.callee);
      if (ref.kind == Ref::kFunction && ref.rest.empty()) {
        // A helper that returns relationship(...) (or another non-column) maps no column.
        const Binding& helper = Assignment(ref);
        // The helper's last return, whatever computes its arguments before it: what depends
        // on them stays unknown, what the call writes literally (primary_key=True) is read.
        const Expr* result = helper.last_returned ? &*helper.last_returned : ReturnedValue(helper);
        if (result && result->kind == ExprKind::kCall && NotAColumn(View(*result).canonical)) {
          return std::nullopt;
        }
        // `id = primary_key("User")` with `def primary_key(name): return Column(..., primary_key=True)`:
        // the helper's Column(); what depends on the helper's arguments stays unknown.
        if (result && result->kind == ExprKind::kCall && column_helper_depth_ < kMaxResolveDepth) {
          CallView inner = View(*result);
          if (inner.canonical == "Column" || inner.canonical == "mapped_column") {
            ++column_helper_depth_;
            auto column = ReadColumn(&inner, context, annotated ? &*annotated : nullptr);
            --column_helper_depth_;
            if (column) return column;
          }
        }
      }
      if (ref.kind == Ref::kFunction) {
        Note(context.location, "column '" + binding.name + "' is built by the helper function '" + view.callee->source +
                                   "()', which the analyzer does not follow");
        // The column exists even though its details are unknown: keep it by name (type,
        // nullability and default unknown) so the database's column is not reported as
        // missing from the models.
        ColumnDraft unknown;
        unknown.column.name = binding.name;
        unknown.column.location = context.location;
        unknown.attribute = binding.name;
        return unknown;
      }
      if (mapped) {
        Note(context.location, "Mapped attribute '" + binding.name + "' is assigned '" + value->source +
                                   "', which the analyzer does not understand");
      }
      return std::nullopt;
    }
    if (mapped && (!value || value->kind != ExprKind::kCall)) {
      // `x: Mapped[int]` (optionally `= <python default>`): a column typed by the annotation,
      // unless the annotation names a model (a relationship declared elsewhere).
      Unwrapped unwrapped = Unwrap(*mapped);
      if (unwrapped.inner) {
        const Expr* inner = unwrapped.inner;
        if (inner->kind == ExprKind::kString) return std::nullopt;
        if (inner->kind == ExprKind::kSubscript) {
          std::string head = Canonical(inner->children[0]);
          if (head == "list" || head == "List" || head == "Set" || head == "set") return std::nullopt;
        }
        if (auto key = ProjectClass(*inner); key && (states_[*key].lineage || states_[*key].root)) return std::nullopt;
      }
      auto draft = ReadColumn(annotated ? &*annotated : nullptr, context);
      if (draft && value && value->kind != ExprKind::kNone) draft->column.python_default = value->source;
      return draft;
    }
    if (flavor == Flavor::kSqlModel && binding.annotation && !binding.is_method) {
      const Expr& annotation = *binding.annotation;
      if (annotation.kind == ExprKind::kSubscript && Canonical(annotation.children[0]) == "ClassVar")
        return std::nullopt;
      Unwrapped unwrapped = Unwrap(annotation);
      if (unwrapped.inner) {
        const Expr* inner = unwrapped.inner;
        if (inner->kind == ExprKind::kString) return std::nullopt;
        if (inner->kind == ExprKind::kSubscript) {
          std::string head = Canonical(inner->children[0]);
          if (head == "list" || head == "List" || head == "Set" || head == "set") return std::nullopt;
        }
        if (auto key = ProjectClass(*inner); key && (states_[*key].lineage || states_[*key].root)) return std::nullopt;
      }
      context.sqlmodel_annotation = &annotation;
      CallView empty_field;
      empty_field.canonical = "Field";
      auto draft = ReadColumn(&empty_field, context);
      if (draft && value && value->kind != ExprKind::kNone) draft->column.python_default = value->source;
      return draft;
    }
    return std::nullopt;
  }

  void FillClassColumns(ClassKey key) {
    const ClassState& state = states_[key];
    if (state.table < 0) return;
    if (!state.own_table && Class(key).Find("__table__")) return;  // columns come from Table()
    // Classes whose attributes belong to this class's columns: its MRO minus mapped ancestors
    // (their columns live in their own tables) and everything above them.
    std::set<ClassKey> excluded;
    for (std::size_t i = 1; i < state.mro.size(); ++i) {
      if (states_[state.mro[i]].table >= 0) {
        for (const auto& above : states_[state.mro[i]].mro) excluded.insert(above);
      }
    }
    std::vector<ClassKey> classes;
    for (const auto& k : state.mro) {
      if (!excluded.count(k)) classes.push_back(k);
    }
    std::vector<std::string> unread;
    for (const auto& k : classes) {
      for (const auto& base : states_[k].unread_bases) {
        if (std::find(unread.begin(), unread.end(), base) == unread.end()) unread.push_back(base);
      }
    }
    if (!unread.empty() && state.own_table) {
      drafts_[state.table].unread_bases = unread;
      // Said once per library class, at its first model; the count follows (FinishUnknownTypeNotes).
      auto [use, first] = unread_base_notes_.try_emplace(unread.front(), UnknownTypeUse{diagnostics_.size(), 0});
      ++use->second.columns;
      if (first) {
        Note(Loc(key.file, Class(key).line, Class(key).column),
             "class " + Class(key).name + " derives from " + unread.front() +
                 ", which the analyzer cannot read: columns, keys and indexes of table " + drafts_[state.table].name +
                 " that the model does not declare are not reported");
      }
    }
    // `type_annotation_map` of the declarative base (anywhere in the full MRO): Mapped[X]
    // annotations of this class take their column types from it.
    auto [annotation_map, map_owner] = FindIn(state.mro, "type_annotation_map");
    annotation_map_ = annotation_map && annotation_map->value ? Deref(&*annotation_map->value) : nullptr;
    std::vector<std::string> order;
    std::set<std::string> seen;
    for (auto it = classes.rbegin(); it != classes.rend(); ++it) {
      for (const Binding& binding : Class(*it).body) {
        if (SkippedAttribute(binding.name) || seen.count(binding.name)) continue;
        seen.insert(binding.name);
        order.push_back(binding.name);
      }
    }
    const int table_index = state.table;
    for (const auto& name : order) {
      auto [binding, owner] = FindIn(classes, name);
      if (!binding) continue;
      const Flavor flavor = states_[owner].flavor == Flavor::kNone ? state.flavor : states_[owner].flavor;
      filling_ = std::make_pair(owner, key);
      auto column = BindingColumn(*binding, owner.file, flavor, key);
      filling_.reset();
      column_names_[{binding, flavor}] = column ? std::optional<std::string>(column->column.name) : std::nullopt;
      drafts_[table_index].class_attributes.push_back(name);
      if (!column && !binding->is_method && binding->value && binding->value->kind == ExprKind::kCall &&
          View(*binding->value).canonical == "Index") {
        // `by_expiry = Index("ix_x", expires_at)` in the class body: SQLAlchemy attaches it
        // to the table through its columns, as if it were in __table_args__.
        drafts_[table_index].constraint_items.push_back(&*binding->value);
      }
      if (!column) continue;
      // mapped_column(use_existing_column=True) in a single-table subclass: the table's column
      // stays as its first declaration made it.
      const bool reuse = !binding->is_method && binding->value && binding->value->kind == ExprKind::kCall &&
                         EvalBool(binding->value->Keyword("use_existing_column")).value_or(false);
      bool replaced = false;
      for (auto& existing : drafts_[state.table].columns) {
        if (existing.column.name == column->column.name) {
          if (!reuse) existing = std::move(*column);
          replaced = true;
          break;
        }
      }
      if (!replaced) drafts_[state.table].columns.push_back(std::move(*column));
    }
    annotation_map_ = nullptr;
    if (!state.own_table) return;  // single-table inheritance: the parent's __table_args__ rule
    TableDraft& own = drafts_[state.table];
    own.mapped_by.push_back(QualifiedClass(key));
    auto [args, owner] = FindIn(classes, "__table_args__");
    if (args) ReadTableArgs(*args, owner, key, &own);
  }

  void ReadTableArgs(const Binding& binding, ClassKey owner, ClassKey target, TableDraft* table) {
    const Expr* args = binding.value ? Deref(&*binding.value) : nullptr;
    if (binding.is_method) {
      args = DeclaredAttrValue(binding, target);
      if (args) args = Deref(args);
    }
    if (!args) {
      Note(Loc(owner.file, binding.line, binding.column),
           "__table_args__ is computed by code the analyzer does not read");
      return;
    }
    std::vector<const Expr*> items;
    const Expr* dict = nullptr;
    if (args->kind == ExprKind::kDict) {
      dict = args;
    } else if (args->kind == ExprKind::kTuple || args->kind == ExprKind::kList) {
      for (const Expr& item : args->children) {
        const Expr* resolved = Deref(&item);
        if (resolved->kind == ExprKind::kDict && &item == &args->children.back()) {
          dict = resolved;
        } else {
          items.push_back(resolved);
        }
      }
    } else {
      Note(Loc(*args), "__table_args__ '" + args->source + "' is not a tuple or dict the analyzer can read");
      return;
    }
    for (const Expr* item : items) table->constraint_items.push_back(item);
    if (dict) {
      for (std::size_t i = 0; i + 1 < dict->children.size(); i += 2) {
        if (dict->children[i].kind != ExprKind::kString) continue;
        const std::string& key = dict->children[i].text;
        if (key == "comment") table->comment = EvalString(&dict->children[i + 1]).value_or("");
      }
    }
  }

  // ----- Table(...) -----

  // Reads `Table("name", metadata, Column(...), ...)`; returns the draft index or -1.
  int TableFromCall(const Expr& call, Meta* class_meta) {
    if (call.kind != ExprKind::kCall) return -1;
    CallView view = View(call);
    if (view.canonical != "Table") return -1;
    if (view.positional.empty()) {
      Note(Loc(call), "Table() without a name");
      return -1;
    }
    auto name = EvalString(view.positional[0]);
    if (!name) {
      Note(Loc(*view.positional[0]), "Table name '" + view.positional[0]->source + "' is not readable");
      return -1;
    }
    Meta meta;
    if (class_meta) meta = *class_meta;
    // db.Table(...) uses db's metadata.
    if (view.callee->kind == ExprKind::kAttribute) {
      Ref owner = ResolveExpr(view.callee->children[0]);
      if (owner.kind == Ref::kAssign && owner.rest.empty()) {
        if (auto own = MetaFromBaseBinding(Assignment(owner), 0)) meta = *own;
      }
    }
    std::vector<const Expr*> columns;
    std::vector<const Expr*> constraints;
    for (std::size_t i = 1; i < view.positional.size(); ++i) {
      const Expr* argument = view.positional[i];
      if (argument->kind == ExprKind::kCall) {
        CallView inner = View(*argument);
        if (inner.canonical == "Column" || inner.canonical == "mapped_column") {
          columns.push_back(argument);
        } else if (inner.canonical == "MetaData") {
          meta = MetaFromCall(argument);
        } else {
          constraints.push_back(argument);
        }
      } else if (auto own = MetaFromExpression(argument)) {
        meta = *own;
      }
    }
    std::string schema = EvalString(view.Kw("schema")).value_or("");
    int index = NewDraft(*name, schema, Loc(call), call.file, meta);
    for (const Expr* column_call : columns) {
      CallView column_view = View(*column_call);
      ColumnContext context;
      context.table_column = true;
      context.location = Loc(*column_call);
      auto draft = ReadColumn(&column_view, context);
      if (draft) drafts_[index].columns.push_back(std::move(*draft));
    }
    drafts_[index].constraint_items = constraints;
    if (auto comment = EvalString(view.Kw("comment"))) drafts_[index].comment = *comment;
    return index;
  }

  void ReadModuleTables() {
    for (std::uint32_t f = 0; f < files_.size(); ++f) {
      if (!DeclaresModels(f)) continue;
      // Table() objects kept as attributes of a plain (unmapped) class, a registry of tables.
      for (std::uint32_t c = 0; c < files_[f].classes.size(); ++c) {
        const ClassState& state = states_[{f, c}];
        if (state.lineage || state.root) continue;
        for (const Binding& binding : files_[f].classes[c].body) {
          if (binding.is_method || !binding.value || binding.value->kind != ExprKind::kCall) continue;
          if (View(*binding.value).canonical != "Table") continue;
          int table = TableFromCall(*binding.value, nullptr);
          if (table >= 0) module_tables_[CallKey(*binding.value)] = table;
        }
        for (const Expr& call : files_[f].classes[c].calls) class_index_calls_.push_back({&call, {f, c}});
      }
      for (const Binding& binding : files_[f].assignments) {
        if (binding.is_method || !binding.value || binding.value->kind != ExprKind::kCall) continue;
        if (Canonical(binding.value->Callee()) != "Table" && View(*binding.value).canonical != "Table") continue;
        int table = TableFromCall(*binding.value, nullptr);
        if (table >= 0) module_tables_[CallKey(*binding.value)] = table;
      }
      for (const Expr& call : files_[f].calls) module_index_calls_.push_back(&call);
    }
  }

  // Module-level `Index("ix_name", Model.attr, ...)`.
  // The first `Model.attribute` inside an expression (func.lower(User.email) -> User).
  const Expr* FirstModelAttribute(const Expr& expr, int depth = 0) {
    if (depth > kMaxResolveDepth) return nullptr;
    if (expr.kind == ExprKind::kAttribute) {
      if (auto key = ProjectClass(expr.children[0]); key && states_[*key].lineage) return &expr;
    }
    if (expr.kind != ExprKind::kCall && expr.kind != ExprKind::kBinaryOp && expr.kind != ExprKind::kAttribute) {
      return nullptr;
    }
    for (std::size_t i = expr.kind == ExprKind::kCall ? 1 : 0; i < expr.children.size(); ++i) {
      if (const Expr* found = FirstModelAttribute(expr.children[i], depth + 1)) return found;
    }
    if (expr.kind == ExprKind::kCall && expr.Callee().kind == ExprKind::kAttribute) {
      return FirstModelAttribute(expr.Callee().children[0], depth + 1);  // User.name.desc()
    }
    return nullptr;
  }

  // `scope`: the plain class whose body holds the call, where `tables.c.x` names a Table()
  // attribute of that class.
  void ReadModuleIndex(const Expr& call, std::optional<ClassKey> scope = std::nullopt) {
    if (Canonical(call.Callee()) != "Index" || call.PositionalCount() < 2) return;
    const Expr* found = FirstModelAttribute(call.Positional(1));
    const Expr& first = found ? *found : call.Positional(1);
    int table = -1;
    if (first.kind == ExprKind::kAttribute) {
      const Expr& owner = first.children[0];
      if (auto key = ProjectClass(owner)) {
        DecideTable(*key);
        table = states_[*key].table;
      } else if (owner.kind == ExprKind::kAttribute && (owner.text == "c" || owner.text == "columns")) {
        const Expr* table_expr = Deref(&owner.children[0]);
        if (scope && owner.children[0].kind == ExprKind::kName) {
          const Binding* attribute = Class(*scope).Find(owner.children[0].text);
          if (attribute && attribute->value && !attribute->is_method) table_expr = &*attribute->value;
        }
        auto known = table_expr ? module_tables_.find(CallKey(*table_expr)) : module_tables_.end();
        if (known != module_tables_.end()) table = known->second;
      }
    }
    if (table < 0) {
      Note(Loc(call), "Index() at module level whose table the analyzer cannot tell");
      return;
    }
    drafts_[table].constraint_items.push_back(&call);
  }

  // ----- building the catalog -----

  std::string ColumnRef(const Expr& expr, const TableDraft& table, bool* ok) {
    auto by_attribute = [&](const std::string& key) {
      for (const auto& column : table.columns) {
        if (column.attribute == key || column.column.name == key) return column.column.name;
      }
      return key;
    };
    if (auto text = EvalString(&expr)) return by_attribute(*text);
    if (expr.kind == ExprKind::kAttribute) return by_attribute(expr.text);
    if (expr.kind == ExprKind::kName) {
      if (std::find(table.class_attributes.begin(), table.class_attributes.end(), expr.text) !=
          table.class_attributes.end()) {
        return by_attribute(expr.text);
      }
    }
    *ok = false;
    return expr.source;
  }

  std::string Named(const Meta& meta, const char* kind, const std::string& explicit_name, ConventionTokens tokens) {
    auto templ = meta.convention.find(kind);
    if (templ == meta.convention.end()) return explicit_name;
    bool uses_name = templ->second.find("%(constraint_name)s") != std::string::npos;
    if (!explicit_name.empty() && !uses_name) return explicit_name;
    if (explicit_name.empty() && uses_name) return "";
    tokens.constraint_name = explicit_name;
    return ApplyConvention(templ->second, tokens);
  }

  void BuildCatalog(ir::Catalog& catalog) {
    std::map<std::pair<std::string, std::string>, std::size_t> enums;
    std::vector<std::tuple<std::size_t, std::size_t, FkDraft>> type_from_fk;
    for (auto& draft : drafts_) {
      ir::Table table;
      table.schema = draft.schema;
      table.name = draft.name;
      table.location = draft.location;
      table.mapped_by = draft.mapped_by;
      table.name_alternatives = draft.name_alternatives;
      table.metadata = draft.meta.identity;
      table.unread_bases = draft.unread_bases;
      table.comment = draft.comment;
      ConventionTokens base_tokens;
      base_tokens.table_name = draft.name;
      std::vector<std::string> pk_columns;
      for (auto& column_draft : draft.columns) {
        ir::Column column = column_draft.column;
        if (column_draft.enum_draft) {
          EnumDraft enum_draft = *column_draft.enum_draft;
          if (enum_draft.schema.empty()) {
            enum_draft.schema = enum_draft.inherit_schema ? draft.schema : options_.default_schema;
          }
          bool is_array = column.type.size() > 2 && column.type.compare(column.type.size() - 2, 2, "[]") == 0;
          column.type = enum_draft.schema + "." + enum_draft.name + (is_array ? "[]" : "");
          auto key = std::make_pair(enum_draft.schema, enum_draft.name);
          if (!enum_draft.labels.empty() && !enums.count(key)) {
            ir::EnumType type;
            type.schema = enum_draft.schema;
            type.name = enum_draft.name;
            type.labels = enum_draft.labels;
            type.location = column.location;
            enums[key] = catalog.enums.size();
            catalog.enums.push_back(std::move(type));
          }
        }
        if (column_draft.primary_key) pk_columns.push_back(column.name);
        for (auto& fk : column_draft.fks) {
          fk.columns = {column.name};
          table.foreign_keys.push_back(MakeForeignKey(fk, draft));
          if (column_draft.type_from_fk) {
            type_from_fk.emplace_back(catalog.tables.size(), table.columns.size(), fk);
          }
        }
        ConventionTokens tokens = base_tokens;
        tokens.columns = {column.name};
        if (column_draft.search_vector && searchable_) {
          // sqlalchemy-searchable's make_searchable() gives every TSVectorType column a GIN
          // index named <table>_<column>_idx when the table is created.
          ir::Index index;
          index.name = draft.name + "_" + column.name + "_idx";
          index.keys = {column.name};
          index.method = "gin";
          index.location = column.location;
          table.indexes.push_back(std::move(index));
        }
        if (column_draft.index) {
          ir::Index index;
          index.keys = {column.name};
          index.unique = column_draft.unique;
          index.location = column.location;
          auto templ = draft.meta.convention.find("ix");
          index.name = templ != draft.meta.convention.end() ? ApplyConvention(templ->second, tokens)
                                                            : "ix_" + draft.name + "_" + column.name;
          table.indexes.push_back(std::move(index));
        } else if (column_draft.unique) {
          ir::UniqueConstraint unique;
          unique.columns = {column.name};
          unique.location = column.location;
          unique.name = Named(draft.meta, "uq", "", tokens);
          table.unique_constraints.push_back(std::move(unique));
        }
        for (auto check : column_draft.checks) {
          check.name = Named(draft.meta, "ck", check.name, tokens);
          table.check_constraints.push_back(std::move(check));
        }
        table.columns.push_back(std::move(column));
      }
      if (!pk_columns.empty()) {
        ir::PrimaryKey pk;
        pk.columns = pk_columns;
        pk.location = table.FindColumn(pk_columns[0])->location;
        table.primary_key = pk;
      }
      for (const Expr* item : draft.constraint_items) ReadConstraint(*item, draft, &table);
      if (table.primary_key) {
        ConventionTokens tokens = base_tokens;
        tokens.columns = table.primary_key->columns;
        table.primary_key->name = Named(draft.meta, "pk", table.primary_key->name, tokens);
        if (table.primary_key->columns.size() == 1) {
          for (auto& column_draft : draft.columns) {
            if (column_draft.column.name != table.primary_key->columns[0]) continue;
            bool has_fk = !column_draft.fks.empty();
            bool allowed = column_draft.autoincrement.value_or(!has_fk);
            if (column_draft.integer && allowed) table.FindColumn(column_draft.column.name)->autoincrement = true;
          }
        }
      }
      catalog.tables.push_back(std::move(table));
    }
    // Column(ForeignKey(...)) without a type takes the referenced column's type.
    for (auto& [table_index, column_index, fk] : type_from_fk) {
      std::string schema = fk.schema.empty() ? options_.default_schema : fk.schema;
      const ir::Table* target = catalog.FindTable(schema, fk.table);
      const ir::Column* referenced = target && !fk.referenced.empty() ? target->FindColumn(fk.referenced[0]) : nullptr;
      ir::Column& column = catalog.tables[table_index].columns[column_index];
      if (referenced && !referenced->type.empty()) {
        column.type = referenced->type;
      } else {
        Note(column.location, "column " + column.name + " takes its type from foreign key target " + fk.table + "." +
                                  (fk.referenced.empty() ? "" : fk.referenced[0]) + ", which was not found");
      }
    }
  }

  ir::ForeignKey MakeForeignKey(const FkDraft& fk, const TableDraft& draft) {
    ir::ForeignKey out;
    out.columns = fk.columns;
    out.referenced_schema =
        fk.schema.empty() ? (draft.meta.schema.empty() ? options_.default_schema : draft.meta.schema) : fk.schema;
    out.referenced_table = fk.table;
    out.referenced_columns = fk.referenced;
    out.on_delete = fk.on_delete;
    out.on_update = fk.on_update;
    out.deferrable = fk.deferrable;
    out.initially_deferred = fk.initially_deferred;
    out.location = fk.location;
    ConventionTokens tokens;
    tokens.table_name = draft.name;
    tokens.columns = fk.columns;
    tokens.referred_table_name = fk.table;
    tokens.referred_columns = fk.referenced;
    out.name = Named(draft.meta, "fk", fk.name, tokens);
    return out;
  }

  void ReadConstraint(const Expr& item, const TableDraft& draft, ir::Table* table) {
    if (item.kind != ExprKind::kCall) {
      Note(Loc(item), "table argument '" + item.source + "' is not readable");
      return;
    }
    CallView view = View(item);
    const std::string& kind = view.canonical;
    ConventionTokens tokens;
    tokens.table_name = draft.name;
    bool ok = true;
    std::string explicit_name = EvalString(view.Kw("name")).value_or("");
    if (kind == "UniqueConstraint" || kind == "PrimaryKeyConstraint") {
      std::vector<std::string> columns;
      for (const Expr* argument : view.positional) columns.push_back(ColumnRef(*argument, draft, &ok));
      if (!ok) {
        Note(Loc(item), kind + " names a column the analyzer cannot read");
        return;
      }
      tokens.columns = columns;
      if (kind == "UniqueConstraint") {
        ir::UniqueConstraint unique;
        unique.columns = columns;
        unique.location = Loc(item);
        unique.name = Named(draft.meta, "uq", explicit_name, tokens);
        table->unique_constraints.push_back(std::move(unique));
      } else {
        ir::PrimaryKey pk;
        pk.columns = columns;
        pk.location = Loc(item);
        pk.name = explicit_name;
        table->primary_key = pk;
        for (auto& column : table->columns) {
          if (std::find(columns.begin(), columns.end(), column.name) != columns.end()) column.nullable = false;
        }
      }
      return;
    }
    if (kind == "Index") {
      ir::Index index;
      index.location = Loc(item);
      std::size_t first = 0;
      if (!view.positional.empty()) {
        if (auto name = EvalString(view.positional[0])) {
          index.name = *name;
          first = 1;
        }
      }
      for (std::size_t i = first; i < view.positional.size(); ++i) {
        const Expr* key = view.positional[i];
        if (key->kind == ExprKind::kCall) {
          bool exact = true;
          auto text = RenderSql(key, &exact);
          const std::string callee = Canonical(key->Callee());
          if ((callee == "text" || callee == "literal_column") && text) {
            index.keys.push_back(sql::WithoutSortOrder(*text));
            continue;
          }
          if (!exact || !text) Note(Loc(*key), "index expression '" + key->source + "' is kept as written");
          index.keys.push_back(text ? *text : key->source);
          continue;
        }
        bool key_ok = true;
        index.keys.push_back(ColumnRef(*key, draft, &key_ok));
        if (!key_ok) Note(Loc(*key), "index key '" + key->source + "' is not readable");
      }
      index.unique = EvalBool(view.Kw("unique")).value_or(false);
      if (auto method = EvalString(view.Kw("postgresql_using"))) index.method = *method;
      if (const Expr* where = view.Kw("postgresql_where")) {
        bool exact = true;
        auto text = where->kind == ExprKind::kCall ? RenderSql(where, &exact) : std::optional<std::string>{};
        if (text && exact) {
          index.predicate = *text;
        } else {
          index.predicate = where->source;
          Note(Loc(*where), "partial index predicate '" + where->source + "' is kept as written");
        }
      }
      if (const Expr* include = view.Kw("postgresql_include");
          include && (include->kind == ExprKind::kList || include->kind == ExprKind::kTuple)) {
        for (const Expr& column : include->children) {
          bool include_ok = true;
          index.include.push_back(ColumnRef(column, draft, &include_ok));
        }
      }
      if (index.name.empty()) {
        tokens.columns = index.keys;
        index.name = Named(draft.meta, "ix", "", tokens);
      }
      table->indexes.push_back(std::move(index));
      return;
    }
    if (kind == "CheckConstraint") {
      ir::CheckConstraint check;
      check.location = Loc(item);
      const Expr* expression = view.positional.empty() ? view.Kw("sqltext") : view.positional[0];
      if (!expression) {
        Note(Loc(item), "CheckConstraint without an expression");
        return;
      }
      auto text = EvalString(expression);
      if (!text && expression->kind == ExprKind::kCall && Canonical(expression->Callee()) == "text" &&
          expression->PositionalCount() > 0) {
        text = EvalString(&expression->Positional(0));
      }
      if (!text) Note(Loc(*expression), "check expression '" + expression->source + "' is kept as written");
      check.expression = text ? *text : expression->source;
      check.name = Named(draft.meta, "ck", explicit_name, tokens);
      table->check_constraints.push_back(std::move(check));
      return;
    }
    if (kind == "ForeignKeyConstraint") {
      if (view.positional.size() < 2) {
        Note(Loc(item), "ForeignKeyConstraint without column lists");
        return;
      }
      const Expr* local = Deref(view.positional[0]);
      const Expr* remote = Deref(view.positional[1]);
      if ((local->kind != ExprKind::kList && local->kind != ExprKind::kTuple) ||
          (remote->kind != ExprKind::kList && remote->kind != ExprKind::kTuple)) {
        Note(Loc(item), "ForeignKeyConstraint column lists are not readable");
        return;
      }
      FkDraft fk;
      fk.location = Loc(item);
      for (const Expr& column : local->children) fk.columns.push_back(ColumnRef(column, draft, &ok));
      for (const Expr& target : remote->children) {
        if (!ReadReference(target, &fk)) ok = false;
      }
      if (!ok || fk.columns.size() != fk.referenced.size()) {
        Note(Loc(item), "ForeignKeyConstraint '" + item.source + "' is not readable");
        return;
      }
      ReadFkOptions(view, &fk);
      fk.name = explicit_name;
      table->foreign_keys.push_back(MakeForeignKey(fk, draft));
      return;
    }
    Note(Loc(item), "table argument '" + item.source.substr(0, 80) + "' is not one the analyzer reads");
  }

  // ----- names and classes for the query reader -----

 public:
  NameTarget Resolve(std::uint32_t file, const std::vector<std::string>& path) override {
    NameTarget target;
    if (path.empty() || file >= files_.size()) return target;
    Expr expr = PathExpr(file, path);
    Ref ref = ResolveExpr(expr);
    switch (ref.kind) {
      case Ref::kClass: {
        ClassKey key{ref.file, ref.index};
        Analyze(key);
        auto state = states_.find(key);
        if (state == states_.end() || state->second.table < 0) {
          target.kind = NameTarget::Kind::kOther;
          return target;
        }
        target.kind = NameTarget::Kind::kModelClass;
        target.qualified = QualifiedClass(key);
        target.rest = ref.rest;
        return target;
      }
      case Ref::kAssign:
        if (!ref.rest.empty()) break;
        target.kind = NameTarget::Kind::kConstant;
        target.file = ref.file;
        target.name = Assignment(ref).name;
        return target;
      case Ref::kExternal:
        target.kind = NameTarget::Kind::kExternal;
        target.qualified = ref.external;
        return target;
      default: break;
    }
    target.kind = ref.kind == Ref::kNone ? NameTarget::Kind::kNone : NameTarget::Kind::kOther;
    return target;
  }

  std::vector<ir::ModelClass> Classes(const std::vector<FileQueryFacts>& facts) override {
    std::map<ClassKey, std::vector<ir::ModelAttribute>> added;  // `X.attr = ...`, backrefs
    std::set<ClassKey> unreadable;
    bool backref_lost = false;
    for (const auto& file_facts : facts) {
      if (file_facts.file >= files_.size()) continue;
      for (const auto& assignment : file_facts.attribute_assignments) {
        Ref ref = ResolveExpr(PathExpr(file_facts.file, assignment.path));
        if (ref.kind != Ref::kClass || !ref.rest.empty()) continue;
        ir::ModelAttribute attribute;
        attribute.name = assignment.attribute;
        attribute.location = Loc(file_facts.file, assignment.span.line, assignment.span.column);
        added[{ref.file, ref.index}].push_back(std::move(attribute));
      }
      for (const auto& name : file_facts.unreadable_classes) {
        auto it = indexes_[file_facts.file].classes.find(name);
        if (it != indexes_[file_facts.file].classes.end()) unreadable.insert({file_facts.file, it->second});
      }
    }
    for (const auto& key : all_classes_) {
      for (const Binding& binding : Class(key).body) {
        if (!binding.value || binding.value->kind != ExprKind::kCall) continue;
        CallView view = View(*binding.value);
        if (!IsRelationship(view.canonical)) continue;
        const Expr* backref = view.Kw("backref");
        if (!backref) continue;
        std::optional<std::string> name = EvalString(backref);
        if (!name && backref->kind == ExprKind::kCall && backref->PositionalCount() > 0) {
          name = EvalString(&backref->Positional(0));
        }
        std::optional<ClassKey> other;
        if (!view.positional.empty()) other = RelationshipTarget(*view.positional[0]);
        if (!name || !other) {
          backref_lost = true;
          continue;
        }
        ir::ModelAttribute attribute;
        attribute.name = *name;
        attribute.kind = ir::ModelAttributeKind::kRelationship;
        attribute.location = Loc(key.file, binding.line, binding.column);
        added[*other].push_back(std::move(attribute));
      }
    }
    std::vector<ir::ModelClass> classes;
    for (const auto& key : all_classes_) {
      auto state_it = states_.find(key);
      if (state_it == states_.end() || state_it->second.table < 0) continue;
      classes.push_back(ModelClassOf(key, added, unreadable, backref_lost));
    }
    std::sort(classes.begin(), classes.end(),
              [](const ir::ModelClass& a, const ir::ModelClass& b) { return a.qualified_name < b.qualified_name; });
    // Reading columns again re-noted what the catalog already reported.
    diagnostics_.clear();
    return classes;
  }

 private:
  Expr PathExpr(std::uint32_t file, const std::vector<std::string>& path) const {
    Expr expr;
    expr.kind = ExprKind::kName;
    expr.text = path[0];
    expr.source = path[0];
    expr.file = file;
    for (std::size_t i = 1; i < path.size(); ++i) {
      Expr attribute;
      attribute.kind = ExprKind::kAttribute;
      attribute.text = path[i];
      attribute.file = file;
      attribute.source = expr.source + "." + path[i];
      attribute.children.push_back(std::move(expr));
      expr = std::move(attribute);
    }
    return expr;
  }

  static bool IsRelationship(const std::string& canonical) {
    return canonical == "relationship" || canonical == "Relationship" || canonical == "relation" ||
           canonical == "dynamic_loader";
  }

  // relationship("B") / relationship(B) / relationship("app.models.B"): the mapped class B.
  std::optional<ClassKey> RelationshipTarget(const Expr& argument) {
    if (auto text = EvalString(&argument)) {
      std::string simple = text->substr(text->rfind('.') == std::string::npos ? 0 : text->rfind('.') + 1);
      std::optional<ClassKey> found;
      for (const auto& key : all_classes_) {
        auto state = states_.find(key);
        if (state == states_.end() || state->second.table < 0) continue;
        bool match = text->find('.') == std::string::npos ? Class(key).name == simple : QualifiedClass(key) == *text;
        if (!match) continue;
        if (found) return std::nullopt;  // two mapped classes by that name: the registry would refuse too
        found = key;
      }
      return found;
    }
    if (argument.kind == ExprKind::kName || argument.kind == ExprKind::kAttribute) return ProjectClass(argument);
    return std::nullopt;
  }

  // Bases the ORM itself provides (or that add no attributes a query could name).
  static bool KnownBase(const std::string& canonical) {
    static const std::set<std::string> kKnown = {"object",
                                                 "Generic",
                                                 "ABC",
                                                 "Protocol",
                                                 "DeclarativeBase",
                                                 "DeclarativeBaseNoMeta",
                                                 "Model",
                                                 "flask.Model",
                                                 "AsyncAttrs",
                                                 "MappedAsDataclass",
                                                 "SQLModel",
                                                 "TypeDecorator",
                                                 "Enum",
                                                 "IntEnum",
                                                 "StrEnum",
                                                 "Flag",
                                                 "IntFlag"};
    return kKnown.count(canonical) > 0;
  }

  static bool KnownClassDecorator(const std::string& leaf) {
    return leaf == "mapped" || leaf == "mapped_as_dataclass" || leaf == "as_declarative" ||
           leaf == "as_declarative_base" || leaf == "dataclass" || leaf == "declarative_mixin" ||
           leaf == "total_ordering" || leaf == "final";
  }

  // Whether a class's own bases and decorators are all readable.
  bool ClassReadable(ClassKey key) {
    const ClassDef& klass = Class(key);
    for (const Expr& base : klass.bases) {
      BaseInfo info = ClassifyBase(base);
      if (info.kind != BaseKind::kOther) continue;
      if (!KnownBase(info.canonical)) return false;
    }
    for (const Expr& decorator : klass.decorators) {
      const Expr* target = decorator.kind == ExprKind::kCall ? &decorator.Callee() : &decorator;
      std::string leaf = target->kind == ExprKind::kAttribute ? target->text
                         : target->kind == ExprKind::kName    ? target->text
                                                              : "";
      if (!KnownClassDecorator(leaf)) return false;
    }
    return true;
  }

  // BindingColumn's column name, computed once per binding and flavor: a mixin's bindings are
  // asked again for every class that inherits them. FillClassColumns records what it read.
  std::optional<std::string> BindingColumnName(const Binding& binding, std::uint32_t file, Flavor flavor) {
    const auto key = std::make_pair(&binding, flavor);
    if (auto known = column_names_.find(key); known != column_names_.end()) return known->second;
    auto column = BindingColumn(binding, file, flavor);
    std::optional<std::string> name;
    if (column) name = column->column.name;
    column_names_.emplace(key, name);
    return name;
  }

  ir::ModelAttribute AttributeOf(const Binding& binding, ClassKey owner, Flavor flavor) {
    ir::ModelAttribute attribute;
    attribute.name = binding.name;
    attribute.location = Loc(owner.file, binding.line, binding.column);
    if (binding.is_method) {
      attribute.kind = ir::ModelAttributeKind::kMethod;
      for (const Expr& decorator : binding.decorators) {
        const Expr* target = decorator.kind == ExprKind::kCall ? &decorator.Callee() : &decorator;
        std::string leaf = target->kind == ExprKind::kAttribute || target->kind == ExprKind::kName ? target->text : "";
        if (leaf == "property" || leaf == "cached_property" || leaf == "hybrid_property" || leaf == "setter" ||
            leaf == "getter" || leaf == "deleter" || leaf == "expression" || leaf == "comparator" ||
            leaf == "inplace" || leaf == "hybrid_method") {
          attribute.kind = ir::ModelAttributeKind::kProperty;
        }
        if (leaf == "declared_attr" ||
            (target->kind == ExprKind::kAttribute && target->source.find("declared_attr") != std::string::npos)) {
          attribute.kind = ir::ModelAttributeKind::kOther;
          if (auto column = BindingColumnName(binding, owner.file, flavor)) {
            attribute.kind = ir::ModelAttributeKind::kColumn;
            attribute.column = *column;
          } else if (binding.returned && binding.returned->kind == ExprKind::kCall &&
                     IsRelationship(View(*binding.returned).canonical)) {
            attribute.kind = ir::ModelAttributeKind::kRelationship;
          }
          return attribute;
        }
      }
      return attribute;
    }
    if (auto column = BindingColumnName(binding, owner.file, flavor)) {
      attribute.kind = ir::ModelAttributeKind::kColumn;
      attribute.column = *column;
      return attribute;
    }
    if (binding.value && binding.value->kind == ExprKind::kCall) {
      std::string canonical = View(*binding.value).canonical;
      if (IsRelationship(canonical)) {
        attribute.kind = ir::ModelAttributeKind::kRelationship;
      } else if (canonical == "hybrid_property" || canonical == "property" || canonical == "cached_property") {
        attribute.kind = ir::ModelAttributeKind::kProperty;
      }
      return attribute;
    }
    if (binding.annotation && !binding.value) {
      bool relationship_like = false;
      const Expr* mapped = MappedInner(*binding.annotation, &relationship_like);
      if (relationship_like || mapped) attribute.kind = ir::ModelAttributeKind::kRelationship;
    }
    return attribute;
  }

  ir::ModelClass ModelClassOf(ClassKey key, const std::map<ClassKey, std::vector<ir::ModelAttribute>>& added,
                              const std::set<ClassKey>& unreadable, bool backref_lost) {
    const ClassState& state = states_[key];
    const TableDraft& draft = drafts_[state.table];
    ir::ModelClass model;
    model.qualified_name = QualifiedClass(key);
    model.schema = draft.schema;
    model.table = draft.name;
    model.location = Loc(key.file, Class(key).line, Class(key).column);
    model.complete = !backref_lost && state.flavor != Flavor::kSqlModel;
    std::map<std::string, ir::ModelAttribute> attributes;
    auto put = [&](ir::ModelAttribute attribute) { attributes[attribute.name] = std::move(attribute); };
    // What the ORM puts on every mapped class.
    for (const char* name : {"metadata", "registry", "__table__", "__mapper__"}) {
      ir::ModelAttribute builtin;
      builtin.name = name;
      builtin.location = model.location;
      put(builtin);
    }
    if (state.flavor == Flavor::kFlask) {
      for (const char* name : {"query", "query_class"}) {
        ir::ModelAttribute builtin;
        builtin.name = name;
        builtin.location = model.location;
        put(builtin);
      }
    }
    // Base classes first, so that the most derived definition wins.
    for (auto it = state.mro.rbegin(); it != state.mro.rend(); ++it) {
      const ClassKey owner = *it;
      if (!ClassReadable(owner) || unreadable.count(owner)) model.complete = false;
      Flavor flavor = states_[owner].flavor == Flavor::kNone ? state.flavor : states_[owner].flavor;
      // Columns of a `__table__ = Table(...)` class come from the table.
      if (const Binding* table = Class(owner).Find("__table__"); table && states_[owner].table >= 0) {
        for (const auto& column : drafts_[states_[owner].table].columns) {
          ir::ModelAttribute attribute;
          attribute.name = column.attribute.empty() ? column.column.name : column.attribute;
          attribute.kind = ir::ModelAttributeKind::kColumn;
          attribute.column = column.column.name;
          attribute.location = column.column.location;
          put(attribute);
        }
      }
      for (const Binding& binding : Class(owner).body) put(AttributeOf(binding, owner, flavor));
      auto extra = added.find(owner);
      if (extra != added.end()) {
        for (const auto& attribute : extra->second) put(attribute);
      }
    }
    for (auto& [name, attribute] : attributes) model.attributes.push_back(std::move(attribute));
    return model;
  }

  static std::tuple<std::uint32_t, std::uint32_t, std::uint32_t> CallKey(const Expr& expr) {
    return {expr.file, expr.line, expr.column};
  }

  std::vector<FileSummary> files_;
  ModelReaderOptions options_;
  std::deque<Expr> specialized_;  // declared_attr values bound to a class (stable addresses)
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, int> module_tables_;
  std::vector<const Expr*> module_index_calls_;
  std::vector<std::pair<const Expr*, ClassKey>> class_index_calls_;  // Index() in a plain class body
  std::vector<FileIndex> indexes_;
  std::map<std::string, std::uint32_t> modules_;
  std::map<std::string, std::uint32_t> alias_modules_;  // FileSummary::module_alias -> file
  std::unordered_map<std::string, int> module_cache_;
  std::unordered_map<std::string, int> module_suffixes_;
  bool module_suffixes_built_ = false;
  std::unordered_map<std::string, Ref> resolve_cache_;
  std::unordered_map<std::string, std::string> canonical_cache_;
  std::map<std::pair<const Binding*, Flavor>, std::optional<std::string>> column_names_;
  std::vector<ClassKey> all_classes_;
  std::map<ClassKey, ClassState> states_;
  std::vector<TableDraft> drafts_;
  std::vector<ir::Diagnostic> diagnostics_;
  struct UnknownTypeUse {
    std::size_t diagnostic = 0;  // index in diagnostics_ of the note at the first column
    int columns = 0;
  };
  std::map<std::string, UnknownTypeUse> unknown_types_;
  std::map<std::string, UnknownTypeUse> unread_base_notes_;  // library base -> its note (`columns`: tables)
  // While FillClassColumns reads a binding: the class that writes it and the mapped class.
  std::optional<std::pair<ClassKey, ClassKey>> filling_;
  const Expr* annotation_map_ = nullptr;  // type_annotation_map of the class being filled
  bool searchable_ = false;               // CallsMakeSearchable()
  int alias_depth_ = 0;                   // BindingColumn following `x = Other.x` aliases
  int column_helper_depth_ = 0;           // BindingColumn reading a helper function's Column()
};

}  // namespace

std::vector<SourceFile> SortedUniqueFiles(const std::vector<SourceFile>& files) {
  std::vector<SourceFile> sorted = files;
  std::sort(sorted.begin(), sorted.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.display_path < b.display_path; });
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](const SourceFile& a, const SourceFile& b) { return a.display_path == b.display_path; }),
               sorted.end());
  return sorted;
}

namespace {

// The folder a display path is relative to: `absolute` without the display path's segments.
std::filesystem::path ProjectRootOf(const SourceFile& file) {
  std::filesystem::path root = file.absolute_path.lexically_normal();
  const std::filesystem::path display(file.display_path);
  for (auto it = display.begin(); it != display.end(); ++it) {
    if (*it == "." || it->empty()) continue;
    if (*it == "..") return file.absolute_path.parent_path();
    root = root.parent_path();
  }
  return root;
}

// Reads `files` into `summaries[first...]` on all cores (`facts`, when given, parallel to them).
void SummarizeInto(const std::vector<SourceFile>& files, const std::vector<ModuleName>& names, std::size_t first,
                   const ModelReaderOptions& options, std::vector<FileSummary>* summaries,
                   std::vector<FileQueryFacts>* facts) {
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, files.size())));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      const auto index = static_cast<std::uint32_t>(first + i);
      FileQueryFacts* file_facts = facts ? &(*facts)[i] : nullptr;
      FileSummary& summary = (*summaries)[first + i];
      try {
        summary = ReadAndSummarize(files[i], index, file_facts, names[i]);
      } catch (const std::exception& error) {
        summary = FileSummary{};
        summary.display_path = files[i].display_path;
        summary.module = names[i].name;
        auto diagnostic = FileDiagnostic(files[i].display_path, ir::kRuleFileUnreadable, ir::Severity::kError,
                                         std::string("cannot read Python file: ") + error.what());
        diagnostic.incomplete = true;
        summary.diagnostics.push_back(std::move(diagnostic));
        if (file_facts) {
          *file_facts = FileQueryFacts{};
          file_facts->display_path = files[i].display_path;
          file_facts->file = index;
        }
      }
    }
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& thread : pool) thread.join();
  }
}

// Modules the given files import that none of them defines, looked up below the import roots
// of the given files (and the project root): `check app/models` still sees `from app.db import
// Base`. Such context files resolve names only; they never declare models of their own.
// Rounds follow imports of imports; the counts bound the work on a huge tree.
constexpr int kContextRounds = 4;
constexpr std::size_t kMaxContextFiles = 400;

void AddContextFiles(const std::vector<SourceFile>& given, ModuleLayout& layout, const ModelReaderOptions& options,
                     std::vector<FileSummary>* summaries) {
  std::set<std::string> known_modules;
  std::set<std::filesystem::path> known_files;
  std::vector<std::filesystem::path> roots;
  auto add_root = [&](const std::filesystem::path& root) {
    if (std::find(roots.begin(), roots.end(), root) == roots.end()) roots.push_back(root);
  };
  std::filesystem::path project_root;
  for (const SourceFile& file : given) known_files.insert(file.absolute_path.lexically_normal());
  for (std::size_t i = 0; i < given.size(); ++i) {
    if (i == 0) project_root = ProjectRootOf(given[i]);
    add_root(layout.NameOf(given[i].absolute_path, ProjectRootOf(given[i])).import_root);
  }
  if (!project_root.empty()) {
    add_root(project_root);
    std::error_code error;
    if (std::filesystem::is_directory(project_root / "src", error)) add_root(project_root / "src");
  }
  auto note_modules = [&](const FileSummary& summary) {
    known_modules.insert(summary.module);
    if (!summary.module_alias.empty()) known_modules.insert(summary.module_alias);
  };
  for (const auto& summary : *summaries) note_modules(summary);
  std::size_t scanned = 0;
  std::size_t added = 0;
  for (int round = 0; round < kContextRounds && added < kMaxContextFiles; ++round) {
    std::set<std::string> wanted;
    for (std::size_t i = scanned; i < summaries->size(); ++i) {
      const FileSummary& summary = (*summaries)[i];
      std::vector<std::string> imported;
      for (const auto& [local, qualified] : summary.imports) imported.push_back(qualified);
      for (const auto& star : summary.star_imports) imported.push_back(star);
      for (const std::string& qualified : imported) {
        // The longest dotted prefix that is a module of the project, unless one is read already.
        std::string prefix = qualified;
        while (!prefix.empty() && !known_modules.count(prefix)) {
          wanted.insert(prefix);
          const std::size_t dot = prefix.rfind('.');
          if (dot == std::string::npos) break;
          prefix.resize(dot);
        }
      }
    }
    scanned = summaries->size();
    std::vector<SourceFile> files;
    std::vector<ModuleName> names;
    for (const std::string& module : wanted) {
      for (const auto& candidate : layout.Candidates(module, roots)) {
        const auto normal = candidate.lexically_normal();
        if (!known_files.insert(normal).second) continue;
        ModuleName name = layout.NameOf(normal, project_root);
        SourceFile file;
        file.absolute_path = normal;
        const auto relative = normal.lexically_relative(project_root);
        file.display_path =
            !relative.empty() && *relative.begin() != ".." ? relative.generic_string() : normal.generic_string();
        files.push_back(std::move(file));
        names.push_back(std::move(name));
        if (added + files.size() >= kMaxContextFiles) break;
      }
      if (added + files.size() >= kMaxContextFiles) break;
    }
    if (files.empty()) break;
    const std::size_t first = summaries->size();
    summaries->resize(first + files.size());
    SummarizeInto(files, names, first, options, summaries, nullptr);
    for (std::size_t i = first; i < summaries->size(); ++i) {
      FileSummary& summary = (*summaries)[i];
      summary.role = SourceRole::kContext;
      // Problems in files the user did not name are not this run's to report.
      summary.diagnostics.clear();
      note_modules(summary);
    }
    added += files.size();
  }
}

}  // namespace

std::vector<FileSummary> SummarizeFiles(const std::vector<SourceFile>& sorted, const ModelReaderOptions& options,
                                        std::vector<FileQueryFacts>* facts) {
  std::vector<FileSummary> summaries(sorted.size());
  if (facts) {
    facts->clear();
    facts->resize(sorted.size());
  }
  ModuleLayout layout;
  std::vector<ModuleName> names;
  names.reserve(sorted.size());
  for (const SourceFile& file : sorted) names.push_back(layout.NameOf(file.absolute_path, ProjectRootOf(file)));
  SummarizeInto(sorted, names, 0, options, &summaries, facts);
  if (options.read_imported_modules && !sorted.empty()) AddContextFiles(sorted, layout, options, &summaries);
  return summaries;
}

namespace {

// A reader over `summaries` plus the classes their mixins build per mapped class
// (Reader::ClassesBuiltByMixins): those are known only once every class's table is decided, so
// a first reader finds them and a second one reads the project with them. Projects without
// such mixins are read once.
std::unique_ptr<Reader> MakeReader(std::vector<FileSummary> summaries, const ModelReaderOptions& options) {
  auto reader = std::make_unique<Reader>(std::move(summaries), options);
  if (!reader->MayBuildClasses()) return reader;
  // The first reader has decided every table on the way: a new one reads the project.
  Reader::BuiltClasses built = reader->ClassesBuiltByMixins();
  std::vector<FileSummary> files = reader->TakeFiles();
  reader.reset();
  for (auto& [file, klass] : built.classes) files[file].classes.push_back(std::move(klass));
  auto complete = std::make_unique<Reader>(std::move(files), options);
  complete->AddNotes(std::move(built.notes));
  return complete;
}

}  // namespace

std::unique_ptr<ProjectModels> MakeProjectModels(std::vector<FileSummary> summaries,
                                                 const ModelReaderOptions& options) {
  return MakeReader(std::move(summaries), options);
}

ir::Catalog ReadModels(const std::vector<SourceFile>& files, const ModelReaderOptions& options) {
  std::vector<SourceFile> sorted = SortedUniqueFiles(files);
  return MakeReader(SummarizeFiles(sorted, options, nullptr), options)->Run();
}

}  // namespace dbaudit::python
