"""ACC-01 .. ACC-06 on hand-built accounts: each positive case and the catalogue's near-misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reconciliation.builders import (
    account,
    billing_customer,
    billing_invoice,
    engagement,
    erp_customer,
    erp_invoice,
    opportunity,
    time_entry,
)
from tests.reconciliation.recon_harness import Marts, ReconRun, default_vars, run_recon


def build() -> Marts:
    m = Marts()
    # ACC-01: won 10 days ago, no ERP customer at all (billing present).
    account(m, "A01")
    opportunity(m, "O-A01", "A01", closed_days_ago=10)
    billing_customer(m, "cus_A01", "A01")
    # Near-miss: closed exactly G = 2 days ago (2 > 2 is false): neither ACC-01 nor ACC-02.
    account(m, "A01-GRACE")
    opportunity(m, "O-A01-GRACE", "A01-GRACE", closed_days_ago=2)
    # Near-misses: deleted / merged accounts, lost opportunity, deleted won opportunity.
    account(m, "A01-DEL", deleted=True)
    opportunity(m, "O-A01-DEL", "A01-DEL", closed_days_ago=10)
    account(m, "A01-MERGED", master="A01")
    opportunity(m, "O-A01-MERGED", "A01-MERGED", closed_days_ago=10)
    account(m, "A01-LOST")
    opportunity(m, "O-A01-LOST", "A01-LOST", closed_days_ago=10, won=False)
    account(m, "A01-OPPDEL")
    opportunity(m, "O-A01-OPPDEL", "A01-OPPDEL", closed_days_ago=10, deleted=True)
    # Near-miss: the only ERP customer is inactive (active or inactive counts).
    account(m, "A01-INACTIVE")
    opportunity(m, "O-A01-INACTIVE", "A01-INACTIVE", closed_days_ago=10)
    erp_customer(m, "E01-INACTIVE", "A01-INACTIVE", inactive=True)
    billing_customer(m, "cus_A01-INACTIVE", "A01-INACTIVE")
    # Near-miss: ERP customer found through ERP_Customer_Id__c only (empty externalid).
    account(m, "A01-PTR", erp_pointer="E01-PTR")
    opportunity(m, "O-A01-PTR", "A01-PTR", closed_days_ago=10)
    erp_customer(m, "E01-PTR", None)
    billing_customer(m, "cus_A01-PTR", "A01-PTR")
    # ACC-01 although the pointer is set: it does not resolve.
    account(m, "A01-DANGLING", erp_pointer="E-NOPE")
    opportunity(m, "O-A01-DANGLING", "A01-DANGLING", closed_days_ago=10)
    billing_customer(m, "cus_A01-DANGLING", "A01-DANGLING")

    # ACC-02: ERP present, the only billing customer is deleted.
    account(m, "A02")
    opportunity(m, "O-A02", "A02", closed_days_ago=30)
    erp_customer(m, "E02", "A02")
    billing_customer(m, "cus_A02", "A02", deleted=True)

    # ACC-03: names equal after normalisation; country differs in ERP; legal entity suffix.
    account(m, "A03", "Acme Corp.", tax_id="DE 123.456", legal="Q2 Advisory Inc.")
    erp_customer(m, "E03", "A03", "ACME", country="CA", vat="de123456", legal="Q2 Advisory Ltd")
    billing_customer(m, "cus_A03", "A03", "acme, inc", currency="usd", country="us", tax_ids=("XX999", "DE-123456"))
    # ACC-03: name and tax id differ in billing only; accents ignored.
    account(m, "A03B", "Müller GmbH", tax_id="ATU1")
    erp_customer(m, "E03B", "A03B", "Muller", vat="ATU 1", legal="q2 advisory, inc")
    billing_customer(m, "cus_A03B", "A03B", "Mueller Holdings", tax_ids=("ATU9",))
    # Near-miss: attributes billing has not filled in (null currency, no tax ids) and an
    # ERP customer without a VAT number are missing data, not disagreements.
    account(m, "A03-NULL", "Omega", tax_id="GB123")
    erp_customer(m, "E03-NULL", "A03-NULL", "Omega", vat=None)
    billing_customer(m, "cus_A03-NULL", "A03-NULL", "Omega", currency=None)
    # ACC-03: currency differs in both systems -> one finding listing both.
    account(m, "A03C", "Beta S.A.", currency="EUR", country="FR")
    erp_customer(m, "E03C", "A03C", "Beta SA", currency="GBP", country="FR")
    billing_customer(m, "cus_A03C", "A03C", "BETA", currency="gbp", country="FR")
    # Near-miss: everything equal modulo normalisation ("Pty Ltd", "B.V.", punctuation).
    account(m, "A03-OK", "Gamma Pty Ltd", tax_id="NL001B01")
    erp_customer(m, "E03-OK", "A03-OK", "GAMMA B.V.", vat="nl 001 b01", legal="Q2 ADVISORY INC")
    billing_customer(m, "cus_A03-OK", "A03-OK", "Gamma", tax_ids=("NL001B01",))
    # Near-miss: inactive ERP customer / deleted account are not compared.
    account(m, "A03-INACT", "Delta")
    erp_customer(m, "E03-INACT", "A03-INACT", "Totally Different", inactive=True)
    account(m, "A03-DEL", "Epsilon", deleted=True)
    erp_customer(m, "E03-DEL", "A03-DEL", "Something Else")

    # ACC-04 (a): pointer names an ERP customer whose externalid names another account.
    account(m, "A04A", "Zeta", erp_pointer="E04-OTHER")
    account(m, "A04-OTHER", "Eta")
    erp_customer(m, "E04-OTHER", "A04-OTHER", "Eta")
    # ACC-04 (b): two live ERP customers map to the account (one via the pointer).
    account(m, "A04B", "Theta", erp_pointer="E04B-2")
    erp_customer(m, "E04B-1", "A04B", "Theta")
    erp_customer(m, "E04B-2", None, "Theta")
    # Near-miss: second ERP customer inactive.
    account(m, "A04B-OK", "Iota")
    erp_customer(m, "E04B-OK-1", "A04B-OK", "Iota")
    erp_customer(m, "E04B-OK-2", "A04B-OK", "Iota", inactive=True)
    # ACC-04 (c): two live billing customers; near-miss: the second is deleted.
    account(m, "A04C", "Kappa")
    billing_customer(m, "cus_A04C-1", "A04C", "Kappa")
    billing_customer(m, "cus_A04C-2", "A04C", "Kappa")
    account(m, "A04C-OK", "Lambda")
    billing_customer(m, "cus_A04C-OK-1", "A04C-OK", "Lambda")
    billing_customer(m, "cus_A04C-OK-2", "A04C-OK", "Lambda", deleted=True)
    # ACC-04 (d): billing customer's erp_customer_id names another account's ERP customer.
    account(m, "A04D", "Mu")
    erp_customer(m, "E04D", "A04D", "Mu")
    billing_customer(m, "cus_A04D", "A04D", "Mu", erp_id="E04-OTHER")
    # Near-misses (empty pointers): no CRM pointer, billing without erp pointer, billing
    # pointer to an ERP customer mapped to no account, billing pointer to its own customer.
    account(m, "A04-EMPTY", "Nu")
    erp_customer(m, "E04-EMPTY", "A04-EMPTY", "Nu")
    billing_customer(m, "cus_A04-EMPTY", "A04-EMPTY", "Nu")
    account(m, "A04-UNMAPPED", "Xi")
    erp_customer(m, "E04-NOBODY", None, "Nobody")
    billing_customer(m, "cus_A04-UNMAPPED", "A04-UNMAPPED", "Xi", erp_id="E04-NOBODY")
    account(m, "A04-OWN", "Omicron", erp_pointer="E04-OWN")
    erp_customer(m, "E04-OWN", "A04-OWN", "Omicron")
    billing_customer(m, "cus_A04-OWN", "A04-OWN", "Omicron", erp_id="E04-OWN")

    # ACC-05: inactive ERP customer with an open invoice.
    account(m, "A05", "Pi")
    erp_customer(m, "E05", "A05", "Pi", inactive=True)
    erp_invoice(m, "T05", "E05", "in_T05", status="open", total="500.00")
    # ACC-05: inactive with approved time 30 days ago (within the window) on its engagement.
    account(m, "A05T", "Rho")
    erp_customer(m, "E05T", "A05T", "Rho", inactive=True)
    engagement(m, "P-05T", opp_id=None, project_id="p05t", erp_job_id="J05T", erp_customer_id="E05T")
    time_entry(m, "te-05t", "P-05T", "p05t", spent_days_ago=30)
    # Near-misses: time 31 days ago, unapproved recent time, paid and voided invoices.
    account(m, "A05-OK", "Sigma")
    erp_customer(m, "E05-OK", "A05-OK", "Sigma", inactive=True)
    engagement(m, "P-05OK", opp_id=None, project_id="p05ok", erp_job_id="J05OK", erp_customer_id="E05-OK")
    time_entry(m, "te-05ok-old", "P-05OK", "p05ok", spent_days_ago=31)
    time_entry(m, "te-05ok-sub", "P-05OK", "p05ok", spent_days_ago=3, status="submitted")
    erp_invoice(m, "T05-PAID", "E05-OK", "in_T05-PAID", status="paid_in_full")
    erp_invoice(m, "T05-VOID", "E05-OK", "in_T05-VOID", status="voided")

    # ACC-06: ERP customer with open receivables whose account is merged.
    account(m, "A06-MERGED", "Tau", master="A06-SURVIVOR")
    erp_customer(m, "E06", "A06-MERGED", "Tau")
    erp_invoice(m, "T06", "E06", "in_T06", status="open", total="700.00")
    # ACC-06: live billing customer with an invoice and no CRM account.
    billing_customer(m, "cus_A06", None, "Upsilon")
    billing_invoice(m, "in_A06", "cus_A06", status="open", total="80.00")
    # Near-misses: billing customer without invoices; ERP customer mapped only by a live
    # account's pointer; ERP customer without open receivables.
    billing_customer(m, "cus_A06-NOINV", None, "Phi")
    account(m, "A06-PTR", "Chi", erp_pointer="E06-PTR")
    erp_customer(m, "E06-PTR", None, "Chi")
    erp_invoice(m, "T06-PTR", "E06-PTR", "in_T06-PTR", status="open", total="10.00")
    erp_customer(m, "E06-NOAR", "A-GONE", "Psi")
    erp_invoice(m, "T06-NOAR", "E06-NOAR", "in_T06-NOAR", status="paid_in_full")
    return m


@pytest.fixture(scope="module")
def run(recon_session_dir: Path) -> ReconRun:
    return run_recon(build(), recon_session_dir, default_vars())


def test_exactly_the_expected_account_findings_fire(run: ReconRun) -> None:
    assert run.fired("ACC") == {
        ("ACC-01", "A01", ""),
        ("ACC-01", "A01-DANGLING", ""),
        ("ACC-02", "A02", ""),
        ("ACC-03", "A03", "country"),
        ("ACC-03", "A03", "legal_entity"),
        ("ACC-03", "A03B", "name"),
        ("ACC-03", "A03B", "tax_id"),
        ("ACC-03", "A03C", "currency"),
        ("ACC-04", "A04A", ""),
        ("ACC-04", "A04B", ""),
        ("ACC-04", "A04C", ""),
        ("ACC-04", "A04D", ""),
        ("ACC-05", "E05", ""),
        ("ACC-05", "E05T", ""),
        ("ACC-06", "E06", ""),
        ("ACC-06", "cus_A06", ""),
    }


def test_acc03_lists_every_differing_system(run: ReconRun) -> None:
    finding = run.one("ACC-03", "A03C", "currency")
    assert finding["expected"] == "EUR"
    assert finding["actual"] == "billing: GBP; erp: GBP"
    assert (finding["erp_customer_id"], finding["billing_customer_id"]) == ("E03C", "cus_A03C")


def test_subject_types_and_owners(run: ReconRun) -> None:
    assert run.one("ACC-05", "E05")["subject_type"] == "erp_customer"
    assert run.one("ACC-06", "cus_A06")["subject_type"] == "billing_customer"
    assert run.one("ACC-01", "A01")["subject_type"] == "crm_account"
    assert run.one("ACC-01", "A01")["owner"] == "sales_ops"
    assert run.one("ACC-05", "E05")["owner"] == "accounts_receivable"


def test_amounts(run: ReconRun) -> None:
    from decimal import Decimal

    assert run.one("ACC-05", "E05")["amount_at_risk"] == Decimal("500.0000")
    assert run.one("ACC-06", "E06")["amount_at_risk"] == Decimal("700.0000")
    assert run.one("ACC-01", "A01")["amount_at_risk"] is None
    assert run.one("ACC-01", "A01")["crm_opportunity_id"] == "O-A01"
