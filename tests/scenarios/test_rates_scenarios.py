"""RATE-01 .. RATE-05 on extracts written from the contract, one pipeline run for the module.

One full batch per system extracted 2026-03-31 (as-of). Rate cards are effective-dated
opportunity line items; a time entry's contracted rate is the line of its user's primary
role (roles[0]) in effect on spent_date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.scenarios.engagements import Products, engagement
from tests.scenarios.extract_builder import World
from tests.scenarios.scenario_check import Scenarios, family_tests

AS_OF = date(2026, 3, 31)
w = World(datetime(2026, 3, 31, 2, 0, tzinfo=UTC))
products = Products(w)
SCENARIOS = Scenarios()
ALWAYS = date(2025, 1, 1)
SENIOR, CONSULTANT, PARTNER = "Senior Consultant", "Consultant", "Partner"
_te = iter(range(700001, 800000))


def entry_key(rule, tid):
    return (rule, "psa_time_entry", str(tid), "")


# Standard T&M engagement: Senior 200 until 2026-01-31, then 220; Consultant 150; Partner 1000.
STD_RATES = [
    (SENIOR, "200.00", ALWAYS, date(2026, 1, 31)),
    (SENIOR, "220.00", date(2026, 2, 1), None),
    (CONSULTANT, "150.00", ALWAYS, None),
    (PARTNER, "1000.00", ALWAYS, None),
]
std = engagement(w, products, 1, rates=STD_RATES)
senior = w.user(501, [SENIOR, CONSULTANT])
consultant = w.user(502, [CONSULTANT, SENIOR])
partner = w.user(503, [PARTNER])
architect = w.user(504, ["Architect", SENIOR])


def te(user, spent, rate, eng=std, **kw):
    tid = next(_te)
    w.time_entry(
        tid,
        user,
        eng.client,
        eng.project,
        spent,
        rate=rate,
        is_billed=True,
        invoice={"id": "in_rateanchor", "number": "Q2-ANCHOR"},
        **kw,
    )
    return tid


# Time entries reference one real paid invoice so unbilled rules stay quiet; that invoice's
# line matches the hours of its entries only loosely: UNB is not this module's family.
w.invoice(
    "in_rateanchor",
    std.billing_customer_id,
    "USD",
    status="paid",
    paid_on=date(2026, 3, 20),
    project_code=std.code,
    lines=[{"amount": "100.00"}],
)

# ---- RATE-01 / RATE-03 on time ---------------------------------------------------------
for label, user, spent, rate, rule in [
    ("rate01_matches_old_rate", senior, date(2026, 1, 15), "200", None),
    ("rate01_old_rate_on_last_day_inclusive", senior, date(2026, 1, 31), "200", None),
    ("rate01_new_rate_from_service_date", senior, date(2026, 2, 1), "220", None),
    ("rate01_old_rate_after_change", senior, date(2026, 2, 10), "200", "RATE-01"),
    ("rate01_new_rate_before_change", senior, date(2026, 1, 10), "220", "RATE-01"),
    ("rate01_tolerance_1004_99_agrees", partner, date(2026, 3, 2), "1004.99", None),
    ("rate01_tolerance_1005_02_agrees", partner, date(2026, 3, 2), "1005.02", None),
    ("rate01_tolerance_1005_03_differs", partner, date(2026, 3, 2), "1005.03", "RATE-01"),
    ("rate01_tolerance_995_00_agrees", partner, date(2026, 3, 2), "995.00", None),
    ("rate01_tolerance_994_99_differs", partner, date(2026, 3, 2), "994.99", "RATE-01"),
    ("rate01_primary_role_is_first_role", consultant, date(2026, 3, 2), "220", "RATE-01"),
    ("rate03_null_rate", senior, date(2026, 3, 2), None, "RATE-03"),
    ("rate03_zero_rate", senior, date(2026, 3, 2), "0", "RATE-03"),
    ("rate03_role_without_rate_line_not_rate01", architect, date(2026, 3, 2), "220", "RATE-03"),
]:
    tid = te(user, spent, rate)
    SCENARIOS.add(label, [tid], [entry_key(rule, tid)] if rule else [], f"{user['name']} {spent} billable_rate {rate}")

tid = te(senior, date(2026, 3, 2), "999", approval="submitted")
SCENARIOS.add("rate01_not_approved_out_of_scope", [tid], [], "submitted time")
tid = te(senior, date(2026, 3, 2), "999", billable=False)
SCENARIOS.add("rate01_not_billable_out_of_scope", [tid], [])

late_start = engagement(w, products, 2, rates=[(SENIOR, "200.00", date(2026, 1, 1), None)])
tid = te(senior, date(2025, 12, 20), "200", eng=late_start)
SCENARIOS.add(
    "rate03_no_rate_in_effect_yet",
    [tid],
    [entry_key("RATE-03", tid)],
    "spent before the first ServiceDate; precedence: not RATE-01",
)

for n, label, kw in [
    (3, "crm_fixed_fee", {"fixed_fee": True}),
    (4, "psa_is_fixed_fee", {"psa_fixed_fee": True}),
    (5, "erp_jobbillingtype_ff", {"erp_fixed_fee": True}),
]:
    ff = engagement(w, products, n, rates=[(SENIOR, "200.00", ALWAYS, None)], **kw)
    wrong, null = te(senior, date(2026, 3, 2), "999", eng=ff), te(senior, date(2026, 3, 2), None, eng=ff)
    SCENARIOS.add(
        f"rate01_03_fixed_fee_excluded_{label}",
        [wrong, null, ff.project["id"]],
        [],
        "fixed-fee engagements have no hourly rate rules (any system saying FF: ambiguous for psa/erp)",
    )


# ---- RATE-02 on invoice lines ----------------------------------------------------------
def invoice_line(eng, unit_minor, period_start, role=SENIOR, status="open", inv_no=[0], quantity="1"):  # noqa: B006 - a counter across calls
    inv_no[0] += 1
    iid = f"in_rate{inv_no[0]:04d}"
    lid = f"il_rate{inv_no[0]:04d}"
    amount = "10.00" if eng.currency != "JPY" else "10"
    if eng.currency == "BHD":
        amount = "10.000"
    w.invoice(
        iid,
        eng.billing_customer_id,
        eng.currency,
        status=status,
        project_code=eng.code,
        voided_on=date(2026, 3, 5) if status == "void" else None,
        lines=[
            {
                "id": lid,
                "amount": amount,
                "quantity": quantity,
                "unit_minor": unit_minor,
                "project_code": eng.code,
                "role": role,
                "period_start": period_start,
            }
        ],
    )
    return lid


def line_key(lid):
    return ("RATE-02", "billing_invoice_line", lid, "")


for label, unit, start, role, status, flagged in [
    ("rate02_matches_new_rate", "22000", date(2026, 2, 15), SENIOR, "open", False),
    ("rate02_old_rate_after_change", "20000", date(2026, 2, 15), SENIOR, "open", True),
    ("rate02_old_rate_before_change", "20000", date(2026, 1, 20), SENIOR, "open", False),
    ("rate02_decimal_string_within_tolerance", "22000.5", date(2026, 2, 15), SENIOR, "open", False),
    ("rate02_tolerance_1005_02_agrees", "100502", date(2026, 3, 1), PARTNER, "open", False),
    ("rate02_tolerance_1005_03_differs", "100503", date(2026, 3, 1), PARTNER, "open", True),
    ("rate02_void_invoice_out_of_scope", "1", date(2026, 3, 1), SENIOR, "void", False),
    ("rate02_paid_invoice_in_scope", "1", date(2026, 3, 1), SENIOR, "paid", True),
]:
    lid = invoice_line(std, unit, start, role, status)
    SCENARIOS.add(label, [lid], [line_key(lid)] if flagged else [], f"{role} {unit} minor from {start}")

w.invoice(
    "in_ratenorole",
    std.billing_customer_id,
    "USD",
    project_code=std.code,
    lines=[
        {
            "id": "il_ratenorole",
            "amount": "5000.00",
            "quantity": "1",
            "unit_minor": "500000",
            "project_code": std.code,
            "description": "Milestone 1",
        }
    ],
)
SCENARIOS.add("rate02_line_without_role_out_of_scope", ["il_ratenorole"], [])

ff_bill = engagement(w, products, 6, fixed_fee=True, rates=[(SENIOR, "200.00", ALWAYS, None)])
lid = invoice_line(ff_bill, "1", date(2026, 3, 1))
SCENARIOS.add("rate02_fixed_fee_engagement_out_of_scope", [lid], [])


def minor_unit_cases(eng, cases, note):
    """RATE-02 lines of ``eng`` priced in minor units: (label, unit amount, flagged) each."""
    for label, unit, flagged in cases:
        lid = invoice_line(eng, unit, date(2026, 3, 1))
        SCENARIOS.add(label, [lid, eng.project["id"]], [line_key(lid)] if flagged else [], note)


jpy = engagement(w, products, 7, currency="JPY", rates=[(SENIOR, "25000", ALWAYS, None)])
minor_unit_cases(
    jpy,
    [("rate02_jpy_zero_decimal_matches", "25000", False), ("rate02_jpy_zero_decimal_differs", "27000", True)],
    "JPY minor unit = the amount itself",
)
bhd = engagement(w, products, 8, currency="BHD", rates=[(SENIOR, "50.125", ALWAYS, None)])
minor_unit_cases(
    bhd,
    [("rate02_bhd_three_decimals_matches", "50125", False), ("rate02_bhd_three_decimals_differs", "60000", True)],
    "BHD has 3 decimals: 50125 minor = 50.125",
)
tid = te(senior, date(2026, 3, 2), "50.125", eng=bhd)
SCENARIOS.add("rate01_bhd_rate_matches", [tid], [])


# ---- RATE-04 ---------------------------------------------------------------------------
def project_key(eng):
    return ("RATE-04", "psa_project", str(eng.project["id"]), "")


e = engagement(w, products, 9, rates=[(SENIOR, "200.00", ALWAYS, None)], client_currency="EUR")
SCENARIOS.add("rate04_client_currency_differs", [e.project["id"]], [project_key(e)])

e = engagement(w, products, 10, rates=[(SENIOR, "200.00", ALWAYS, None)])
w.invoice("in_rateeur", e.billing_customer_id, "EUR", project_code=e.code, lines=[{"amount": "10.00"}])
SCENARIOS.add("rate04_billing_invoice_currency_differs", [e.project["id"]], [project_key(e)])

e = engagement(w, products, 11, currency="GBP", rates=[(SENIOR, "200.00", ALWAYS, None)])
w.invoice("in_rategbp", e.billing_customer_id, "gbp", project_code=e.code, lines=[{"amount": "10.00"}])
SCENARIOS.add("rate04_lower_case_invoice_currency_equal", [e.project["id"]], [])

e = engagement(w, products, 12, rates=[(SENIOR, "200.00", ALWAYS, None)])
w.invoice(
    "in_ratevoideur",
    e.billing_customer_id,
    "EUR",
    project_code=e.code,
    status="void",
    voided_on=date(2026, 3, 3),
    lines=[{"amount": "10.00"}],
)
SCENARIOS.add(
    "rate04_void_invoice_still_an_invoice",
    [e.project["id"]],
    [project_key(e)],
    "ambiguous: 'any of its billing invoices' read literally includes void ones",
)

# ---- RATE-05 ---------------------------------------------------------------------------
dated = engagement(
    w, products, 13, rates=[(SENIOR, "200.00", ALWAYS, None)], starts=date(2025, 7, 1), ends=date(2026, 2, 28)
)
for label, spent, kw, flagged in [
    ("rate05_before_starts_on", date(2025, 6, 30), {}, True),
    ("rate05_on_starts_on", date(2025, 7, 1), {}, False),
    ("rate05_on_ends_on", date(2026, 2, 28), {}, False),
    ("rate05_after_ends_on", date(2026, 3, 1), {}, True),
    ("rate05_non_billable_outside_dates", date(2026, 3, 1), {"billable": False}, False),
    ("rate05_inactive_assignment", date(2026, 1, 15), {"assignment_active": False}, True),
    ("rate05_unapproved_billable_outside_dates", date(2026, 3, 2), {"approval": "submitted"}, True),
]:
    tid = te(senior, spent, "200", eng=dated, **kw)
    SCENARIOS.add(label, [tid], [entry_key("RATE-05", tid)] if flagged else [], f"project 2025-07-01..2026-02-28, {kw}")

inactive = engagement(w, products, 14, rates=[(SENIOR, "200.00", ALWAYS, None)], project_active=False)
tid = te(senior, date(2026, 1, 15), "200", eng=inactive)
SCENARIOS.add("rate05_inactive_project", [tid], [entry_key("RATE-05", tid)])

open_ended = engagement(w, products, 15, rates=[(SENIOR, "200.00", ALWAYS, None)], starts=None, ends=None)
tid = te(senior, date(2026, 3, 30), "200", eng=open_ended)
SCENARIOS.add("rate05_no_project_dates", [tid], [], "empty starts_on/ends_on: no bound")


# The run fixture and the family's three tests, bound here for pytest to collect.
run, test_pipeline_ran_cleanly, test_scenario, test_no_findings_outside_scenarios = family_tests(
    w, SCENARIOS, "RATE", AS_OF
)
