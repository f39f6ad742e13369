#!/usr/bin/env python3
"""Writes a synthetic Flask-SQLAlchemy project whose models match generate_schema.py's schema,
apart from a known amount of drift, plus route files full of queries.

    generate_project.py --tables 10000 --routes 2000 --out DIR

Layout: DIR/app/__init__.py (db), DIR/app/models/enums.py, one model per file in
DIR/app/models/gNN/<table>.py (half in the classic db.Column style, half in the 2.0
Mapped[] style), DIR/app/routes/r_NNNNN.py (ORM queries, text() SQL, a few string-built
SQL statements), and DIR/drift.json listing every deliberate difference and its rule id.
"""
import argparse
import json
import os
import random
import sys
from typing import Dict, List, Optional

from synth_spec import Column, Spec, Table, build_spec

DRIFT_KINDS = [
    ("extra_model_column", "model-column-not-in-database"),
    ("drop_model_column", "model-column-not-in-models"),
    ("varchar_length", "model-type-mismatch"),
    ("nullable_flip", "model-nullable-mismatch"),
    ("drop_foreign_key", "model-foreign-key-not-in-models"),
    ("foreign_key_action", "model-foreign-key-action-mismatch"),
    ("drop_unique", "model-unique-not-in-models"),
    ("extra_index", "model-index-not-in-database"),
    ("server_default", "model-server-default-mismatch"),
    ("missing_model", "model-table-not-in-models"),
]

CLASSIC_TYPES = {
    "serial": "db.Integer",
    "identity": "db.BigInteger",
    "integer": "db.Integer",
    "bigint": "db.BigInteger",
    "text": "db.Text",
    "numeric": "db.Numeric(12, 2)",
    "boolean": "db.Boolean",
    "date": "db.Date",
    "timestamptz": "db.DateTime(timezone=True)",
    "jsonb": "JSONB",
}
MAPPED_TYPES = {
    "serial": ("int", None),
    "identity": ("int", "BigInteger"),
    "integer": ("int", None),
    "bigint": ("int", "BigInteger"),
    "text": ("str", "Text"),
    "numeric": ("Decimal", "Numeric(12, 2)"),
    "boolean": ("bool", None),
    "date": ("date", None),
    "timestamptz": ("datetime", "DateTime(timezone=True)"),
    "jsonb": ("dict", "JSONB"),
}


class Drift:
    """The per-table changes the models make to the schema, decided once, recorded in drift.json."""

    def __init__(self, spec: Spec, rate: float, seed: int):
        self.by_table: Dict[str, dict] = {}
        rng = random.Random(seed + 7)
        for table in spec.tables:
            if rng.random() >= rate:
                continue
            kind, rule = rng.choice(DRIFT_KINDS)
            detail = self._apply(kind, table, rng)
            if detail is not None:
                self.by_table[table.name] = {"table": table.name, "kind": kind, "rule": rule, **detail}

    @staticmethod
    def _apply(kind: str, table: Table, rng: random.Random) -> Optional[dict]:
        fk_columns = {fk.column for fk in table.foreign_keys}
        plain = [c for c in table.columns if c.name not in table.primary_key and c.name not in fk_columns]
        if kind in ("extra_model_column", "missing_model"):
            return {"column": "legacy_flag"} if kind == "extra_model_column" else {}
        if kind == "drop_model_column" and plain:
            return {"column": rng.choice(plain).name}
        if kind == "varchar_length":
            varchars = [c for c in plain if c.kind == "varchar" and c.name != "code"]
            return {"column": varchars[0].name, "model_length": varchars[0].length + 8} if varchars else None
        if kind == "nullable_flip" and plain:
            return {"column": rng.choice(plain).name}
        if kind in ("drop_foreign_key", "foreign_key_action") and table.foreign_keys:
            fk = table.foreign_keys[0]
            if kind == "drop_foreign_key":
                return {"column": fk.column}
            other = "SET NULL" if fk.on_delete == "CASCADE" else "CASCADE"
            if other == "SET NULL" and not table.column(fk.column).nullable:
                other = "RESTRICT" if fk.on_delete != "RESTRICT" else "CASCADE"
            return {"column": fk.column, "model_on_delete": other}
        if kind == "drop_unique" and table.uniques:
            return {"columns": table.uniques[0]}
        if kind == "extra_index":
            candidates = [c.name for c in plain if c.kind in ("varchar", "integer", "date", "timestamptz")]
            indexed = {tuple(ix.columns) for ix in table.indexes} | {tuple(u) for u in table.uniques}
            candidates = [c for c in candidates if (c,) not in indexed]
            return {"column": candidates[0]} if candidates else None
        if kind == "server_default":
            with_default = [c for c in plain if c.kind == "integer" and c.default == "0"]
            return {"column": with_default[0].name, "model_default": "1"} if with_default else None
        return None

    def get(self, table: Table) -> dict:
        return self.by_table.get(table.name, {})


def model_path(table: Table) -> str:
    return f"app/models/g{table.number // 500:02d}/{table.name}.py"


def module_name(table: Table) -> str:
    return model_path(table)[: -len(".py")].replace("/", ".")


def py_literal_default(column: Column, override: Optional[str]) -> Optional[str]:
    value = override if override is not None else column.default
    if value is None:
        return None
    if value == "now()":
        return "func.now()"
    if column.kind == "boolean":
        return f'text("{value}")'
    if column.kind == "enum":
        return '"' + value.strip("'") + '"'
    return f'"{value}"'


def column_args(table: Table, column: Column, drift: dict, enums: Dict[str, str]) -> List[str]:
    """The keyword arguments common to both styles (FK, PK, nullable, default)."""
    args: List[str] = []
    fk = next((fk for fk in table.foreign_keys if fk.column == column.name), None)
    if fk is not None and not (drift.get("kind") == "drop_foreign_key" and drift["column"] == column.name):
        on_delete = fk.on_delete
        if drift.get("kind") == "foreign_key_action" and drift["column"] == column.name:
            on_delete = drift["model_on_delete"]
        action = f', ondelete="{on_delete}"' if on_delete else ""
        args.append(f'ForeignKey("{fk.ref_table}.{fk.ref_column}"{action})')
    if column.name in table.primary_key:
        args.append("primary_key=True")
    default_override = drift.get("model_default") if drift.get("column") == column.name else None
    default = py_literal_default(column, default_override)
    if default is not None:
        args.append(f"server_default={default}")
    return args


def is_nullable(table: Table, column: Column, drift: dict) -> bool:
    nullable = column.nullable
    if drift.get("kind") == "nullable_flip" and drift["column"] == column.name:
        nullable = not nullable
    return nullable and column.name not in table.primary_key


def type_expr(column: Column, drift: dict, enums: Dict[str, str], mapped: bool) -> Optional[str]:
    if column.kind == "varchar":
        length = drift["model_length"] if drift.get("kind") == "varchar_length" and drift["column"] == column.name else column.length
        return f"String({length})" if mapped else f"db.String({length})"
    if column.kind == "enum":
        return f'{"Enum" if mapped else "db.Enum"}({enums[column.enum]}, name="{column.enum}")'
    if mapped:
        return MAPPED_TYPES[column.kind][1]
    return CLASSIC_TYPES[column.kind]


# Declarative reserves `metadata`: such columns get another attribute name and an explicit
# column name, as real projects do.
RESERVED_ATTRIBUTES = {"metadata", "registry", "query"}


def attribute_name(column: Column) -> str:
    return column.name + "_" if column.name in RESERVED_ATTRIBUTES else column.name


def name_arg(column: Column) -> List[str]:
    return [f'"{column.name}"'] if column.name in RESERVED_ATTRIBUTES else []


def classic_column(table: Table, column: Column, drift: dict, enums: Dict[str, str]) -> str:
    args = [type_expr(column, drift, enums, mapped=False)]
    args += [a.replace("ForeignKey(", "db.ForeignKey(", 1) for a in column_args(table, column, drift, enums)]
    nullable = is_nullable(table, column, drift)
    if not nullable and column.name not in table.primary_key:
        args.append("nullable=False")
    return f"    {attribute_name(column)} = db.Column({', '.join(name_arg(column) + args)})"


def mapped_column_line(table: Table, column: Column, drift: dict, enums: Dict[str, str]) -> str:
    py_type = enums[column.enum] if column.kind == "enum" else MAPPED_TYPES.get(column.kind, ("str", None))[0]
    nullable = is_nullable(table, column, drift)
    annotation = f"Optional[{py_type}]" if nullable else py_type
    args = []
    sa_type = type_expr(column, drift, enums, mapped=True)
    if sa_type is not None:
        args.append(sa_type)
    args += column_args(table, column, drift, enums)
    return f"    {attribute_name(column)}: Mapped[{annotation}] = mapped_column({', '.join(name_arg(column) + args)})"


def table_args(table: Table, drift: dict) -> List[str]:
    items = []
    for unique in table.uniques:
        if drift.get("kind") == "drop_unique" and drift["columns"] == unique:
            continue
        cols = ", ".join(f'"{c}"' for c in unique)
        items.append(f'UniqueConstraint({cols}, name="uq_{table.name}_{"_".join(unique)}")')
    for index in table.indexes:
        cols = ", ".join(f'"{c}"' for c in index.columns)
        items.append(f'Index("{index.name}", {cols})')
    if drift.get("kind") == "extra_index":
        items.append(f'Index("ix_{table.name}_{drift["column"]}_model", "{drift["column"]}")')
    return items


def model_source(table: Table, drift: dict, enums: Dict[str, str]) -> str:
    mapped = table.mapped_style
    lines = [f'"""Model for {table.name} (generated by bench/generate_project.py)."""']
    if mapped:
        lines += [
            "from datetime import date, datetime",
            "from decimal import Decimal",
            "from typing import Optional",
            "",
            "from sqlalchemy import BigInteger, DateTime, Enum, ForeignKey, Index, Numeric, String, Text,"
            " UniqueConstraint, func, text",
            "from sqlalchemy.dialects.postgresql import JSONB",
            "from sqlalchemy.orm import Mapped, mapped_column, relationship",
        ]
    else:
        lines += [
            "from sqlalchemy import Index, UniqueConstraint, func, text",
            "from sqlalchemy.dialects.postgresql import JSONB",
        ]
    lines += ["", "from app import db"]
    used_enums = sorted({enums[c.enum] for c in table.columns if c.kind == "enum"})
    if used_enums:
        lines.append(f"from app.models.enums import {', '.join(used_enums)}")
    lines += ["", "", f"class {table.class_name}(db.Model):", f'    __tablename__ = "{table.name}"']
    args = table_args(table, drift)
    if table.comment:
        args.append('{"comment": ' + json.dumps(table.comment) + "}")
    if args:
        lines.append("    __table_args__ = (")
        lines += [f"        {a}," for a in args]
        lines.append("    )")
    lines.append("")
    for column in table.columns:
        if drift.get("kind") == "drop_model_column" and drift["column"] == column.name:
            continue
        make = mapped_column_line if mapped else classic_column
        lines.append(make(table, column, drift, enums))
    if drift.get("kind") == "extra_model_column":
        lines.append(
            "    legacy_flag: Mapped[Optional[bool]] = mapped_column()" if mapped else "    legacy_flag = db.Column(db.Boolean)"
        )
    for fk in table.foreign_keys[:1]:
        if fk.column in table.primary_key:
            continue
        target = fk.ref_table.rsplit("_", 1)
        class_name = "".join(p.capitalize() for p in target[0].split("_")) + target[1]
        rel = fk.column[: -len("_id")] if fk.column.endswith("_id") else fk.column + "_ref"
        if mapped:
            lines.append(f'    {rel}: Mapped["{class_name}"] = relationship(foreign_keys=[{fk.column}])')
        else:
            lines.append(f'    {rel} = db.relationship("{class_name}", foreign_keys=[{fk.column}])')
    lines += ["", "    def __repr__(self):", f'        return f"<{table.class_name} {{self.{table.primary_key[0]}}}>"', ""]
    return "\n".join(lines)


def ghost_model_source(number: int) -> str:
    name = f"feature_flag_{number:05d}"
    return "\n".join(
        [
            f'"""A model whose migration never ran: {name} (generated)."""',
            "from sqlalchemy import text",
            "",
            "from app import db",
            "",
            "",
            f"class FeatureFlag{number:05d}(db.Model):",
            f'    __tablename__ = "{name}"',
            "",
            "    id = db.Column(db.Integer, primary_key=True)",
            "    key = db.Column(db.String(80), unique=True, nullable=False)",
            '    enabled = db.Column(db.Boolean, nullable=False, server_default=text("false"))',
            "",
        ]
    )


def route_source(number: int, tables: List[Table], rng: random.Random, planted: List[dict]) -> str:
    lines = [
        f'"""Routes batch {number} (generated by bench/generate_project.py)."""',
        "from datetime import datetime, timedelta",
        "",
        "from flask import Blueprint, abort, jsonify, request",
        "from sqlalchemy import func, select, text",
        "",
        "from app import db",
    ]
    for table in sorted(tables, key=lambda t: t.name):
        lines.append(f"from {module_name(table)} import {table.class_name}")
    lines += ["", f'bp = Blueprint("r_{number:05d}", __name__)', ""]
    for table in tables:
        cls = table.class_name
        pk = table.primary_key[0]
        plain = [c.name for c in table.columns if c.kind in ("varchar", "integer", "boolean", "date") and c.name not in table.primary_key]
        filter_col = plain[0] if plain else pk
        selected = ", ".join([pk] + [c.name for c in table.columns[1:4] if c.name != pk])
        lines += [
            "",
            f'@bp.get("/{table.name}/<int:item_id>")',
            f"def get_{table.name}(item_id):",
            f"    row = db.session.get({cls}, item_id)",
            "    if row is None:",
            "        abort(404)",
            f"    return jsonify(id=row.{pk})",
            "",
            "",
            f'@bp.get("/{table.name}")',
            f"def list_{table.name}():",
            f"    query = {cls}.query",
            f'    if "{filter_col}" in request.args:',
            f'        query = query.filter_by({filter_col}=request.args["{filter_col}"])',
            f"    rows = query.order_by({cls}.{pk}).limit(50).all()",
            f"    return jsonify([r.{pk} for r in rows])",
            "",
            "",
            f'@bp.get("/{table.name}/recent")',
            f"def recent_{table.name}():",
            "    since = datetime.utcnow() - timedelta(days=7)",
            "    rows = db.session.execute(",
            f'        text("SELECT {selected} FROM {table.name} WHERE created_at >= :since ORDER BY {pk} LIMIT 100"),',
            '        {"since": since},',
            "    ).mappings()",
            "    return jsonify([dict(r) for r in rows])",
            "",
            "",
            f'@bp.get("/{table.name}/count")',
            f"def count_{table.name}():",
            f"    stmt = select(func.count()).select_from({cls}).where({cls}.{filter_col}.is_not(None))",
            "    return jsonify(count=db.session.scalar(stmt))",
            "",
        ]
        if rng.random() < 0.02:
            # String-built on purpose: the query- rules must report each one.
            planted.append({"table": table.name, "kind": "string_built_sql", "rule": "query-sql-injection-risk",
                            "file": f"app/routes/r_{number:05d}.py"})
            lines += [
                "",
                f'@bp.get("/{table.name}/search")',
                f"def search_{table.name}():",
                '    term = request.args.get("q", "")',
                f"    sql = \"SELECT {pk} FROM {table.name} WHERE {filter_col}::text LIKE '%\" + term + \"%'\"",
                "    return jsonify([r[0] for r in db.session.execute(text(sql))])",
                "",
            ]
    return "\n".join(lines)


def write(root: str, relative: str, content: str) -> None:
    path = os.path.join(root, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=int, default=10000)
    parser.add_argument("--routes", type=int, default=None, help="route files (default tables / 5)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--drift-rate", type=float, default=0.05, help="share of tables the models change")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    routes = args.routes if args.routes is not None else max(1, args.tables // 5)

    spec = build_spec(args.tables, args.seed)
    drift = Drift(spec, args.drift_rate, args.seed)
    enum_classes = {e.name: e.class_name for e in spec.enums}

    write(args.out, "app/__init__.py", "\n".join([
        '"""Synthetic shop backend (generated by bench/generate_project.py)."""',
        "import os", "", "from flask import Flask", "from flask_sqlalchemy import SQLAlchemy", "",
        "db = SQLAlchemy()", "", "",
        "def create_app():",
        "    app = Flask(__name__)",
        '    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]',
        "    db.init_app(app)",
        "    return app", "",
    ]))
    write(args.out, "app/models/__init__.py", '"""Models live one per module under gNN/."""\n')
    enum_lines = ['"""Enum types shared by the models."""', "import enum", ""]
    enum_drift = []
    for index, enum_type in enumerate(spec.enums):
        labels = list(enum_type.labels)
        if index == 0:
            labels.append("superseded")  # model-enum-mismatch: a label the database lacks
            enum_drift.append({"enum": enum_type.name, "kind": "enum_label", "rule": "model-enum-mismatch", "label": "superseded"})
        enum_lines += ["", f"class {enum_type.class_name}(enum.Enum):"]
        enum_lines += [f'    {label} = "{label}"' for label in labels]
        enum_lines.append("")
    write(args.out, "app/models/enums.py", "\n".join(enum_lines))

    groups = set()
    for table in spec.tables:
        table_drift = drift.get(table)
        groups.add(table.number // 500)
        if table_drift.get("kind") == "missing_model":
            continue
        write(args.out, model_path(table), model_source(table, table_drift, enum_classes))
    for group in sorted(groups):
        write(args.out, f"app/models/g{group:02d}/__init__.py", "")
    ghosts = max(1, args.tables // 500)
    ghost_drift = []
    for number in range(ghosts):
        write(args.out, f"app/models/ghost/feature_flag_{number:05d}.py", ghost_model_source(number))
        ghost_drift.append({"table": f"feature_flag_{number:05d}", "kind": "ghost_model", "rule": "model-table-not-in-database"})
    write(args.out, "app/models/ghost/__init__.py", "")

    rng = random.Random(args.seed + 11)
    # Association tables (composite keys, no created_at) are reached through relationships only.
    mapped_tables = [
        t for t in spec.tables if drift.get(t).get("kind") != "missing_model" and len(t.primary_key) == 1
    ]
    write(args.out, "app/routes/__init__.py", "")
    query_drift: List[dict] = []
    for number in range(routes):
        picked = rng.sample(mapped_tables, min(len(mapped_tables), rng.randint(3, 6)))
        write(args.out, f"app/routes/r_{number:05d}.py", route_source(number, picked, rng, query_drift))

    entries = sorted(drift.by_table.values(), key=lambda d: d["table"]) + ghost_drift + enum_drift + query_drift
    counts: Dict[str, int] = {}
    for entry in entries:
        counts[entry["rule"]] = counts.get(entry["rule"], 0) + 1
    manifest = {"tables": args.tables, "routes": routes, "seed": args.seed, "counts_by_rule": dict(sorted(counts.items())), "drift": entries}
    write(args.out, "drift.json", json.dumps(manifest, indent=1) + "\n")
    files = len(spec.tables) - sum(1 for d in entries if d["kind"] == "missing_model") + ghosts + routes
    print(f"generate_project: {files} model/route files, {len(entries)} deliberate drifts in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
