"""INV-01 .. INV-09 on extracts written from the contract, one pipeline run for the module.

One full batch per system extracted 2026-03-31 (as-of), G = 2. A billing invoice and an
ERP CustInvc match when the ERP externalid is the billing invoice id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tests.scenarios.engagements import Products, engagement
from tests.scenarios.extract_builder import World
from tests.scenarios.scenario_check import Scenarios, family_tests

AS_OF = date(2026, 3, 31)
w = World(datetime(2026, 3, 31, 2, 0, tzinfo=UTC))
products = Products(w)
SCENARIOS = Scenarios()
RATES = [("Senior Consultant", "200.00", date(2025, 1, 1), None)]
usd = engagement(w, products, 1, rates=RATES)
usd2 = engagement(w, products, 2, rates=RATES)
jpy = engagement(w, products, 3, currency="JPY", rates=[("Senior Consultant", "25000", date(2025, 1, 1), None)])
bhd = engagement(w, products, 4, currency="BHD", rates=[("Senior Consultant", "50.125", date(2025, 1, 1), None)])
_k = iter(range(1, 1000))


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def bkey(rule, iid):
    return (rule, "billing_invoice", iid, "")


def ekey(rule, tid):
    return (rule, "erp_transaction", str(tid), "")


def pair(
    *,
    eng=usd,
    total="1000.00",
    status="open",
    finalized=None,
    paid_on=None,
    erp=True,
    erp_total=None,
    erp_status=None,
    erp_paid=None,
    erp_unpaid=None,
    erp_voided=False,
    erp_currency=None,
    erp_entity=None,
    erp_lines_total=None,
    invoice_total=None,
    **billing_kw,
):
    """A billing invoice and (unless erp=False) its ERP CustInvc; returns (invoice id, ERP id)."""
    k = next(_k)
    iid, tid = f"in_inv{k:04d}", 70000 + k
    finalized = finalized if finalized is not None else (None if status == "draft" else ago(10))
    if status == "paid" and paid_on is None:
        paid_on = ago(10)
    w.invoice(
        iid,
        eng.billing_customer_id,
        eng.currency,
        status=status,
        finalized=finalized,
        paid_on=paid_on,
        voided_on=ago(5) if status == "void" else None,
        project_code=eng.code,
        lines=billing_kw.pop("lines", None) or [{"amount": total}],
        total=invoice_total,
        **billing_kw,
    )
    if erp:
        e_total = erp_total or total
        if eng.currency == "BHD":  # the ERP keeps two decimals in every currency
            e_total = str(Decimal(e_total).quantize(Decimal("0.01")))
        e_status = erp_status or ("B" if status == "paid" else "A")
        e_paid = erp_paid if erp_paid is not None else (e_total if e_status == "B" else "0")
        lines_total = erp_lines_total or e_total
        w.erp_invoice(
            tid,
            entity=erp_entity or eng.erp_customer_id,
            currency=erp_currency or eng.currency,
            lines=[("Senior Consultant", "1", lines_total, lines_total)],
            status=e_status,
            paid=e_paid,
            externalid=iid,
            job=eng.job_id,
            total=e_total,
            voided=erp_voided,
            trandate=finalized or ago(10),
        )
        if erp_unpaid is not None:
            w.batches["erp"].objects["transaction"][-1]["foreignamountunpaid"] = erp_unpaid
    return iid, tid


# ---- INV-01 ----------------------------------------------------------------------------
for label, status, days, flagged in [
    ("open_3_days", "open", 3, True),
    ("open_2_days_grace", "open", 2, False),
    ("paid_10_days", "paid", 10, True),
    ("uncollectible_10_days", "uncollectible", 10, True),
    ("draft_never", "draft", None, False),
    ("void_not_finalised", "void", 10, False),
]:
    iid, _ = pair(
        status=status, finalized=ago(days) if days else None, erp=False, paid_on=ago(days) if status == "paid" else None
    )
    SCENARIOS.add(f"inv01_{label}", [iid], [bkey("INV-01", iid)] if flagged else [])

# ---- INV-02 ----------------------------------------------------------------------------
w.erp_invoice(
    79001,
    entity=usd.erp_customer_id,
    currency="USD",
    lines=[("Senior Consultant", "1", "10.00", "10.00")],
    externalid="in_invnowhere",
)
SCENARIOS.add("inv02_externalid_unknown", ["79001"], [ekey("INV-02", 79001)])
w.erp_invoice(79002, entity=usd.erp_customer_id, currency="USD", lines=[("Senior Consultant", "1", "10.00", "10.00")])
SCENARIOS.add("inv02_empty_externalid", ["79002"], [ekey("INV-02", 79002)], "matches no billing invoice")
w.erp_invoice(
    79003,
    entity=usd.erp_customer_id,
    currency="USD",
    lines=[("Senior Consultant", "1", "10.00", "10.00")],
    externalid="in_invnowhere2",
    status="V",
    voided=True,
)
SCENARIOS.add("inv02_voided_out_of_scope", ["79003"], [])

# ---- INV-03 ----------------------------------------------------------------------------
for label, erp_total, flagged in [
    ("1004_99_agrees", "1004.99", False),
    ("1005_02_agrees", "1005.02", False),
    ("1005_03_differs", "1005.03", True),
]:
    iid, tid = pair(total="1000.00", erp_total=erp_total)
    SCENARIOS.add(
        f"inv03_total_{label}",
        [iid, tid],
        [bkey("INV-03", iid)] if flagged else [],
        "tolerance max(0.01, 0.5% of the larger)",
    )
iid, tid = pair(erp_currency="EUR")
SCENARIOS.add("inv03_currency_differs", [iid, tid], [bkey("INV-03", iid)])
iid, tid = pair(eng=jpy, total="100000")
SCENARIOS.add("inv03_jpy_zero_decimal_equal", [iid, tid], [])
iid, tid = pair(eng=jpy, total="100000", erp_total="110000")
SCENARIOS.add("inv03_jpy_differs", [iid, tid], [bkey("INV-03", iid)])
iid, tid = pair(eng=bhd, total="1234.567")
SCENARIOS.add("inv03_bhd_three_decimals_vs_two_in_erp", [iid, tid], [], "1234.567 BHD vs ERP 1234.57")

# ---- INV-04 ----------------------------------------------------------------------------
for label, days, erp_kw, flagged in [
    ("paid_3_days_erp_open", 3, {"erp_status": "A"}, True),
    ("paid_2_days_erp_open_grace", 2, {"erp_status": "A"}, False),
    ("paid_10_days_erp_paid", 10, {}, False),
    ("paid_erp_status_b_but_unpaid", 10, {"erp_status": "B", "erp_unpaid": "1000.00", "erp_paid": "0"}, True),
]:
    iid, tid = pair(status="paid", paid_on=ago(days), **erp_kw)
    SCENARIOS.add(f"inv04_{label}", [iid, tid], [bkey("INV-04", iid)] if flagged else [], str(erp_kw))
iid, tid = pair(status="open", erp_status="B", erp_paid="1000.00")
SCENARIOS.add("inv04_erp_paid_in_full_billing_open", [iid, tid], [bkey("INV-04", iid)])

# ---- INV-05 ----------------------------------------------------------------------------
iid, tid = pair(status="void")
SCENARIOS.add("inv05_void_in_billing_open_in_erp", [iid, tid], [bkey("INV-05", iid)])
iid, tid = pair(status="uncollectible")
SCENARIOS.add("inv05_uncollectible_open_in_erp", [iid, tid], [bkey("INV-05", iid)])
iid, tid = pair(status="void", erp_status="V", erp_voided=True)
SCENARIOS.add("inv05_voided_in_both", [iid, tid], [])
iid, tid = pair(status="void", erp_status="A")
w.erp_transaction(
    78001, "CustCred", "B", entity=usd.erp_customer_id, currency="USD", total="1000.00", paid="1000.00", unpaid="0"
)
w.erp_link(tid, 78001, "Credit Memo", "1000.00")
SCENARIOS.add("inv05_covered_by_applied_credit_memo", [iid, tid], [], "ERP status A but a credit memo applied in full")

# ---- INV-06 ----------------------------------------------------------------------------
for label, b_paid, e_paid, flagged in [
    ("partial_agrees", "400.00", "400.00", False),
    ("partial_differs", "400.00", "300.00", True),
    ("partial_within_tolerance", "400.00", "402.00", False),
    ("erp_partial_billing_nothing", "0", "500.00", True),
]:
    iid, tid = pair(status="open", amount_paid=b_paid, erp_paid=e_paid)
    SCENARIOS.add(
        f"inv06_{label}",
        [iid, tid],
        [bkey("INV-06", iid)] if flagged else [],
        f"billing paid {b_paid}, ERP paid {e_paid} of 1000",
    )

# ---- INV-07 ----------------------------------------------------------------------------
cn_base, _ = pair(total="500.00")
w.credit_note("cn_invmissing", cn_base, usd.billing_customer_id, "USD", "100.00")
SCENARIOS.add(
    "inv07_issued_without_erp_memo", ["cn_invmissing"], [("INV-07", "billing_credit_note", "cn_invmissing", "")]
)
w.credit_note("cn_invvoid", cn_base, usd.billing_customer_id, "USD", "100.00", status="void")
SCENARIOS.add("inv07_void_credit_note_out_of_scope", ["cn_invvoid"], [])
for cn, erp_amount, flagged in [("cn_invok", "100.00", False), ("cn_invwrong", "150.00", True)]:
    w.credit_note(cn, cn_base, usd.billing_customer_id, "USD", "100.00")
    tid = 78100 + len(SCENARIOS)
    w.erp_transaction(
        tid,
        "CustCred",
        "A",
        entity=usd.erp_customer_id,
        currency="USD",
        total=erp_amount,
        unpaid=erp_amount,
        externalid=cn,
    )
    SCENARIOS.add(
        f"inv07_{cn}",
        [cn],
        [("INV-07", "billing_credit_note", cn, "")] if flagged else [],
        f"billing 100.00 vs ERP memo {erp_amount}",
    )

# ---- INV-08 ----------------------------------------------------------------------------
for label, eng, kw, flagged in [
    ("billing_total_off_by_2_cents", usd, {"total": "1000.02", "lines": [{"amount": "1000.00"}]}, True),
    ("billing_total_off_by_1_cent", usd, {"total": "1000.01", "lines": [{"amount": "1000.00"}]}, False),
    ("billing_subtotal_off_lines_by_2_cents", usd, {"subtotal": "1000.02", "lines": [{"amount": "1000.00"}]}, True),
    (
        "billing_paid_with_remaining",
        usd,
        {"status": "paid", "amount_remaining": "10.00", "amount_paid": "1000.00", "lines": [{"amount": "1000.00"}]},
        True,
    ),
    ("jpy_total_off_by_2_yen", jpy, {"total": "100002", "lines": [{"amount": "100000"}]}, True),
    ("jpy_total_off_by_1_yen", jpy, {"total": "100001", "lines": [{"amount": "100000"}]}, False),
    ("bhd_total_off_by_2_fils", bhd, {"total": "100.002", "lines": [{"amount": "100.000"}]}, True),
    ("bhd_total_off_by_1_fil", bhd, {"total": "100.001", "lines": [{"amount": "100.000"}]}, False),
]:
    lines = kw.pop("lines")
    doc_total = kw.get("total") or kw.get("subtotal") or str(sum(Decimal(l["amount"]) for l in lines))
    if "total" in kw:
        kw["invoice_total"] = kw.pop("total")
    iid, tid = pair(eng=eng, lines=lines, total=doc_total, **kw)
    SCENARIOS.add(
        f"inv08_{label}",
        [iid, tid],
        [bkey("INV-08", iid)] if flagged else [],
        "inside-document: more than one minor unit",
    )
for label, lines_total, flagged in [
    ("erp_lines_off_by_2_cents", "999.98", True),
    ("erp_lines_off_by_1_cent", "999.99", False),
]:
    iid, tid = pair(total="1000.00", erp_lines_total=lines_total)
    SCENARIOS.add(
        f"inv08_{label}",
        [iid, tid],
        [ekey("INV-08", tid)] if flagged else [],
        "foreigntotal 1000.00 vs non-main lines incl. tax line",
    )

# ---- INV-09 ----------------------------------------------------------------------------
iid, tid = pair(erp_entity=usd2.erp_customer_id)
SCENARIOS.add("inv09_erp_invoice_booked_to_other_customer", [iid, tid], [bkey("INV-09", iid)])
iid, tid = pair()
SCENARIOS.add("inv09_baseline_matched_pair_clean", [iid, tid], [])


# The run fixture and the family's three tests, bound here for pytest to collect.
run, test_pipeline_ran_cleanly, test_scenario, test_no_findings_outside_scenarios = family_tests(
    w, SCENARIOS, "INV", AS_OF
)
