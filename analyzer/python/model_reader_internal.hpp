#pragma once

#include <cctype>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/ir/catalog.hpp"
#include "analyzer/python/model_reader.hpp"
#include "analyzer/python/naming.hpp"
#include "analyzer/python/project_models.hpp"
#include "analyzer/python/python_syntax.hpp"
#include "analyzer/python/query_facts.hpp"

// Internal to analyzer/python: the model reader's drafts and its Reader class, whose member
// functions are defined by concern in model_reader.cpp (running, notes, the catalog),
// model_names.cpp, model_classes.cpp, model_tables.cpp, model_columns.cpp, model_types.cpp and
// model_queries.cpp. Not installed; nothing outside analyzer/python includes it.
namespace dbaudit::python::detail {

inline constexpr int kMaxResolveDepth = 12;

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

inline std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

inline std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

inline std::vector<std::string> Split(const std::string& text, char separator) {
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

// ---------------------------------------------------------------------------------------------
// The reader: cross-file resolution and catalog building
// ---------------------------------------------------------------------------------------------

class Reader : public ProjectModels {
 public:
  Reader(std::vector<FileSummary> files, const ModelReaderOptions& options);

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
  bool MayBuildClasses();
  BuiltClasses ClassesBuiltByMixins();

  std::vector<FileSummary> TakeFiles() { return std::move(files_); }
  void AddNotes(std::vector<ir::Diagnostic> notes);
  const std::string& ModuleOf(std::uint32_t file) const override { return files_[file].module; }

  ir::Catalog Run();

 private:
  struct FileIndex {
    std::map<std::string, std::uint32_t> classes;
    std::map<std::string, std::uint32_t> bindings;
    // Names both imported and defined by a class statement of the file (see ResolveExpr).
    std::set<std::string> imported_and_defined;
  };

  // ----- locations and notes -----

  ir::Location Loc(const Expr& expr) const;
  // "path:line:column" of an expression: where a MetaData is made, as ir::Table::metadata says.
  std::string Place(const Expr& expr) const;
  ir::Location Loc(std::uint32_t file, std::uint32_t line, std::uint32_t column) const;
  void Note(const ir::Location& location, std::string message);
  // One note per distinct unknown type, at its first column, however many columns use it:
  // the column itself is kept and compared without its type.
  void NoteUnknownType(const ir::Location& location, const std::string& problem);
  void FinishUnknownTypeNotes();
  const ClassDef& Class(ClassKey key) const { return files_[key.file].classes[key.index]; }
  // Whether the classes and Table() calls of a file are today's models (see SourceRole).
  bool DeclaresModels(std::uint32_t file) const;
  std::string QualifiedClass(ClassKey key) const;

  // Whether the project calls make_searchable() (sqlalchemy-searchable, or a copy of it in
  // the project) at module level, which indexes every TSVectorType column.
  bool CallsMakeSearchable() const;

  // ----- coverage: never a silent miss -----

  static bool ImportsSqlAlchemy(const FileSummary& file);

  // A project that uses SQLAlchemy but yields no models, or leaves most classes that name a
  // table untied to a declarative base, would otherwise compare nothing and pass: say so,
  // with the reason, as an input-models-not-read diagnostic that makes the run incomplete.
  void CheckCoverage(const ir::Catalog& catalog);

  // ----- name resolution -----

  int FindModule(const std::string& name);

  // Every proper dotted suffix of every module ("b.c" and "c" of "a.b.c") -> its file, or -2
  // when several modules end with it: FindModule's suffix match without a scan of all modules
  // for each name it has not seen (most imported names are not modules).
  void IndexModuleSuffixes();
  Ref ResolveName(std::uint32_t file, const std::string& name, int depth, bool allow_bare);
  Ref ResolveQualified(const std::string& qualified, int depth);

  // Name / Attribute chains only.
  Ref ResolveExpr(const Expr& expr, int depth = 0);
  // `imported`: the qualified name the first segment was imported as, to use instead of the
  // file's own definition of it (see ResolveExpr).
  Ref ResolveTopLevel(const Expr& expr, const std::vector<std::string>& path, int depth,
                      const std::string* imported = nullptr);

  const Binding& Assignment(const Ref& ref) const { return files_[ref.file].assignments[ref.index]; }

  static std::string Leaf(const std::string& qualified);
  bool IsSqlAlchemyInstance(const Binding& binding, int depth);

  // Canonical(), except that a project class deriving from Flask-SQLAlchemy's SQLAlchemy
  // (`class SQLAlchemy(_BaseSQLAlchemy)`, tuned by the team) still names the library factory.
  std::string FactoryCanonical(const Expr& callee, int depth = 0);

  // The library name a Name/Attribute stands for ("Column", "mapped_column", "func.now"), or
  // "" for project classes and anything unknown.
  std::string Canonical(const Expr& expr, int depth = 0);

  // "file:dotted.path" of a Name / Attribute chain.
  static std::string CacheKey(const Expr& expr);
  std::string CanonicalOf(const Expr& expr, int depth);
  CallView View(const Expr& call, int depth = 0);

  // A project function that only forwards its arguments to a library call
  // (`def Table(*args, **kwargs): ...; return sa.Table(*args, **kwargs)`) stands for that call.
  std::string ForwardedCanonical(const Expr& callee);

  // ----- constants -----

  std::optional<long long> EvalInt(const Expr* expr, int depth = 0);
  std::optional<std::string> EvalString(const Expr* expr, int depth = 0);

  // `Color.RED.value` / `Color.RED.name` of a Python enum class of the project. A member
  // written as a tuple takes its first item as the value (the common `(value, label)` idiom).
  std::optional<std::string> EnumMemberString(ClassKey key, const std::string& member, bool value, int depth);
  std::optional<bool> EvalBool(const Expr* expr, int depth = 0);

  // A Name bound to a module-level value: the value (following simple aliases).
  const Expr* Deref(const Expr* expr, int depth = 0);

  // ----- metadata and naming conventions -----

  Meta MetaFromCall(const Expr* expr);

  // `Base.metadata`, `db.metadata`, `metadata` (a MetaData() variable), `MetaData(...)`.
  std::optional<Meta> MetaFromExpression(const Expr* expr, int depth = 0);

  // Meta of `db = SQLAlchemy(metadata=...)`, `Base = declarative_base(metadata=...)`,
  // `reg = registry(metadata=...)`, `Base = reg.generate_base()`.
  std::optional<Meta> MetaFromBaseBinding(const Binding& binding, int depth);
  std::optional<Meta> MetaFromRegistry(const Expr* registry, int depth);

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

  BaseInfo ClassifyBase(const Expr& expr, int depth = 0);
  void Analyze(ClassKey key);

  // A class outside the project that a model derives from may declare columns the reader
  // never sees (a library's mixin), unless it is one known to declare none.
  static bool MayDeclareColumns(const std::string& external);

  // C3 linearization over project classes; falls back to depth-first order on conflicts.
  std::vector<ClassKey> Linearize(ClassKey key);

  // Finds the most derived definition of `name` among `classes`.
  std::pair<const Binding*, ClassKey> FindIn(const std::vector<ClassKey>& classes, const std::string& name);

  // ----- table names and mapping -----

  bool DecoratedDeclaredAttr(const Binding& binding);

  // `__tablename__` of `target` as defined by `binding`: a string, a constant, or a
  // declared_attr computing it from the class name (lower(), concatenation, re.sub case
  // splitting, project helper functions). A recipe that cannot be evaluated exactly gives the
  // common snake-case spellings: the first is returned, the others go to `alternatives` and
  // the database decides. nullopt (with a note) when nothing can be said.
  std::optional<std::string> TableNameFrom(const Binding& binding, ClassKey target,
                                           std::vector<std::string>* alternatives = nullptr);

  // What a function returns when its body is readable: the final return of a straight-line
  // body, else a body that is only a return; nullptr otherwise.
  static const Expr* ReturnedValue(const Binding& function);

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
                                                ClassKey target, int depth);
  std::optional<std::string> EvalClassString(const Expr& expr, ClassKey target, const StringEnv& env, int depth);
  std::optional<std::string> EvalStringCall(const Expr& call, ClassKey target, const StringEnv& env, int depth);

  // `type(name, (bases...), {"__tablename__": ..., "column": Column(...)})` called in `function`
  // for `target`: the class it makes, with the function's first parameter bound to `target`.
  std::optional<ClassDef> BuildClass(const Expr& call, const Binding& function, ClassKey target, std::string* problem);

  // ----- declared_attr bodies bound to one mapped class -----

  // Whether `expr` names one of `names` anywhere.
  static bool Mentions(const Expr& expr, const std::set<std::string>& names);

  // A string value standing where `where` was written.
  static Expr StringAt(const Expr& where, std::string text);

  // What a function body's names stand for when it runs for one class.
  struct ClassScope {
    StringEnv env;                       // strings and the names bound to the class
    std::map<std::string, Expr> locals;  // other locals, already bound
    std::set<std::string> names;         // every name above
  };

  ClassScope ScopeOf(const Binding& function);

  // `expr` with the class-bound names of `scope` replaced: locals by their values, and every
  // string computed from the class (`cls._table_prefix("torrents.id")`,
  // f"{cls.__tablename__}_id") by its value, so that Column / ForeignKey / Index reading sees
  // plain literals. What cannot be computed is left as written.
  Expr Specialize(const Expr& expr, ClassKey target, const ClassScope& scope, int depth = 0);

  // The value a declared_attr function gives `target`: its return, with the function's first
  // parameter bound to the class and the locals of a straight-line body bound in order.
  // nullptr when the body is not one the reader follows.
  const Expr* DeclaredAttrValue(const Binding& function, ClassKey target);
  std::uint32_t ReturnedFile(const Binding& binding, ClassKey fallback);
  bool OwnPrimaryKey(ClassKey key);
  int NewDraft(std::string name, std::string schema, ir::Location location, std::uint32_t file, Meta meta);
  void DecideTable(ClassKey key);

  // The "schema" entry of the (inherited) __table_args__ dictionary, if any.
  std::string TableArgsSchema(const std::vector<ClassKey>& mro);

  // ----- types -----

  std::vector<std::string> EnumMembers(ClassKey key, bool values);
  std::optional<ClassKey> ProjectClass(const Expr& expr);
  TypeResult EnumType(const CallView& view, const Expr& where);
  TypeResult ResolveType(const Expr& expr, int depth = 0);

  // ----- annotations -----

  struct Unwrapped {
    const Expr* inner = nullptr;
    bool optional = false;
    bool several = false;  // Union of several non-None types
  };

  void CollectUnion(const Expr* expr, std::vector<const Expr*>* out, bool* none, int depth = 0);
  Unwrapped Unwrap(const Expr& expr);

  // The `X` of `Mapped[X]` (also sa.orm.Mapped), or nullptr.
  const Expr* MappedInner(const Expr& annotation, bool* relationship_like);

  // `intpk = Annotated[int, mapped_column(primary_key=True)]`: the mapped_column() of the alias.
  std::optional<CallView> AnnotatedColumn(const Expr& annotation);

  // The value `annotation` maps to in the current class's type_annotation_map, or nullptr.
  // Keys match by what they name: the same project class, or the same library name.
  const Expr* AnnotationMapEntry(const Expr& annotation);

  // The type_annotation_map entry keyed by enum.Enum itself, or nullptr.
  const Expr* GenericEnumEntry();

  // Python annotation -> column type, with SQLAlchemy 2.0's default type map (and SQLModel's).
  TypeResult PythonType(const Expr& expr, bool sqlmodel, const CallView* field, int depth = 0);

  // ----- columns -----

  std::optional<std::string> RenderSql(const Expr* expr, bool* exact, int depth = 0);
  void ReadServerDefault(const Expr* expr, ColumnDraft* draft, bool onupdate);

  // ForeignKey("t.c"), ForeignKey("s.t.c"), ForeignKey(Model.attr), ForeignKey(table.c.col).
  std::optional<FkDraft> ReadForeignKey(const CallView& view);
  void ReadFkOptions(const CallView& view, FkDraft* fk);

  // One referenced column into fk (table/schema must agree for composite keys).
  bool ReadReference(const Expr& target, FkDraft* fk);

  // The database name of attribute `attribute` of a model class (Column("name", ...) or key).
  std::string ColumnNameOf(ClassKey key, const std::string& attribute);

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
                                        const CallView* annotated = nullptr);

  // ----- class columns -----

  static bool SkippedAttribute(const std::string& name);

  // Calls whose value is a class attribute other than a column (what `deferred(Column())` and
  // `column_property(Column())` wrap is read before this is asked).
  static bool NotAColumn(const std::string& canonical);

  // Whether an annotation (`Mapped[...]`, a SQLModel field's) names models rather than a column
  // type: a forward-reference string, a list/set of something, or a mapped class.
  bool NamesModels(const Expr& annotation);

  // A class-body binding as a column of the class's table, or nullopt when it is something else.
  // `target`: the mapped class a mixin's declared_attr is read for (its body then runs with
  // `cls` bound to it); without one, only a body that is just a return is read.
  std::optional<ColumnDraft> BindingColumn(const Binding& binding, std::uint32_t file, Flavor flavor,
                                           std::optional<ClassKey> target = std::nullopt);
  void FillClassColumns(ClassKey key);
  void ReadTableArgs(const Binding& binding, ClassKey owner, ClassKey target, TableDraft* table);

  // ----- Table(...) -----

  // Reads `Table("name", metadata, Column(...), ...)`; returns the draft index or -1.
  int TableFromCall(const Expr& call, Meta* class_meta);
  void ReadModuleTables();

  // Module-level `Index("ix_name", Model.attr, ...)`.
  // The first `Model.attribute` inside an expression (func.lower(User.email) -> User).
  const Expr* FirstModelAttribute(const Expr& expr, int depth = 0);

  // `scope`: the plain class whose body holds the call, where `tables.c.x` names a Table()
  // attribute of that class.
  void ReadModuleIndex(const Expr& call, std::optional<ClassKey> scope = std::nullopt);

  // ----- building the catalog -----

  std::string ColumnRef(const Expr& expr, const TableDraft& table, bool* ok);
  std::string Named(const Meta& meta, const char* kind, const std::string& explicit_name, ConventionTokens tokens);
  void BuildCatalog(ir::Catalog& catalog);
  ir::ForeignKey MakeForeignKey(const FkDraft& fk, const TableDraft& draft);
  void ReadConstraint(const Expr& item, const TableDraft& draft, ir::Table* table);

  // ----- names and classes for the query reader -----

 public:
  NameTarget Resolve(std::uint32_t file, const std::vector<std::string>& path) override;
  std::vector<ir::ModelClass> Classes(const std::vector<FileQueryFacts>& facts) override;

 private:
  Expr PathExpr(std::uint32_t file, const std::vector<std::string>& path) const;
  static bool IsRelationship(const std::string& canonical);

  // relationship("B") / relationship(B) / relationship("app.models.B"): the mapped class B.
  std::optional<ClassKey> RelationshipTarget(const Expr& argument);

  // Bases the ORM itself provides (or that add no attributes a query could name).
  static bool KnownBase(const std::string& canonical);
  static bool KnownClassDecorator(const std::string& leaf);

  // Whether a class's own bases and decorators are all readable.
  bool ClassReadable(ClassKey key);

  // BindingColumn's column name, computed once per binding and flavor: a mixin's bindings are
  // asked again for every class that inherits them. FillClassColumns records what it read.
  std::optional<std::string> BindingColumnName(const Binding& binding, std::uint32_t file, Flavor flavor);
  ir::ModelAttribute AttributeOf(const Binding& binding, ClassKey owner, Flavor flavor);
  ir::ModelClass ModelClassOf(ClassKey key, const std::map<ClassKey, std::vector<ir::ModelAttribute>>& added,
                              const std::set<ClassKey>& unreadable, bool backref_lost);
  static std::tuple<std::uint32_t, std::uint32_t, std::uint32_t> CallKey(const Expr& expr);

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

}  // namespace dbaudit::python::detail
