#include "analyzer/python/model_reader.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <thread>
#include <tuple>

#include "analyzer/python/model_reader_internal.hpp"
#include "analyzer/python/module_layout.hpp"
#include "analyzer/python/naming.hpp"
#include "analyzer/python/project_models.hpp"
#include "analyzer/python/python_syntax.hpp"
#include "analyzer/python/query_facts.hpp"
#include "analyzer/sql/normalize.hpp"

namespace dbaudit::python {

namespace {

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

}  // namespace

namespace detail {

// ----- running the reader -----

Reader::Reader(std::vector<FileSummary> files, const ModelReaderOptions& options)
    : files_(std::move(files)), options_(options) {
  indexes_.resize(files_.size());
  for (std::uint32_t f = 0; f < files_.size(); ++f) {
    const auto& file = files_[f];
    modules_[file.module] = f;
    if (!file.module_alias.empty()) alias_modules_.emplace(file.module_alias, f);
    for (std::uint32_t i = 0; i < file.classes.size(); ++i) indexes_[f].classes[file.classes[i].name] = i;
    for (std::uint32_t i = 0; i < file.assignments.size(); ++i) indexes_[f].bindings[file.assignments[i].name] = i;
    for (const auto& klass : file.classes) {
      if (file.imports.count(klass.name)) indexes_[f].imported_and_defined.insert(klass.name);
    }
    for (std::uint32_t i = 0; i < file.classes.size(); ++i) all_classes_.push_back({f, i});
  }
}

auto Reader::AddNotes(std::vector<ir::Diagnostic> notes) -> void {
  for (auto& note : notes) diagnostics_.push_back(std::move(note));
}

auto Reader::Run() -> ir::Catalog {
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

// ----- locations and notes -----

auto Reader::Loc(const Expr& expr) const -> ir::Location {
  ir::Location location;
  location.file = files_[expr.file].display_path;
  location.line = expr.line;
  location.column = expr.column;
  return location;
}

auto Reader::Place(const Expr& expr) const -> std::string {
  return files_[expr.file].display_path + ":" + std::to_string(expr.line) + ":" + std::to_string(expr.column);
}

auto Reader::Loc(std::uint32_t file, std::uint32_t line, std::uint32_t column) const -> ir::Location {
  ir::Location location;
  location.file = files_[file].display_path;
  location.line = line;
  location.column = column;
  return location;
}

auto Reader::Note(const ir::Location& location, std::string message) -> void {
  ir::Diagnostic diagnostic;
  diagnostic.rule_id = ir::kRuleModelUnreadable;
  diagnostic.severity = ir::Severity::kNote;
  diagnostic.message = std::move(message);
  diagnostic.location = location;
  diagnostics_.push_back(std::move(diagnostic));
}

auto Reader::NoteUnknownType(const ir::Location& location, const std::string& problem) -> void {
  auto [it, first] = unknown_types_.try_emplace(problem, UnknownTypeUse{diagnostics_.size(), 0});
  ++it->second.columns;
  if (first) Note(location, problem + "; the column is compared without its type");
}

auto Reader::FinishUnknownTypeNotes() -> void {
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

auto Reader::DeclaresModels(std::uint32_t file) const -> bool {
  switch (files_[file].role) {
    case SourceRole::kApplication: return true;
    case SourceRole::kMigration: return options_.read_migration_models;
    case SourceRole::kTest: return options_.read_test_models;
    case SourceRole::kContext: return false;
  }
  return false;
}

auto Reader::QualifiedClass(ClassKey key) const -> std::string {
  const auto& module = files_[key.file].module;
  return module.empty() ? Class(key).name : module + "." + Class(key).name;
}

auto Reader::CallsMakeSearchable() const -> bool {
  for (const FileSummary& file : files_) {
    for (const Expr& call : file.calls) {
      const Expr& callee = call.Callee();
      if ((callee.kind == ExprKind::kName || callee.kind == ExprKind::kAttribute) && callee.text == "make_searchable") {
        return true;
      }
    }
  }
  return false;
}

// ----- coverage: never a silent miss -----

auto Reader::ImportsSqlAlchemy(const FileSummary& file) -> bool {
  for (const auto& [local, qualified] : file.imports) {
    for (const char* library : {"sqlalchemy", "flask_sqlalchemy", "sqlmodel"}) {
      const std::string prefix = library;
      if (qualified == prefix || qualified.rfind(prefix + ".", 0) == 0) return true;
    }
  }
  return false;
}

auto Reader::CheckCoverage(const ir::Catalog& catalog) -> void {
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
    message = importing == 0 ? std::to_string(naming.size()) + " classes name a table, but no model or Table() was read"
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

// ----- building the catalog -----

auto Reader::BuildCatalog(ir::Catalog& catalog) -> void {
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

auto Reader::MakeForeignKey(const FkDraft& fk, const TableDraft& draft) -> ir::ForeignKey {
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

}  // namespace detail

using detail::Reader;

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
