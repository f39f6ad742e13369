#!/usr/bin/env python3
"""Writes a synthetic PostgreSQL schema of N tables as SQL to load into a throwaway cluster.

Tables with serial / identity / composite primary keys, foreign keys with varied ON DELETE,
unique constraints, indexes, enum types, an updated_at trigger on some tables, comments.
The same --tables/--seed give the same SQL; generate_project.py writes models that match it
(apart from the drift it adds on purpose).

    generate_schema.py --tables 10000 --out schema.sql
"""
import argparse
import sys

from synth_spec import Table, build_spec, sql_type


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def column_sql(table: Table, column) -> str:
    parts = [f"    {column.name} {sql_type(column)}"]
    if column.default is not None:
        default = column.default
        if column.kind == "enum":
            default = f"{default}::{column.enum}"
        parts.append(f"DEFAULT {default}")
    if not column.nullable and column.kind not in ("serial", "identity"):
        parts.append("NOT NULL")
    return " ".join(parts)


def table_sql(table: Table) -> str:
    lines = [column_sql(table, c) for c in table.columns]
    lines.append(f"    CONSTRAINT {table.name}_pkey PRIMARY KEY ({', '.join(table.primary_key)})")
    for unique in table.uniques:
        lines.append(f"    CONSTRAINT uq_{table.name}_{'_'.join(unique)} UNIQUE ({', '.join(unique)})")
    out = [f"CREATE TABLE {table.name} (\n" + ",\n".join(lines) + "\n);"]
    for fk in table.foreign_keys:
        action = f" ON DELETE {fk.on_delete}" if fk.on_delete else ""
        out.append(
            f"ALTER TABLE {table.name} ADD CONSTRAINT fk_{table.name}_{fk.column} FOREIGN KEY ({fk.column}) "
            f"REFERENCES {fk.ref_table} ({fk.ref_column}){action};"
        )
    for index in table.indexes:
        out.append(f"CREATE INDEX {index.name} ON {table.name} ({', '.join(index.columns)});")
    if table.has_trigger:
        out.append(
            f"CREATE TRIGGER {table.name}_set_updated_at BEFORE UPDATE ON {table.name} "
            "FOR EACH ROW EXECUTE FUNCTION set_updated_at();"
        )
    if table.comment:
        out.append(f"COMMENT ON TABLE {table.name} IS {quote(table.comment)};")
    for column in table.columns:
        if column.comment:
            out.append(f"COMMENT ON COLUMN {table.name}.{column.name} IS {quote(column.comment)};")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default="-", help="output file, - for stdout")
    args = parser.parse_args()

    spec = build_spec(args.tables, args.seed)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    out.write(f"-- Synthetic schema: {args.tables} tables, seed {args.seed} (bench/generate_schema.py)\n")
    out.write("SET client_min_messages = warning;\n\n")
    for enum in spec.enums:
        labels = ", ".join(quote(label) for label in enum.labels)
        out.write(f"CREATE TYPE {enum.name} AS ENUM ({labels});\n")
    out.write(
        "\nCREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n    NEW.updated_at := now();\n    RETURN NEW;\nEND;\n$$;\n\n"
    )
    out.write("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);\n\n")
    for table in spec.tables:
        out.write(table_sql(table))
        out.write("\n")
    if out is not sys.stdout:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
