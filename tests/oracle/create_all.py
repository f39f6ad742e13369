#!/usr/bin/python3
"""Imports an oracle project's models with the real SQLAlchemy and creates their tables in a
PostgreSQL database, so that the test can ask the server what the models really make.

    create_all.py PROJECT_DIR DSN

PROJECT_DIR holds oracle.json ({"imports": [...], "extensions": [...], "schemas": [...]}); the
extensions and schemas are created first; every module named
there is imported (packages with all their submodules), every MetaData reachable from the
imported modules is created with create_all(). Prints the created tables as JSON.
Debian's python3-sqlalchemy (1.4), python3-flask-sqlalchemy, python3-sqlalchemy-utils and
python3-psycopg2 are enough; nothing is installed from elsewhere.
"""
import importlib
import json
import pkgutil
import sys

import psycopg2
import sqlalchemy


def import_all(name):
    module = importlib.import_module(name)
    yield module
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=name + "."):
        yield importlib.import_module(info.name)


def metadatas_of(modules):
    found = []
    for module in modules:
        for value in list(vars(module).values()):
            candidate = value if isinstance(value, sqlalchemy.MetaData) else getattr(value, "metadata", None)
            if isinstance(candidate, sqlalchemy.MetaData) and all(candidate is not m for m in found):
                found.append(candidate)
    return found


def main():
    project, dsn = sys.argv[1], sys.argv[2]
    with open(f"{project}/oracle.json", encoding="utf-8") as spec_file:
        spec = json.load(spec_file)
    sys.path.insert(0, project)
    modules = [module for name in spec["imports"] for module in import_all(name)]
    engine = sqlalchemy.create_engine("postgresql+psycopg2://", creator=lambda: psycopg2.connect(dsn))
    with engine.begin() as connection:
        for extension in spec.get("extensions", []):
            connection.exec_driver_sql(f'CREATE EXTENSION IF NOT EXISTS "{extension}"')
        for schema in spec.get("schemas", []):
            connection.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    tables = []
    for metadata in metadatas_of(modules):
        metadata.create_all(engine)
        tables.extend(f"{table.schema or 'public'}.{table.name}" for table in metadata.sorted_tables)
    print(json.dumps(sorted(set(tables))))


if __name__ == "__main__":
    main()
