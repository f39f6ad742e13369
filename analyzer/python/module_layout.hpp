#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

// Where Python finds a module: names from the package layout (the chain of folders holding
// __init__.py), never from the path the user happened to give on the command line, so that
// `check .`, `check app/models` and `check app/models/user.py` resolve the same imports.
namespace dbaudit::python {

struct ModuleName {
  std::string name;         // "app.models.user"; "" for a top-level __init__.py outside any package
  std::string alias;        // another name the file is importable as, or ""
  bool is_package = false;  // the file is a package's __init__.py
  // The folder that has to be on sys.path for `name` to import: the parent of the topmost
  // package folder (the file's own folder when it is in no package).
  std::filesystem::path import_root;
};

class ModuleLayout {
 public:
  // The module name of `absolute_file` as the interpreter sees it when its package is
  // importable. A file in a folder without __init__.py (a script, a namespace package) gets
  // the name of its path below `project_root` (its import root is then the project root).
  // When the topmost package lies below folders without __init__.py inside the project
  // (`app/models/` under a plain `app/`), both names import: the path below the project root
  // is the name, the package chain the alias; below a `src/` folder the package chain wins.
  ModuleName NameOf(const std::filesystem::path& absolute_file, const std::filesystem::path& project_root);

  // The files that may define `dotted` (a module or a package) below the given import roots:
  // root/a/b.py and root/a/b/__init__.py for "a.b", in the order of `roots`.
  std::vector<std::filesystem::path> Candidates(const std::string& dotted,
                                                const std::vector<std::filesystem::path>& roots);

 private:
  bool IsPackageFolder(const std::filesystem::path& folder);
  std::map<std::filesystem::path, bool> package_folders_;
};

// Which files describe something other than today's application models.
enum class FileRole {
  kApplication,
  kMigration,  // an Alembic / Flask-Migrate revision, or a file under a migrations tree
  kTest,       // a test suite's module or conftest.py
};

// Decided from the path (display path, '/'-separated) and, for Alembic revisions anywhere,
// from the module-level names the file assigns (`revision` and `down_revision`).
FileRole RoleOfFile(const std::string& display_path, const std::set<std::string>& module_level_names);

}  // namespace dbaudit::python
