from __future__ import annotations

from typer.testing import CliRunner

from q2c.cli import app
from q2c.settings import RECON_CONFIG_DEFAULT


def test_run_with_nothing_landed_fails_with_a_clear_message_and_exit_code(tmp_path, monkeypatch):
    for name, folder in {
        "Q2C_LANDING_DIR": "landing",
        "Q2C_DUCKDB_PATH": "warehouse.duckdb",
        "Q2C_GROUND_TRUTH_DIR": "ground_truth",
        "Q2C_REPORTS_DIR": "reports",
        "DAGSTER_HOME": "dagster_home",
    }.items():
        monkeypatch.setenv(name, str(tmp_path / folder))
    monkeypatch.setenv("Q2C_RECON_CONFIG", str(RECON_CONFIG_DEFAULT))
    monkeypatch.delenv("Q2C_AS_OF", raising=False)
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 1, result.output
    assert "nightly run FAILED" in result.output
    assert "no loaded batch" in result.output  # the as-of cannot be derived: says what to do
    assert "not run (an upstream step failed): exception ledger, reconciliation rule checks" in result.output
    reports = list((tmp_path / "reports").glob("*.md"))
    assert any(p.name == "latest.md" for p in reports)
    assert "FAILED" in (tmp_path / "reports" / "latest.md").read_text()
