"""ACC-01 .. ACC-06 on extracts written from the contract, one pipeline run for the module.

Batch T1 (2026-03-30, full) carries every scenario; T2 (2026-03-31) is an incremental crm/erp
batch that fixes one defect and a full billing batch that purges one customer. as-of is
2026-03-31 (newest extracted_at), G = 2.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

from tests.scenarios.extract_builder import SUB_UK, Batch, World
from tests.scenarios.scenario_check import Scenarios, family_tests

AS_OF = date(2026, 3, 31)
T1 = datetime(2026, 3, 30, 2, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 31, 2, 0, tzinfo=UTC)
OLD_CLOSE = date(2026, 1, 15)

w = World(T1)
late_crm = Batch("crm", T2, "incremental")
late_erp = Batch("erp", T2, "incremental")
SCENARIOS = Scenarios()
_n = iter(range(1, 10_000))


def acc03(acc: str, attribute: str):
    return ("ACC-03", "crm_account", acc, attribute)


def crm_key(rule: str, acc: str):
    return (rule, "crm_account", acc, "")


def clean_customer(
    name: str,
    *,
    close: date = OLD_CLOSE,
    erp_name: str | None = None,
    billing_name: str | None = None,
    won: bool = True,
    **account_kw,
):
    """A live account with a won opportunity, one ERP customer (both pointers) and one billing
    customer, all agreeing. Returns (account id, erp id, billing id)."""
    n = next(_n)
    erp_id = 5000 + n
    acc = w.account(n, name, erp_id=erp_id, **account_kw)
    w.opportunity(n, acc, f"ACCP-{n}", close=close, won=won)
    w.erp_customer(
        erp_id,
        erp_name or name,
        acc,
        currency=account_kw.get("currency", "USD"),
        country=account_kw.get("country", "US"),
        vat=account_kw.get("tax_id"),
    )
    cus = w.billing_customer(
        f"cus_acc{n:05d}",
        billing_name or name,
        crm=acc,
        erp=str(erp_id),
        currency=(account_kw.get("currency") or "USD").lower(),
        country=account_kw.get("country", "US"),
        tax_ids=[account_kw["tax_id"]] if account_kw.get("tax_id") else [],
    )
    return acc, str(erp_id), cus


# ---- baseline -------------------------------------------------------------------------
acc, erp, cus = clean_customer("Baseline Holdings")
SCENARIOS.add("baseline_clean", [acc, erp, cus], note="all three systems agree")

# ---- ACC-01 ---------------------------------------------------------------------------
n = next(_n)
acc = w.account(n, "No ERP Three Days")
w.opportunity(n, acc, f"ACCP-{n}", close=date(2026, 3, 28))
w.billing_customer(f"cus_acc{n:05d}", "No ERP Three Days", crm=acc)
SCENARIOS.add("acc01_closed_3_days_ago", [acc], [crm_key("ACC-01", acc)], "as_of - close = 3 > G")

n = next(_n)
acc = w.account(n, "No ERP Two Days")
w.opportunity(n, acc, f"ACCP-{n}", close=date(2026, 3, 29))
w.billing_customer(f"cus_acc{n:05d}", "No ERP Two Days", crm=acc)
SCENARIOS.add("acc01_grace_2_days_not_flagged", [acc], [], "as_of - close = 2 = G")

n = next(_n)
acc = w.account(n, "Inactive ERP Only")
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
w.erp_customer(6000 + n, "Inactive ERP Only", acc, inactive=True)
w.billing_customer(f"cus_acc{n:05d}", "Inactive ERP Only", crm=acc)
SCENARIOS.add(
    "acc01_inactive_erp_customer_counts",
    [acc, 6000 + n],
    [],
    "an inactive ERP customer carrying the id in externalid is 'an ERP customer at all'",
)

n = next(_n)
acc = w.account(n, "Pointer Only", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
w.erp_customer(6000 + n, "Pointer Only", None)
w.billing_customer(f"cus_acc{n:05d}", "Pointer Only", crm=acc)
SCENARIOS.add(
    "acc01_pointer_resolves_without_externalid",
    [acc, 6000 + n],
    [],
    "ERP_Customer_Id__c resolves; empty externalid is not a conflict",
)

n = next(_n)
acc = w.account(n, "Dangling Pointer", erp_id=99_999)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
w.billing_customer(f"cus_acc{n:05d}", "Dangling Pointer", crm=acc)
SCENARIOS.add(
    "acc01_dangling_pointer",
    [acc],
    [crm_key("ACC-01", acc)],
    "ERP_Customer_Id__c names no ERP customer, none carries the id",
)

n = next(_n)
acc = w.account(n, "Deleted Account", deleted=True)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
SCENARIOS.add("acc01_02_deleted_account_not_live", [acc], [], "IsDeleted = true")

n = next(_n)
survivor, _, _ = clean_customer("Merge Survivor")
acc = w.account(n, "Merged Away", master=survivor)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
SCENARIOS.add("acc01_02_merged_account_not_live", [acc], [], "MasterRecordId set")

n = next(_n)
acc = w.account(n, "Lost Deal")
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE, won=False, closed=True)
SCENARIOS.add("acc01_02_lost_opportunity_only", [acc], [], "no won opportunity")

n = next(_n)
acc = w.account(n, "Deleted Won Opp")
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE, deleted=True)
SCENARIOS.add("acc01_02_deleted_won_opportunity", [acc], [], "the only won opportunity is deleted (not live)")

# ---- ACC-02 ---------------------------------------------------------------------------
n = next(_n)
acc = w.account(n, "No Billing Three Days", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=date(2026, 3, 28))
w.erp_customer(6000 + n, "No Billing Three Days", acc)
SCENARIOS.add("acc02_closed_3_days_ago", [acc, 6000 + n], [crm_key("ACC-02", acc)], "no billing customer, 3 > G")

n = next(_n)
acc = w.account(n, "No Billing Two Days", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=date(2026, 3, 29))
w.erp_customer(6000 + n, "No Billing Two Days", acc)
SCENARIOS.add("acc02_grace_2_days_not_flagged", [acc, 6000 + n], [], "2 = G")

n = next(_n)
acc = w.account(n, "Deleted Billing", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
w.erp_customer(6000 + n, "Deleted Billing", acc)
w.billing_customer(f"cus_acc{n:05d}", "Deleted Billing", crm=acc, deleted=True)
SCENARIOS.add(
    "acc02_only_billing_customer_deleted",
    [acc, 6000 + n, f"cus_acc{n:05d}"],
    [crm_key("ACC-02", acc)],
    "deleted: true is not live",
)

# ---- ACC-03: names --------------------------------------------------------------------
for label, crm_name, erp_name, billing_name in [
    ("accents_case_whitespace_gmbh", "Zürich Analytics GmbH", "ZURICH ANALYTICS", "zurich   analytics gmbh"),
    ("pty_ltd", "Kangaroo Data Pty Ltd", "Kangaroo Data", "Kangaroo Data Pty. Ltd."),
    ("plc", "Thames Metrics PLC", "Thames Metrics plc", "Thames Metrics"),
    ("bv_with_dots", "Dijkstra Systems BV", "Dijkstra Systems B.V.", "Dijkstra Systems"),
    ("inc_llc_corp_ag_sa", "Acme Widgets, Inc.", "Acme Widgets LLC", "ACME-WIDGETS"),
    ("ltd_ag_punctuation", "O'Brien & Partners Ltd", "OBrien & Partners AG", "O’Brien & Partners"),
    ("sa_corp", "Société Générale Conseil SA", "Societe Generale Conseil Corp", "SOCIÉTÉ GÉNÉRALE CONSEIL"),
]:
    acc, erp, cus = clean_customer(crm_name, erp_name=erp_name, billing_name=billing_name)
    SCENARIOS.add(
        f"acc03_name_equal_after_normalising_{label}",
        [acc, erp, cus],
        [],
        f"{crm_name!r} ~ {erp_name!r} ~ {billing_name!r}",
    )

acc, erp, cus = clean_customer("Northwind Traders", erp_name="Northwind Trading")
SCENARIOS.add("acc03_name_differs_in_erp", [acc, erp, cus], [acc03(acc, "name")])

acc, erp, cus = clean_customer("Contoso Pharma", billing_name="Contoso Pharmaceuticals")
SCENARIOS.add("acc03_name_differs_in_billing", [acc, erp, cus], [acc03(acc, "name")])

acc, erp, cus = clean_customer("Fabrikam", erp_name="Fabrikam East", billing_name="Fabrikam West")
SCENARIOS.add(
    "acc03_name_differs_in_both_one_finding",
    [acc, erp, cus],
    [acc03(acc, "name")],
    "one finding per account and attribute",
)

# ---- ACC-03: currency, country, tax id, legal entity -----------------------------------
n = next(_n)
acc = w.account(n, "Currency Drift", currency="EUR", country="DE", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE, currency="EUR")
w.erp_customer(6000 + n, "Currency Drift", acc, currency="USD", country="DE")
w.billing_customer(f"cus_acc{n:05d}", "Currency Drift", crm=acc, currency="eur", country="DE")
SCENARIOS.add(
    "acc03_currency_differs_in_erp",
    [acc, 6000 + n, f"cus_acc{n:05d}"],
    [acc03(acc, "currency")],
    "lower-case 'eur' in billing is equal; ERP USD differs",
)

n = next(_n)
acc = w.account(n, "Lower Case Currency", currency="GBP", country="GB", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE, currency="GBP")
w.erp_customer(6000 + n, "Lower Case Currency", acc, currency="GBP", country="GB", subsidiary=SUB_UK)
w.billing_customer(f"cus_acc{n:05d}", "Lower Case Currency", crm=acc, currency="gbp", country="GB")
w.batches["crm"].objects["Account"][-1]["Legal_Entity__c"] = "Q2 Advisory Ltd"
SCENARIOS.add("acc03_lower_case_currency_equal", [acc, 6000 + n, f"cus_acc{n:05d}"], [])

n = next(_n)
acc = w.account(n, "Country Drift", country="GB", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
w.erp_customer(6000 + n, "Country Drift", acc, country="GB")
w.billing_customer(f"cus_acc{n:05d}", "Country Drift", crm=acc, country="DE")
SCENARIOS.add("acc03_country_differs_in_billing", [acc, 6000 + n, f"cus_acc{n:05d}"], [acc03(acc, "country")])

n = next(_n)
acc = w.account(n, "Tax Drift", tax_id="DE123456789", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
w.erp_customer(6000 + n, "Tax Drift", acc, vat="DE123456789")
w.billing_customer(f"cus_acc{n:05d}", "Tax Drift", crm=acc, tax_ids=["DE999999999"])
SCENARIOS.add("acc03_tax_id_differs_in_billing", [acc, 6000 + n, f"cus_acc{n:05d}"], [acc03(acc, "tax_id")])

n = next(_n)
acc = w.account(n, "Tax Same", tax_id="GB123456789", erp_id=6000 + n)
w.opportunity(n, acc, f"ACCP-{n}", close=OLD_CLOSE)
w.erp_customer(6000 + n, "Tax Same", acc, vat="GB123456789")
w.billing_customer(f"cus_acc{n:05d}", "Tax Same", crm=acc, tax_ids=["GB123456789"])
SCENARIOS.add("acc03_tax_id_equal", [acc, 6000 + n, f"cus_acc{n:05d}"], [])

acc, erp, cus = clean_customer("Entity Drift", legal_entity="Q2 Advisory Ltd")
SCENARIOS.add(
    "acc03_legal_entity_suffix_counts",
    [acc, erp, cus],
    [acc03(acc, "legal_entity")],
    "CRM 'Q2 Advisory Ltd' vs subsidiary legalname 'Q2 Advisory Inc.': suffixes count",
)

acc, erp, cus = clean_customer("Entity Case", legal_entity="q2 advisory inc")
SCENARIOS.add(
    "acc03_legal_entity_case_punctuation_equal", [acc, erp, cus], [], "'q2 advisory inc' vs 'Q2 Advisory Inc.'"
)

n = next(_n)
acc = w.account(n, "Deleted Drift", deleted=True, erp_id=6000 + n)
w.erp_customer(6000 + n, "Something Else Entirely", acc, inactive=True)
SCENARIOS.add("acc03_not_live_account", [acc, 6000 + n], [], "deleted account, inactive ERP customer")

n = next(_n)
acc = w.account(n, "Live With Dead Downstream", erp_id=6000 + n)
w.erp_customer(6000 + n, "Inactive Other Name", acc, inactive=True)
w.billing_customer(f"cus_acc{n:05d}", "Deleted Other Name", crm=acc, deleted=True)
SCENARIOS.add(
    "acc03_inactive_erp_and_deleted_billing_not_compared",
    [acc, 6000 + n, f"cus_acc{n:05d}"],
    [],
    "only live downstream customers are compared (no won opportunity: ACC-01/02 out of scope)",
)

# ---- ACC-04 ---------------------------------------------------------------------------
n = next(_n)
other = w.account(n, "Key Owner")
n2 = next(_n)
acc = w.account(n2, "Key Owner", erp_id=6000 + n)
w.erp_customer(6000 + n, "Key Owner", other)
SCENARIOS.add(
    "acc04_pointer_to_customer_of_another_account",
    [acc],
    [crm_key("ACC-04", acc)],
    "ERP_Customer_Id__c -> ERP customer whose externalid names another account",
)

n = next(_n)
acc = w.account(n, "Two ERP Customers")
w.erp_customer(6000 + n, "Two ERP Customers", acc)
w.erp_customer(7000 + n, "Two ERP Customers", acc)
SCENARIOS.add("acc04_two_live_erp_customers", [acc], [crm_key("ACC-04", acc)])

n = next(_n)
acc = w.account(n, "One Live One Inactive ERP")
w.erp_customer(6000 + n, "One Live One Inactive ERP", acc)
w.erp_customer(7000 + n, "One Live One Inactive ERP", acc, inactive=True)
SCENARIOS.add("acc04_second_erp_customer_inactive", [acc], [], "only live customers count")

n = next(_n)
acc = w.account(n, "Two Billing Customers")
w.billing_customer(f"cus_acc{n:05d}", "Two Billing Customers", crm=acc)
w.billing_customer(f"cus_acd{n:05d}", "Two Billing Customers", crm=acc)
SCENARIOS.add("acc04_two_live_billing_customers", [acc], [crm_key("ACC-04", acc)])

n = next(_n)
acc = w.account(n, "One Billing Deleted")
w.billing_customer(f"cus_acc{n:05d}", "One Billing Deleted", crm=acc)
w.billing_customer(f"cus_acd{n:05d}", "One Billing Deleted", crm=acc, deleted=True)
SCENARIOS.add("acc04_second_billing_customer_deleted", [acc], [])

n = next(_n)
other = w.account(n, "Billing Erp Pointer", erp_id=6000 + n)
w.erp_customer(6000 + n, "Billing Erp Pointer", other)
n2 = next(_n)
acc = w.account(n2, "Billing Erp Pointer")
w.billing_customer(f"cus_acc{n2:05d}", "Billing Erp Pointer", crm=acc, erp=str(6000 + n))
SCENARIOS.add("acc04_billing_erp_pointer_to_other_accounts_customer", [acc], [crm_key("ACC-04", acc)])

n = next(_n)
acc = w.account(n, "Empty Pointers")
w.erp_customer(6000 + n, "Empty Pointers", acc)
w.billing_customer(f"cus_acc{n:05d}", "Empty Pointers", crm=acc, erp=None)
SCENARIOS.add("acc04_empty_pointers_not_conflicts", [acc], [], "no ERP_Customer_Id__c, no metadata.erp_customer_id")

n = next(_n)
acc = w.account(n, "Consistent Keys", erp_id=6000 + n)
w.erp_customer(6000 + n, "Consistent Keys", acc)
w.billing_customer(f"cus_acc{n:05d}", "Consistent Keys", crm=acc, erp=str(6000 + n))
SCENARIOS.add("acc04_consistent_keys", [acc], [])


# ---- ACC-05 ---------------------------------------------------------------------------
def inactive_customer(label: str):
    n = next(_n)
    acc = w.account(n, label, erp_id=6000 + n)
    w.erp_customer(6000 + n, label, acc, inactive=True)
    w.billing_customer(f"cus_acc{n:05d}", label, crm=acc)
    return n, acc, 6000 + n


n, acc, erp = inactive_customer("Inactive Open Invoice")
w.erp_invoice(80000 + n, entity=erp, currency="USD", lines=[("Consultant", "1", "500.00", "500.00")])
SCENARIOS.add("acc05_inactive_with_open_invoice", [erp], [("ACC-05", "erp_customer", str(erp), "")])

n, acc, erp = inactive_customer("Inactive Paid Invoice")
w.erp_invoice(
    80000 + n, entity=erp, currency="USD", lines=[("Consultant", "1", "500.00", "500.00")], status="B", paid="500.00"
)
SCENARIOS.add("acc05_inactive_paid_invoice_only", [erp], [])

n, acc, erp = inactive_customer("Inactive Voided Invoice")
w.erp_invoice(
    80000 + n, entity=erp, currency="USD", lines=[("Consultant", "1", "500.00", "500.00")], status="V", voided=True
)
SCENARIOS.add("acc05_inactive_voided_invoice_only", [erp], [], "voided invoices are not open receivables")

n, acc, erp = inactive_customer("Active Open Invoice")
w.batches["erp"].objects["customer"][-1]["isinactive"] = "F"
w.erp_invoice(80000 + n, entity=erp, currency="USD", lines=[("Consultant", "1", "500.00", "500.00")])
SCENARIOS.add("acc05_active_with_open_invoice", [erp], [])

for label, days, approval, expected in [
    ("time_10_days", 10, "approved", True),
    ("time_30_days", 30, "approved", True),
    ("time_31_days", 31, "approved", False),
    ("submitted_time_10_days", 10, "submitted", False),
]:
    n, acc, erp = inactive_customer(f"Inactive {label}")
    code = f"ACCP-{n}"
    w.opportunity(n, acc, code, close=OLD_CLOSE)
    w.job(90000 + n, erp, code)
    client = w.client(90000 + n, f"Inactive {label}")
    project = w.project(90000 + n, client, code)
    user = w.user(90000 + n, ["Consultant"])
    w.time_entry(900000 + n, user, client, project, date.fromordinal(AS_OF.toordinal() - days), approval=approval)
    SCENARIOS.add(
        f"acc05_inactive_with_{label}",
        [erp],
        [("ACC-05", "erp_customer", str(erp), "")] if expected else [],
        f"{approval} time {days} days before as-of on its engagement",
    )

# ---- ACC-06 ---------------------------------------------------------------------------
n = next(_n)
w.erp_customer(6000 + n, "Orphan Receivable", "001999999999999AAA")
w.erp_invoice(80000 + n, entity=6000 + n, currency="USD", lines=[("Consultant", "1", "750.00", "750.00")])
SCENARIOS.add("acc06_erp_open_receivable_unknown_account", [6000 + n], [("ACC-06", "erp_customer", str(6000 + n), "")])

n = next(_n)
acc = w.account(n, "Deleted With Receivable", deleted=True)
w.erp_customer(6000 + n, "Deleted With Receivable", acc)
w.erp_invoice(80000 + n, entity=6000 + n, currency="USD", lines=[("Consultant", "1", "750.00", "750.00")])
SCENARIOS.add("acc06_erp_open_receivable_deleted_account", [6000 + n], [("ACC-06", "erp_customer", str(6000 + n), "")])

n = next(_n)
acc = w.account(n, "Mapped By Pointer Only", erp_id=6000 + n)
w.erp_customer(6000 + n, "Mapped By Pointer Only", None)
w.erp_invoice(80000 + n, entity=6000 + n, currency="USD", lines=[("Consultant", "1", "750.00", "750.00")])
SCENARIOS.add(
    "acc06_erp_mapped_through_crm_pointer",
    [6000 + n],
    [],
    "an ERP customer maps to any account whose ERP_Customer_Id__c names it",
)

n = next(_n)
w.erp_customer(6000 + n, "Orphan Without Receivable", None)
w.erp_invoice(
    80000 + n,
    entity=6000 + n,
    currency="USD",
    lines=[("Consultant", "1", "750.00", "750.00")],
    status="B",
    paid="750.00",
)
SCENARIOS.add("acc06_erp_unmapped_without_open_receivable", [6000 + n], [])

n = next(_n)
survivor, _, _ = clean_customer("Billing Merge Survivor")
acc = w.account(n, "Billing Merged Away", master=survivor)
w.billing_customer(f"cus_acc{n:05d}", "Billing Merged Away", crm=acc)
w.invoice(f"in_acc{n:05d}", f"cus_acc{n:05d}", "USD", lines=[{"amount": "100.00"}])
SCENARIOS.add(
    "acc06_billing_customer_of_merged_account",
    [f"cus_acc{n:05d}"],
    [("ACC-06", "billing_customer", f"cus_acc{n:05d}", "")],
)

n = next(_n)
w.billing_customer(f"cus_acc{n:05d}", "No Metadata", crm=None)
w.invoice(f"in_acc{n:05d}", f"cus_acc{n:05d}", "USD", lines=[{"amount": "100.00"}])
SCENARIOS.add(
    "acc06_billing_customer_without_crm_id",
    [f"cus_acc{n:05d}"],
    [("ACC-06", "billing_customer", f"cus_acc{n:05d}", "")],
)

n = next(_n)
w.billing_customer(f"cus_acc{n:05d}", "Deleted No Metadata", crm=None, deleted=True)
w.invoice(f"in_acc{n:05d}", f"cus_acc{n:05d}", "USD", lines=[{"amount": "100.00"}])
SCENARIOS.add("acc06_deleted_billing_customer_not_flagged", [f"cus_acc{n:05d}"], [])

n = next(_n)
w.billing_customer(f"cus_acc{n:05d}", "No Invoices", crm=None)
SCENARIOS.add("acc06_billing_customer_without_invoices", [f"cus_acc{n:05d}"], [])

w.billing_customer("cus_scn_orphan", "Underscore Ids", crm=None)
w.invoice("in_scn_orphan1", "cus_scn_orphan", "USD", lines=[{"amount": "100.00"}])
SCENARIOS.add(
    "acc06_stripe_ids_with_underscores",
    ["cus_scn_orphan"],
    [("ACC-06", "billing_customer", "cus_scn_orphan", "")],
    "Stripe ids such as il_tmp_... carry underscores after the prefix; the record must load",
)

# ---- batches over time: latest wins, full batch purges ---------------------------------
acc, erp, cus = clean_customer("Fixed Later", erp_name="Fixed Later Wrong Name")
fixed = copy.deepcopy(w.batches["erp"].objects["customer"][-1])
fixed["companyname"] = "Fixed Later"
late_erp.add("customer", fixed)
SCENARIOS.add("incremental_erp_batch_fixes_name", [acc, erp, cus], [], "T2 incremental carries the fixed name")

acc, erp, cus = clean_customer("Broken Later")
broken = copy.deepcopy(w.batches["crm"].objects["Account"][-1])
broken["CurrencyIsoCode"] = "EUR"
late_crm.add("Account", broken)
SCENARIOS.add(
    "incremental_crm_batch_breaks_currency",
    [acc, erp, cus],
    [acc03(acc, "currency")],
    "T2 incremental changes the CRM currency: the newest version is compared",
)

n = next(_n)
w.billing_customer(f"cus_acc{n:05d}", "Purged Orphan", crm=None)
w.invoice(f"in_acc{n:05d}", f"cus_acc{n:05d}", "USD", lines=[{"amount": "100.00"}])
PURGED = f"cus_acc{n:05d}"
SCENARIOS.add("full_billing_batch_purges_orphan", [PURGED], [], "missing from the T2 full batch: purged")


def _late_billing() -> Batch:
    late = Batch("billing", T2, "full")
    for obj, records in w.batches["billing"].objects.items():
        keep = [r for r in records if r.get("id") != PURGED and r.get("customer") != PURGED]
        late.add(obj, *copy.deepcopy(keep))
    return late


# The run fixture and the family's three tests, bound here for pytest to collect.
run, test_pipeline_ran_cleanly, test_scenario, test_no_findings_outside_scenarios = family_tests(
    w, SCENARIOS, "ACC", AS_OF, late_crm, late_erp, _late_billing()
)
