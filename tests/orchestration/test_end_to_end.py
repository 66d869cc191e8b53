"""End to end: small demo extracts in a temp folder -> the nightly job through Dagster
(in-process, like `q2c run`) -> landed rows, mart money totals, dbt tests, ledger, report;
then a second run on the same batches must change nothing."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from ingestion.catalog import SYSTEMS
from q2c.settings import RECON_CONFIG_DEFAULT
from q2c_demo.data import generate


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("q2c_e2e")
    with pytest.MonkeyPatch.context() as mp:
        env = {
            "Q2C_LANDING_DIR": root / "landing",
            "Q2C_DUCKDB_PATH": root / "warehouse.duckdb",
            "Q2C_GROUND_TRUTH_DIR": root / "ground_truth",
            "Q2C_REPORTS_DIR": root / "reports",
            "Q2C_RECON_CONFIG": RECON_CONFIG_DEFAULT,
            "DAGSTER_HOME": root / "dagster_home",
        }
        for name, value in env.items():
            mp.setenv(name, str(value))
        mp.delenv("Q2C_AS_OF", raising=False)
        summary = generate(root / "landing", root / "ground_truth", customers=20, months=3, seed=7)

        from q2c.cli.run import run_nightly

        first = run_nightly(echo=lambda _: None)
        yield {"root": root, "summary": summary, "first": first, "env": env}


def _query(root: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _manifests(root: Path, system: str) -> dict[str, dict]:
    return {
        p.parent.name: json.loads(p.read_text()) for p in sorted((root / "landing" / system).glob("*/_manifest.json"))
    }


def test_first_run_succeeds_as_of_the_newest_batch(world):
    first = world["first"]
    assert first.success, first.failures
    assert first.as_of == world["summary"].as_of


def test_rows_landed_equal_the_manifests(world):
    root, first = world["root"], world["first"]
    for system in SYSTEMS:
        manifests = _manifests(root, system)
        log = {
            r[0]: r[1:]
            for r in _query(
                root,
                f"SELECT batch_id, status, rows_manifest, rows_loaded, rows_quarantined, files "
                f"FROM raw_{system}.batch_log",
            )
        }
        assert set(log) == set(manifests), system
        for batch_id, manifest in manifests.items():
            status, rows_manifest, rows_loaded, rows_quarantined, files = log[batch_id]
            assert status == "loaded", (system, batch_id)
            assert rows_manifest == sum(f["rows"] for f in manifest["files"])
            assert rows_loaded == rows_manifest and rows_quarantined == 0, (system, batch_id)
            per_file = (
                {f["object"]: f["rows_loaded"] for f in json.loads(files)}
                if isinstance(files, str)
                else {f["object"]: f["rows_loaded"] for f in files}
            )
            assert per_file == {f["object"]: f["rows"] for f in manifest["files"]}, (system, batch_id)
        expected = sum(sum(f["rows"] for f in m["files"]) for m in manifests.values())
        assert first.rows_landed[system] == expected, system


def _by_currency(rows: list[tuple]) -> dict[str, Decimal]:
    return {currency: Decimal(total) for currency, total in rows}


def test_mart_money_totals_equal_the_generator_totals(world):
    root = world["root"]
    totals = json.loads((root / "ground_truth" / "totals.json").read_text())

    def expect(name: str) -> dict[str, Decimal]:
        return {k: Decimal(v) for k, v in totals[name].items()}

    assert _by_currency(
        _query(root, "SELECT currency_code, sum(total) FROM marts.billing_invoices GROUP BY 1")
    ) == expect("billing_invoice_total_by_currency")
    assert _by_currency(
        _query(
            root, "SELECT currency_code, sum(total) FROM marts.credit_notes WHERE source_system = 'billing' GROUP BY 1"
        )
    ) == expect("credit_note_total_by_currency")
    assert _by_currency(_query(root, "SELECT currency_code, sum(total) FROM marts.erp_invoices GROUP BY 1")) == expect(
        "erp_invoice_total_by_currency"
    )
    assert _by_currency(
        _query(root, "SELECT client_currency_code, sum(total_cost) FROM marts.expenses GROUP BY 1")
    ) == expect("expense_total_by_currency")
    assert _by_currency(
        _query(root, "SELECT client_currency_code, sum(billable_amount) FROM marts.time_entries GROUP BY 1")
    ) == expect("time_entry_billable_amount_by_currency")
    [(count, hours)] = _query(root, "SELECT count(*), sum(hours) FROM marts.time_entries")
    assert (count, hours) == (totals["time_entry_count"], Decimal(totals["time_entry_hours"]))


def test_dbt_models_build_and_error_tests_pass(world):
    dbt = world["first"].dbt
    assert dbt is not None
    assert dbt.models_failed == 0 and dbt.models_skipped == 0
    assert dbt.models_built >= 50
    assert dbt.tests_failed == 0, dbt.failed_tests
    assert dbt.tests_passed > 100


def test_ledger_holds_tonights_findings_and_every_rule_is_reviewed(world):
    root, first = world["root"], world["first"]
    [(findings,)] = _query(root, "SELECT count(*) FROM recon.findings")
    [(open_exceptions, events)] = _query(
        root,
        "SELECT (SELECT count(*) FROM recon.exceptions WHERE status = 'open'), "
        "(SELECT count(*) FROM recon.exception_events WHERE event_type = 'new')",
    )
    assert findings > 0
    assert open_exceptions == findings == events
    assert [r.rule_id for r in first.reviews] == [x.rule_id for x in first.reviews] and len(first.reviews) == 27
    assert sum(r.firing for r in first.reviews) == findings
    report = root / "reports" / f"{first.as_of.isoformat()}.md"
    assert report.exists() and (root / "reports" / "latest.md").read_text() == report.read_text()
    assert "| INV-03 |" in report.read_text()


def test_rerun_with_no_new_batch_changes_nothing(world):
    from q2c.cli import app

    root = world["root"]
    snapshot = (
        "SELECT * FROM recon.exceptions ORDER BY exception_id",
        "SELECT * FROM recon.exception_events ORDER BY event_id",
        "SELECT currency_code, sum(total), count(*) FROM marts.billing_invoices GROUP BY 1 ORDER BY 1",
        "SELECT batch_id, status, rows_loaded FROM raw_psa.batch_log ORDER BY 1",
    )
    before = [_query(root, sql) for sql in snapshot]
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert "nightly run succeeded" in result.output
    assert [_query(root, sql) for sql in snapshot] == before
    for system in SYSTEMS:  # nothing new landed
        assert re.search(rf"^{system}\s+0\s*$", result.output, re.MULTILINE), result.output
