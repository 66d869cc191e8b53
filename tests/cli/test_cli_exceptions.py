from __future__ import annotations

import duckdb
from typer.testing import CliRunner

from q2c.cli import app
from q2c.ledger import exception_id

runner = CliRunner()
INV1 = exception_id("INV-03", "billing_invoice", "in_1", "")


def _state(path):
    with duckdb.connect(str(path)) as conn:
        return (
            conn.execute("SELECT exception_id, status, status_by FROM recon.exceptions ORDER BY 1").fetchall(),
            conn.execute("SELECT count(*) FROM recon.exception_events").fetchall(),
        )


def test_list_filters_by_rule_and_shows_amounts(ledger_db):
    result = runner.invoke(app, ["exceptions", "list", "--rule", "inv_03"])
    assert result.exit_code == 0, result.output
    assert "in_1" in result.output and "in_2" in result.output and "001A" not in result.output
    assert "7,500.00" in result.output
    # largest amount first
    assert result.output.index("in_1") < result.output.index("in_2")


def test_show_prints_the_history(ledger_db):
    result = runner.invoke(app, ["exceptions", "show", INV1[:10]])
    assert result.exit_code == 0, result.output
    assert INV1 in result.output and "new" in result.output and "q2c-nightly" in result.output


def test_ack_waive_reopen_round_trip(ledger_db):
    assert runner.invoke(app, ["exceptions", "ack", INV1, "--by", "ana", "--reason", "on it"]).exit_code == 0
    assert runner.invoke(app, ["exceptions", "waive", INV1, "--by", "bo", "--reason", "agreed"]).exit_code == 0
    result = runner.invoke(app, ["exceptions", "reopen", INV1, "--by", "cy", "--reason", "not agreed"])
    assert result.exit_code == 0, result.output
    assert "now open" in result.output
    rows, events = _state(ledger_db)
    assert (INV1, "open", "cy") in rows
    assert events == [(6,)]  # 3 new + ack + waive + reopen


def test_unknown_id_is_a_clear_error_and_changes_nothing(ledger_db):
    before = _state(ledger_db)
    result = runner.invoke(app, ["exceptions", "ack", "0123456789abcdef", "--by", "ana", "--reason", "x"])
    assert result.exit_code == 1
    assert "no exception with id" in result.output
    assert _state(ledger_db) == before


def test_blank_reason_is_refused_and_changes_nothing(ledger_db):
    before = _state(ledger_db)
    result = runner.invoke(app, ["exceptions", "waive", INV1, "--by", "ana", "--reason", "   "])
    assert result.exit_code == 1 and "--reason" in result.output
    assert _state(ledger_db) == before


def test_missing_by_is_a_usage_error(ledger_db):
    before = _state(ledger_db)
    result = runner.invoke(app, ["exceptions", "ack", INV1, "--reason", "x"])
    assert result.exit_code == 2
    assert _state(ledger_db) == before


def test_invalid_transition_is_refused(ledger_db):
    result = runner.invoke(app, ["exceptions", "reopen", INV1, "--by", "ana", "--reason", "x"])
    assert result.exit_code == 1 and "it is open" in result.output


def test_bad_filters_are_usage_errors(ledger_db):
    assert runner.invoke(app, ["exceptions", "list", "--rule", "ACC-99"]).exit_code == 2
    assert runner.invoke(app, ["exceptions", "list", "--status", "closed"]).exit_code == 2
    assert runner.invoke(app, ["exceptions", "list", "--owner", "nobody"]).exit_code == 2


def test_no_warehouse_yet(tmp_path, monkeypatch):
    monkeypatch.setenv("Q2C_DUCKDB_PATH", str(tmp_path / "missing.duckdb"))
    result = runner.invoke(app, ["exceptions", "list"])
    assert result.exit_code == 1 and "run `q2c run` first" in result.output
    assert not (tmp_path / "missing.duckdb").exists()


def test_run_rejects_a_bad_as_of(tmp_path, monkeypatch):
    monkeypatch.setenv("Q2C_DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    result = runner.invoke(app, ["run", "--as-of", "22/11/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
