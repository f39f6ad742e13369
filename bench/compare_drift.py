#!/usr/bin/env python3
"""Compares the drift generate_project.py planted (drift.json) with what `dbaudit check
--format json` reported, per rule id, as a Markdown table. A sanity check of a bench run,
not a test: the bench measures time, but a run that finds nothing measures nothing.

    compare_drift.py PROJECT/drift.json DBAUDIT_OUTPUT.json
"""
import collections
import json
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as planted_file:
        planted = json.load(planted_file)["counts_by_rule"]
    try:
        with open(sys.argv[2], encoding="utf-8") as found_file:
            findings = json.load(found_file).get("findings", [])
    except (OSError, ValueError) as error:
        print(f"compare_drift: cannot read {sys.argv[2]}: {error}", file=sys.stderr)
        return 1
    found = collections.Counter(f.get("rule_id", f.get("rule", "?")) for f in findings)
    print("| rule id | planted | reported |")
    print("|---|---:|---:|")
    for rule in sorted(set(planted) | set(found)):
        print(f"| {rule} | {planted.get(rule, 0)} | {found.get(rule, 0)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
