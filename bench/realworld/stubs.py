"""Permissive stand-ins for the third-party modules a project's models cannot import here.

The oracle (oracle.py) imports a real project's models in a side environment built from Debian
packages, which never holds every dependency a project lists. Models rarely need those
dependencies to define their tables (a mail extension, a search client, a form library), so:

- `StubFinder` (placed first on sys.meta_path) serves the modules a manifest lists in
  `stub_modules`, and their submodules, as stubs even when they could be imported;
- `FallbackFinder` (placed last) serves any other third-party module that no finder found, so an
  import that would fail with ModuleNotFoundError gets a stub instead;
- `MissingNamePatcher` wraps the loaders of real third-party modules so that a name the
  project's own code imports from them but they lack (`from itsdangerous import
  TimedJSONWebSignatureSerializer` against a newer release) resolves to a stub too. Only
  look-ups made from a frame whose file lies under the project checkout get a stub; the
  libraries themselves see the real module unchanged. A third-party module the project imports
  that fails with ImportError while running its own body (a library written for another Flask)
  becomes a stub as well.

A stub module hands out, for any public attribute, a plain class (no custom metaclass, so it
can be mixed with SQLAlchemy's declarative bases) whose instances accept any call, attribute,
item, iteration or use as a decorator. SQLAlchemy (and alembic) are never stubbed: a model that
needs a missing SQLAlchemy name must fail loudly.

Every stub handed out is recorded in `STUB_LOG` for the oracle's report.
"""
import importlib.abc
import importlib.machinery
import os
import sys
import types

STUB_LOG = []  # ("module" | "name", dotted name, reason)

NEVER_STUB = ("sqlalchemy", "alembic")


def _record(kind, name, reason):
    entry = (kind, name, reason)
    if entry not in STUB_LOG:
        STUB_LOG.append(entry)


class _StubInstance:
    """An object that tolerates whatever a module body does with an unknown dependency."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _StubInstance()

    def __call__(self, *args, **kwargs):
        # Used as a bare decorator: hand the decorated object back unchanged.
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]
        return _StubInstance()

    def __getitem__(self, key):
        return _StubInstance()

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return True

    def __mro_entries__(self, bases):
        return (make_stub_class("StubBase"),)

    def __repr__(self):
        return "<stub>"


def make_stub_class(name, module="stub"):
    """A plain class: instances are permissive, calling the class accepts any arguments."""
    return type(name, (_StubInstance,), {"__module__": module, "__qualname__": name})


class StubModule(types.ModuleType):
    """A package-like module whose every public attribute is a stub class."""

    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []  # a package, so `import stub.sub` works too
        self.__file__ = f"<stub {name}>"
        self.__all__ = []
        self._stub_cache = {}

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        cache = self.__dict__["_stub_cache"]
        if attr not in cache:
            cache[attr] = make_stub_class(attr, self.__name__)
        return cache[attr]


class _StubLoader(importlib.abc.Loader):
    def __init__(self, reason):
        self.reason = reason

    def create_module(self, spec):
        return StubModule(spec.name)

    def exec_module(self, module):
        _record("module", module.__name__, self.reason)


def _top(name):
    return name.split(".", 1)[0]


class StubFinder(importlib.abc.MetaPathFinder):
    """First on sys.meta_path: serves the listed modules (and their submodules) as stubs."""

    def __init__(self, names):
        self.names = [n for n in names if _top(n) not in NEVER_STUB]

    def find_spec(self, fullname, path=None, target=None):
        for name in self.names:
            if fullname == name or fullname.startswith(name + "."):
                return importlib.machinery.ModuleSpec(
                    fullname, _StubLoader("listed in stub_modules"), is_package=True)
        return None


class FallbackFinder(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path: a third-party module nobody found becomes a stub, when the
    import statement is the project's own.

    Modules of the project itself (a top-level name present in one of its python_path folders),
    the standard library and SQLAlchemy are never stubbed: their absence is a real error. A
    library's own imports are left alone, so its `try: import optional_dep` fallbacks still work.
    """

    def __init__(self, project_root, project_dirs):
        self.project_root = os.path.realpath(project_root) + os.sep
        self.project_tops = set()
        for folder in project_dirs:
            try:
                entries = os.listdir(folder)
            except OSError:
                continue
            for entry in entries:
                base = entry[:-3] if entry.endswith(".py") else entry
                if base.isidentifier():
                    self.project_tops.add(base)

    def find_spec(self, fullname, path=None, target=None):
        top = _top(fullname)
        if top in NEVER_STUB or top in self.project_tops:
            return None
        if top in getattr(sys, "stdlib_module_names", ()):
            return None
        if not _imported_from(self.project_root):
            return None
        parent = sys.modules.get(fullname.rpartition(".")[0]) if "." in fullname else None
        if parent is not None and not isinstance(parent, StubModule):
            # `from real_package import missing_name` probes real_package.missing_name as a
            # submodule first: let that fail, MissingNamePatcher then stubs the name itself.
            return None
        return importlib.machinery.ModuleSpec(
            fullname, _StubLoader("not importable here (ModuleNotFoundError)"), is_package=True)


def _imported_from(project_root):
    """True when the import statement being served runs in a file under project_root."""
    frame = sys._getframe(1)
    here = os.path.realpath(__file__)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith("<") and os.path.realpath(filename) != here:
            return os.path.realpath(filename).startswith(project_root)
        frame = frame.f_back
    return False


class _PatchingLoader(importlib.abc.Loader):
    """Delegates to the real loader, then gives the module a project-only __getattr__."""

    def __init__(self, real, patcher):
        self.real = real
        self.patcher = patcher

    def create_module(self, spec):
        return self.real.create_module(spec)

    def exec_module(self, module):
        try:
            self.real.exec_module(module)
        except ImportError as error:
            # A library that cannot work here (written for another Flask, ...), imported by the
            # project itself: the module becomes a stub, keeping what its body defined so far.
            if not _imported_from(self.patcher.project_root):
                raise
            module.__class__ = StubModule
            module.__dict__.setdefault("_stub_cache", {})
            if not hasattr(module, "__path__"):
                module.__path__ = []
            reason = " ".join(f"failed to import here ({type(error).__name__}: {error})".split())
            _record("module", module.__name__, reason[:300])
            return
        self.patcher.patch(module)

    def __getattr__(self, name):  # get_resource_reader, get_data, is_package, ...
        return getattr(self.real, name)


class MissingNamePatcher(importlib.abc.MetaPathFinder):
    """Second on sys.meta_path: wraps real third-party modules' loaders (see module docstring)."""

    def __init__(self, project_root, third_party_roots):
        self.project_root = os.path.realpath(project_root) + os.sep
        self.third_party_roots = [os.path.realpath(r) + os.sep for r in third_party_roots]
        self._busy = set()

    def find_spec(self, fullname, path=None, target=None):
        if _top(fullname) in NEVER_STUB or fullname in self._busy:
            return None
        self._busy.add(fullname)
        try:
            for finder in sys.meta_path:
                if finder is self or isinstance(finder, (StubFinder, FallbackFinder)):
                    continue
                find = getattr(finder, "find_spec", None)
                if find is None:
                    continue
                spec = find(fullname, path, target)
                if spec is not None:
                    break
            else:
                return None
        finally:
            self._busy.discard(fullname)
        origin = os.path.realpath(spec.origin) if spec.origin else ""
        if spec.loader is None or not any(origin.startswith(r) for r in self.third_party_roots):
            return None
        spec.loader = _PatchingLoader(spec.loader, self)
        return spec

    def patch(self, module):
        original = module.__dict__.get("__getattr__")
        project_root = self.project_root
        module_name = module.__name__

        def __getattr__(name):
            if original is not None:
                try:
                    return original(name)
                except AttributeError:
                    pass
            # The caller must be the project's own code. importlib's frozen frames (the
            # hasattr probe of `from pkg import name` before it tries pkg.name as a submodule)
            # always get the AttributeError, so real submodules are still imported.
            caller = sys._getframe(1)
            filename = caller.f_code.co_filename if caller else "<none>"
            if filename.startswith("<") or name.startswith("__") \
                    or not os.path.realpath(filename).startswith(project_root):
                raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
            _record("name", f"{module_name}.{name}", "missing from the installed version")
            value = make_stub_class(name, module_name)
            setattr(module, name, value)
            return value

        module.__getattr__ = __getattr__


def install(stub_modules, project_root, project_dirs, third_party_roots):
    """Puts the three finders in place; call before importing anything of the project."""
    sys.meta_path.insert(0, StubFinder(stub_modules))
    sys.meta_path.insert(1, MissingNamePatcher(project_root, third_party_roots))
    sys.meta_path.append(FallbackFinder(project_root, project_dirs))
