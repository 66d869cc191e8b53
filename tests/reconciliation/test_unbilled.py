"""UNB-01 .. UNB-05: aging, billed-without-invoice, approval backlog, expenses, line hours."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.reconciliation.builders import (
    billing_customer,
    billing_invoice,
    days_ago,
    engagement,
    expense,
    invoice_line,
    opportunity,
    time_entry,
)
from tests.reconciliation.recon_harness import Marts, ReconRun, default_vars, run_recon

SC = "Senior Consultant"


def build() -> Marts:
    m = Marts()
    billing_customer(m, "cus_U", "AU")
    opportunity(m, "O-U", "AU", code="P-U")
    engagement(m, "P-U", opp_id="O-U", crm_id="AU", project_id="pu", erp_job_id="JU")
    # UNB-01 aging: exactly 30 days is not "more than 30".
    time_entry(m, "te-u01-30", "P-U", "pu", spent_days_ago=30)
    time_entry(m, "te-u01-31", "P-U", "pu", spent_days_ago=31)
    time_entry(m, "te-u01-60", "P-U", "pu", spent_days_ago=60)
    time_entry(m, "te-u01-61", "P-U", "pu", spent_days_ago=61)
    time_entry(m, "te-u01-90", "P-U", "pu", spent_days_ago=90)
    time_entry(m, "te-u01-91", "P-U", "pu", spent_days_ago=91)
    time_entry(m, "te-u01-nonbill", "P-U", "pu", spent_days_ago=91, billable=False)
    opportunity(m, "O-UFF", "AU", code="P-UFF")
    engagement(m, "P-UFF", opp_id="O-UFF", crm_id="AU", project_id="puff", project_fixed_fee=True)
    time_entry(m, "te-u01-ff", "P-UFF", "puff", spent_days_ago=91)
    opportunity(m, "O-UNB", "AU", code="P-UNB")
    engagement(m, "P-UNB", opp_id="O-UNB", crm_id="AU", project_id="punb", project_billable=False)
    time_entry(m, "te-u01-nbproject", "P-UNB", "punb", spent_days_ago=91)

    # UNB-02.
    billing_invoice(m, "in_UOK", "cus_U", status="open", code="P-U")
    billing_invoice(m, "in_UD", "cus_U", status="draft", code="P-U")
    billing_invoice(m, "in_UV", "cus_U", status="void", code="P-U")
    time_entry(m, "te-u02-noinv", "P-U", "pu", billed=True)
    time_entry(m, "te-u02-unknown", "P-U", "pu", billed=True, invoice="in_nope")
    time_entry(m, "te-u02-draft", "P-U", "pu", billed=True, invoice="in_UD")
    time_entry(m, "te-u02-void", "P-U", "pu", billed=True, invoice="in_UV")
    time_entry(m, "te-u02-ok", "P-U", "pu", billed=True, invoice="in_UOK", role="Analyst")
    expense(m, "ex-u02", "P-U", billed=True)
    expense(m, "ex-u02-ok", "P-U", billed=True, invoice="in_UOK")

    # UNB-03: more than 14 days after spent_date.
    time_entry(m, "te-u03-15", "P-U", "pu", spent_days_ago=15, status="submitted")
    time_entry(m, "te-u03-14", "P-U", "pu", spent_days_ago=14, status="unsubmitted")
    time_entry(m, "te-u03-nonbill", "P-U", "pu", spent_days_ago=20, status="unsubmitted", billable=False)

    # UNB-04.
    expense(m, "ex-u04-31", "P-U", spent_days_ago=31)
    expense(m, "ex-u04-30", "P-U", spent_days_ago=30)
    expense(m, "ex-u04-sub", "P-U", spent_days_ago=40, status="submitted")
    expense(m, "ex-u04-inv", "P-U", spent_days_ago=40, billed=True, invoice="in_UOK")

    # UNB-05: line hours vs the invoice's time entries of that project and role.
    billing_invoice(m, "in_U5", "cus_U", status="open", code="P-U")
    invoice_line(m, "il-u5-ok", "in_U5", code="P-U", role=SC, quantity="10")
    time_entry(m, "te-u5-a", "P-U", "pu", billed=True, invoice="in_U5", hours="6")
    time_entry(m, "te-u5-b", "P-U", "pu", billed=True, invoice="in_U5", hours="4.005")
    invoice_line(m, "il-u5-bad", "in_U5", code="P-U", role="Partner", quantity="5", unit="300")
    time_entry(m, "te-u5-c", "P-U", "pu", billed=True, invoice="in_U5", hours="3", role="Partner")
    invoice_line(m, "il-u5-none", "in_U5", code="P-U", role="Analyst", quantity="2")
    invoice_line(m, "il-u5-norole", "in_U5", code="P-U", role=None, quantity="99")
    invoice_line(m, "il-u5-void", "in_UV", code="P-U", role=SC, quantity="99")
    return m


@pytest.fixture(scope="module")
def run(recon_session_dir: Path) -> ReconRun:
    return run_recon(build(), recon_session_dir, default_vars())


def test_exactly_the_expected_unbilled_findings_fire(run: ReconRun) -> None:
    assert run.fired("UNB") == {
        ("UNB-01", "te-u01-31", ""),
        ("UNB-01", "te-u01-60", ""),
        ("UNB-01", "te-u01-61", ""),
        ("UNB-01", "te-u01-90", ""),
        ("UNB-01", "te-u01-91", ""),
        ("UNB-02", "te-u02-noinv", ""),
        ("UNB-02", "te-u02-unknown", ""),
        ("UNB-02", "te-u02-draft", ""),
        ("UNB-02", "te-u02-void", ""),
        ("UNB-02", "ex-u02", ""),
        ("UNB-03", "te-u03-15", ""),
        ("UNB-04", "ex-u04-31", ""),
        ("UNB-05", "il-u5-bad", ""),
        ("UNB-05", "il-u5-none", ""),
    }


def test_unb01_aging_buckets_and_value(run: ReconRun) -> None:
    ages = {
        f["subject_id"]: (f["event_date"], f["event_age_days"], f["event_aging_bucket"])
        for f in run.findings
        if f["rule_id"] == "UNB-01"
    }
    assert ages == {
        "te-u01-31": (days_ago(31), 31, "31-60"),
        "te-u01-60": (days_ago(60), 60, "31-60"),
        "te-u01-61": (days_ago(61), 61, "61-90"),
        "te-u01-90": (days_ago(90), 90, "61-90"),
        "te-u01-91": (days_ago(91), 91, "90+"),
    }
    assert run.one("UNB-01", "te-u01-31")["amount_at_risk"] == Decimal("1200.0000")  # 8 h x 150


def test_every_unbilled_finding_carries_its_event_age_and_account(run: ReconRun) -> None:
    # spent_date for time and expenses, the invoice's finalisation for UNB-05's lines
    assert run.one("UNB-03", "te-u03-15")["event_age_days"] == 15
    assert run.one("UNB-04", "ex-u04-31")["event_aging_bucket"] == "31-60"
    assert run.one("UNB-02", "ex-u02")["event_age_days"] == 5
    assert all(f["event_age_days"] is not None for f in run.findings if f["family"] == "UNB")
    # the engagement's account (project code), or the billing customer's
    assert {f["crm_account_id"] for f in run.findings if f["family"] == "UNB"} == {"AU"}


def test_unb02_subject_types(run: ReconRun) -> None:
    assert run.one("UNB-02", "ex-u02")["subject_type"] == "psa_expense"
    assert run.one("UNB-02", "ex-u02")["psa_expense_id"] == "ex-u02"
    assert run.one("UNB-02", "te-u02-unknown")["subject_type"] == "psa_time_entry"
    assert "unknown" in run.one("UNB-02", "te-u02-unknown")["actual"]
