"""Seeded schema drift for the real-project harness.

Reads the catalog of the oracle's database (the schema SQLAlchemy created from the project's own
models), plans about 15 deterministic changes (seeded by the project name) and applies them to a
copy of that database. Each change names the dbaudit rule id(s) that should report it and the
table / column / constraint it concerns, so a run's findings can be scored against the plan.

Kinds (each skipped when the schema has no candidate for it):

| kind | change | expected rule |
|---|---|---|
| drop_column | drop a column no index, constraint or sequence depends on | model-column-not-in-database |
| add_column | add an integer column | model-column-not-in-models |
| change_type | varchar(n)→varchar(n+50), integer→bigint, text→varchar(500), ... | model-type-mismatch |
| nullable | drop or set NOT NULL on a non-key column | model-nullable-mismatch |
| drop_fk | drop a foreign key | model-foreign-key-not-in-database |
| add_fk | add a foreign key on an existing *_id column to a same-typed primary key | model-foreign-key-not-in-models |
| fk_action | change a foreign key's ON DELETE | model-foreign-key-action-mismatch |
| drop_index | drop a plain (non-unique, non-key) index | model-index-not-in-database |
| add_index | index a column no index starts with | model-index-not-in-models |
| drop_unique | drop a unique constraint (or unique index) no foreign key needs | model-unique-not-in-database |
| add_unique | add a unique constraint on a column not yet unique | model-unique-not-in-models |
| drop_table | drop a table no other table references | model-table-not-in-database |
| add_table | create a new table | model-table-not-in-models |
| server_default | change or drop a (non-sequence) server default | model-server-default-mismatch |
| enum_label | add a label to an enum type | model-enum-mismatch |

Changes never cascade: a dropped column is used by nothing, a dropped table is referenced by
nothing, and no column, table or constraint is touched by two changes.
"""
import hashlib
import random
import re

CATALOG_FILTER = """n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = c.oid AND e.deptype = 'e')"""

TABLES_SQL = f"""SELECT coalesce(json_agg(t ORDER BY t.schema, t.name), '[]') FROM (
SELECT n.nspname AS schema, c.relname AS name,
  EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.oid AND f.conrelid <> c.oid) AS referenced
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE {CATALOG_FILTER}) t"""

COLUMNS_SQL = f"""SELECT coalesce(json_agg(t ORDER BY t.schema, t.table, t.attnum), '[]') FROM (
SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, a.attnum,
  format_type(a.atttypid, a.atttypmod) AS type, ty.typtype AS typtype,
  a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS default,
  a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated,
  EXISTS (SELECT 1 FROM pg_depend p WHERE p.refclassid = 'pg_class'::regclass AND p.refobjid = c.oid
          AND p.refobjsubid = a.attnum AND p.classid <> 'pg_attrdef'::regclass) AS used,
  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p' AND a.attnum = ANY (k.conkey)) AS in_pk,
  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f' AND a.attnum = ANY (k.conkey)) AS in_fk,
  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.confrelid = c.oid AND k.contype = 'f' AND a.attnum = ANY (k.confkey)) AS referenced,
  EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid AND x.indkey[0] = a.attnum) AS leads_index,
  EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid AND x.indisunique AND x.indpred IS NULL
          AND x.indnatts = 1 AND x.indkey[0] = a.attnum) AS unique_alone
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND {CATALOG_FILTER}) t"""

INDEXES_SQL = f"""SELECT coalesce(json_agg(t ORDER BY t.schema, t.table, t.name), '[]') FROM (
SELECT n.nspname AS schema, c.relname AS table, i.relname AS name, x.indisunique AS unique,
  x.indisprimary AS primary, x.indexprs IS NOT NULL AS expression, x.indpred IS NOT NULL AS partial,
  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = c.oid AND k.contype <> 'f') AS constraint_backed,
  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype = 'f') AS fk_depends,
  ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(k, o)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.k ORDER BY u.o) AS columns
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {CATALOG_FILTER}) t"""

CONSTRAINTS_SQL = f"""SELECT coalesce(json_agg(t ORDER BY t.schema, t.table, t.name), '[]') FROM (
SELECT n.nspname AS schema, c.relname AS table, k.conname AS name, k.contype AS type,
  ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(k, o)
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.k ORDER BY u.o) AS columns,
  rn.nspname AS ref_schema, rc.relname AS ref_table, k.confdeltype AS ondelete,
  pg_get_constraintdef(k.oid) AS def,
  k.contype IN ('u', 'p') AND EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid) AS fk_depends
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = k.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE k.contype IN ('u', 'f', 'p') AND {CATALOG_FILTER}) t"""

ENUMS_SQL = """SELECT coalesce(json_agg(t ORDER BY t.schema, t.name), '[]') FROM (
SELECT n.nspname AS schema, ty.typname AS name,
  ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = ty.oid ORDER BY e.enumsortorder) AS labels
FROM pg_type ty JOIN pg_namespace n ON n.oid = ty.typnamespace
WHERE ty.typtype = 'e' AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = ty.oid AND e.deptype = 'e')) t"""


def read_catalog(cluster, dbname):
    return {
        "tables": cluster.query_json(dbname, TABLES_SQL),
        "columns": cluster.query_json(dbname, COLUMNS_SQL),
        "indexes": cluster.query_json(dbname, INDEXES_SQL),
        "constraints": cluster.query_json(dbname, CONSTRAINTS_SQL),
        "enums": cluster.query_json(dbname, ENUMS_SQL),
    }


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def qualified(schema, name):
    return f"{ident(schema)}.{ident(name)}"


def literal(text):
    return "'" + text.replace("'", "''") + "'"


ONDELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def new_type_for(column_type):
    """The type a change_type drift moves a column to, or None when the type has no such move."""
    match = re.fullmatch(r"character varying\((\d+)\)", column_type)
    if match:
        return f"character varying({int(match.group(1)) + 50})"
    match = re.fullmatch(r"numeric\((\d+),(\d+)\)", column_type)
    if match:
        return f"numeric({int(match.group(1)) + 2},{match.group(2)})"
    return {
        "integer": "bigint",
        "smallint": "integer",
        "text": "character varying(500)",
        "timestamp without time zone": "timestamp with time zone",
        "real": "double precision",
    }.get(column_type)


class Planner:
    def __init__(self, name, catalog, oracle_tables, target=15):
        seed = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:16], 16)
        self.rng = random.Random(seed)
        self.catalog = catalog
        self.target = target
        keep = set(oracle_tables)
        self.tables = [t for t in catalog["tables"] if f"{t['schema']}.{t['name']}" in keep]
        self.table_keys = {(t["schema"], t["name"]) for t in self.tables}
        self.columns = [c for c in catalog["columns"] if (c["schema"], c["table"]) in self.table_keys]
        self.indexes = [i for i in catalog["indexes"] if (i["schema"], i["table"]) in self.table_keys]
        self.constraints = [k for k in catalog["constraints"] if (k["schema"], k["table"]) in self.table_keys]
        self.touched_columns = set()     # (schema, table, column)
        self.touched_tables = {}         # (schema, table) -> number of drifts on it
        self.protected_tables = set()    # tables that must not be dropped (a drift needs them)
        self.dropped_tables = set()
        self.used_objects = set()        # constraint / index / enum names already changed
        self.drifts = []
        self.counter = 0

    # ---- helpers ------------------------------------------------------------------------------
    def pick(self, candidates, table_of):
        """A random candidate, preferring tables with fewer drifts so far."""
        candidates = [c for c in candidates if table_of(c) not in self.dropped_tables]
        if not candidates:
            return None
        self.rng.shuffle(candidates)
        candidates.sort(key=lambda c: self.touched_tables.get(table_of(c), 0))
        return candidates[0]

    def add(self, kind, rules, schema, table, sql, description, column=None, constraint=None):
        drift = {"kind": kind, "rule": rules[0], "rules": rules, "schema": schema, "table": table,
                 "description": description, "sql": sql}
        if column:
            drift["column"] = column
        if constraint:
            drift["constraint"] = constraint
        self.drifts.append(drift)
        if table:
            self.touched_tables[(schema, table)] = self.touched_tables.get((schema, table), 0) + 1
            if kind != "drop_table":
                self.protected_tables.add((schema, table))
        if column:
            self.touched_columns.add((schema, table, column))
        return drift

    def free_column(self, c):
        return (c["schema"], c["table"], c["name"]) not in self.touched_columns

    def next_name(self, stem):
        self.counter += 1
        return f"drift_{stem}_{self.counter}"

    # ---- kinds --------------------------------------------------------------------------------
    def drop_column(self):
        candidates = [c for c in self.columns if not c["used"] and not c["in_pk"] and not c["generated"]
                      and self.free_column(c)]
        c = self.pick(candidates, lambda c: (c["schema"], c["table"]))
        if c:
            return self.add("drop_column", ["model-column-not-in-database"], c["schema"], c["table"],
                            f"ALTER TABLE {qualified(c['schema'], c['table'])} DROP COLUMN {ident(c['name'])}",
                            f"dropped column {c['table']}.{c['name']} ({c['type']})", column=c["name"])

    def add_column(self):
        t = self.pick(list(self.tables), lambda t: (t["schema"], t["name"]))
        if t:
            name = self.next_name("extra")
            return self.add("add_column", ["model-column-not-in-models"], t["schema"], t["name"],
                            f"ALTER TABLE {qualified(t['schema'], t['name'])} ADD COLUMN {ident(name)} integer",
                            f"added column {t['name']}.{name} integer", column=name)

    def change_type(self):
        candidates = [c for c in self.columns if new_type_for(c["type"]) and not c["in_pk"] and not c["in_fk"]
                      and not c["referenced"] and not c["identity"] and not c["generated"] and self.free_column(c)]
        c = self.pick(candidates, lambda c: (c["schema"], c["table"]))
        if c:
            new = new_type_for(c["type"])
            return self.add("change_type", ["model-type-mismatch"], c["schema"], c["table"],
                            f"ALTER TABLE {qualified(c['schema'], c['table'])} ALTER COLUMN {ident(c['name'])} TYPE {new}",
                            f"column {c['table']}.{c['name']} changed from {c['type']} to {new}", column=c["name"])

    def nullable(self):
        candidates = [c for c in self.columns if not c["in_pk"] and not c["identity"] and self.free_column(c)]
        c = self.pick(candidates, lambda c: (c["schema"], c["table"]))
        if c:
            action = "DROP NOT NULL" if c["notnull"] else "SET NOT NULL"
            return self.add("nullable", ["model-nullable-mismatch"], c["schema"], c["table"],
                            f"ALTER TABLE {qualified(c['schema'], c['table'])} ALTER COLUMN {ident(c['name'])} {action}",
                            f"column {c['table']}.{c['name']}: {action}", column=c["name"])

    def foreign_keys(self):
        return [k for k in self.constraints if k["type"] == "f" and k["name"] not in self.used_objects
                and all((k["schema"], k["table"], col) not in self.touched_columns for col in k["columns"])]

    def drop_fk(self):
        k = self.pick(self.foreign_keys(), lambda k: (k["schema"], k["table"]))
        if k:
            self.used_objects.add(k["name"])
            return self.add("drop_fk", ["model-foreign-key-not-in-database"], k["schema"], k["table"],
                            f"ALTER TABLE {qualified(k['schema'], k['table'])} DROP CONSTRAINT {ident(k['name'])}",
                            f"dropped foreign key {k['name']} {k['table']}({', '.join(k['columns'])}) -> {k['ref_table']}",
                            column=k["columns"][0], constraint=k["name"])

    def fk_action(self):
        k = self.pick(self.foreign_keys(), lambda k: (k["schema"], k["table"]))
        if not k:
            return None
        current = ONDELETE.get(k["ondelete"], "NO ACTION")
        new = "CASCADE" if current != "CASCADE" else "NO ACTION"
        definition = re.sub(r"\s+ON DELETE (NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT)(\s*\([^)]*\))?", "", k["def"])
        match = re.search(r"REFERENCES\s+\S+\([^)]*\)(\s+MATCH \w+)?", definition)
        if not match:
            return None
        if new != "NO ACTION":
            definition = definition[:match.end()] + f" ON DELETE {new}" + definition[match.end():]
        self.used_objects.add(k["name"])
        table = qualified(k["schema"], k["table"])
        return self.add("fk_action", ["model-foreign-key-action-mismatch"], k["schema"], k["table"],
                        f"ALTER TABLE {table} DROP CONSTRAINT {ident(k['name'])}, ADD CONSTRAINT {ident(k['name'])} {definition}",
                        f"foreign key {k['name']} ON DELETE {current} -> {new}",
                        column=k["columns"][0], constraint=k["name"])

    def add_fk(self):
        pk_of = {}
        for k in self.constraints:
            if k["type"] == "p" and len(k["columns"]) == 1:
                pk_of[(k["schema"], k["table"])] = k["columns"][0]
        type_of = {(c["schema"], c["table"], c["name"]): c["type"] for c in self.columns}
        targets = []
        for (schema, table), col in pk_of.items():
            if (schema, table) not in self.dropped_tables:
                targets.append((schema, table, col, type_of.get((schema, table, col))))
        candidates = []
        for c in self.columns:
            if c["in_fk"] or c["in_pk"] or not self.free_column(c) or not c["name"].endswith("_id"):
                continue
            stem = c["name"][:-3]
            for schema, table, col, typ in targets:
                if typ != c["type"] or (schema, table) == (c["schema"], c["table"]):
                    continue
                if table in (stem, stem + "s", stem + "es") or table.rstrip("s") == stem:
                    candidates.append((c, (schema, table, col)))
        if not candidates:  # no name-based match: any same-typed integer column
            for c in self.columns:
                if c["in_fk"] or c["in_pk"] or not self.free_column(c) or c["type"] not in ("integer", "bigint"):
                    continue
                for schema, table, col, typ in targets:
                    if typ == c["type"] and (schema, table) != (c["schema"], c["table"]):
                        candidates.append((c, (schema, table, col)))
                        break
        choice = self.pick(candidates, lambda pair: (pair[0]["schema"], pair[0]["table"]))
        if not choice:
            return None
        c, (schema, table, col) = choice
        name = self.next_name("fk")
        self.protected_tables.add((schema, table))
        return self.add("add_fk", ["model-foreign-key-not-in-models"], c["schema"], c["table"],
                        f"ALTER TABLE {qualified(c['schema'], c['table'])} ADD CONSTRAINT {ident(name)} "
                        f"FOREIGN KEY ({ident(c['name'])}) REFERENCES {qualified(schema, table)} ({ident(col)})",
                        f"added foreign key {name} {c['table']}({c['name']}) -> {table}({col})",
                        column=c["name"], constraint=name)

    def drop_index(self):
        candidates = [i for i in self.indexes if not i["unique"] and not i["primary"] and not i["constraint_backed"]
                      and not i["expression"] and not i["partial"] and i["columns"] and i["name"] not in self.used_objects
                      and all((i["schema"], i["table"], col) not in self.touched_columns for col in i["columns"])]
        i = self.pick(candidates, lambda i: (i["schema"], i["table"]))
        if i:
            self.used_objects.add(i["name"])
            for col in i["columns"]:
                self.touched_columns.add((i["schema"], i["table"], col))
            return self.add("drop_index", ["model-index-not-in-database"], i["schema"], i["table"],
                            f"DROP INDEX {qualified(i['schema'], i['name'])}",
                            f"dropped index {i['name']} on {i['table']}({', '.join(i['columns'])})",
                            column=i["columns"][0], constraint=i["name"])

    def add_index(self):
        candidates = [c for c in self.columns if not c["leads_index"] and self.free_column(c)
                      and c["typtype"] in ("b", "e", "d") and c["type"] not in ("json", "xml", "point")]
        c = self.pick(candidates, lambda c: (c["schema"], c["table"]))
        if c:
            name = self.next_name("ix")
            return self.add("add_index", ["model-index-not-in-models"], c["schema"], c["table"],
                            f"CREATE INDEX {ident(name)} ON {qualified(c['schema'], c['table'])} ({ident(c['name'])})",
                            f"added index {name} on {c['table']}({c['name']})", column=c["name"], constraint=name)

    def drop_unique(self):
        candidates = []
        for k in self.constraints:
            if k["type"] == "u" and not k["fk_depends"] and k["name"] not in self.used_objects:
                candidates.append(("constraint", k))
        for i in self.indexes:
            if i["unique"] and not i["primary"] and not i["constraint_backed"] and not i["fk_depends"] \
                    and not i["partial"] and not i["expression"] and i["name"] not in self.used_objects:
                candidates.append(("index", i))
        candidates = [(kind, o) for kind, o in candidates
                      if all((o["schema"], o["table"], col) not in self.touched_columns for col in o["columns"])]
        choice = self.pick(candidates, lambda pair: (pair[1]["schema"], pair[1]["table"]))
        if not choice:
            return None
        kind, o = choice
        self.used_objects.add(o["name"])
        for col in o["columns"]:
            self.touched_columns.add((o["schema"], o["table"], col))
        if kind == "constraint":
            sql = f"ALTER TABLE {qualified(o['schema'], o['table'])} DROP CONSTRAINT {ident(o['name'])}"
            rules = ["model-unique-not-in-database"]
        else:
            sql = f"DROP INDEX {qualified(o['schema'], o['name'])}"
            rules = ["model-unique-not-in-database", "model-index-not-in-database"]
        return self.add("drop_unique", rules, o["schema"], o["table"], sql,
                        f"dropped unique {kind} {o['name']} on {o['table']}({', '.join(o['columns'])})",
                        column=o["columns"][0], constraint=o["name"])

    def add_unique(self):
        candidates = [c for c in self.columns if not c["unique_alone"] and not c["in_pk"] and self.free_column(c)
                      and c["typtype"] in ("b", "e", "d") and c["type"] not in ("json", "xml", "point", "boolean")]
        c = self.pick(candidates, lambda c: (c["schema"], c["table"]))
        if c:
            name = self.next_name("uq")
            return self.add("add_unique", ["model-unique-not-in-models"], c["schema"], c["table"],
                            f"ALTER TABLE {qualified(c['schema'], c['table'])} ADD CONSTRAINT {ident(name)} UNIQUE ({ident(c['name'])})",
                            f"added unique constraint {name} on {c['table']}({c['name']})",
                            column=c["name"], constraint=name)

    def drop_table(self):
        candidates = [t for t in self.tables if not t["referenced"] and (t["schema"], t["name"]) not in self.protected_tables
                      and (t["schema"], t["name"]) not in self.touched_tables]
        t = self.pick(candidates, lambda t: (t["schema"], t["name"]))
        if t:
            self.dropped_tables.add((t["schema"], t["name"]))
            drift = self.add("drop_table", ["model-table-not-in-database"], t["schema"], t["name"],
                             f"DROP TABLE {qualified(t['schema'], t['name'])}", f"dropped table {t['name']}")
            # Reporting the dropped table's indexes / constraints as missing too is redundant but
            # true (alembic does it, as it would create them after the table): not a false positive.
            drift["consequences"] = ["model-index-not-in-database", "model-unique-not-in-database",
                                     "model-foreign-key-not-in-database"]
            return drift

    def add_table(self):
        name = self.next_name("table")
        return self.add("add_table", ["model-table-not-in-models"], "public", name,
                        f"CREATE TABLE public.{ident(name)} (id serial PRIMARY KEY, note text)",
                        f"created table {name}")

    def server_default(self):
        candidates = [c for c in self.columns if c["default"] and "nextval(" not in c["default"]
                      and not c["identity"] and not c["generated"] and self.free_column(c)]
        c = self.pick(candidates, lambda c: (c["schema"], c["table"]))
        if not c:
            return None
        table = qualified(c["schema"], c["table"])
        new = None
        if self.rng.random() < 0.5:
            if c["type"].startswith(("character varying", "text")):
                new = literal("drift")
            elif c["type"] in ("integer", "bigint", "smallint") or c["type"].startswith("numeric"):
                new = "4242"
            elif c["type"] == "boolean":
                new = "false" if "true" in c["default"].lower() else "true"
        if new and new not in c["default"]:
            sql = f"ALTER TABLE {table} ALTER COLUMN {ident(c['name'])} SET DEFAULT {new}"
            description = f"column {c['table']}.{c['name']} default {c['default']} -> {new}"
        else:
            sql = f"ALTER TABLE {table} ALTER COLUMN {ident(c['name'])} DROP DEFAULT"
            description = f"column {c['table']}.{c['name']} default {c['default']} dropped"
        return self.add("server_default", ["model-server-default-mismatch"], c["schema"], c["table"], sql,
                        description, column=c["name"])

    def enum_label(self):
        candidates = [e for e in self.catalog["enums"] if e["name"] not in self.used_objects]
        if not candidates:
            return None
        e = self.rng.choice(candidates)
        self.used_objects.add(e["name"])
        drift = {"kind": "enum_label", "rule": "model-enum-mismatch", "rules": ["model-enum-mismatch"],
                 "schema": e["schema"], "table": None, "constraint": e["name"],
                 "description": f"enum {e['name']} gained label 'drift_label'",
                 "sql": f"ALTER TYPE {qualified(e['schema'], e['name'])} ADD VALUE 'drift_label'"}
        self.drifts.append(drift)
        return drift

    KINDS = ["drop_column", "add_column", "change_type", "nullable", "drop_fk", "add_fk", "fk_action",
             "drop_index", "add_index", "drop_unique", "add_unique", "drop_table", "add_table",
             "server_default", "enum_label"]
    FILL = ["drop_column", "change_type", "nullable", "add_column", "drop_index", "server_default",
            "add_unique", "drop_fk"]

    def plan(self):
        if not self.tables:
            return []
        kinds = list(self.KINDS)
        self.rng.shuffle(kinds)
        # drop_table goes first, so that no other drift can pick the table it drops (and so that
        # small schemas, where the other drifts would touch every table, still get one)
        kinds.remove("drop_table")
        kinds.insert(0, "drop_table")
        for kind in kinds:
            getattr(self, kind)()
        # then more of the column-level kinds, round robin, while they have candidates
        # (pick() never chooses a dropped table)
        live = list(self.FILL)
        step = 0
        while len(self.drifts) < self.target and live:
            kind = live[step % len(live)]
            if getattr(self, kind)() is None:
                live.remove(kind)
            else:
                step += 1
        return self.drifts


def apply(cluster, dbname, drifts):
    """Applies each drift on its own; returns (applied, failed-with-error)."""
    applied, failed = [], []
    for drift in drifts:
        ok, _, err = cluster.psql(dbname, drift["sql"], check=False)
        if ok:
            applied.append(drift)
        else:
            failed.append(dict(drift, error=err.strip()))
    return applied, failed
