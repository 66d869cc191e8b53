"""Run the real pipeline on a landing folder: dlt landing of every system, then one `dbt build`
of the whole project with the reconciliation config's vars, and read recon.findings back.

The as-of date is the date (UTC) of the newest batch's extracted_at, read from the
manifests the scenario wrote, as the rule catalogue defines it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
from dbt.cli.main import dbtRunner

from ingestion.landing import land_all
from q2c.reconciliation_config import load_recon_config
from q2c.settings import RECON_CONFIG_DEFAULT, environment, settings_for
from tests.dbt.dbt_harness import dbt_path_args

FindingKey = tuple[str, str, str, str]  # rule_id, subject_type, subject_id, attribute


@dataclass
class PipelineRun:
    as_of: date
    findings: list[dict[str, Any]]
    landing_problems: list[str]  # rejected batches, quarantined rows, landing errors
    dbt_problems: list[str]  # nodes that did not succeed/pass
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def keys(self) -> set[FindingKey]:
        return {(f["rule_id"], f["subject_type"], f["subject_id"], f["attribute"] or "") for f in self.findings}

    def keys_for(self, subject_ids: set[str], family: str | None = None) -> set[FindingKey]:
        return {k for k in self.keys if k[2] in subject_ids and (family is None or k[0].startswith(family + "-"))}

    def rows(self, rule_id: str, subject_id: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["rule_id"] == rule_id and f["subject_id"] == subject_id]


def newest_extracted_at(landing: Path) -> date:
    stamps = []
    for manifest in Path(landing).glob("*/*/_manifest.json"):
        text = json.loads(manifest.read_text())["extracted_at"]
        stamps.append(datetime.fromisoformat(text.replace("Z", "+00:00")))
    if not stamps:
        raise ValueError(f"no complete batch under {landing}")
    return max(stamps).date()


def _landing_problems(reports) -> list[str]:
    problems = []
    for system, report in reports.items():
        if report.error:
            problems.append(f"{system}: landing error: {report.error}")
        for batch in report.batches:
            if batch.status != "loaded":
                problems.append(f"{system} {batch.batch_id}: {batch.status}: {batch.reason}")
            if batch.rows_quarantined:
                problems.append(f"{system} {batch.batch_id}: {batch.rows_quarantined} rows quarantined")
    return problems


def run_pipeline(landing: Path, work_dir: Path, as_of: date | None = None) -> PipelineRun:
    """Land ``landing`` into a fresh DuckDB under ``work_dir`` and build the dbt project."""
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path = work_dir / "warehouse.duckdb"
    as_of = as_of or newest_extracted_at(landing)
    seconds: dict[str, float] = {}

    started = time.perf_counter()
    reports = land_all(settings_for(landing, db_path, passed_through={}))  # file mode
    seconds["land"] = time.perf_counter() - started
    landing_problems = _landing_problems(reports)

    dbt_vars = load_recon_config(RECON_CONFIG_DEFAULT).dbt_vars(as_of)
    args = [
        "build",
        "--vars",
        json.dumps(dbt_vars),
        *dbt_path_args(work_dir),
        "--quiet",
        "--no-use-colors",
        "--no-send-anonymous-usage-stats",
    ]
    with environment({"Q2C_DUCKDB_PATH": str(db_path), "Q2C_LANDING_DIR": str(landing)}):
        started = time.perf_counter()
        result = dbtRunner().invoke(args)
        seconds["dbt"] = time.perf_counter() - started

    dbt_problems = []
    if result.exception is not None:
        dbt_problems.append(f"dbt raised: {result.exception}")
    for node in getattr(result.result, "results", None) or []:
        # warn = a data-quality test saw the defect a scenario planted: not a pipeline failure
        if str(node.status) not in ("success", "pass", "warn"):
            message = (node.message or "").strip().splitlines()
            dbt_problems.append(f"{node.node.unique_id}: {node.status}: {message[0] if message else ''}")

    findings: list[dict[str, Any]] = []
    with duckdb.connect(str(db_path)) as con:
        for system in ("crm", "psa", "erp", "billing"):
            try:
                quarantined = con.execute(
                    f'select file, line_number, "check", message from raw_{system}.raw_quarantine'
                ).fetchall()
            except duckdb.CatalogException:
                continue
            landing_problems.extend(
                f"{system} quarantined {f}:{line} {check}: {msg}" for f, line, check, msg in quarantined
            )
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'recon' and table_name = 'findings'"
        ).fetchone()[0]
        if exists:
            rel = con.execute("select * from recon.findings")
            cols = [d[0] for d in rel.description]
            findings = [dict(zip(cols, r)) for r in rel.fetchall()]
    return PipelineRun(as_of, findings, landing_problems, dbt_problems, seconds)
