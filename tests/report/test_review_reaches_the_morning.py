"""A review action reaches what people read at once (issue 14, defect 7): after a waive the
published snapshot, latest.md and latest.html all show it, and both reports are the same run's.
Runs on a copy of the shared morning world (its nightly is not run again, nor changed)."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from q2c.cli import app

runner = CliRunner()


@pytest.fixture
def morning_copy(world, tmp_path, monkeypatch):
    root = tmp_path / "copy"
    shutil.copytree(world.root, root, ignore=shutil.ignore_patterns("landing", "docs", "*.lock"))
    env = {name: value.replace(str(world.root), str(root)) for name, value in world.env.items()}
    (root / "landing").mkdir()
    env["Q2C_LANDING_DIR"] = str(root / "landing")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return root, env


def _open_material(path) -> tuple[str, str]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(
            "SELECT exception_id, rule_id FROM recon.exceptions WHERE status = 'open' "
            "ORDER BY amount_at_risk_reporting DESC NULLS LAST LIMIT 1"
        ).fetchall()[0]


def _status(path, eid: str) -> str:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("SELECT status FROM recon.exceptions WHERE exception_id = ?", [eid]).fetchall()[0][0]


def _run_ids(text: str) -> set[str]:
    return set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text))


def test_a_waive_is_in_the_snapshot_and_both_reports_right_away(morning_copy, world):
    root, env = morning_copy
    published, reports = root / "published" / "warehouse.duckdb", root / "reports"
    eid, rule_id = _open_material(published)
    html_before = (reports / "latest.html").read_text(encoding="utf-8")
    md_before = (reports / "latest.md").read_text(encoding="utf-8")

    result = runner.invoke(app, ["exceptions", "waive", eid[:12], "--by", "ana", "--reason", "credit note agreed"])
    assert result.exit_code == 0, result.output
    assert "now waived" in result.output

    assert _status(published, eid) == "waived"  # the analysts' snapshot, without a new night
    assert _status(env["Q2C_DUCKDB_PATH"], eid) == "waived"
    html = (reports / "latest.html").read_text(encoding="utf-8")
    markdown = (reports / "latest.md").read_text(encoding="utf-8")
    assert html != html_before and markdown != md_before
    assert (reports / f"{world.result.as_of.isoformat()}.html").read_text(encoding="utf-8") == html
    # the same run, the one that was the latest night
    assert world.result.run_id in _run_ids(html) and world.result.run_id in _run_ids(markdown)

    # the waived finding is counted as waived in the summary's rule table
    def cells(text: str, first: str) -> list[str]:
        line = next(line for line in text.splitlines() if line.startswith(f"| {first} |"))
        return [c.strip() for c in line.split("|")]

    waived = cells(markdown, "rule").index("waived")
    assert int(cells(markdown, rule_id)[waived]) == int(cells(md_before, rule_id)[waived]) + 1
