"""A lazy examiner's delivery: only Account.csv, Opportunity.csv, customer.csv and
customers.jsonl, optional fields left empty. The pipeline must build and find exactly the
planted drift; the same landing through the Dagster nightly job (q2c run) must agree."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from q2c.settings import get_settings
from tests.scenarios.extract_builder import Batch, sf_datetime, sf_id
from tests.scenarios.pipeline_runner import run_pipeline

T = datetime(2026, 3, 31, 2, 0, tzinfo=UTC)
ACC_OK, ACC_DRIFT, ACC_NO_ERP = sf_id("001", 1), sf_id("001", 2), sf_id("001", 3)
EXPECTED = {("ACC-03", "crm_account", ACC_DRIFT, "name"), ("ACC-01", "crm_account", ACC_NO_ERP, "")}


def _write(landing):
    stamp = sf_datetime(T)
    crm = Batch("crm", T)
    for n, acc, name, erp in [(1, ACC_OK, "Alpha", "11"), (2, ACC_DRIFT, "Beta", "12"), (3, ACC_NO_ERP, "Gamma", None)]:
        crm.add(
            "Account",
            {
                "Id": acc,
                "Name": name,
                "ERP_Customer_Id__c": erp,
                "IsDeleted": "false",
                "CreatedDate": stamp,
                "LastModifiedDate": stamp,
                "SystemModstamp": stamp,
            },
        )
        crm.add(
            "Opportunity",
            {
                "Id": sf_id("006", n),
                "AccountId": acc,
                "StageName": "Closed Won",
                "IsClosed": "true",
                "IsWon": "true",
                "CloseDate": "2026-01-10",
                "IsDeleted": "false",
                "LastModifiedDate": stamp,
                "SystemModstamp": stamp,
            },
        )
    erp = Batch("erp", T)
    erp.add(
        "customer",
        {"id": 11, "companyname": "Alpha", "externalid": ACC_OK, "isinactive": "F"},
        {"id": 12, "companyname": "Beta Industries", "externalid": ACC_DRIFT, "isinactive": "F"},
    )
    billing = Batch("billing", T)
    for n, acc, name in [(1, ACC_OK, "Alpha"), (2, ACC_DRIFT, "Beta"), (3, ACC_NO_ERP, "Gamma")]:
        billing.add(
            "customers",
            {
                "id": f"cus_min{n}",
                "object": "customer",
                "name": name,
                "metadata": {"crm_account_id": acc},
                "created": int(T.timestamp()),
            },
        )
    for b in (crm, erp, billing):
        b.write(landing)


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    root = tmp_path_factory.mktemp("minimal_delivery") / "landing"
    _write(root)
    return root


def test_minimal_delivery_builds_and_finds_exactly_the_drift(landing, tmp_path) -> None:
    run = run_pipeline(landing, tmp_path / "work")
    assert not run.landing_problems, "\n".join(run.landing_problems)
    assert not run.dbt_problems, "\n".join(run.dbt_problems)
    acc_findings = {k for k in run.keys if k[0].startswith("ACC-")}
    assert acc_findings == EXPECTED


def test_nightly_job_agrees_on_the_same_landing(landing, tmp_path, monkeypatch) -> None:
    import duckdb

    from q2c.cli.run import run_nightly

    monkeypatch.setenv("Q2C_LANDING_DIR", str(landing))
    monkeypatch.setenv("Q2C_DUCKDB_PATH", str(tmp_path / "data" / "warehouse.duckdb"))
    monkeypatch.setenv("Q2C_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setenv("Q2C_GROUND_TRUTH_DIR", str(tmp_path / "gt"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    result = run_nightly(echo=lambda _m: None, settings=get_settings())
    assert result.as_of == date(2026, 3, 31)
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        keys = {
            tuple(r)
            for r in con.execute(
                "select rule_id, subject_type, subject_id, attribute from recon.findings where rule_id like 'ACC-%'"
            ).fetchall()
        }
    assert keys == EXPECTED, f"nightly success={result.success} failures={result.failures}"
