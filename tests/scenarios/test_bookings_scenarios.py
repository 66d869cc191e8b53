"""BOOK-01 and BOOK-02 on extracts written from the contract, one pipeline run for the module.

One full batch per system extracted 2026-03-31 (as-of), G = 2.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.scenarios.engagements import Products, engagement
from tests.scenarios.extract_builder import World
from tests.scenarios.scenario_check import Scenarios, family_tests

AS_OF = date(2026, 3, 31)
w = World(datetime(2026, 3, 31, 2, 0, tzinfo=UTC))
products = Products(w)
SCENARIOS = Scenarios()
RATES = [("Senior Consultant", "200.00", date(2025, 1, 1), None)]
_inv = iter(range(1, 1000))


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def okey(rule, opp):
    return (rule, "crm_opportunity", opp, "")


def bill(eng, subtotal, status="open", tax="0"):
    iid = f"in_book{next(_inv):04d}"
    w.invoice(
        iid,
        eng.billing_customer_id,
        eng.currency,
        status=status,
        project_code=eng.code,
        tax=tax,
        finalized=None if status == "draft" else ago(20),
        paid_on=ago(10) if status == "paid" else None,
        voided_on=ago(5) if status == "void" else None,
        lines=[{"amount": subtotal, "description": "Consulting"}],
    )
    return iid


# ---- BOOK-01 ---------------------------------------------------------------------------
for n, label, bills, flagged in [
    (1, "nte_exactly_reached", [("6000.00", "paid"), ("4000.00", "open")], False),
    (2, "nte_within_tolerance_10050_25", [("6000.00", "paid"), ("4050.25", "open")], False),
    (3, "nte_beyond_tolerance_10050_26", [("6000.00", "paid"), ("4050.26", "open")], True),
    (4, "tax_not_counted", [("10000.00", "open", "2000.00")], False),
    (5, "void_and_draft_not_counted", [("10000.00", "open"), ("5000.00", "void"), ("5000.00", "draft")], False),
    (6, "uncollectible_counts", [("8000.00", "paid"), ("3000.00", "uncollectible")], True),
]:
    eng = engagement(w, products, n, rates=RATES, amount="50000.00", nte="10000.00")
    for b in bills:
        bill(eng, b[0], b[1], *(b[2:]))
    SCENARIOS.add(
        f"book01_{label}",
        [eng.opportunity_id],
        [okey("BOOK-01", eng.opportunity_id)] if flagged else [],
        f"T&M, Not_To_Exceed 10000.00, bills {bills}",
    )

eng = engagement(w, products, 7, fixed_fee=True, amount="20000.00")
bill(eng, "21000.00")
SCENARIOS.add("book01_fixed_fee_over_amount", [eng.opportunity_id], [okey("BOOK-01", eng.opportunity_id)])
eng = engagement(w, products, 8, fixed_fee=True, amount="20000.00")
bill(eng, "20000.00", "paid")
SCENARIOS.add("book01_fixed_fee_at_amount", [eng.opportunity_id], [])
eng = engagement(w, products, 9, rates=RATES, amount="20000.00", nte=None)
bill(eng, "25000.00")
SCENARIOS.add(
    "book01_tm_without_nte_not_capped",
    [eng.opportunity_id],
    [],
    "T&M is capped by Not_To_Exceed__c only (ambiguous: the Amount could be read as the cap)",
)
# JPY is zero-decimal: an NTE of 1,000,000 JPY against billed subtotals either side of it
for n, billed, label, over_cap, note in [
    (10, "1100000", "book01_jpy_zero_decimal", True,
     "1,100,000 JPY billed (110000000 would be the cents misreading) vs NTE 1,000,000"),
    (11, "990000", "book01_jpy_under_cap", False, "990,000 JPY must not be read as 9,900 x 100"),
]:  # fmt: skip
    eng = engagement(
        w,
        products,
        n,
        currency="JPY",
        rates=[("Senior Consultant", "25000", date(2025, 1, 1), None)],
        amount="1000000",
        nte="1000000",
    )
    bill(eng, billed)
    SCENARIOS.add(label, [eng.opportunity_id], [okey("BOOK-01", eng.opportunity_id)] if over_cap else [], note)


# ---- BOOK-02 ---------------------------------------------------------------------------
def opp_only(n, close, *, project=False, job=False, won=True, deleted=False, code="default"):
    code = f"BOOK-{n}" if code == "default" else code
    acc = w.account(n, f"Booking {n}", erp_id=3000 + n)
    w.erp_customer(3000 + n, f"Booking {n}", acc)
    w.billing_customer(f"cus_book{n:04d}", f"Booking {n}", crm=acc, erp=str(3000 + n))
    opp = w.opportunity(n, acc, code, close=close, won=won, closed=True, deleted=deleted)
    if project:
        w.project(1000 + n, w.client(2000 + n, f"Booking {n}"), code)
    if job:
        w.job(4000 + n, 3000 + n, code)
    return opp


for n, label, kw, flagged in [
    (101, "no_project_no_job_3_days", {"close": ago(3)}, True),
    (102, "no_project_no_job_2_days_grace", {"close": ago(2)}, False),
    (103, "project_without_job", {"close": ago(30), "project": True}, True),
    (104, "job_without_project", {"close": ago(30), "job": True}, True),
    (105, "both_present", {"close": ago(30), "project": True, "job": True}, False),
    (106, "lost_opportunity", {"close": ago(30), "won": False}, False),
    (107, "deleted_won_opportunity", {"close": ago(30), "deleted": True}, False),
    (108, "empty_project_code", {"close": ago(30), "code": None}, True),
]:
    opp = opp_only(n, **kw)
    SCENARIOS.add(
        f"book02_{label}",
        [opp],
        [okey("BOOK-02", opp)] if flagged else [],
        "ambiguous: an empty PSA_Project_Code__c read literally has no PSA project" if n == 108 else str(kw),
    )


# The run fixture and the family's three tests, bound here for pytest to collect.
run, test_pipeline_ran_cleanly, test_scenario, test_no_findings_outside_scenarios = family_tests(
    w, SCENARIOS, "BOOK", AS_OF
)
