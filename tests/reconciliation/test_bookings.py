"""BOOK-01 .. BOOK-02, plus the shape of the findings models."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.reconciliation.builders import billing_customer, billing_invoice, engagement, opportunity
from tests.reconciliation.recon_harness import FAMILY_MODELS, FINDING_COLUMNS, Marts, ReconRun, default_vars, run_recon


def build() -> Marts:
    m = Marts()
    billing_customer(m, "cus_B", "AB")
    # BOOK-01: T&M not-to-exceed 10,000 billed 10,100 (1 % over); void/draft ignored.
    opportunity(m, "O-B1", "AB", code="P-B1", nte="10000")
    engagement(m, "P-B1", opp_id="O-B1", crm_id="AB", project_id="pb1", erp_job_id="JB1", nte="10000")
    billing_invoice(m, "in_B1-a", "cus_B", total="6000", code="P-B1")
    billing_invoice(m, "in_B1-b", "cus_B", total="4500", tax="400", status="open", code="P-B1")
    billing_invoice(m, "in_B1-void", "cus_B", total="5000", status="void", code="P-B1")
    billing_invoice(m, "in_B1-draft", "cus_B", total="5000", status="draft", code="P-B1")
    # Near-miss: 0.4 % over is within tolerance.
    opportunity(m, "O-B1-tol", "AB", code="P-B1T", nte="10000")
    engagement(m, "P-B1T", opp_id="O-B1-tol", crm_id="AB", project_id="pb1t", erp_job_id="JB1T", nte="10000")
    billing_invoice(m, "in_B1T", "cus_B", total="10040", code="P-B1T")
    # BOOK-01 fixed fee: Amount is the cap.
    opportunity(m, "O-B1-ff", "AB", code="P-B1F", fixed_fee=True, amount="50000")
    engagement(
        m,
        "P-B1F",
        opp_id="O-B1-ff",
        crm_id="AB",
        project_id="pb1f",
        erp_job_id="JB1F",
        opp_fixed_fee=True,
        amount="50000",
    )
    billing_invoice(m, "in_B1F", "cus_B", total="60000", code="P-B1F")
    # Near-miss: T&M without not-to-exceed has no cap.
    opportunity(m, "O-B1-nocap", "AB", code="P-B1N")
    engagement(m, "P-B1N", opp_id="O-B1-nocap", crm_id="AB", project_id="pb1n", erp_job_id="JB1N")
    billing_invoice(m, "in_B1N", "cus_B", total="999999", code="P-B1N")

    # BOOK-02.
    opportunity(m, "O-B2", "AB", code="P-B2", closed_days_ago=10)
    engagement(m, "P-B2", opp_id="O-B2", crm_id="AB", project_id="pb2")  # no ERP job
    opportunity(m, "O-B2-nocode", "AB", code=None, closed_days_ago=10)
    opportunity(m, "O-B2-grace", "AB", code="P-B2G", closed_days_ago=2)
    opportunity(m, "O-B2-lost", "AB", code="P-B2L", closed_days_ago=10, won=False)
    opportunity(m, "O-B2-deleted", "AB", code="P-B2D", closed_days_ago=10, deleted=True)
    opportunity(m, "O-B2-job-only", "AB", code="P-B2J", closed_days_ago=10)
    engagement(m, "P-B2J", opp_id="O-B2-job-only", crm_id="AB", erp_job_id="JB2J")  # no PSA project
    return m


@pytest.fixture(scope="module")
def run(recon_session_dir: Path) -> ReconRun:
    return run_recon(build(), recon_session_dir, default_vars())


def test_exactly_the_expected_booking_findings_fire(run: ReconRun) -> None:
    assert run.fired("BOOK") == {
        ("BOOK-01", "O-B1", ""),
        ("BOOK-01", "O-B1-ff", ""),
        ("BOOK-02", "O-B2", ""),
        ("BOOK-02", "O-B2-nocode", ""),
        ("BOOK-02", "O-B2-job-only", ""),
    }


def test_book01_amount_and_book02_reason(run: ReconRun) -> None:
    finding = run.one("BOOK-01", "O-B1")
    assert finding["amount_at_risk"] == Decimal("100.0000")  # subtotals 6000 + 4100 - 10000
    assert finding["subject_type"] == "crm_opportunity"
    assert run.one("BOOK-02", "O-B2")["actual"] == "no ERP job"
    assert run.one("BOOK-02", "O-B2-job-only")["actual"] == "no PSA project"


def test_every_model_has_the_design_columns_in_order(run: ReconRun) -> None:
    assert tuple(run.findings_columns) == FINDING_COLUMNS
    for model in FAMILY_MODELS:
        assert tuple(run.family_columns[model]) == FINDING_COLUMNS, model
    assert sum(len(rows) for rows in run.family_rows.values()) == len(run.findings)
    assert {f["family"] for f in run.family_rows["recon_bookings"]} == {"BOOK"}
    assert {f["as_of_date"].isoformat() for f in run.findings} == {"2026-03-31"}
    assert {f["reporting_currency"] for f in run.findings} == {"USD"}
