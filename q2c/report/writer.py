"""Write ``<reports_dir>/<as-of>.html`` and ``latest.html`` from the ledger."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from q2c.reconciliation_config import ReconConfig
from q2c.report.html import render_report_html
from q2c.report.ledger_view import load_report_data
from q2c.rule_catalogue import RULES

if TYPE_CHECKING:
    from ingestion.landing.batch_log import BatchIssue

LATEST_NAME = "latest.html"


def report_path_for(reports_dir: Path, as_of: date) -> Path:
    return Path(reports_dir) / f"{as_of.isoformat()}.html"


def _write_atomically(path: Path, text: str) -> None:
    """A reader (a browser, the alert's link) never sees a half-written page."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the report from other readers
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_reconciliation_report(
    conn: duckdb.DuckDBPyConnection,
    as_of: date,
    reports_dir: Path,
    config: ReconConfig,
    *,
    run_id: str | None = None,
    batch_issues: list[BatchIssue] | None = None,
) -> Path:
    """Render the report as of ``as_of`` and return the path of ``<as-of>.html``;
    ``batch_issues``: the batches tonight's numbers lack (ingestion.landing.batch_issues)."""
    materiality = {rule.rule_id: config.materiality(rule.rule_id) for rule in RULES}
    data = load_report_data(
        conn, as_of, materiality, config.reporting_currency, run_id=run_id, batch_issues=batch_issues
    )
    html = render_report_html(data)
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = report_path_for(reports_dir, as_of)
    _write_atomically(path, html)
    _write_atomically(reports_dir / LATEST_NAME, html)
    return path
