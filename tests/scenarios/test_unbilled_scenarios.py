"""UNB-01 .. UNB-05 on extracts written from the contract, one pipeline run for the module.

crm/erp/billing: one full batch extracted 2026-03-31 (as-of). psa: full T1 (03-29) with every
record, full T2 (03-30) that drops one entry (purged), incremental T3 (03-31) that fixes one.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.scenarios.engagements import Products, engagement
from tests.scenarios.extract_builder import Batch, World
from tests.scenarios.pipeline_runner import PipelineRun
from tests.scenarios.scenario_check import Scenario, Scenarios, check, family_tests

AS_OF = date(2026, 3, 31)
w = World(datetime(2026, 3, 31, 2, 0, tzinfo=UTC))
products = Products(w)
SCENARIOS = Scenarios()
ALWAYS = date(2025, 1, 1)
SENIOR, CONSULTANT = "Senior Consultant", "Consultant"
_id = iter(range(600001, 700000))


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def tkey(rule, tid):
    return (rule, "psa_time_entry", str(tid), "")


RATES = [(SENIOR, "200.00", ALWAYS, None), (CONSULTANT, "150.00", ALWAYS, None)]
std = engagement(w, products, 1, rates=RATES)
other = engagement(w, products, 2, rates=RATES)
ff = engagement(w, products, 3, rates=RATES, fixed_fee=True)
nonbillable = engagement(w, products, 4, rates=RATES, billable=False)
senior = w.user(501, [SENIOR, CONSULTANT])
consultant = w.user(502, [CONSULTANT, SENIOR])

# one invoice of std per billing status that UNB-02 tells apart
for invoice_id, status, dates in [
    ("in_unbpaid", "paid", {"paid_on": ago(5)}),
    ("in_unbdraft", "draft", {"finalized": None}),
    ("in_unbvoid", "void", {"voided_on": ago(5)}),
    ("in_unbopen", "open", {}),
]:
    w.invoice(
        invoice_id, std.billing_customer_id, "USD", status=status, project_code=std.code,
        lines=[{"amount": "100.00"}], **dates,
    )  # fmt: skip
PAID = {"id": "in_unbpaid", "number": "Q2-PAID"}


def te(spent, eng=std, user=senior, **kw):
    tid = next(_id)
    w.time_entry(tid, user, eng.client, eng.project, spent, **kw)
    return tid


# ---- UNB-01 ----------------------------------------------------------------------------
for label, days, bucket in [
    ("30_days_not_flagged", 30, None),
    ("31_days", 31, "31-60"),
    ("60_days", 60, "31-60"),
    ("61_days", 61, "61-90"),
    ("90_days", 90, "61-90"),
    ("91_days", 91, "90+"),
]:
    tid = te(ago(days))
    SCENARIOS.add(f"unb01_{label}", [tid], [tkey("UNB-01", tid)] if bucket else [], f"bucket {bucket}")
    if bucket:
        SCENARIOS[-1].note = f"bucket:{bucket}"

for label, kw, eng in [
    ("unb01_non_billable_time_out_of_scope", {"billable": False}, std),
    ("unb01_fixed_fee_project_out_of_scope", {}, ff),
    ("unb01_non_billable_project_out_of_scope", {}, nonbillable),
    ("unb01_has_invoice_not_billed_flag", {"invoice": PAID}, std),
]:
    tid = te(ago(45), eng=eng, **kw)
    SCENARIOS.add(label, [tid], [], str(kw))

tid = te(ago(45), approval="submitted")
SCENARIOS.add("unb01_submitted_is_unb03_not_unb01", [tid], [tkey("UNB-03", tid)])

# ---- UNB-02 ----------------------------------------------------------------------------
for label, kw, flagged in [
    ("unb02_billed_without_invoice", {"is_billed": True}, True),
    ("unb02_invoice_unknown_to_billing", {"is_billed": True, "invoice": {"id": "in_unbghost", "number": "X"}}, True),
    ("unb02_invoice_draft", {"is_billed": True, "invoice": {"id": "in_unbdraft", "number": "D"}}, True),
    ("unb02_invoice_void", {"is_billed": True, "invoice": {"id": "in_unbvoid", "number": "V"}}, True),
    ("unb02_invoice_open_ok", {"is_billed": True, "invoice": {"id": "in_unbopen", "number": "O"}}, False),
    ("unb02_invoice_paid_ok", {"is_billed": True, "invoice": PAID}, False),
    (
        "unb02_unknown_invoice_even_if_not_billed_flag",
        {"is_billed": False, "invoice": {"id": "in_unbghost2", "number": "X"}},
        True,
    ),
]:
    tid = te(ago(10), **kw)
    SCENARIOS.add(
        label,
        [tid],
        [tkey("UNB-02", tid)] if flagged else [],
        "ambiguous for the last: literal 'or its invoice.id is unknown' regardless of is_billed"
        if "even_if" in label
        else str(kw),
    )

eid = next(_id)
w.expense(eid, senior, std.client, std.project, ago(10), is_billed=True, invoice={"id": "in_unbghost", "number": "X"})
SCENARIOS.add("unb02_expense_invoice_unknown", [eid], [("UNB-02", "psa_expense", str(eid), "")])
eid = next(_id)
w.expense(eid, senior, std.client, std.project, ago(10), is_billed=True)
SCENARIOS.add("unb02_expense_billed_without_invoice", [eid], [("UNB-02", "psa_expense", str(eid), "")])

# ---- UNB-03 ----------------------------------------------------------------------------
for label, days, kw, eng, flagged in [
    ("unb03_submitted_15_days", 15, {"approval": "submitted"}, std, True),
    ("unb03_submitted_14_days_not_flagged", 14, {"approval": "submitted"}, std, False),
    ("unb03_unsubmitted_20_days", 20, {"approval": "unsubmitted"}, std, True),
    ("unb03_approved_20_days", 20, {"invoice": PAID, "is_billed": True}, std, False),
    ("unb03_non_billable_unsubmitted", 20, {"approval": "unsubmitted", "billable": False}, std, False),
    ("unb03_fixed_fee_still_billable_time", 20, {"approval": "submitted"}, ff, True),
]:
    tid = te(ago(days), eng=eng, **kw)
    SCENARIOS.add(
        label,
        [tid],
        [tkey("UNB-03", tid)] if flagged else [],
        "UNB-03 has no T&M condition (literal)" if eng is ff else str(kw),
    )

# ---- UNB-04 ----------------------------------------------------------------------------
for label, days, kw, flagged in [
    ("unb04_31_days", 31, {}, True),
    ("unb04_30_days_not_flagged", 30, {}, False),
    ("unb04_invoiced", 40, {"is_billed": True, "invoice": PAID}, False),
    ("unb04_not_approved", 40, {"approval": "submitted"}, False),
    ("unb04_not_billable", 40, {"billable": False}, False),
]:
    eid = next(_id)
    w.expense(eid, senior, std.client, std.project, ago(days), **kw)
    SCENARIOS.add(label, [eid], [("UNB-04", "psa_expense", str(eid), "")] if flagged else [], str(kw))


# ---- UNB-05 ----------------------------------------------------------------------------
def line(lid, qty, role=SENIOR, code=None):
    return {
        "id": lid,
        "amount": "100.00",
        "quantity": qty,
        "unit_minor": "20000",
        "project_code": code or std.code,
        "role": role,
        "period_start": ago(20),
    }


def lkey(lid):
    return ("UNB-05", "billing_invoice_line", lid, "")


def billed(inv, hours, user=senior, eng=std):
    return te(ago(20), eng=eng, user=user, hours=hours, is_billed=True, invoice={"id": inv, "number": inv})


for label, qty, flagged in [
    ("unb05_hours_match", "16", False),
    ("unb05_diff_0_01_agrees", "16.01", False),
    ("unb05_diff_0_02_differs", "16.02", True),
]:
    inv = f"in_unb5{label.split('_')[-1]}{qty.replace('.', '')}"
    lid = inv.replace("in_", "il_")
    w.invoice(inv, std.billing_customer_id, "USD", project_code=std.code, lines=[line(lid, qty)])
    t1, t2 = billed(inv, "8"), billed(inv, "8")
    SCENARIOS.add(label, [lid, t1, t2], [lkey(lid)] if flagged else [], f"line {qty} h vs entries 16 h")

w.invoice(
    "in_unb5norole",
    std.billing_customer_id,
    "USD",
    project_code=std.code,
    lines=[
        line("il_unb5senior", "8"),
        line("il_unb5cons", "8", role=CONSULTANT),
        {
            "id": "il_unb5adhoc",
            "amount": "50.00",
            "quantity": "3",
            "unit_minor": "5000",
            "project_code": std.code,
            "description": "Ad-hoc",
        },
    ],
)
t = billed("in_unb5norole", "8")
SCENARIOS.add(
    "unb05_role_line_without_entries",
    ["il_unb5cons", t],
    [lkey("il_unb5cons")],
    "Consultant line 8 h, no Consultant time on the invoice",
)
SCENARIOS.add("unb05_matching_line_beside_it", ["il_unb5senior"], [])
SCENARIOS.add("unb05_line_without_role_out_of_scope", ["il_unb5adhoc"], [])

w.invoice("in_unb5twoproj", std.billing_customer_id, "USD", project_code=std.code, lines=[line("il_unb5twoproj", "8")])
t1, t2 = billed("in_unb5twoproj", "8"), billed("in_unb5twoproj", "4", eng=other)
SCENARIOS.add("unb05_entries_of_other_project_ignored", ["il_unb5twoproj", t1, t2], [])

w.invoice(
    "in_unb5secondary", std.billing_customer_id, "USD", project_code=std.code, lines=[line("il_unb5secondary", "8")]
)
t1, t2 = billed("in_unb5secondary", "8"), billed("in_unb5secondary", "5", user=consultant)
SCENARIOS.add(
    "unb05_secondary_role_entries_ignored",
    ["il_unb5secondary", t1, t2],
    [],
    "the Consultant-primary user's 5 h do not count toward the Senior line",
)

w.invoice(
    "in_unb5void",
    std.billing_customer_id,
    "USD",
    status="void",
    voided_on=ago(3),
    project_code=std.code,
    lines=[line("il_unb5void", "99")],
)
SCENARIOS.add("unb05_void_invoice_out_of_scope", ["il_unb5void"], [])

# ---- psa batches over time -------------------------------------------------------------
purged = te(ago(20), approval="submitted")
SCENARIOS.add("full_psa_batch_purges_entry", [purged], [], "in T1 (UNB-03) but missing from full T2: purged")
fixed = te(ago(45))
SCENARIOS.add("incremental_psa_batch_bills_entry", [fixed], [], "UNB-01 in T1/T2, billed in incremental T3")

psa_t1 = w.batches.pop("psa")
psa_t1.extracted_at = datetime(2026, 3, 29, 2, 0, tzinfo=UTC)
psa_t2 = Batch("psa", datetime(2026, 3, 30, 2, 0, tzinfo=UTC), "full")
for obj, records in psa_t1.objects.items():
    psa_t2.add(obj, *[copy.deepcopy(r) for r in records if not (obj == "time_entries" and r["id"] == purged)])
psa_t3 = Batch("psa", datetime(2026, 3, 31, 2, 0, tzinfo=UTC), "incremental")
fixed_record = copy.deepcopy(next(r for r in psa_t1.objects["time_entries"] if r["id"] == fixed))
fixed_record.update(is_billed=True, invoice=PAID, updated_at="2026-03-30T10:00:00Z")
psa_t3.add("time_entries", fixed_record)


# The run fixture and two of the family's tests; test_scenario below also checks the aging.
run, test_pipeline_ran_cleanly, _, test_no_findings_outside_scenarios = family_tests(
    w, SCENARIOS, "UNB", AS_OF, psa_t1, psa_t2, psa_t3
)


@pytest.mark.parametrize("case", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(run: PipelineRun, case: Scenario) -> None:
    check(run, case, "UNB")
    if case.note.startswith("bucket:"):
        (tid,) = list(case.subjects)
        (row,) = run.rows("UNB-01", tid)
        assert row["event_aging_bucket"] == case.note.removeprefix("bucket:"), row
        assert row["amount_at_risk"] == 1600, f"8 h x 200 = 1600, got {row['amount_at_risk']}"
