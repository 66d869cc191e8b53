"""RATE-01 .. RATE-05: contracted rates, effective dating, fixed fee, currencies, dates."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.reconciliation.builders import (
    billing_customer,
    billing_invoice,
    engagement,
    invoice_line,
    opportunity,
    rate_card,
    time_entry,
)
from tests.reconciliation.recon_harness import Marts, ReconRun, default_vars, run_recon

SC = "Senior Consultant"


def build() -> Marts:
    m = Marts()
    billing_customer(m, "cus_R", "AR")
    # T&M engagement; rate change 50 days ago: 150 until then, 175 since.
    opportunity(m, "O-R", "AR", code="P-R")
    engagement(m, "P-R", opp_id="O-R", crm_id="AR", project_id="pr", erp_job_id="JR")
    rate_card(m, "rc1", "O-R", "P-R", SC, "150", from_days_ago=400, to_days_ago=50)
    rate_card(m, "rc2", "O-R", "P-R", SC, "175", from_days_ago=49)
    time_entry(m, "te-r01", "P-R", "pr", spent_days_ago=10, rate="150")  # RATE-01
    time_entry(m, "te-r01-tol", "P-R", "pr", spent_days_ago=10, rate="175.80")  # within 0.5%
    time_entry(m, "te-r01-old", "P-R", "pr", spent_days_ago=60, rate="150")  # old rate in effect
    time_entry(m, "te-r01-edge", "P-R", "pr", spent_days_ago=50, rate="150")  # last day of old rate
    time_entry(m, "te-r01-sub", "P-R", "pr", spent_days_ago=10, rate="100", status="submitted")
    time_entry(m, "te-r03-zero", "P-R", "pr", spent_days_ago=10, rate="0")  # RATE-03
    time_entry(m, "te-r03-null", "P-R", "pr", spent_days_ago=10, rate=None)  # RATE-03
    time_entry(m, "te-r03-norole", "P-R", "pr", spent_days_ago=10, rate="300", role="Partner")  # RATE-03 only
    time_entry(m, "te-r-nonbill", "P-R", "pr", spent_days_ago=10, rate="0", billable=False)
    # Fixed fee in the ERP only (jobbillingtype FF): no hourly-rate rules.
    opportunity(m, "O-FF", "AR", code="P-FF")
    engagement(m, "P-FF", opp_id="O-FF", crm_id="AR", project_id="pff", erp_job_id="JFF", job_type="FF")
    rate_card(m, "rc3", "O-FF", "P-FF", SC, "150")
    time_entry(m, "te-ff", "P-FF", "pff", rate="999")
    time_entry(m, "te-ff-zero", "P-FF", "pff", rate="0")

    # RATE-02: invoice lines priced against the rate in effect on period.start.
    billing_invoice(m, "in_R", "cus_R", status="open", code="P-R")
    invoice_line(m, "il-r02", "in_R", code="P-R", role=SC, unit="150", period_days_ago=10)  # RATE-02
    invoice_line(m, "il-r02-ok", "in_R", code="P-R", role=SC, unit="175", period_days_ago=10)
    invoice_line(m, "il-r02-old", "in_R", code="P-R", role=SC, unit="150", period_days_ago=55)
    invoice_line(m, "il-r02-norole", "in_R", code="P-R", role=None, unit="999", period_days_ago=10)
    invoice_line(m, "il-r02-nocard", "in_R", code="P-R", role="Partner", unit="999", period_days_ago=10)
    billing_invoice(m, "in_RV", "cus_R", status="void", code="P-R")
    invoice_line(m, "il-r02-void", "in_RV", code="P-R", role=SC, unit="1", period_days_ago=10)
    billing_invoice(m, "in_RD", "cus_R", status="draft", code="P-R")
    invoice_line(m, "il-r02-draft", "in_RD", code="P-R", role=SC, unit="1", period_days_ago=10)  # RATE-02
    billing_invoice(m, "in_RFF", "cus_R", status="open", code="P-FF")
    invoice_line(m, "il-r02-ff", "in_RFF", code="P-FF", role=SC, unit="1", period_days_ago=10)

    # RATE-04: opportunity EUR; client 'eur' (case only: fine) but a GBP invoice.
    opportunity(m, "O-R4", "AR", code="P-R4", currency="EUR")
    engagement(
        m,
        "P-R4",
        opp_id="O-R4",
        crm_id="AR",
        project_id="pr4",
        erp_job_id="JR4",
        currency="EUR",
        client_currency="eur",
        opp_fixed_fee=True,
    )
    billing_invoice(m, "in_R4-ok", "cus_R", currency="eur", code="P-R4")
    billing_invoice(m, "in_R4-gbp", "cus_R", currency="gbp", code="P-R4")
    opportunity(m, "O-R4B", "AR", code="P-R4B", currency="EUR")
    engagement(
        m,
        "P-R4B",
        opp_id="O-R4B",
        crm_id="AR",
        project_id="pr4b",
        erp_job_id="JR4B",
        currency="EUR",
        client_currency="USD",
        opp_fixed_fee=True,
    )

    # RATE-05 on a fixed-fee engagement (applies to every engagement).
    opportunity(m, "O-R5", "AR", code="P-R5", fixed_fee=True)
    engagement(
        m,
        "P-R5",
        opp_id="O-R5",
        crm_id="AR",
        project_id="pr5",
        erp_job_id="JR5",
        opp_fixed_fee=True,
        starts_days_ago=100,
        ends_days_ago=20,
    )
    time_entry(m, "te-r05-after", "P-R5", "pr5", spent_days_ago=19)  # RATE-05
    time_entry(m, "te-r05-end", "P-R5", "pr5", spent_days_ago=20)  # last day: fine
    time_entry(m, "te-r05-start", "P-R5", "pr5", spent_days_ago=100)  # first day: fine
    time_entry(m, "te-r05-before", "P-R5", "pr5", spent_days_ago=101, status="submitted")  # RATE-05
    time_entry(m, "te-r05-asg", "P-R5", "pr5", spent_days_ago=30, assignment_active=False)  # RATE-05
    time_entry(m, "te-r05-nonbill", "P-R5", "pr5", spent_days_ago=10, billable=False)
    opportunity(m, "O-R5I", "AR", code="P-R5I", fixed_fee=True)
    engagement(
        m,
        "P-R5I",
        opp_id="O-R5I",
        crm_id="AR",
        project_id="pr5i",
        erp_job_id="JR5I",
        opp_fixed_fee=True,
        project_active=False,
    )
    time_entry(m, "te-r05-inactive", "P-R5I", "pr5i", spent_days_ago=10)  # RATE-05
    return m


@pytest.fixture(scope="module")
def run(recon_session_dir: Path) -> ReconRun:
    return run_recon(build(), recon_session_dir, default_vars())


def test_exactly_the_expected_rate_findings_fire(run: ReconRun) -> None:
    assert run.fired("RATE") == {
        ("RATE-01", "te-r01", ""),
        ("RATE-03", "te-r03-zero", ""),
        ("RATE-03", "te-r03-null", ""),
        ("RATE-03", "te-r03-norole", ""),
        ("RATE-02", "il-r02", ""),
        ("RATE-02", "il-r02-draft", ""),
        ("RATE-04", "pr4", ""),
        ("RATE-04", "pr4b", ""),
        ("RATE-05", "te-r05-after", ""),
        ("RATE-05", "te-r05-before", ""),
        ("RATE-05", "te-r05-asg", ""),
        ("RATE-05", "te-r05-inactive", ""),
    }


def test_rate01_amount_and_keys(run: ReconRun) -> None:
    finding = run.one("RATE-01", "te-r01")
    assert finding["amount_at_risk"] == Decimal("200.0000")  # |150 - 175| x 8 h
    assert finding["amount_at_risk_reporting"] == Decimal("200.0000")
    assert finding["fx_rate_to_reporting"] == Decimal("1")
    assert (finding["crm_opportunity_id"], finding["psa_project_code"]) == ("O-R", "P-R")
    assert finding["subject_type"] == "psa_time_entry"


def test_rate04_lists_the_mismatching_invoice_and_converts_eur(run: ReconRun) -> None:
    finding = run.one("RATE-04", "pr4")
    assert "in_R4-gbp GBP" in finding["actual"]
    assert "in_R4-ok" not in finding["actual"]
    assert finding["amount_at_risk"] is None
    assert finding["currency_code"] == "EUR"
    assert finding["fx_rate_to_reporting"] == Decimal("1.08")  # fx_rates seed
