"""Scoring of one project's runs against the oracle and the seeded drift (see README.md).

A finding is a dict with `rule` and `subject` (`schema`, `table`, `column` or `columns`,
`constraint`), as dbaudit's JSON output has them; alembic's differences are turned into the same
shape by oracle.py, so both tools are scored by the same functions.
"""
import collections
import json
import re

UNREADABLE = "model-unreadable-construct"


def is_model_rule(rule):
    return rule.startswith("model-") and rule != UNREADABLE


def subject_key(finding):
    return (finding.get("rule"), json.dumps(finding.get("subject") or {}, sort_keys=True))


def subject_table(finding):
    subject = finding.get("subject") or {}
    if not subject.get("table"):
        return None
    return f"{subject.get('schema') or 'public'}.{subject['table']}"


def subject_columns(finding):
    subject = finding.get("subject") or {}
    if subject.get("column"):
        return [subject["column"]]
    return list(subject.get("columns") or [])


def matches(finding, drift):
    """Same rule (one of the drift's accepted ids), same table, and the drift's column among the
    finding's columns when the drift names one; an enum drift matches on the type's name.
    (A finding that matches no drift but restates one, see is_consequence, counts as matched for
    precision without being a hit for recall.)"""
    if finding.get("rule") not in drift.get("rules", [drift["rule"]]):
        return False
    subject = finding.get("subject") or {}
    if not drift.get("table"):
        return subject.get("constraint") == drift.get("constraint") and \
            (subject.get("schema") or "public") == drift.get("schema", "public")
    if subject_table(finding) != f"{drift['schema']}.{drift['table']}":
        return False
    if drift.get("column"):
        return drift["column"] in subject_columns(finding)
    return True


def is_consequence(finding, drift):
    """A finding that restates a drift (the indexes of a dropped table): neither a hit nor a
    false positive."""
    if finding.get("rule") not in drift.get("consequences", []):
        return False
    return subject_table(finding) == f"{drift['schema']}.{drift['table']}"


def score(clean, drifted, drifts, excluded_tables=()):
    """Scores model- findings of the clean and drifted runs.

    clean / drifted: lists of findings (None when the run failed).
    Returns a dict: clean_fp, clean_fp_findings, excluded (findings on tables the oracle could
    not create), seeded, found, matched_findings, all_findings, precision, recall, per-drift hits,
    unmatched findings of the drifted run.
    """
    excluded = set(excluded_tables)
    result = {"seeded": len(drifts)}
    if clean is not None:
        clean_model = [f for f in clean if is_model_rule(f.get("rule", ""))]
        result["clean_excluded"] = sum(1 for f in clean_model if subject_table(f) in excluded)
        result["clean_fp_findings"] = [f for f in clean_model if subject_table(f) not in excluded]
        result["clean_fp"] = len(result["clean_fp_findings"])
    if drifted is None:
        return result
    clean_keys = {subject_key(f) for f in (clean or [])}
    model = [f for f in drifted if is_model_rule(f.get("rule", "")) and subject_table(f) not in excluded]
    hits = [False] * len(drifts)
    matched, unmatched = [], []
    for finding in model:
        hit = False
        if subject_key(finding) not in clean_keys:
            for i, drift in enumerate(drifts):
                if matches(finding, drift):
                    hits[i] = True
                    hit = True
                elif is_consequence(finding, drift):
                    hit = True
        (matched if hit else unmatched).append(finding)
    result.update({
        "all_findings": len(model),
        "matched_findings": len(matched),
        "found": sum(hits),
        "hits": hits,
        "unmatched": [f for f in unmatched if subject_key(f) not in clean_keys],
        "precision": (len(matched) / len(model)) if model else None,
        "recall": (sum(hits) / len(drifts)) if drifts else None,
    })
    return result


def count_prefix(findings, prefix):
    return sum(1 for f in findings or [] if f.get("rule", "").startswith(prefix))


def rule_breakdown(findings, examples=3):
    """[(rule, count, [example messages])] for the given findings, most frequent first."""
    by_rule = collections.defaultdict(list)
    for finding in findings:
        by_rule[finding.get("rule")].append(finding)
    rows = []
    for rule, items in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        samples = []
        for finding in items[:examples]:
            location = finding.get("location") or {}
            where = f"{location.get('file')}:{location.get('line')}" if location.get("file") else ""
            samples.append((where, finding.get("message", "")))
        rows.append((rule, len(items), samples))
    return rows


def message_groups(findings, top=10):
    """[(message, count, first location)] of the findings grouped by exact message text, most
    frequent first, at most `top` of them."""
    groups = collections.OrderedDict()
    for finding in findings:
        message = finding.get("message", "")
        location = finding.get("location") or {}
        where = f"{location.get('file')}:{location.get('line')}" if location.get("file") else ""
        if message in groups:
            groups[message][0] += 1
        else:
            groups[message] = [1, where]
    ranked = sorted(groups.items(), key=lambda kv: -kv[1][0])
    return [(message, count, where) for message, (count, where) in ranked[:top]]


def message_shape(message):
    """The message with quoted names and numbers masked, so notes about the same construct on
    different columns group together."""
    shape = re.sub(r"'[^']*'", "'…'", message)
    shape = re.sub(r"`[^`]*`", "`…`", shape)
    return re.sub(r"\b\d+\b", "N", shape)


def shape_groups(findings, top=10):
    """[(shape, count, example message, its location)] grouped by message_shape."""
    groups = collections.OrderedDict()
    for finding in findings:
        message = finding.get("message", "")
        location = finding.get("location") or {}
        where = f"{location.get('file')}:{location.get('line')}" if location.get("file") else ""
        shape = message_shape(message)
        if shape in groups:
            groups[shape][0] += 1
        else:
            groups[shape] = [1, message, where]
    ranked = sorted(groups.items(), key=lambda kv: -kv[1][0])
    return [(shape, count, message, where) for shape, (count, message, where) in ranked[:top]]


def fmt_ratio(value):
    return "–" if value is None else f"{value:.2f}"
