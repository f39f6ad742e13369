"""The synthetic schema both bench generators share.

build_spec(tables, seed) returns the same list of tables every time for the same arguments, so
generate_schema.py (the database) and generate_project.py (the models, with some drift) agree
on everything they do not change on purpose. Bench-only: the product never needs Python.
"""
from __future__ import annotations

import dataclasses
import random
from typing import List, Optional

NOUNS = [
    "account", "address", "invoice", "invoice_line", "payment", "refund", "shipment", "parcel",
    "warehouse", "stock_move", "product", "variant", "price_list", "discount", "coupon", "customer",
    "supplier", "purchase_order", "receipt", "ledger_entry", "tax_rate", "currency_rate", "employee",
    "department", "timesheet", "project", "task", "comment", "attachment", "notification",
    "subscription", "plan", "usage_record", "api_client", "webhook", "audit_event", "session",
    "device", "region", "store", "cart", "cart_item", "review", "rating", "wishlist", "campaign",
    "lead", "contact", "ticket", "message",
]

ENUM_WORDS = [
    "draft", "pending", "active", "paused", "archived", "cancelled", "failed", "done", "open",
    "closed", "approved", "rejected", "queued", "running", "expired",
]

# (column name, kind) pairs a table draws its plain columns from.
COLUMN_POOL = [
    ("name", "varchar"), ("title", "varchar"), ("email", "varchar"), ("description", "text"),
    ("notes", "text"), ("amount", "numeric"), ("quantity", "integer"), ("priority", "integer"),
    ("score", "bigint"), ("is_active", "boolean"), ("is_deleted", "boolean"), ("starts_on", "date"),
    ("ends_on", "date"), ("metadata", "jsonb"), ("settings", "jsonb"), ("external_ref", "varchar"),
    ("country", "varchar"), ("currency", "varchar"), ("phone", "varchar"), ("url", "text"),
    ("weight", "numeric"), ("position", "integer"), ("processed_at", "timestamptz"),
    ("last_seen_at", "timestamptz"), ("version", "integer"),
]

VARCHAR_LENGTHS = [32, 64, 80, 120, 255]
FK_ACTIONS = ["", "CASCADE", "SET NULL", "RESTRICT"]


@dataclasses.dataclass
class Column:
    name: str
    kind: str  # serial, identity, integer, bigint, varchar, text, numeric, boolean, date,
    # timestamptz, jsonb, enum
    length: Optional[int] = None
    nullable: bool = True
    default: Optional[str] = None  # SQL text of the server default, None for none
    enum: Optional[str] = None  # enum type name when kind == "enum"
    comment: Optional[str] = None


@dataclasses.dataclass
class ForeignKey:
    column: str
    ref_table: str
    ref_column: str
    on_delete: str  # "" means NO ACTION


@dataclasses.dataclass
class Index:
    name: str
    columns: List[str]


@dataclasses.dataclass
class Table:
    number: int
    name: str
    class_name: str
    columns: List[Column]
    primary_key: List[str]
    foreign_keys: List[ForeignKey]
    uniques: List[List[str]]
    indexes: List[Index]
    has_trigger: bool
    comment: Optional[str]
    mapped_style: bool  # SQLAlchemy 2.0 Mapped[] style in the generated model

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclasses.dataclass
class EnumType:
    name: str
    class_name: str
    labels: List[str]


@dataclasses.dataclass
class Spec:
    tables: List[Table]
    enums: List[EnumType]


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _enums(count: int, rng: random.Random) -> List[EnumType]:
    result = []
    for k in range(count):
        labels = rng.sample(ENUM_WORDS, rng.randint(3, 6))
        name = f"state_kind_{k:03d}"
        result.append(EnumType(name=name, class_name=_camel(name), labels=labels))
    return result


def _pk_type(table: Table) -> str:
    return "bigint" if table.column(table.primary_key[0]).kind in ("identity", "bigint") else "integer"


def _add_fk(table: Table, target: Table, rng: random.Random, nullable: bool) -> Optional[str]:
    if len(target.primary_key) != 1:
        return None
    base = f"{NOUNS[target.number % len(NOUNS)]}_id"
    name = base if all(c.name != base for c in table.columns) else f"{base}_{target.number}"
    if any(c.name == name for c in table.columns):
        return None
    on_delete = rng.choice(FK_ACTIONS)
    if on_delete == "SET NULL":
        nullable = True
    table.columns.append(Column(name=name, kind=_pk_type(target), nullable=nullable))
    table.foreign_keys.append(ForeignKey(name, target.name, target.primary_key[0], on_delete))
    return name


def _plain_columns(table: Table, enums: List[EnumType], rng: random.Random) -> None:
    for name, kind in rng.sample(COLUMN_POOL, rng.randint(3, 10)):
        column = Column(name=name, kind=kind, nullable=rng.random() < 0.6)
        if kind == "varchar":
            column.length = rng.choice(VARCHAR_LENGTHS)
        elif kind == "boolean":
            column.nullable = False
            column.default = "false"
        elif kind == "integer" and rng.random() < 0.5:
            column.nullable = False
            column.default = "0"
        if rng.random() < 0.1:
            column.comment = f"{name.replace('_', ' ')} of the {table.name.rsplit('_', 1)[0].replace('_', ' ')}"
        table.columns.append(column)
    if enums and rng.random() < 0.3:
        enum = rng.choice(enums)
        table.columns.append(
            Column(name="state", kind="enum", enum=enum.name, nullable=False, default=f"'{enum.labels[0]}'")
        )


def _table(number: int, singles: List[Table], enums: List[EnumType], rng: random.Random) -> Table:
    noun = NOUNS[number % len(NOUNS)]
    name = f"{noun}_{number:05d}"
    table = Table(number, name, _camel(noun) + f"{number:05d}", [], [], [], [], [], False, None,
                  mapped_style=rng.random() < 0.5)
    if len(singles) >= 2 and rng.random() < 0.05:
        # An association table: composite PK of two foreign keys.
        for target in rng.sample(singles[-200:], 2):
            column = _add_fk(table, target, rng, nullable=False)
            if column:
                table.primary_key.append(column)
                table.column(column).nullable = False
                table.foreign_keys[-1].on_delete = "CASCADE"
        if len(table.primary_key) == 2:
            table.has_trigger = False
            return table
        table.columns, table.primary_key, table.foreign_keys = [], [], []
    kind = "identity" if rng.random() < 0.15 else "serial"
    table.columns.append(Column(name="id", kind=kind, nullable=False))
    table.primary_key = ["id"]
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        if singles:
            # Mostly recent tables, like a real schema grows in clusters.
            column = _add_fk(table, rng.choice(singles[-300:]), rng, nullable=rng.random() < 0.3)
            if column and rng.random() < 0.9:
                table.indexes.append(Index(f"ix_{name}_{column}", [column]))
    _plain_columns(table, enums, rng)
    if rng.random() < 0.3:
        table.columns.append(Column(name="code", kind="varchar", length=32, nullable=False))
        table.uniques.append(["code"])
    table.columns.append(Column(name="created_at", kind="timestamptz", nullable=False, default="now()"))
    if rng.random() < 0.5:
        table.columns.append(Column(name="updated_at", kind="timestamptz", nullable=False, default="now()"))
        table.has_trigger = rng.random() < 0.2
    plain = [c.name for c in table.columns if c.kind not in ("serial", "identity", "jsonb", "text") and c.name != "code"]
    if rng.random() < 0.2 and plain:
        column = rng.choice(plain)
        if all(ix.columns != [column] for ix in table.indexes):
            table.indexes.append(Index(f"ix_{name}_{column}", [column]))
    if rng.random() < 0.05 and len(plain) >= 2:
        pair = rng.sample(plain, 2)
        table.indexes.append(Index(f"ix_{name}_{pair[0]}_{pair[1]}", pair))
    if rng.random() < 0.5:
        table.comment = f"{noun.replace('_', ' ').capitalize()} records, partition {number % 97}"
    return table


def build_spec(tables: int, seed: int = 42) -> Spec:
    rng = random.Random(seed)
    enums = _enums(max(3, tables // 200), rng)
    result: List[Table] = []
    singles: List[Table] = []  # tables with a one-column key, the only valid FK targets
    for number in range(tables):
        table = _table(number, singles, enums, random.Random(seed * 1_000_003 + number))
        result.append(table)
        if len(table.primary_key) == 1:
            singles.append(table)
    return Spec(tables=result, enums=enums)


def sql_type(column: Column) -> str:
    return {
        "serial": "serial",
        "identity": "bigint GENERATED BY DEFAULT AS IDENTITY",
        "integer": "integer",
        "bigint": "bigint",
        "varchar": f"varchar({column.length})",
        "text": "text",
        "numeric": "numeric(12, 2)",
        "boolean": "boolean",
        "date": "date",
        "timestamptz": "timestamp with time zone",
        "jsonb": "jsonb",
        "enum": str(column.enum),
    }[column.kind]

