"""An independent, plain-Python reading of the rule catalogue over the landed extract files.

It applies every batch latest-wins, parses each system's quirks and evaluates the rules of
docs/rules.md literally. The demo generator's ground truth must equal what
this reports (no more, no less); the dbt rules are compared against the same ground truth.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

G = 2
EXPONENTS = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3, "OMR": 3, "TND": 3}
LEGAL_SUFFIXES = ["pty ltd", "inc", "llc", "ltd", "gmbh", "sa", "bv", "plc", "ag", "corp"]
KEYS = {"previoustransactionlink": ("previousdoc", "nextdoc", "linktype")}


def load_final_state(landing: Path) -> tuple[dict[str, dict[str, dict]], date]:
    """object → key → record, every batch applied in order (a full batch replaces its objects)."""
    tables: dict[str, dict] = {}
    newest = None
    for system_dir in sorted(p for p in landing.iterdir() if p.is_dir()):
        for batch in sorted(p for p in system_dir.iterdir() if (p / "_manifest.json").exists()):
            manifest = json.loads((batch / "_manifest.json").read_text())
            ts = datetime.strptime(manifest["extracted_at"], "%Y-%m-%dT%H:%M:%SZ")
            newest = ts if newest is None or ts > newest else newest
            for f in manifest["files"]:
                obj = f"{system_dir.name}.{f['object']}"
                if manifest["mode"] == "full":
                    tables[obj] = {}
                table = tables.setdefault(obj, {})
                key_fields = KEYS.get(f["object"], ("Id",) if system_dir.name == "crm" else ("id",))
                for rec in _read(batch / f["name"]):
                    table[tuple(str(rec[k]) for k in key_fields)] = rec
    return tables, newest.date()


def _read(path: Path):
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            yield from csv.DictReader(fh)
    else:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line, parse_float=Decimal)


def us_date(text: str) -> date | None:
    if not text:
        return None
    m, d, y = (int(x) for x in text.split("/"))
    return date(y, m, d)


def dec(text) -> Decimal | None:
    return None if text in ("", None) else Decimal(str(text))


def epoch_date(seconds: int | None) -> date | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).date()


def agree(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= max(Decimal("0.01"), Decimal("0.005") * max(abs(a), abs(b)))


def norm_name(name: str) -> str:
    s = unicodedata.normalize("NFKD", name or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^\w\s]", "", s)
    s = " ".join(s.split())
    changed = True
    while changed:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if s.endswith(" " + suffix):
                s = s[: -len(suffix) - 1].strip()
                changed = True
    return s


def norm_entity(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", (name or "").lower()).split())


def evaluate(landing: Path) -> set[tuple[str, str, str, str]]:
    t, as_of = load_final_state(landing)
    out: set[tuple[str, str, str, str]] = set()

    def flag(rule, subject_type, subject_id, attribute=""):
        out.add((rule, subject_type, str(subject_id), attribute))

    accounts = {k[0]: r for k, r in t["crm.Account"].items()}
    opps = [r for r in t["crm.Opportunity"].values() if r["IsDeleted"] != "true"]
    products = {r["Id"]: r["Name"] for r in t["crm.Product2"].values()}
    lines_by_opp = defaultdict(list)
    for r in t["crm.OpportunityLineItem"].values():
        if r["IsDeleted"] != "true":
            lines_by_opp[r["OpportunityId"]].append(r)
    erp_cust = {k[0]: r for k, r in t["erp.customer"].items()}
    currency_code = {k[0]: r["symbol"] for k, r in t["erp.currency"].items()}
    subsidiary = {k[0]: r for k, r in t["erp.subsidiary"].items()}
    jobs = {k[0]: r for k, r in t["erp.job"].items()}
    job_by_code = {r["externalid"]: r for r in jobs.values() if r["externalid"]}
    bill_cust = {k[0]: r for k, r in t["billing.customers"].items()}
    projects = {str(r["id"]): r for r in t["psa.projects"].values()}
    project_by_code = {r["code"]: r for r in projects.values()}
    clients = {str(r["id"]): r for r in t["psa.clients"].values()}
    users = {str(r["id"]): r for r in t["psa.users"].values()}
    entries = list(t["psa.time_entries"].values())
    expenses = list(t["psa.expenses"].values())
    invoices = {r["id"]: r for r in t["billing.invoices"].values()}
    txns = {k[0]: r for k, r in t["erp.transaction"].items()}
    erp_inv = [r for r in txns.values() if r["type"] == "CustInvc"]
    erp_inv_by_ext = {r["externalid"]: r for r in erp_inv if r["externalid"]}
    tlines = defaultdict(list)
    for r in t["erp.transactionline"].values():
        tlines[r["transaction"]].append(r)

    live_acc = {a for a, r in accounts.items() if r["IsDeleted"] != "true" and not r["MasterRecordId"]}
    live_erp = {c for c, r in erp_cust.items() if r["isinactive"] == "F"}
    live_bill = {c for c, r in bill_cust.items() if not r.get("deleted")}
    erp_of = defaultdict(set)  # account → ERP customers mapped (any state)
    for c, r in erp_cust.items():
        if r["externalid"]:
            erp_of[r["externalid"]].add(c)
    for a, r in accounts.items():
        if r["ERP_Customer_Id__c"] in erp_cust:
            erp_of[a].add(r["ERP_Customer_Id__c"])
    accounts_of_erp = defaultdict(set)
    for a, cs in erp_of.items():
        for c in cs:
            accounts_of_erp[c].add(a)
    bill_of = defaultdict(set)  # account → live billing customers
    for c in live_bill:
        acc = bill_cust[c]["metadata"].get("crm_account_id")
        if acc:
            bill_of[acc].add(c)

    won = [o for o in opps if o["IsWon"] == "true"]
    opp_by_code = {o["PSA_Project_Code__c"]: o for o in won if o["PSA_Project_Code__c"]}
    won_old_accounts = {o["AccountId"] for o in won if (as_of - date.fromisoformat(o["CloseDate"])).days > G}

    # -- ACC ----------------------------------------------------------------------------------
    for a in sorted(live_acc & won_old_accounts):
        if not erp_of.get(a):
            flag("ACC-01", "crm_account", a)
        if not bill_of.get(a):
            flag("ACC-02", "crm_account", a)
    for a in sorted(live_acc):
        acc = accounts[a]
        live_e = sorted(erp_of.get(a, set()) & live_erp)
        live_b = sorted(bill_of.get(a, set()))
        e = erp_cust[live_e[0]] if len(live_e) == 1 else None
        b = bill_cust[live_b[0]] if len(live_b) == 1 else None
        diffs = set()
        if e is not None:
            if norm_name(e["companyname"]) != norm_name(acc["Name"]):
                diffs.add("name")
            if currency_code[e["currency"]].upper() != acc["CurrencyIsoCode"].upper():
                diffs.add("currency")
            if e["billcountry"] != acc["BillingCountryCode"]:
                diffs.add("country")
            if e["vatregnumber"] != acc["Tax_Id__c"]:
                diffs.add("tax_id")
            if norm_entity(subsidiary[e["subsidiary"]]["legalname"]) != norm_entity(acc["Legal_Entity__c"]):
                diffs.add("legal_entity")
        if b is not None:
            if norm_name(b["name"]) != norm_name(acc["Name"]):
                diffs.add("name")
            if b["currency"].upper() != acc["CurrencyIsoCode"].upper():
                diffs.add("currency")
            if b["address"]["country"] != acc["BillingCountryCode"]:
                diffs.add("country")
            if acc["Tax_Id__c"] not in [x["value"] for x in b["tax_ids"]["data"]]:
                diffs.add("tax_id")
        for attr in diffs:
            flag("ACC-03", "crm_account", a, attr)
        pointer = acc["ERP_Customer_Id__c"]
        conflict = bool(
            pointer and pointer in erp_cust and erp_cust[pointer]["externalid"] and erp_cust[pointer]["externalid"] != a
        )
        conflict |= len(live_e) > 1 or len(live_b) > 1
        for c in live_b:
            named = bill_cust[c]["metadata"].get("erp_customer_id")
            if named and named not in erp_of.get(a, set()):
                conflict = True
        if conflict:
            flag("ACC-04", "crm_account", a)

    open_by_cust = defaultdict(int)
    for r in erp_inv:
        if r["voided"] != "T" and r["status"] != "V" and dec(r["foreignamountunpaid"]) > 0:
            open_by_cust[r["entity"]] += 1
    recent_approved_codes = {
        e["project"]["code"]
        for e in entries
        if e["approval_status"] == "approved" and 0 <= (as_of - date.fromisoformat(e["spent_date"])).days <= 30
    }
    for c, r in erp_cust.items():
        if r["isinactive"] == "T":
            codes = {j["externalid"] for j in jobs.values() if j["customer"] == c}
            if open_by_cust[c] or codes & recent_approved_codes:
                flag("ACC-05", "erp_customer", c)
        if open_by_cust[c] and not (accounts_of_erp[c] & live_acc):
            flag("ACC-06", "erp_customer", c)
    has_invoice = {r["customer"] for r in invoices.values()}
    for c in live_bill:
        if c in has_invoice and bill_cust[c]["metadata"].get("crm_account_id") not in live_acc:
            flag("ACC-06", "billing_customer", c)

    # -- RATE ---------------------------------------------------------------------------------
    def fixed_fee(code: str) -> bool:
        o, p, j = opp_by_code.get(code), project_by_code.get(code), job_by_code.get(code)
        return bool(
            (o and o["Billing_Type__c"] == "Fixed Fee")
            or (p and p["is_fixed_fee"])
            or (j and j["jobbillingtype"] == "FF")
        )

    def contracted(code: str, role: str, d: date) -> Decimal | None:
        o = opp_by_code.get(code)
        if o is None:
            return None
        for li in lines_by_opp[o["Id"]]:
            end = li["Rate_End_Date__c"]
            if (
                products.get(li["Product2Id"]) == role
                and date.fromisoformat(li["ServiceDate"]) <= d
                and (not end or d <= date.fromisoformat(end))
            ):
                return Decimal(li["UnitPrice"])
        return None

    def primary_role(user_id) -> str | None:
        u = users.get(str(user_id))
        return u["roles"][0] if u and u["roles"] else None

    for e in entries:
        code = e["project"]["code"]
        d = date.fromisoformat(e["spent_date"])
        tm = not fixed_fee(code)
        if e["approval_status"] == "approved" and e["billable"] and tm:
            rate = e["billable_rate"]
            want = contracted(code, primary_role(e["user"]["id"]), d)
            if rate is None or rate == 0 or want is None:
                flag("RATE-03", "psa_time_entry", e["id"])
            elif not agree(Decimal(rate), want):
                flag("RATE-01", "psa_time_entry", e["id"])
        if e["billable"]:
            p = projects[str(e["project"]["id"])]
            outside = (p["starts_on"] and d < date.fromisoformat(p["starts_on"])) or (
                p["ends_on"] and d > date.fromisoformat(p["ends_on"])
            )
            if outside or not p["is_active"] or e["user_assignment"]["is_active"] is False:
                flag("RATE-05", "psa_time_entry", e["id"])

    for inv in invoices.values():
        if inv["status"] == "void":
            continue
        exp = EXPONENTS.get(inv["currency"].upper(), 2)
        for line in inv["lines"]["data"]:
            md = line["metadata"]
            if md.get("psa_project_code") and md.get("role") and not fixed_fee(md["psa_project_code"]):
                want = contracted(md["psa_project_code"], md["role"], epoch_date(line["period"]["start"]))
                unit = Decimal(line["unit_amount_excluding_tax"]).scaleb(-exp)
                if want is not None and not agree(unit, want):
                    flag("RATE-02", "billing_invoice_line", line["id"])
    for p in projects.values():
        o = opp_by_code.get(p["code"])
        if o is None:
            continue
        cur = o["CurrencyIsoCode"].upper()
        bad = clients[str(p["client"]["id"])]["currency"].upper() != cur
        bad |= any(
            i["currency"].upper() != cur
            for i in invoices.values()
            if i["metadata"].get("psa_project_code") == p["code"]
        )
        if bad:
            flag("RATE-04", "psa_project", p["id"])

    # -- UNB ----------------------------------------------------------------------------------
    hours_on = defaultdict(Decimal)
    for e in entries:
        d = date.fromisoformat(e["spent_date"])
        code = e["project"]["code"]
        p = projects[str(e["project"]["id"])]
        if (
            e["approval_status"] == "approved"
            and e["billable"]
            and p["is_billable"]
            and not fixed_fee(code)
            and e["invoice"] is None
            and not e["is_billed"]
            and (as_of - d).days > 30
        ):
            flag("UNB-01", "psa_time_entry", e["id"])
        if e["billable"] and e["approval_status"] in ("unsubmitted", "submitted") and (as_of - d).days > 14:
            flag("UNB-03", "psa_time_entry", e["id"])
        if e["invoice"] is not None:
            hours_on[(e["invoice"]["id"], code, primary_role(e["user"]["id"]))] += Decimal(e["hours"])
    for kind, records in (("psa_time_entry", entries), ("psa_expense", expenses)):
        for r in records:
            ref = r["invoice"]
            if (
                r["is_billed"]
                and ref is None
                or ref is not None
                and (ref["id"] not in invoices or invoices[ref["id"]]["status"] in ("draft", "void"))
            ):
                flag("UNB-02", kind, r["id"])
    for x in expenses:
        if (
            x["approval_status"] == "approved"
            and x["billable"]
            and x["invoice"] is None
            and not x["is_billed"]
            and (as_of - date.fromisoformat(x["spent_date"])).days > 30
        ):
            flag("UNB-04", "psa_expense", x["id"])
    for inv in invoices.values():
        if inv["status"] == "void":
            continue
        for line in inv["lines"]["data"]:
            md = line["metadata"]
            if md.get("psa_project_code") and md.get("role"):
                got = hours_on[(inv["id"], md["psa_project_code"], md["role"])]
                if abs(Decimal(str(line["quantity"])) - got) > Decimal("0.01"):
                    flag("UNB-05", "billing_invoice_line", line["id"])

    # -- INV ----------------------------------------------------------------------------------
    applied_credit = defaultdict(Decimal)
    for r in t["erp.previoustransactionlink"].values():
        if r["linktype"] == "Credit Memo":
            applied_credit[r["previousdoc"]] += dec(r["foreignamount"])
    for inv in invoices.values():
        exp = EXPONENTS.get(inv["currency"].upper(), 2)

        def major(v: int, exp: int = exp) -> Decimal:
            return Decimal(v).scaleb(-exp)

        status = inv["status"]
        twin = erp_inv_by_ext.get(inv["id"])
        st = inv["status_transitions"]
        if (
            status in ("open", "paid", "uncollectible")
            and twin is None
            and (as_of - epoch_date(st["finalized_at"])).days > G
        ):
            flag("INV-01", "billing_invoice", inv["id"])
        if twin is not None:
            e_total, e_paid, e_unpaid = (
                dec(twin[k]) for k in ("foreigntotal", "foreignamountpaid", "foreignamountunpaid")
            )
            e_open = twin["voided"] != "T" and twin["status"] != "V" and e_unpaid > 0
            same_currency = currency_code[twin["currency"]].upper() == inv["currency"].upper()
            if not agree(major(inv["total"]), e_total) or not same_currency:
                flag("INV-03", "billing_invoice", inv["id"])
            if (
                status == "paid"
                and (twin["status"] == "A" or e_unpaid > 0)
                and (as_of - epoch_date(st["paid_at"])).days > G
            ):
                flag("INV-04", "billing_invoice", inv["id"])
            if twin["status"] == "B" and status == "open":
                flag("INV-04", "billing_invoice", inv["id"])
            if status in ("void", "uncollectible") and e_open and applied_credit[twin["id"]] < e_unpaid:
                flag("INV-05", "billing_invoice", inv["id"])
            b_partial = 0 < inv["amount_paid"] < inv["total"]
            e_partial = 0 < e_paid < e_total
            if (b_partial or e_partial) and not agree(major(inv["amount_paid"]), e_paid):
                flag("INV-06", "billing_invoice", inv["id"])
            acc = bill_cust.get(inv["customer"], {}).get("metadata", {}).get("crm_account_id")
            if twin["entity"] not in erp_of.get(acc, set()):
                flag("INV-09", "billing_invoice", inv["id"])
        lines_total = sum(line["amount"] for line in inv["lines"]["data"])
        if (
            abs(inv["total"] - inv["subtotal"] - inv["tax"]) > 1
            or abs(inv["subtotal"] - lines_total) > 1
            or (status == "paid" and inv["amount_remaining"] > 0)
        ):
            flag("INV-08", "billing_invoice", inv["id"])
    for r in erp_inv:
        if r["voided"] != "T" and r["status"] != "V" and r["externalid"] not in invoices:
            flag("INV-02", "erp_transaction", r["id"])
        lines_sum = sum(dec(x["foreignamount"]) for x in tlines[r["id"]] if x["mainline"] != "T")
        if abs(dec(r["foreigntotal"]) - lines_sum) > Decimal("0.01"):
            flag("INV-08", "erp_transaction", r["id"])
    credit_memo_by_ext = {r["externalid"]: r for r in txns.values() if r["type"] == "CustCred" and r["externalid"]}
    for cn in t["billing.credit_notes"].values():
        if cn["status"] != "issued":
            continue
        memo = credit_memo_by_ext.get(cn["id"])
        exp = EXPONENTS.get(cn["currency"].upper(), 2)
        if memo is None or not agree(Decimal(cn["total"]).scaleb(-exp), dec(memo["foreigntotal"])):
            flag("INV-07", "billing_credit_note", cn["id"])

    # -- BOOK ---------------------------------------------------------------------------------
    billed = defaultdict(Decimal)
    for inv in invoices.values():
        if inv["status"] in ("open", "paid", "uncollectible"):
            exp = EXPONENTS.get(inv["currency"].upper(), 2)
            billed[inv["metadata"].get("psa_project_code")] += Decimal(inv["subtotal"]).scaleb(-exp)
    for o in won:
        code = o["PSA_Project_Code__c"]
        cap = dec(o["Amount"]) if o["Billing_Type__c"] == "Fixed Fee" else dec(o["Not_To_Exceed__c"])
        if cap is not None and billed[code] > cap and not agree(billed[code], cap):
            flag("BOOK-01", "crm_opportunity", o["Id"])
        if (as_of - date.fromisoformat(o["CloseDate"])).days > G and (
            code not in project_by_code or code not in job_by_code
        ):
            flag("BOOK-02", "crm_opportunity", o["Id"])
    return out
