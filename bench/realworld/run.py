#!/usr/bin/env python3
"""Accuracy of dbaudit on real projects: the models of a pinned open-source project are imported
by SQLAlchemy itself (the oracle), the resulting schema is created in a throwaway PostgreSQL,
then seeded with known drift; dbaudit is scored on the clean schema (every model- finding is a
false positive there) and on the drifted one (precision and recall against the seeded drift),
with alembic's autogenerate comparison scored the same way beside it.

    bench/realworld/run.py [--dbaudit build/dbaudit] [--baseline OLD_DBAUDIT] [--out FILE] [NAME ...]

NAME is a manifest under bench/realworld/projects/ (NAME.json); default: all of them. See
README.md for the manifest format and what each column of the result table means. Checkouts,
databases dumps, raw outputs and per-project reports go under --corpus (default /work/corpus).
With --baseline, a second dbaudit binary ("before") is scored beside --dbaudit ("after") on the
same oracle and the same drift, and the combined table shows both (before→after).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import drift as drift_mod  # noqa: E402
import metrics  # noqa: E402
from pgcluster import Cluster  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, matching the side environments' packages


def log(message):
    print(f"[realworld] {message}", file=sys.stderr, flush=True)


# ---- inputs -----------------------------------------------------------------------------------

def load_manifests(projects_dir, names):
    """Returns (manifests, broken): broken is [(name, error)] for manifests that cannot be read or
    lack a key; they are reported as failed projects instead of stopping the whole run."""
    manifests, broken = [], []
    available = sorted(f[:-5] for f in os.listdir(projects_dir) if f.endswith(".json"))
    for name in names or available:
        path = os.path.join(projects_dir, name if name.endswith(".json") else name + ".json")
        if not os.path.exists(path):
            raise SystemExit(f"run.py: no manifest {path} (available: {', '.join(available)})")
        label = os.path.basename(path)[:-5]
        try:
            with open(path, encoding="utf-8") as handle:
                manifest = json.load(handle)
        except ValueError as error:
            broken.append((label, f"manifest {path} is not valid JSON: {error}"))
            continue
        lacking = [key for key in ("name", "repo", "commit", "sqlalchemy", "imports", "models_dir")
                   if key not in manifest]
        if lacking:
            broken.append((label, f"manifest {path} lacks {', '.join(lacking)}"))
        elif manifest["sqlalchemy"] not in ("1.4", "2.0"):
            broken.append((label, f"manifest {path}: sqlalchemy must be \"1.4\" or \"2.0\""))
        else:
            manifests.append(manifest)
    return manifests, broken


def checkout(manifest, mirrors, src_root):
    """Extracts the pinned commit from the git mirror into src_root/NAME (once per commit).

    Reads blob by blob, so files the mirror lacks (large files are left out of mirrors) are
    skipped and listed instead of failing the whole extraction."""
    name, commit = manifest["name"], manifest["commit"]
    target = os.path.join(src_root, name)
    stamp = os.path.join(src_root, f".{name}.commit")
    missing_list = os.path.join(src_root, f".{name}.missing.json")
    if os.path.isdir(target) and os.path.exists(stamp) and open(stamp).read().strip() == commit:
        try:
            with open(missing_list, encoding="utf-8") as handle:
                return target, json.load(handle)
        except (OSError, ValueError):
            return target, []
    git_dir = os.path.join(mirrors, manifest["repo"].replace("/", "+"), "repo")
    if not os.path.isdir(git_dir):
        raise RuntimeError(f"no git mirror of {manifest['repo']} at {git_dir}: fetch github:{manifest['repo']} first")
    subprocess.run(["rm", "-rf", target], check=True)
    os.makedirs(target)
    listing = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", "--full-tree", commit],
                             check=True, capture_output=True).stdout.split(b"\0")
    entries = []
    for line in listing:
        if not line:
            continue
        meta, path = line.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob":
            entries.append((mode.decode(), sha.decode(), path.decode("utf-8", "surrogateescape")))
    missing = []
    cat = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE)
    for mode, sha, path in entries:
        cat.stdin.write(sha.encode() + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            missing.append(path)
            continue
        data = cat.stdout.read(int(header[2]))
        cat.stdout.read(1)
        full = os.path.join(target, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if mode == "120000":
            try:
                os.symlink(data.decode("utf-8", "surrogateescape"), full)
            except OSError:
                missing.append(path)
            continue
        with open(full, "wb") as out:
            out.write(data)
        if mode == "100755":
            os.chmod(full, 0o755)
    cat.stdin.close()
    cat.wait()
    with open(missing_list, "w", encoding="utf-8") as out:
        json.dump(missing, out)
    with open(stamp, "w") as out:
        out.write(commit + "\n")
    return target, missing


def pyenv(corpus, projects_dir):
    """Runs pyenv.sh (idempotent); returns {"1.4": dist-packages, "2.0": dist-packages}.

    The extra Debian packages of every manifest in projects_dir (not only the selected ones, so
    the environments do not change with the selection) are passed on."""
    extra = {"bookworm": set(), "trixie": set()}
    for filename in sorted(os.listdir(projects_dir)):
        if filename.endswith(".json"):
            try:
                with open(os.path.join(projects_dir, filename), encoding="utf-8") as handle:
                    packages = json.load(handle).get("debian_packages") or {}
            except ValueError:
                continue  # a broken manifest is reported by load_manifests
            for suite in extra:
                extra[suite].update(packages.get(suite, []))
    env = dict(os.environ, EXTRA_BOOKWORM=" ".join(sorted(extra["bookworm"])),
               EXTRA_TRIXIE=" ".join(sorted(extra["trixie"])))
    proc = subprocess.run(["bash", os.path.join(HERE, "pyenv.sh"), corpus], capture_output=True, text=True,
                          env=env)
    if proc.returncode != 0:
        raise SystemExit(f"run.py: pyenv.sh failed:\n{proc.stderr}")
    return {"1.4": os.path.join(corpus, "py-1.4", "dist-packages"),
            "2.0": os.path.join(corpus, "py-2.0", "dist-packages")}


def snapshot_binary(binary, copy_path, wait_seconds=1200):
    """Copies the dbaudit binary once it exists and has stopped changing, so every run of this
    harness uses one and the same build even while a new one is being linked."""
    deadline = time.monotonic() + wait_seconds
    last = None
    while True:
        try:
            stat = os.stat(binary)
            state = (stat.st_size, stat.st_mtime)
        except OSError:
            state = None
        if state and state == last and os.access(binary, os.X_OK):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"run.py: no stable dbaudit binary at {binary} after {wait_seconds} s")
        if state is None:
            log(f"waiting for {binary} to exist")
        last = state
        time.sleep(3)
    shutil.copy2(binary, copy_path + ".tmp")
    os.replace(copy_path + ".tmp", copy_path)
    return copy_path


def run_oracle(command, job, job_path, env_path, log_path, timeout=900):
    with open(job_path, "w", encoding="utf-8") as out:
        json.dump(job, out, indent=1)
    env = dict(os.environ)
    env["PYTHONPATH"] = env_path
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONHOME", None)
    with open(log_path, "w", encoding="utf-8") as log_file:
        proc = subprocess.run([SYSTEM_PYTHON, os.path.join(HERE, "oracle.py"), command, job_path],
                              stdout=log_file, stderr=subprocess.STDOUT, timeout=timeout,
                              cwd=job["checkout"], env=env)
    return proc.returncode


def run_dbaudit(binary, checkout, target, dump, out_path):
    """One `dbaudit check`; returns {exit, seconds, findings (None if no report), stderr, raw}."""
    started = time.monotonic()
    try:
        proc = subprocess.run([binary, "check", target, "--schema-sql", dump, "--format", "json", "--no-env",
                               "--project-root", ".", "-o", out_path],
                              cwd=checkout, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as error:
        return {"exit": "none", "seconds": round(time.monotonic() - started, 2), "stderr": str(error),
                "findings": None, "model_tables": None}
    seconds = time.monotonic() - started
    result = {"exit": proc.returncode, "seconds": round(seconds, 2), "stderr": proc.stderr.strip()[:2000],
              "findings": None, "model_tables": None}
    if proc.returncode in (0, 1) and os.path.exists(out_path):
        try:
            with open(out_path, encoding="utf-8") as handle:
                report = json.load(handle)
            result["findings"] = report.get("findings", [])
            result["model_tables"] = report.get("model_tables")
        except ValueError as error:
            result["stderr"] = f"unreadable JSON report: {error}\n" + result["stderr"]
    return result


# ---- one project ------------------------------------------------------------------------------

def run_project(manifest, args, envs, cluster):
    name = manifest["name"]
    out_dir = os.path.join(args.corpus, "out", name)
    os.makedirs(out_dir, exist_ok=True)
    summary = {"name": name, "repo": manifest["repo"], "commit": manifest["commit"], "rows": [], "errors": []}

    src, missing = checkout(manifest, args.mirrors, os.path.join(args.corpus, "src"))
    summary["missing_files"] = missing
    models_dir = manifest["models_dir"]
    if not os.path.exists(os.path.join(src, models_dir)):
        summary["errors"].append(f"models_dir {models_dir} does not exist in the checkout")

    # 1. oracle: import, create_all, dump
    clean_db, drift_db = f"rw_{name}_clean", f"rw_{name}_drift"
    cluster.create_database(clean_db)
    env_path = envs[manifest["sqlalchemy"]]
    oracle_path = os.path.join(out_dir, "oracle.json")
    job = {"manifest": manifest, "checkout": src, "host": cluster.host, "port": cluster.port,
           "dbname": clean_db, "out": oracle_path}
    if os.path.exists(oracle_path):
        os.remove(oracle_path)
    log(f"{name}: importing the models (SQLAlchemy {manifest['sqlalchemy']})")
    code = run_oracle("create", job, os.path.join(out_dir, "oracle-job.json"), env_path,
                      os.path.join(out_dir, "oracle.log"))
    if code != 0 or not os.path.exists(oracle_path):
        tail = open(os.path.join(out_dir, "oracle.log"), encoding="utf-8", errors="replace").read()[-3000:]
        summary["errors"].append(f"oracle failed (exit {code}):\n{tail}")
        return summary
    with open(oracle_path, encoding="utf-8") as handle:
        oracle = json.load(handle)
    summary["oracle"] = {k: oracle.get(k) for k in ("sqlalchemy", "import_errors", "excluded_tables",
                                                    "extensions", "extension_errors", "create_all_error")}
    summary["oracle"]["tables"] = len(oracle["tables"])
    summary["oracle"]["stubs"] = len(oracle.get("stubs", []))
    if not oracle["tables"]:
        summary["errors"].append("the oracle created no table (see oracle.json)")
    clean_sql = os.path.join(out_dir, "clean.sql")
    cluster.pg_dump(clean_db, clean_sql)

    # 2. seeded drift
    catalog = drift_mod.read_catalog(cluster, clean_db)
    planned = drift_mod.Planner(name, catalog, oracle["tables"], target=args.drifts).plan()
    cluster.create_database(drift_db, template=clean_db)
    applied, failed = drift_mod.apply(cluster, drift_db, planned)
    drift_sql = os.path.join(out_dir, "drift.sql")
    cluster.pg_dump(drift_db, drift_sql)
    with open(os.path.join(out_dir, "drift.json"), "w", encoding="utf-8") as out:
        json.dump({"project": name, "drifts": applied, "failed": failed}, out, indent=1)
        out.write("\n")
    summary["drift_failed"] = failed
    log(f"{name}: {len(oracle['tables'])} tables, {len(applied)} drifts applied ({len(failed)} failed)")

    # 3. dbaudit, 4 runs per binary (binary label None: the single-binary file names)
    targets = [("root", "."), ("models", models_dir)]
    runs_by_binary = {}
    for binary_label, binary in args.binaries:
        prefix = "dbaudit" if binary_label is None else f"dbaudit-{binary_label}"
        runs = runs_by_binary[binary_label] = {}
        for label, target in targets:
            for db_label, dump in (("clean", clean_sql), ("drift", drift_sql)):
                out_path = os.path.join(out_dir, f"{prefix}-{db_label}-{label}.json")
                if os.path.exists(out_path):
                    os.remove(out_path)
                result = run_dbaudit(binary, src, target, dump, out_path)
                runs[(db_label, label)] = result
                if result["exit"] not in (0, 1):
                    summary["errors"].append(f"{prefix} {db_label}/{label} exit {result['exit']}: "
                                             f"{result['stderr'][:500]}")

    # 4. alembic
    alembic = None
    if not args.no_alembic:
        alembic_path = os.path.join(out_dir, "alembic.json")
        job = {"manifest": manifest, "checkout": src, "host": cluster.host, "port": cluster.port,
               "databases": {"clean": clean_db, "drift": drift_db}, "out": alembic_path,
               "excluded_tables": [e["table"] for e in oracle.get("excluded_tables", [])]}
        if os.path.exists(alembic_path):
            os.remove(alembic_path)
        code = run_oracle("alembic", job, os.path.join(out_dir, "alembic-job.json"), env_path,
                          os.path.join(out_dir, "alembic.log"))
        if code == 0 and os.path.exists(alembic_path):
            with open(alembic_path, encoding="utf-8") as handle:
                alembic = json.load(handle)
            for label in ("clean", "drift"):
                if alembic["results"][label]["error"]:
                    summary["errors"].append(f"alembic {label}: {alembic['results'][label]['error']}")
        else:
            summary["errors"].append(f"alembic comparison failed (exit {code}), see alembic.log")

    # 5. metrics
    excluded = [e["table"] for e in oracle.get("excluded_tables", [])]
    oracle_tables = set(oracle["tables"])
    alembic_score = None
    if alembic and not alembic["results"]["drift"]["error"] and not alembic["results"]["clean"]["error"]:
        alembic_score = metrics.score(alembic["results"]["clean"]["findings"],
                                      alembic["results"]["drift"]["findings"], applied, excluded)
    for binary_label, _ in args.binaries:
        rows = score_runs(runs_by_binary[binary_label], targets, applied, excluded, oracle_tables, alembic_score)
        if binary_label == "before":
            summary["baseline_rows"] = rows
        else:
            summary["rows"] = rows
    summary["drifts"] = applied
    if alembic_score:
        summary["alembic_unmatched"] = alembic_score.get("unmatched", [])
        summary["alembic_clean_findings"] = alembic_score.get("clean_fp_findings", [])
    write_project_report(summary, oracle, out_dir)
    return summary


def score_runs(runs, targets, applied, excluded, oracle_tables, alembic_score):
    """One result-table row per target for one binary's four runs."""
    rows = []
    for label, _ in targets:
        clean, drifted = runs[("clean", label)], runs[("drift", label)]
        scored = metrics.score(clean["findings"], drifted["findings"], applied, excluded)
        if clean["model_tables"] is not None:
            read_tables = set(clean["model_tables"]) & oracle_tables
            read_source = "model_tables"
            extra_tables = sorted(set(clean["model_tables"]) - oracle_tables)
        elif clean["findings"] is not None:
            not_in_models = {metrics.subject_table(f) for f in clean["findings"]
                             if f.get("rule") == "model-table-not-in-models"}
            read_tables = oracle_tables - not_in_models
            if applied and not any(f.get("rule", "").startswith("model-")
                                   for f in clean["findings"] + (drifted["findings"] or [])):
                # no model- finding even on the drifted schema: an older binary that read no model
                # skips the comparison altogether (it does not report every table as not in models)
                read_tables = set()
            read_source = "estimated"
            extra_tables = []
        else:
            read_tables, read_source, extra_tables = None, "run failed", []
        clean_all = clean["findings"] or []
        row = {
            "target": label, "target_path": dict(targets)[label],
            "oracle_tables": len(oracle_tables),
            "read": None if read_tables is None else len(read_tables),
            "read_source": read_source, "not_read": sorted(oracle_tables - read_tables) if read_tables is not None else [],
            "extra_model_tables": extra_tables,
            "clean_fp": scored.get("clean_fp"),
            "clean_excluded": scored.get("clean_excluded"),
            "unreadable": metrics.count_prefix(clean_all, metrics.UNREADABLE),
            "timestamp": metrics.count_prefix(clean_all, "timestamp-"),
            "schema": metrics.count_prefix(clean_all, "schema-"),
            "syntax_errors": metrics.count_prefix(clean_all, "input-python-syntax-error"),
            "seeded": len(applied),
            "found": scored.get("found"),
            "precision": scored.get("precision"),
            "recall": scored.get("recall"),
            "exits": f"{clean['exit']}/{drifted['exit']}",
            "seconds": [clean["seconds"], drifted["seconds"]],
            "hits": scored.get("hits"),
            "clean_fp_findings": scored.get("clean_fp_findings", []),
            "drift_unmatched": scored.get("unmatched", []),
            "unreadable_findings": [f for f in clean_all if f.get("rule") == metrics.UNREADABLE],
        }
        if alembic_score:
            row.update({"alembic_clean": alembic_score.get("clean_fp"), "alembic_found": alembic_score.get("found"),
                        "alembic_precision": alembic_score.get("precision"),
                        "alembic_recall": alembic_score.get("recall"), "alembic_hits": alembic_score.get("hits")})
        rows.append(row)
    return rows


# ---- reports ----------------------------------------------------------------------------------

TABLE_HEAD = ("| project | target | oracle tables | read | clean FP | unreadable notes | seeded | found | "
              "precision | recall | exit codes | alembic clean | alembic found | alembic precision | alembic recall |\n"
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")


def table_rows(summary):
    lines = []
    if not summary["rows"]:
        lines.append(f"| {summary['name']} | – | – | – | – | – | – | – | – | – | failed | – | – | – | – |")
    for row in summary["rows"]:
        def cell(key):
            value = row.get(key)
            return "–" if value is None else str(value)
        read = "–" if row["read"] is None else f"{row['read']}/{row['oracle_tables']}" + (
            "" if row["read_source"] == "model_tables" else " (est.)")
        lines.append(" | ".join([
            f"| {summary['name']}", row["target"], str(row["oracle_tables"]), read, cell("clean_fp"),
            cell("unreadable"), cell("seeded"), cell("found"), metrics.fmt_ratio(row.get("precision")),
            metrics.fmt_ratio(row.get("recall")), row["exits"], cell("alembic_clean"), cell("alembic_found"),
            metrics.fmt_ratio(row.get("alembic_precision")), metrics.fmt_ratio(row.get("alembic_recall")) + " |"]))
    return lines


COMPARE_HEAD = ("| project | target | oracle tables | read b→a | clean FP b→a | unreadable notes b→a | seeded | "
                "precision b→a | recall b→a | exit codes b→a | alembic precision | alembic recall |\n"
                "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")


def compare_rows(summary):
    """Rows of the before→after table: each cell is the baseline's value → the new binary's."""
    rows, before_rows = summary.get("rows") or [], summary.get("baseline_rows") or []
    if not rows and not before_rows:
        return [f"| {summary['name']} | – | – | – | – | – | – | – | – | failed | – | – |"]
    before_by_target = {r["target"]: r for r in before_rows}
    lines = []
    for row in rows or before_rows:
        before = before_by_target.get(row["target"], {})

        def pair(key, fmt=lambda v: "–" if v is None else str(v)):
            return f"{fmt(before.get(key))}→{fmt(row.get(key))}"

        def read_cell(r):
            if r.get("read") is None:
                return "–"
            return str(r["read"]) + ("" if r.get("read_source") == "model_tables" else " (est.)")
        lines.append(" | ".join([
            f"| {summary['name']}", row["target"], str(row["oracle_tables"]),
            f"{read_cell(before)}→{read_cell(row)}", pair("clean_fp"), pair("unreadable"), str(row.get("seeded", "–")),
            pair("precision", metrics.fmt_ratio), pair("recall", metrics.fmt_ratio),
            f"{before.get('exits', '–')}→{row.get('exits', '–')}",
            metrics.fmt_ratio(row.get("alembic_precision")), metrics.fmt_ratio(row.get("alembic_recall")) + " |"]))
    return lines


def md_escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_project_report(summary, oracle, out_dir):
    lines = [f"# {summary['name']} ({summary['repo']} @ {summary['commit'][:12]})", ""]
    comparing = "baseline_rows" in summary
    if comparing:
        lines += ["Before (`--baseline`) → after (`--dbaudit`):", "", COMPARE_HEAD] + compare_rows(summary) + [""]
        lines += ["The after binary (this table and every section below):", ""]
    lines += [TABLE_HEAD] + table_rows(summary) + [""]
    lines.append(f"SQLAlchemy {oracle.get('sqlalchemy')}; {len(oracle['tables'])} tables created by the oracle; "
                 f"{len(oracle.get('stubs', []))} stubs; extensions: {', '.join(oracle.get('extensions') or []) or 'none'}.")
    if summary.get("missing_files"):
        lines.append(f"Files the git mirror lacks (skipped in the checkout): {', '.join(summary['missing_files'][:20])}.")
    lines.append("")
    if summary["errors"]:
        lines += ["## Errors", ""] + [f"- {md_escape(e)}" for e in summary["errors"]] + [""]
    if oracle.get("import_errors") or oracle.get("excluded_tables") or oracle.get("extension_errors"):
        lines += ["## Oracle problems", ""]
        for e in oracle.get("import_errors", []):
            lines.append(f"- import {e['module']}: {md_escape(e['error'])}")
        for e in oracle.get("excluded_tables", []):
            lines.append(f"- table {e['table']} not created (left out of the scoring): {md_escape(e['error'])}")
        for e in oracle.get("extension_errors", []):
            lines.append(f"- extension {md_escape(e)}")
        lines.append("")
    if oracle.get("stubs"):
        lines += ["## Stubbed", ""] + [f"- {s['kind']} `{s['name']}`: {s['reason']}" for s in oracle["stubs"]] + [""]
    for row in summary["rows"]:
        lines += [f"## Target `{row['target_path']}`", ""]
        lines.append(f"Also on the clean schema: {row['timestamp']} timestamp- findings, {row['schema']} schema- findings, "
                     f"{row['syntax_errors']} input-python-syntax-error, {row['clean_excluded'] or 0} model- findings on "
                     f"tables the oracle could not create. Run time clean/drift: {row['seconds'][0]} s / {row['seconds'][1]} s.")
        lines.append("")
        if row["not_read"]:
            lines.append(f"Oracle tables not read ({len(row['not_read'])}): " + ", ".join(row["not_read"][:60]))
            lines.append("")
        if row["extra_model_tables"]:
            lines.append(f"Model tables the oracle does not have ({len(row['extra_model_tables'])}): "
                         + ", ".join(row["extra_model_tables"][:60]))
            lines.append("")
        if comparing:
            before = {r["target"]: r for r in summary["baseline_rows"]}.get(row["target"])
            if before and before.get("read") is not None and row.get("read") is not None:
                newly_read = sorted(set(before["not_read"]) - set(row["not_read"]))
                no_longer = sorted(set(row["not_read"]) - set(before["not_read"]))
                if newly_read:
                    lines += [f"Read now, not before ({len(newly_read)}): " + ", ".join(newly_read[:60]), ""]
                if no_longer:
                    lines += [f"Read before, not now ({len(no_longer)}): " + ", ".join(no_longer[:60]), ""]
        breakdown = metrics.rule_breakdown(row["clean_fp_findings"])
        if breakdown:
            lines += ["### Clean false positives by rule", "", "| rule | count | examples |", "|---|---:|---|"]
            for rule, count, samples in breakdown:
                examples = "<br>".join(f"`{md_escape(w)}` {md_escape(m)}" for w, m in samples)
                lines.append(f"| {rule} | {count} | {examples} |")
            lines.append("")
        unreadable = row.get("unreadable_findings") or []
        if unreadable:
            groups = metrics.message_groups(unreadable, top=10)
            lines += [f"### Unreadable-construct notes ({len(unreadable)}; top {len(groups)} messages)", "",
                      "| count | message | first at |", "|---:|---|---|"]
            for message, count, where in groups:
                lines.append(f"| {count} | {md_escape(message)} | `{md_escape(where)}` |")
            lines.append("")
            shapes = metrics.shape_groups(unreadable, top=10)
            if len(shapes) < len({f.get("message") for f in unreadable}):
                lines += ["The same notes by shape (quoted names and numbers masked):", "",
                          "| count | shape | example | at |", "|---:|---|---|---|"]
                for shape, count, message, where in shapes:
                    lines.append(f"| {count} | {md_escape(shape)} | {md_escape(message)} | `{md_escape(where)}` |")
                lines.append("")
        if row["drift_unmatched"]:
            lines += ["### Drifted run: model- findings matching no seeded drift (and not on the clean run)", ""]
            for f in row["drift_unmatched"][:30]:
                lines.append(f"- {f['rule']}: {md_escape(f.get('message', ''))}")
            lines.append("")
    if summary.get("drifts"):
        before_rows = {r["target"]: r for r in summary.get("baseline_rows") or []}
        heads = ("before root | before models | after root | after models", ":-:|:-:|:-:|:-:") if comparing \
            else ("dbaudit root | dbaudit models", ":-:|:-:")
        lines += ["## Seeded drift", "", f"| # | kind | expected rule | subject | {heads[0]} | alembic | change |",
                  f"|---:|---|---|---|{heads[1]}|:-:|---|"]
        rows = {r["target"]: r for r in summary["rows"]}
        for i, d in enumerate(summary["drifts"]):
            subj = d.get("table") or d.get("constraint")
            if d.get("column"):
                subj += f".{d['column']}"

            def mark(row, key="hits"):
                if not row or row.get(key) is None:
                    return "–"
                return "yes" if row[key][i] else "**no**"
            before_marks = f"{mark(before_rows.get('root'))} | {mark(before_rows.get('models'))} | " if comparing else ""
            lines.append(f"| {i + 1} | {d['kind']} | {d['rule']} | {md_escape(subj)} | {before_marks}{mark(rows.get('root'))} | "
                         f"{mark(rows.get('models'))} | {mark(rows.get('root'), 'alembic_hits')} | {md_escape(d['description'])} |")
        lines.append("")
    if summary.get("drift_failed"):
        lines += ["Drifts that could not be applied:", ""]
        lines += [f"- {d['kind']} {md_escape(d['description'])}: {md_escape(d['error'])}" for d in summary["drift_failed"]]
        lines.append("")
    if summary.get("alembic_clean_findings"):
        lines += ["## alembic on the clean schema", ""]
        lines += [f"- {f['rule']} {md_escape(json.dumps(f['subject']))}: {md_escape(f.get('message', ''))}"
                  for f in summary["alembic_clean_findings"][:30]]
        lines.append("")
    with open(os.path.join(out_dir, "report.md"), "w", encoding="utf-8") as out:
        out.write("\n".join(lines))
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as out:
        json.dump(summary, out, indent=1, default=str)  # rows keep every finding scored
        out.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="manifest names (default: all)")
    parser.add_argument("--dbaudit", default=os.path.join(REPO, "build", "dbaudit"),
                        help="dbaudit binary (\"after\" when --baseline is given)")
    parser.add_argument("--baseline", help="a second dbaudit binary (\"before\"), scored on the same oracle and "
                                           "drift; raw outputs dbaudit-before-*.json beside dbaudit-after-*.json")
    parser.add_argument("--corpus", default=os.environ.get("DBAUDIT_CORPUS", "/work/corpus"),
                        help="where checkouts, environments and outputs go (default /work/corpus)")
    parser.add_argument("--mirrors", default="/work/.mirror", help="folder of git mirrors, OWNER+NAME/repo")
    parser.add_argument("--projects", default=os.path.join(HERE, "projects"), help="folder of manifests")
    parser.add_argument("--out", help="also write the combined Markdown results here")
    parser.add_argument("--drifts", type=int, default=15, help="drifts to seed per project (default 15)")
    parser.add_argument("--no-alembic", action="store_true", help="skip the alembic comparison")
    parser.add_argument("--port", type=int, default=54337, help="port number of the throwaway cluster's socket")
    args = parser.parse_args()
    out_root = os.path.join(args.corpus, "out")
    os.makedirs(out_root, exist_ok=True)
    # (label, snapshot): label None keeps the single-binary file names (dbaudit-clean-root.json)
    sources = [("before", os.path.abspath(args.baseline)), ("after", os.path.abspath(args.dbaudit))] \
        if args.baseline else [(None, os.path.abspath(args.dbaudit))]
    args.binaries = [(label, snapshot_binary(path, os.path.join(
        out_root, f".dbaudit-{label or 'under-test'}.{os.getpid()}"))) for label, path in sources]

    manifests, broken = load_manifests(args.projects, args.names)
    log("preparing the side Python environments (pyenv.sh)")
    envs = pyenv(args.corpus, args.projects)
    summaries = [{"name": name, "rows": [], "errors": [error]} for name, error in broken]
    for name, error in broken:
        log(f"{name}: skipped: {error}")
    cluster = Cluster(port=args.port)
    cluster.start()
    try:
        for manifest in manifests:
            started = time.monotonic()
            try:
                summaries.append(run_project(manifest, args, envs, cluster))
            except Exception as error:  # one project's failure never stops the others
                import traceback
                summaries.append({"name": manifest["name"], "rows": [], "errors": [traceback.format_exc()]})
                log(f"{manifest['name']}: failed: {error}")
            log(f"{manifest['name']}: done in {time.monotonic() - started:.0f} s")
    finally:
        cluster.stop()
        for _, snapshot in args.binaries:
            if os.path.exists(snapshot):
                os.remove(snapshot)

    summaries.sort(key=lambda s: s["name"])
    if args.baseline:
        lines = ["# dbaudit on real projects: before → after", "",
                 f"before (`--baseline`): `{sources[0][1]}`; after (`--dbaudit`): `{sources[1][1]}`. "
                 "Same oracle and same seeded drift for both; each cell is before→after.", "", COMPARE_HEAD]
        for summary in summaries:
            lines += compare_rows(summary)
    else:
        lines = ["# dbaudit on real projects", "", f"dbaudit: `{sources[0][1]}`", "", TABLE_HEAD]
        for summary in summaries:
            lines += table_rows(summary)
    lines.append("")
    for summary in summaries:
        if summary["errors"]:
            lines.append(f"- **{summary['name']}**: " + "; ".join(md_escape(e)[:300] for e in summary["errors"]))
    lines.append("")
    lines.append(f"Per-project reports: {os.path.join(args.corpus, 'out', '<name>', 'report.md')}")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text)
    bulky = ("clean_fp_findings", "drift_unmatched", "unreadable_findings")

    def slim(rows):
        return [{k: v for k, v in r.items() if k not in bulky} for r in rows]
    with open(os.path.join(args.corpus, "out", "results.json"), "w", encoding="utf-8") as out:
        json.dump([{k: v for k, v in s.items() if k not in ("rows", "baseline_rows")} | {"rows": slim(s.get("rows", []))}
                   | ({"baseline_rows": slim(s["baseline_rows"])} if "baseline_rows" in s else {})
                   for s in summaries], out, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
