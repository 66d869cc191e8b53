"""`q2c exceptions list` on a ledger of 267 exceptions (issue 14, defect 4): it says how many it
does not show, lists the largest amounts at risk first whatever the family, takes --limit,
--sort and --format, and reads its filters in any case."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from q2c.cli import app
from q2c.publish import publish_snapshot
from tests.report.ledger_nights import fold_night

runner = CliRunner()
D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


def _findings() -> list:
    # ACC sorts first by family and carries the smallest amounts; INV, UNB, BOOK the largest
    acc = [
        ("ACC-02", "ACC", "crm_account", f"a{i:03}", Decimal(i), "sales_ops", "x", "crm_account_id") for i in range(200)
    ]
    big = [
        (
            rule,
            rule[:-3],
            "billing_invoice",
            f"{rule}-{i:02}",
            Decimal(10_000 + i),
            "billing",
            "x",
            "billing_invoice_id",
        )
        for rule in ("INV-03", "UNB-01", "BOOK-01")
        for i in range(22)
    ]
    return acc + big  # 266; the reopened one makes 267


REOPENED = ("INV-01", "INV", "billing_invoice", "in_back", Decimal("0.01"), "billing", "x", "billing_invoice_id")


@pytest.fixture
def big_ledger(tmp_path: Path, monkeypatch) -> Path:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("Q2C_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    with duckdb.connect(str(warehouse)) as conn:
        fold_night(conn, D1, [*_findings(), REOPENED])
        fold_night(conn, D2, _findings())  # in_back resolved
        fold_night(conn, D3, [*_findings(), REOPENED])  # ... and reopened
    publish_snapshot(warehouse, tmp_path / "published" / "warehouse.duckdb")
    return warehouse


def test_it_says_how_many_it_leaves_out_and_shows_the_largest_amounts_first(big_ledger):
    result = runner.invoke(app, ["exceptions", "list"])
    assert result.exit_code == 0, result.output
    assert "showing 200 of 267" in result.output
    lines = [line for line in result.output.splitlines() if "billing_invoice:" in line or "crm_account:" in line]
    assert len(lines) == 200
    assert "10,021.00" in lines[0]  # the largest amount, not the first family
    # every one of the 66 large INV, UNB and BOOK rows is on the first page
    assert sum("billing_invoice:" in line for line in lines) == 66


def test_limit_zero_shows_all_and_sort_by_rule_groups_them(big_ledger):
    result = runner.invoke(app, ["exceptions", "list", "--limit", "0", "--sort", "rule"])
    assert result.exit_code == 0, result.output
    assert "showing 267 of 267" in result.output
    rows = [line.split()[1] for line in result.output.splitlines() if "_account:" in line or "_invoice:" in line]
    assert rows == sorted(rows) and len(rows) == 267
    assert runner.invoke(app, ["exceptions", "list", "--limit", "5"]).output.count("billing_invoice:") == 5


def test_json_and_csv_carry_exact_amounts_and_every_row_asked_for(big_ledger):
    as_json = runner.invoke(app, ["exceptions", "list", "--format", "json", "--limit", "3"])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    assert [r["amount_at_risk_reporting"] for r in rows] == ["10021.0000", "10021.0000", "10021.0000"]
    assert len(rows[0]["exception_id"]) == 40 and rows[0]["first_seen_as_of"] == "2026-03-01"
    assert "showing 3 of 267" in as_json.stderr
    as_csv = runner.invoke(app, ["exceptions", "list", "--format", "CSV", "--limit", "0", "--rule", "acc-02"])
    assert as_csv.exit_code == 0, as_csv.output
    records = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(records) == 200 and records[0]["amount_at_risk_reporting"] == "199.0000"


def test_filters_read_any_case_and_reopened_is_a_status(big_ledger):
    upper = runner.invoke(app, ["exceptions", "list", "--status", "OPEN", "--owner", "BILLING", "--limit", "0"])
    assert upper.exit_code == 0, upper.output
    assert "showing 67 of 67" in upper.output
    reopened = runner.invoke(app, ["exceptions", "list", "--status", "Reopened"])
    assert reopened.exit_code == 0, reopened.output
    assert "in_back" in reopened.output and "showing 1 of 1" in reopened.output
    bad = runner.invoke(app, ["exceptions", "list", "--sort", "colour"])
    assert bad.exit_code == 2 and "amount" in bad.output
