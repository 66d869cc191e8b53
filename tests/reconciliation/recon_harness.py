"""Run the reconciliation models alone against hand-built marts in a temporary DuckDB.

The marts tables are created directly (design.md §2 columns); dbt then builds only
`path:models/reconciliation` and the fx_rates seed, so ref('customers') & co. resolve to
the pre-existing tables. While the canonical-model engineer's marts models do not exist
yet, the project is copied to a temporary folder with placeholder marts models (never
built) so that ref() parses.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from dbt.cli.main import dbtRunner

from q2c import rule_catalogue
from q2c.reconciliation_config import load_recon_config
from q2c.settings import DBT_PROJECT_DIR, RECON_CONFIG_DEFAULT, environment
from tests.dbt.dbt_harness import dbt_path_args
from tests.reconciliation.marts_schema import MARTS

AS_OF = date(2026, 3, 31)
# The columns of a finding, in order: the enforced contract of recon.findings (one list, read
# from the dbt model YAML); the family models list is the catalogue's.
FINDING_COLUMNS = tuple(c.name for c in rule_catalogue.FINDING_COLUMNS)
FAMILY_MODELS = tuple(f.model for f in rule_catalogue.FAMILY_MODELS)
DBT_SECONDS: list[float] = []  # wall time of every dbt invocation of the session


@dataclass
class Marts:
    """Rows per mart table; unspecified columns are NULL."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in MARTS})

    def add(self, table: str, **values: Any) -> dict[str, Any]:
        unknown = set(values) - set(MARTS[table])
        if unknown:
            raise KeyError(f"{table} has no columns {sorted(unknown)}")
        self.rows[table].append(values)
        return values

    def write(self, db_path: Path) -> None:
        with duckdb.connect(str(db_path)) as con:
            for schema in ("marts", "recon", "reference"):
                con.execute(f"drop schema if exists {schema} cascade")
            con.execute("create schema marts")
            for table, columns in MARTS.items():
                ddl = ", ".join(f'"{c}" {t}' for c, t in columns.items())
                con.execute(f"create or replace table marts.{table} ({ddl})")
                names = list(columns)
                rows = [[row.get(c) for c in names] for row in self.rows[table]]
                if rows:
                    placeholders = ", ".join("?" for _ in names)
                    con.executemany(f"insert into marts.{table} values ({placeholders})", rows)


def default_vars(as_of: date = AS_OF) -> dict[str, Any]:
    return load_recon_config(RECON_CONFIG_DEFAULT).dbt_vars(as_of)


def _referenced_marts() -> set[str]:
    names = set()
    for sql in (DBT_PROJECT_DIR / "models" / "reconciliation").glob("*.sql"):
        text = sql.read_text()
        names |= {name for name in MARTS if f"ref('{name}')" in text}
    return names


def project_dir(tmp: Path) -> Path:
    """The real dbt project when it defines every mart we ref, else a copy with placeholders."""
    models = DBT_PROJECT_DIR / "models"
    defined = {p.stem for p in models.rglob("*.sql") if "reconciliation" not in p.parts}
    missing = _referenced_marts() - defined
    if not missing and not os.environ.get("Q2C_RECON_TEST_ISOLATED"):
        return DBT_PROJECT_DIR
    copy = tmp / "dbt_project"
    shutil.copytree(
        DBT_PROJECT_DIR,
        copy,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", "staging", "intermediate", "marts"),
    )
    (copy / "models" / "marts").mkdir(parents=True, exist_ok=True)
    for name in _referenced_marts():
        (copy / "models" / "marts" / f"{name}.sql").write_text("select 1 as placeholder\n")
    tests_dir = copy / "tests"
    if tests_dir.exists():  # singular tests may ref models this copy leaves out
        shutil.rmtree(tests_dir)
    tests_dir.mkdir()
    return copy


@dataclass
class ReconRun:
    findings: list[dict[str, Any]]
    family_rows: dict[str, list[dict[str, Any]]]
    family_columns: dict[str, list[str]]
    findings_columns: list[str]

    def fired(self, rule_prefix: str = "") -> set[tuple[str, str, str]]:
        return {
            (f["rule_id"], f["subject_id"], f["attribute"])
            for f in self.findings
            if f["rule_id"].startswith(rule_prefix)
        }

    def for_subject(self, subject_id: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["subject_id"] == subject_id]

    def one(self, rule_id: str, subject_id: str, attribute: str = "") -> dict[str, Any]:
        rows = [
            f
            for f in self.findings
            if (f["rule_id"], f["subject_id"], f["attribute"]) == (rule_id, subject_id, attribute)
        ]
        assert len(rows) == 1, f"expected one {rule_id} finding for {subject_id}/{attribute!r}, got {rows}"
        return rows[0]


def _target_dir(session_dir: Path, dbt_vars: Mapping[str, Any] | None) -> Path:
    key = hashlib.sha1(json.dumps(dbt_vars, sort_keys=True).encode()).hexdigest()[:10]
    return session_dir / f"target-{key}"


def run_recon(marts: Marts, session_dir: Path, dbt_vars: Mapping[str, Any] | None) -> ReconRun:
    """Write the marts, `dbt build` the reconciliation models, read the findings back.

    session_dir is shared by every run of the test session: dbt re-parses the whole project
    (~10 s) when the profile (the DuckDB path) or the vars change, so all runs use one
    database file and one target folder per set of vars, reusing dbt's partial parse.
    """
    tmp = session_dir
    db_path = session_dir / "warehouse.duckdb"
    marts.write(db_path)
    project = project_dir(session_dir)
    args = [
        "build",
        "--select",
        "path:models/reconciliation",
        "fx_rates",
        *dbt_path_args(tmp, project=project, target=_target_dir(session_dir, dbt_vars)),
        "--quiet",
        "--no-send-anonymous-usage-stats",
    ]
    if dbt_vars is not None:
        args += ["--vars", json.dumps(dict(dbt_vars))]
    with environment({"Q2C_DUCKDB_PATH": str(db_path)}):
        started = time.perf_counter()
        result = dbtRunner().invoke(args)
        DBT_SECONDS.append(time.perf_counter() - started)
    if not result.success:
        failures = []
        for node in getattr(result.result, "results", None) or []:
            if str(node.status) not in ("success", "pass"):
                failures.append(f"{node.node.unique_id}: {node.status}: {node.message}")
        raise AssertionError(f"dbt build failed: {result.exception or ''}\n" + "\n".join(failures))
    with duckdb.connect(str(db_path)) as con:  # dbt-duckdb may still hold it in-process
        family_rows, family_columns = {}, {}
        for model in FAMILY_MODELS:
            rel = con.execute(f"select * from recon.{model}")
            family_columns[model] = [d[0] for d in rel.description]
            family_rows[model] = [dict(zip(family_columns[model], r)) for r in rel.fetchall()]
        rel = con.execute("select * from recon.findings")
        columns = [d[0] for d in rel.description]
        findings = [dict(zip(columns, r)) for r in rel.fetchall()]
    return ReconRun(findings, family_rows, family_columns, columns)


def keys(*triples: Iterable[str]) -> set[tuple[str, str, str]]:
    return {tuple(t) if len(t) == 3 else (t[0], t[1], "") for t in triples}
