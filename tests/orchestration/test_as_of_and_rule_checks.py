from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import dagster as dg
import pytest

from orchestration.reconciliation.checks import check_result
from orchestration.run_tags import AS_OF_TAG, run_as_of
from q2c.as_of import AsOfError, newest_loaded_batch_date
from q2c.ledger import apply_findings, review_rules
from q2c.reconciliation_config import Materiality
from q2c.settings import Settings, settings_for
from q2c.warehouse import warehouse_connection


@pytest.fixture
def warehouse(tmp_path) -> Settings:
    wh = settings_for(tmp_path / "landing", tmp_path / "w.duckdb")
    with warehouse_connection(wh) as conn:
        for system, rows in {
            "crm": [("2026-11-21T02-00-00Z", datetime(2026, 11, 21, 2), "loaded")],
            "psa": [
                ("2026-11-22T23-30-00Z", datetime(2026, 11, 22, 23, 30), "loaded"),
                ("2026-11-25T02-00-00Z", datetime(2026, 11, 25, 2), "rejected"),
            ],
        }.items():
            conn.execute(f"CREATE SCHEMA raw_{system}")
            conn.execute(
                f"CREATE TABLE raw_{system}.batch_log (batch_id VARCHAR, extracted_at TIMESTAMP, status VARCHAR)"
            )
            conn.executemany(f"INSERT INTO raw_{system}.batch_log VALUES (?, ?, ?)", rows)
    return wh


def _settings(warehouse: Settings) -> Settings:
    # the settings a run reads at its start, from this process's environment
    return settings_for(warehouse.landing_dir, warehouse.duckdb_path)


def test_as_of_is_the_newest_loaded_batch_date_never_a_rejected_one(warehouse, monkeypatch):
    monkeypatch.delenv("Q2C_AS_OF", raising=False)
    with warehouse_connection(warehouse) as conn:
        assert newest_loaded_batch_date(conn) == date(2026, 11, 22)
    assert run_as_of({}, _settings(warehouse)) == date(2026, 11, 22)


def test_as_of_tag_beats_env_beats_batches(warehouse, monkeypatch):
    monkeypatch.setenv("Q2C_AS_OF", "2026-10-31")
    assert run_as_of({}, _settings(warehouse)) == date(2026, 10, 31)
    assert run_as_of({AS_OF_TAG: "2026-09-30"}, _settings(warehouse)) == date(2026, 9, 30)
    with pytest.raises(AsOfError, match="YYYY-MM-DD"):
        run_as_of({AS_OF_TAG: "30/09/2026"}, _settings(warehouse))


def test_no_loaded_batch_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("Q2C_AS_OF", raising=False)
    with pytest.raises(AsOfError, match="--as-of"):
        run_as_of({}, settings_for(tmp_path / "landing", tmp_path / "empty.duckdb"))


def test_rule_check_result_carries_severity_counts_table_and_sql(warehouse):
    with warehouse_connection(warehouse) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS recon")
        conn.execute(
            """CREATE TABLE recon.findings AS SELECT * FROM (VALUES
                ('INV-03','INV','billing_invoice','in_1','',NULL,NULL,NULL,NULL,NULL,'in_1',NULL,NULL,NULL,NULL,NULL,
                 '100.00','90.00','EUR',10.0,1.1,11.0,'USD',NULL,NULL,NULL,'billing','totals differ',DATE '2026-11-22'))
               v(rule_id,family,subject_type,subject_id,attribute,crm_account_id,crm_opportunity_id,erp_customer_id,
                 erp_transaction_id,billing_customer_id,billing_invoice_id,billing_invoice_line_id,billing_credit_note_id,
                 psa_project_code,psa_time_entry_id,psa_expense_id,expected,actual,currency_code,amount_at_risk,
                 fx_rate_to_reporting,amount_at_risk_reporting,reporting_currency,event_date,event_age_days,event_aging_bucket,owner,explanation,as_of_date)"""
        )
        apply_findings(conn, date(2026, 11, 22))
        reviews = {
            r.rule_id: r for r in review_rules(conn, date(2026, 11, 22), Materiality(amount=Decimal("5000"), count=25))
        }
    warn = check_result(reviews["INV-03"])
    assert warn.check_name == "INV_03" and warn.passed is False
    assert warn.severity == dg.AssetCheckSeverity.WARN
    assert warn.metadata["open"].value == 1 and warn.metadata["new_tonight"].value == 1
    assert warn.metadata["amount_at_risk_reporting_exact"].value == "11.0000"
    assert "in_1" in warn.metadata["top_findings"].value
    assert "rule_id = 'INV-03'" in warn.metadata["analyst_sql"].value
    passing = check_result(reviews["ACC-01"])
    assert passing.passed is True and passing.metadata["open"].value == 0
