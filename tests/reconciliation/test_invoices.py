"""INV-01 .. INV-09: matching, totals, payment status, credit notes, arithmetic, entity."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.reconciliation.builders import (
    account,
    billing_customer,
    billing_invoice,
    credit_note,
    days_ago,
    erp_credit_memo,
    erp_customer,
    erp_invoice,
)
from tests.reconciliation.recon_harness import Marts, ReconRun, default_vars, run_recon


def pair(m: Marts, in_id: str, tx_id: str, *, billing: dict | None = None, erp: dict | None = None) -> None:
    """A billing invoice and its ERP invoice, both paid by default."""
    billing_invoice(m, in_id, "cus_I", **(billing or {}))
    erp_invoice(m, tx_id, "EI", in_id, **(erp or {}))


def build() -> Marts:
    m = Marts()
    account(m, "AI")
    erp_customer(m, "EI", "AI", subsidiary_currency="USD")
    billing_customer(m, "cus_I", "AI")
    account(m, "AI-OTHER", "Other")
    erp_customer(m, "EI-OTHER", "AI-OTHER", "Other")

    pair(m, "in_ok", "T-ok")
    # INV-01 and near-misses (inside grace, draft).
    billing_invoice(m, "in_I1", "cus_I", status="open", finalized_days_ago=3)
    billing_invoice(m, "in_I1-grace", "cus_I", status="open", finalized_days_ago=2)
    billing_invoice(m, "in_I1-draft", "cus_I", status="draft")
    # Its age counts from finalisation, not from the night the reconciliation first saw it.
    billing_invoice(m, "in_I1-235", "cus_I", status="open", finalized_days_ago=235)
    # INV-02: unknown and empty externalid; voided near-miss.
    erp_invoice(m, "T-I2", "EI", "in_ghost", status="open")
    erp_invoice(m, "T-I2-null", "EI", None, status="open")
    erp_invoice(m, "T-I2-void", "EI", "in_ghost2", status="voided")
    # INV-03: 0.4 % off is within tolerance; 0.6 % off and currency differences are not.
    pair(m, "in_I3-tol", "T-I3-tol", erp={"total": "1004.00"})
    pair(m, "in_I3", "T-I3", erp={"total": "1006.00"})
    pair(m, "in_I3-ccy", "T-I3-ccy", billing={"currency": "usd"}, erp={"currency": "EUR", "exchange_rate": "1.1"})
    pair(m, "in_I3-case", "T-I3-case", billing={"currency": "usd"}, erp={"currency": "USD"})
    # A voided ERP invoice replaced by a re-issue: the pair uses the re-issue.
    pair(m, "in_reissued", "T-reissue")
    erp_invoice(m, "T-reissue-void", "EI", "in_reissued", status="voided", total="999.00")
    # INV-04.
    pair(m, "in_I4", "T-I4", billing={"paid_days_ago": 3}, erp={"status": "open"})
    pair(m, "in_I4-grace", "T-I4-grace", billing={"paid_days_ago": 2}, erp={"status": "open"})
    pair(m, "in_I4-erp", "T-I4-erp", billing={"status": "open"}, erp={"status": "paid_in_full"})
    # INV-05.
    pair(m, "in_I5", "T-I5", billing={"status": "void"}, erp={"status": "open"})
    pair(m, "in_I5-uncol", "T-I5-uncol", billing={"status": "uncollectible"}, erp={"status": "open"})
    pair(m, "in_I5-cm", "T-I5-cm", billing={"status": "void"}, erp={"status": "open", "credit_applied": "1000"})
    pair(m, "in_I5-void", "T-I5-void", billing={"status": "void"}, erp={"status": "voided"})
    # INV-06, and a paid/open disagreement inside grace that INV-06 must not report.
    pair(m, "in_I6", "T-I6", billing={"status": "open", "paid": "400"}, erp={"status": "open", "paid": "300"})
    pair(m, "in_I6-ok", "T-I6-ok", billing={"status": "open", "paid": "400"}, erp={"status": "open", "paid": "401"})
    pair(m, "in_I6-prec", "T-I6-prec", billing={"paid_days_ago": 1}, erp={"status": "open", "paid": "500"})
    # INV-07.
    credit_note(m, "cn_missing", total="100", cus_id="cus_I")
    credit_note(m, "cn_ok", total="100", cus_id="cus_I")
    erp_credit_memo(m, "T-cm-ok", "cn_ok", total="100.30", erp_id="EI")
    credit_note(m, "cn_diff", total="100", cus_id="cus_I")
    erp_credit_memo(m, "T-cm-diff", "cn_diff", total="110", erp_id="EI")
    credit_note(m, "cn_void", total="100", status="void", cus_id="cus_I")
    # INV-08: one minor unit is allowed inside a document, two are not.
    pair(m, "in_I8", "T-I8", billing={"total": "1000.00", "tax": "100.00", "lines_total": "900.02"})
    pair(m, "in_I8-ok", "T-I8-ok", billing={"total": "1000.00", "tax": "100.00", "lines_total": "900.01"})
    pair(m, "in_I8-paid", "T-I8-paid", billing={"remaining": "5.00"})
    pair(m, "in_I8-erp", "T-I8-erp", erp={"lines": ("500.00", "499.98")})
    pair(m, "in_I8-erp-ok", "T-I8-erp-ok", erp={"lines": ("-500.00", "-499.99")})
    # INV-09: booked to another account's ERP customer.
    billing_invoice(m, "in_I9", "cus_I")
    erp_invoice(m, "T-I9", "EI-OTHER", "in_I9")
    return m


@pytest.fixture(scope="module")
def run(recon_session_dir: Path) -> ReconRun:
    return run_recon(build(), recon_session_dir, default_vars())


def test_exactly_the_expected_invoice_findings_fire(run: ReconRun) -> None:
    assert run.fired("INV") == {
        ("INV-01", "in_I1", ""),
        ("INV-01", "in_I1-235", ""),
        ("INV-02", "T-I2", ""),
        ("INV-02", "T-I2-null", ""),
        ("INV-03", "in_I3", ""),
        ("INV-03", "in_I3-ccy", ""),
        ("INV-04", "in_I4", ""),
        ("INV-04", "in_I4-erp", ""),
        ("INV-05", "in_I5", ""),
        ("INV-05", "in_I5-uncol", ""),
        ("INV-06", "in_I6", ""),
        ("INV-07", "cn_missing", ""),
        ("INV-07", "cn_diff", ""),
        ("INV-08", "in_I8", ""),
        ("INV-08", "in_I8-paid", ""),
        ("INV-08", "T-I8-erp", ""),
        ("INV-09", "in_I9", ""),
    }


def test_subjects_and_amounts(run: ReconRun) -> None:
    assert run.one("INV-02", "T-I2")["subject_type"] == "erp_transaction"
    assert run.one("INV-08", "T-I8-erp")["subject_type"] == "erp_transaction"
    assert run.one("INV-07", "cn_diff")["subject_type"] == "billing_credit_note"
    assert run.one("INV-07", "cn_diff")["amount_at_risk"] == Decimal("10.0000")
    assert run.one("INV-08", "in_I8")["amount_at_risk"] == Decimal("0.0200")
    assert run.one("INV-03", "in_I3")["amount_at_risk"] == Decimal("6.0000")
    assert run.one("INV-09", "in_I9")["erp_customer_id"] == "EI-OTHER"


def test_age_counts_from_the_business_event(run: ReconRun) -> None:
    def age(rule_id: str, subject_id: str) -> tuple:
        f = run.one(rule_id, subject_id)
        return f["event_date"], f["event_age_days"], f["event_aging_bucket"]

    assert age("INV-01", "in_I1-235") == (days_ago(235), 235, "90+")  # finalised 235 days ago
    assert age("INV-01", "in_I1") == (days_ago(3), 3, "0-30")
    assert age("INV-02", "T-I2") == (days_ago(19), 19, "0-30")  # the ERP invoice's trandate
    assert age("INV-04", "in_I4") == (days_ago(3), 3, "0-30")  # paid in billing 3 days ago
    assert age("INV-04", "in_I4-erp") == (days_ago(20), 20, "0-30")  # paid in the ERP: finalisation
    assert age("INV-03", "in_I3")[1] == 20


def test_every_invoice_finding_names_the_crm_account(run: ReconRun) -> None:
    # through the billing customer's metadata.crm_account_id, or the ERP customer's Mapping
    assert {f["subject_id"]: f["crm_account_id"] for f in run.findings if f["rule_id"] in ("INV-01", "INV-02")} == {
        "in_I1": "AI",
        "in_I1-235": "AI",
        "T-I2": "AI",
        "T-I2-null": "AI",
    }
    assert all(f["crm_account_id"] for f in run.findings if f["family"] == "INV"), [
        (f["rule_id"], f["subject_id"]) for f in run.findings if f["family"] == "INV" and not f["crm_account_id"]
    ]


def test_erp_exchange_rate_is_used_when_it_converts_into_the_reporting_currency(run: ReconRun) -> None:
    finding = run.one("INV-03", "in_I3-ccy")
    assert finding["currency_code"] == "USD"  # the billing document's currency
    assert finding["fx_rate_to_reporting"] == Decimal("1")
