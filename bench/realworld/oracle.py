"""The import-based oracle of the real-project harness: what SQLAlchemy itself makes of a project's
models.

Runs under Debian's /usr/bin/python3 with one of the side environments of pyenv.sh first on
PYTHONPATH (the harness, run.py, starts it that way). Two commands, each reading a JSON job file
that run.py writes:

    oracle.py create JOB.json    import the models, collect their MetaData, create every table in
                                 the job's empty database, write oracle.json
    oracle.py alembic JOB.json   import the models again and run alembic's autogenerate
                                 comparison against each database the job names, write the
                                 differences as dbaudit-shaped findings (alembic.json)

Importing: the manifest's python_path folders go first on sys.path, its `setup` snippet runs,
then each module of `imports` is imported, and when it is a package every submodule under it
too. Third-party modules that cannot be imported here are replaced by permissive stubs
(stubs.py); SQLAlchemy never is. Every import error, stub and warning is recorded, never fatal.

Creating: the extensions and schemas the DDL needs are created first; `create_all` runs per
MetaData, and if it fails, tables are created one at a time (each in a savepoint, retried while
progress is made), so one bad table costs only itself and what depends on it. Tables that could
not be created are listed with the error in oracle.json, never silently dropped.
"""
import importlib
import json
import os
import pkgutil
import re
import sys
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import stubs  # noqa: E402  (the harness's own module, next to this file)

# Extensions whose objects appear in compiled DDL, by a pattern of that DDL.
EXTENSION_PATTERNS = [
    ("uuid-ossp", re.compile(r"uuid_generate_v[1-5]", re.I)),
    ("pgcrypto", re.compile(r"\b(gen_random_bytes|crypt|gen_salt|digest|hmac|pgp_sym_encrypt)\s*\(", re.I)),
    ("citext", re.compile(r"\bCITEXT\b", re.I)),
    ("hstore", re.compile(r"\bHSTORE\b", re.I)),
    ("ltree", re.compile(r"\bL(TREE|QUERY)\b", re.I)),
    ("pg_trgm", re.compile(r"\b(gin|gist)_trgm_ops\b|\bsimilarity\s*\(", re.I)),
    ("postgis", re.compile(r"\b(geometry|geography)\b", re.I)),
    ("unaccent", re.compile(r"\bunaccent\s*\(", re.I)),
]


def short_error(error):
    text = f"{type(error).__name__}: {error}"
    text = " ".join(text.split())
    return text[:600]


class Importer:
    """Imports a project's models with stubs in place and records what went wrong."""

    def __init__(self, manifest, checkout):
        self.manifest = manifest
        self.checkout = os.path.realpath(checkout)
        self.import_errors = []
        self.warnings = []
        self.imported = []

    def run(self):
        paths = [os.path.realpath(os.path.join(self.checkout, p)) for p in self.manifest.get("python_path", ["."])]
        for path in reversed(paths):
            sys.path.insert(0, path)
        third_party = [p for p in sys.path if p and ("dist-packages" in p or "site-packages" in p)]
        stubs.install(self.manifest.get("stub_modules", []), self.checkout, paths, third_party)
        os.chdir(self.checkout)
        os.environ.setdefault("FLASK_ENV", "development")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            setup = self.manifest.get("setup")
            if setup:
                try:
                    exec(compile(setup, "<manifest setup>", "exec"), {"__name__": "__setup__"})
                except Exception as error:  # the snippet is the manifest's: report, go on
                    self.import_errors.append({"module": "<setup>", "error": short_error(error)})
            for name in self.manifest.get("imports", []):
                self.import_tree(name)
        seen = set()
        for warning in caught:
            text = f"{warning.category.__name__}: {warning.message}"
            text = " ".join(text.split())[:400]
            if text not in seen:
                seen.add(text)
                self.warnings.append(text)

    def import_one(self, name):
        try:
            module = importlib.import_module(name)
        except BaseException as error:  # SystemExit from a config module, too
            if isinstance(error, KeyboardInterrupt):
                raise
            frames = traceback.extract_tb(error.__traceback__)
            ours = [f for f in frames if os.path.realpath(f.filename).startswith(self.checkout + os.sep)]
            last = (ours or frames)[-1:]
            where = f" (at {os.path.relpath(last[0].filename, self.checkout)}:{last[0].lineno})" if last else ""
            self.import_errors.append({"module": name, "error": short_error(error) + where})
            return None
        self.imported.append(name)
        return module

    def import_tree(self, name):
        module = self.import_one(name)
        if module is None or not hasattr(module, "__path__"):
            return

        def onerror(failed):
            self.import_errors.append({"module": failed, "error": "package could not be walked"})

        for info in pkgutil.walk_packages(module.__path__, name + ".", onerror=onerror):
            if info.name not in sys.modules:
                self.import_one(info.name)


def project_modules(checkout):
    prefix = os.path.realpath(checkout) + os.sep
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if filename and os.path.realpath(filename).startswith(prefix):
            yield module


def collect_metadata(manifest, checkout):
    """Every MetaData the manifest names, or else every one reachable from the project's modules."""
    from sqlalchemy import MetaData

    found = {}
    sources = {}

    def add(value, source):
        if isinstance(value, MetaData) and id(value) not in found:
            found[id(value)] = value
            sources[id(value)] = source

    def consider(value, source):
        if isinstance(value, MetaData):
            add(value, source)
            return
        if isinstance(value, (list, tuple, set)):
            for item in value:
                consider(item, source)
            return
        if isinstance(value, dict):
            for item in value.values():
                consider(item, source)
            return
        if isinstance(value, stubs._StubInstance) or (isinstance(value, type) and issubclass(value, stubs._StubInstance)):
            return
        for attribute in ("metadata", "metadatas"):
            try:
                inner = getattr(value, attribute, None)
            except Exception:  # properties that need an app context, proxies, ...
                continue
            if isinstance(inner, MetaData):
                add(inner, f"{source}.{attribute}")
            elif attribute == "metadatas" and isinstance(inner, dict):
                for key, item in inner.items():
                    add(item, f"{source}.metadatas[{key!r}]")

    explicit = manifest.get("metadata") or []
    if isinstance(explicit, str):
        explicit = [explicit]
    errors = []
    for spec in explicit:
        module_name, _, expression = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
            consider(eval(expression or "metadata", vars(module)), spec)
        except Exception as error:
            errors.append({"module": spec, "error": "metadata expression failed: " + short_error(error)})
    if not explicit:
        for module in project_modules(checkout):
            for attr, value in list(vars(module).items()):
                if attr.startswith("__"):
                    continue
                consider(value, f"{module.__name__}:{attr}")
    metadatas = [m for m in found.values() if m.tables]
    return metadatas, [sources[id(m)] for m in metadatas], errors


def table_key(table):
    return f"{table.schema or 'public'}.{table.name}"


def compiled_ddl(metadatas, problems):
    """The PostgreSQL DDL of every table and index, as text (for extension detection)."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = postgresql.dialect()
    texts = []
    for metadata in metadatas:
        for table in metadata.tables.values():
            try:
                texts.append(str(CreateTable(table).compile(dialect=dialect)))
                for index in table.indexes:
                    texts.append(str(CreateIndex(index).compile(dialect=dialect)))
            except Exception as error:
                problems.append({"table": table_key(table), "error": "DDL does not compile: " + short_error(error)})
    return "\n".join(texts)


def engine_for(job, dbname):
    from sqlalchemy import create_engine

    url = f"postgresql+psycopg2://postgres@/{dbname}?host={job['host']}&port={job['port']}"
    return create_engine(url)


def create(job):
    import sqlalchemy
    from sqlalchemy import text

    manifest = job["manifest"]
    importer = Importer(manifest, job["checkout"])
    importer.run()
    metadatas, sources, metadata_errors = collect_metadata(manifest, job["checkout"])
    report = {
        "name": manifest["name"],
        "sqlalchemy": sqlalchemy.__version__,
        "python": sys.version.split()[0],
        "imported": importer.imported,
        "import_errors": importer.import_errors + metadata_errors,
        "warnings": importer.warnings,
        "stubs": [{"kind": k, "name": n, "reason": r} for k, n, r in stubs.STUB_LOG],
        "metadata_sources": sources,
        "model_tables": sorted({table_key(t) for m in metadatas for t in m.tables.values()}),
        "tables": [],
        "excluded_tables": [],
        "extensions": [],
        "extension_errors": [],
        "schemas": [],
    }
    problems = []
    ddl = compiled_ddl(metadatas, problems)
    engine = engine_for(job, job["dbname"])
    with engine.begin() as conn:
        available = {row[0] for row in conn.execute(text("SELECT name FROM pg_available_extensions"))}
        for extension, pattern in EXTENSION_PATTERNS:
            if not pattern.search(ddl):
                continue
            if extension not in available:
                report["extension_errors"].append(f"{extension}: needed by the DDL but not available on this server")
                continue
            conn.execute(text(f'CREATE EXTENSION IF NOT EXISTS "{extension}"'))
            report["extensions"].append(extension)
        schemas = sorted({t.schema for m in metadatas for t in m.tables.values() if t.schema and t.schema != "public"})
        for schema in schemas:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        report["schemas"] = schemas

    failures = {}
    for metadata in metadatas:
        try:
            with engine.begin() as conn:
                metadata.create_all(conn)
            continue
        except Exception as error:
            first_error = short_error(error)
        # One table at a time, in dependency order, retrying while that makes progress.
        pending = [t for t in metadata.sorted_tables]
        while pending:
            progress = False
            still = []
            for table in pending:
                try:
                    with engine.begin() as conn:
                        table.create(conn, checkfirst=True)
                    progress = True
                    failures.pop(table_key(table), None)
                except Exception as error:
                    failures[table_key(table)] = short_error(error)
                    still.append(table)
            pending = still
            if not progress:
                break
        failures.setdefault("<create_all>", first_error)

    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND NOT EXISTS (SELECT 1 FROM pg_depend d "
            "WHERE d.objid = c.oid AND d.deptype = 'e')"))
        in_database = {row[0] for row in rows}
    report["tables"] = sorted(t for t in report["model_tables"] if t in in_database)
    for table in report["model_tables"]:
        if table not in in_database:
            report["excluded_tables"].append({"table": table, "error": failures.get(table) or next(
                (p["error"] for p in problems if p["table"] == table), "not created (see <create_all>)")})
    if "<create_all>" in failures:
        report["create_all_error"] = failures["<create_all>"]
    report["ddl_problems"] = problems
    engine.dispose()
    with open(job["out"], "w", encoding="utf-8") as out:
        json.dump(report, out, indent=1)
        out.write("\n")


# ---- alembic ----------------------------------------------------------------------------------

def merged_metadata(metadatas):
    from sqlalchemy import MetaData

    if len(metadatas) == 1:
        return metadatas[0]
    merged = MetaData()
    for metadata in metadatas:
        for table in metadata.sorted_tables:
            if table.key not in merged.tables:
                table.to_metadata(merged) if hasattr(table, "to_metadata") else table.tometadata(merged)
    return merged


def columns_of(constraint):
    try:
        return [c.name for c in constraint.columns]
    except Exception:
        return []


def subject(schema, table, columns=None, constraint=None):
    result = {"schema": schema or "public", "table": table}
    if columns:
        if len(columns) == 1:
            result["column"] = columns[0]
        else:
            result["columns"] = list(columns)
    if constraint:
        result["constraint"] = constraint
    return result


def diff_to_findings(diffs):
    """alembic's autogenerate differences, as findings with dbaudit's rule ids and subjects."""
    flat = []
    for entry in diffs:
        if isinstance(entry, list):
            flat.extend(entry)
        else:
            flat.append(entry)
    findings = []
    fk_adds, fk_removes = {}, {}
    for entry in flat:
        op = entry[0]
        rule = None
        subj = None
        if op in ("add_table", "remove_table"):
            table = entry[1]
            rule = "model-table-not-in-database" if op == "add_table" else "model-table-not-in-models"
            subj = subject(table.schema, table.name)
        elif op in ("add_column", "remove_column"):
            schema, tname, column = entry[1], entry[2], entry[3]
            rule = "model-column-not-in-database" if op == "add_column" else "model-column-not-in-models"
            subj = subject(schema, tname, [column.name])
        elif op in ("modify_type", "modify_nullable", "modify_default"):
            schema, tname, cname = entry[1], entry[2], entry[3]
            rule = {"modify_type": "model-type-mismatch", "modify_nullable": "model-nullable-mismatch",
                    "modify_default": "model-server-default-mismatch"}[op]
            subj = subject(schema, tname, [cname])
        elif op in ("add_index", "remove_index"):
            index = entry[1]
            unique = bool(index.unique)
            if op == "add_index":
                rule = "model-unique-not-in-database" if unique else "model-index-not-in-database"
            else:
                rule = "model-unique-not-in-models" if unique else "model-index-not-in-models"
            table = index.table
            names = []
            for expression in index.expressions:
                names.append(getattr(expression, "name", None) or str(expression))
            subj = subject(table.schema, table.name, names, index.name)
        elif op in ("add_constraint", "remove_constraint"):
            constraint = entry[1]
            kind = type(constraint).__name__
            if kind != "UniqueConstraint":
                continue
            rule = "model-unique-not-in-database" if op == "add_constraint" else "model-unique-not-in-models"
            subj = subject(constraint.table.schema, constraint.table.name, columns_of(constraint), constraint.name)
        elif op in ("add_fk", "remove_fk"):
            constraint = entry[1]
            table = constraint.parent if hasattr(constraint, "parent") else constraint.table
            key = (table.schema or "public", table.name, tuple(columns_of(constraint)))
            target = fk_adds if op == "add_fk" else fk_removes
            target[key] = (constraint, subject(table.schema, table.name, columns_of(constraint), constraint.name))
            continue
        else:
            continue
        findings.append({"rule": rule, "subject": subj, "message": repr_entry(entry)})
    for key in sorted(set(fk_adds) | set(fk_removes)):
        if key in fk_adds and key in fk_removes:
            findings.append({"rule": "model-foreign-key-action-mismatch", "subject": fk_adds[key][1],
                             "message": "remove_fk + add_fk on the same columns (options differ)"})
        elif key in fk_adds:
            findings.append({"rule": "model-foreign-key-not-in-database", "subject": fk_adds[key][1],
                             "message": "add_fk"})
        else:
            findings.append({"rule": "model-foreign-key-not-in-models", "subject": fk_removes[key][1],
                             "message": "remove_fk"})
    return findings


def repr_entry(entry):
    try:
        return " ".join(repr(entry).split())[:300]
    except Exception:
        return entry[0]


def alembic_compare(job):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    manifest = job["manifest"]
    importer = Importer(manifest, job["checkout"])
    importer.run()
    metadatas, _, _ = collect_metadata(manifest, job["checkout"])
    metadata = merged_metadata(metadatas)
    excluded = set(job.get("excluded_tables", []))
    schemas = {t.schema for t in metadata.tables.values() if t.schema}
    allowed_schemas = {None, "public"} | schemas

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "table":
            if name == "alembic_version":
                return False
            if not reflected and table_key(obj) in excluded:
                return False
        return True

    def include_name(name, type_, parent_names):
        if type_ == "schema":
            return name in allowed_schemas
        return True

    results = {}
    for label, dbname in job["databases"].items():
        engine = engine_for(job, dbname)
        try:
            with engine.connect() as conn:
                opts = {"compare_type": True, "compare_server_default": True,
                        "include_object": include_object, "include_schemas": bool(schemas)}
                try:
                    context = MigrationContext.configure(conn, opts=dict(opts, include_name=include_name))
                    diffs = compare_metadata(context, metadata)
                except TypeError:  # alembic without include_name
                    context = MigrationContext.configure(conn, opts=opts)
                    diffs = compare_metadata(context, metadata)
            results[label] = {"findings": diff_to_findings(diffs), "error": None}
        except Exception as error:
            results[label] = {"findings": [], "error": short_error(error)}
        finally:
            engine.dispose()
    import alembic
    output = {"alembic": alembic.__version__, "import_errors": importer.import_errors, "results": results}
    with open(job["out"], "w", encoding="utf-8") as out:
        json.dump(output, out, indent=1)
        out.write("\n")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("create", "alembic"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[2], encoding="utf-8") as job_file:
        job = json.load(job_file)
    if sys.argv[1] == "create":
        create(job)
    else:
        alembic_compare(job)
    return 0


if __name__ == "__main__":
    sys.exit(main())
