"""Render the world's records into each system's extract files for one batch window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
import polars as pl
import pyarrow as pa

from .formats import csv_text, epoch_s, js, ns_amount, ns_value, sf_value
from .invoicing import Invoice
from .records import Rec
from .reference import CURRENCIES, ENTITIES, EXPENSE_CATEGORIES, TASKS
from .timesheets import APPROVED, STATUS_NAMES, SUBMITTED, epoch
from .world import World

SYSTEMS = ("crm", "psa", "erp", "billing")


@dataclass(frozen=True)
class Window:
    """``full``: every record existing at ``hi``; else records created or changed in (lo, hi]."""

    lo: datetime
    hi: datetime
    full: bool

    def wants(self, created: datetime, events: list[datetime]) -> bool:
        if self.full:
            return created <= self.hi
        return any(self.lo < e <= self.hi for e in events)

    def rec(self, rec: Rec) -> dict | None:
        return rec.at(self.hi) if self.wants(rec.created, rec.events()) else None


@dataclass
class ExtractFile:
    name: str
    object: str
    text: str | bytes
    rows: int


def render(world: World, system: str, window: Window) -> list[ExtractFile]:
    return {"crm": _crm, "psa": _psa, "erp": _erp, "billing": _billing}[system](world, window)


# -- crm ------------------------------------------------------------------------------------

ACCOUNT_FIELDS = ["Id", "Name", "AccountNumber", "ParentId", "MasterRecordId", "Type", "BillingCountryCode",
                  "CurrencyIsoCode", "Tax_Id__c", "Legal_Entity__c", "ERP_Customer_Id__c", "IsDeleted",
                  "CreatedDate", "LastModifiedDate", "SystemModstamp"]
OPPORTUNITY_FIELDS = ["Id", "AccountId", "Name", "StageName", "IsClosed", "IsWon", "CloseDate", "Amount",
                      "CurrencyIsoCode", "Type", "Billing_Type__c", "Not_To_Exceed__c", "PSA_Project_Code__c",
                      "IsDeleted", "LastModifiedDate", "SystemModstamp"]
LINE_ITEM_FIELDS = ["Id", "OpportunityId", "Product2Id", "ProductCode", "Quantity", "UnitPrice", "ListPrice",
                    "Discount", "TotalPrice", "ServiceDate", "Rate_End_Date__c", "IsDeleted", "LastModifiedDate",
                    "SystemModstamp"]
PRODUCT_FIELDS = ["Id", "Name", "ProductCode", "Family", "IsActive", "LastModifiedDate"]


def _sf_rows(recs: list[Rec], fields: list[str], window: Window):
    for rec in recs:
        state = window.rec(rec)
        if state is not None:
            if "SystemModstamp" in fields:
                state["SystemModstamp"] = state["LastModifiedDate"]
            yield [sf_value(state[f]) for f in fields]


def _csv_file(name: str, obj: str, header: list[str], rows) -> ExtractFile:
    text, n = csv_text(header, rows)
    return ExtractFile(name, obj, text, n)


def _crm(world: World, window: Window) -> list[ExtractFile]:
    opps = [e.opp for e in world.engagements] + world.orphan_opportunities
    opps.sort(key=lambda r: r.data["Id"])
    lines = sorted((p.line for e in world.engagements for ps in e.rates.values() for p in ps),
                   key=lambda r: r.data["Id"])
    return [
        _csv_file("Account.csv", "Account", ACCOUNT_FIELDS,
                  _sf_rows([c.account for c in world.customers], ACCOUNT_FIELDS, window)),
        _csv_file("Opportunity.csv", "Opportunity", OPPORTUNITY_FIELDS, _sf_rows(opps, OPPORTUNITY_FIELDS, window)),
        _csv_file("OpportunityLineItem.csv", "OpportunityLineItem", LINE_ITEM_FIELDS,
                  _sf_rows(lines, LINE_ITEM_FIELDS, window)),
        _csv_file("Product2.csv", "Product2", PRODUCT_FIELDS,
                  _sf_rows(list(world.products.values()), PRODUCT_FIELDS, window)),
    ]


# -- psa ------------------------------------------------------------------------------------

def _jsonl(name: str, obj: str, lines: list[str]) -> ExtractFile:
    return ExtractFile(name, obj, "".join(line + "\n" for line in lines), len(lines))


def _minor_number(minor: int, exponent: int) -> Decimal:
    return Decimal(int(minor)).scaleb(-exponent).quantize(Decimal("0.01"))


def _psa(world: World, window: Window) -> list[ExtractFile]:
    t = window.hi
    clients, projects, users, assignments, expenses = [], [], [], [], []
    client_names = {}
    for c in world.customers:
        state = c.client.at(t)
        if state is not None:
            client_names[c.idx] = state["name"]
        s = window.rec(c.client)
        if s is not None:
            clients.append(js({k: s[k] for k in ("id", "name", "is_active", "currency", "created_at", "updated_at")}))
    for e in world.engagements:
        s = window.rec(e.project) if e.project is not None else None
        if s is not None:
            cust = e.customer
            projects.append(js({
                "id": s["id"], "client": {"id": cust.client_id, "name": client_names.get(cust.idx, cust.name),
                                          "currency": cust.client.at(t)["currency"]},
                "name": s["name"], "code": s["code"], "is_active": s["is_active"], "is_billable": s["is_billable"],
                "is_fixed_fee": s["is_fixed_fee"], "bill_by": s["bill_by"], "hourly_rate": s["hourly_rate"],
                "fee": s["fee"], "starts_on": s["starts_on"], "ends_on": s["ends_on"],
                "created_at": s["created_at"], "updated_at": s["updated_at"]}))
    for u in world.users:
        s = window.rec(u.rec)
        if s is not None:
            users.append(js({k: s[k] for k in ("id", "first_name", "last_name", "email", "is_active",
                                                "default_hourly_rate", "cost_rate", "roles", "created_at",
                                                "updated_at")}))
    for (eng_idx, user_idx), rec in sorted(world.assignments.items(), key=lambda kv: kv[1].data["id"]):
        s = window.rec(rec)
        if s is not None:
            e, u = world.engagements[eng_idx], world.users[user_idx]
            assignments.append(js({
                "id": s["id"], "project": {"id": e.project_id, "name": e.project.data["name"], "code": e.code},
                "user": {"id": u.id, "name": u.name}, "is_active": s["is_active"],
                "use_default_rates": s["use_default_rates"], "hourly_rate": s["hourly_rate"], "budget": s["budget"],
                "created_at": s["created_at"], "updated_at": s["updated_at"]}))
    for rec in world.expenses:
        s = window.rec(rec)
        if s is not None:
            e, u = world.engagements[s["engagement"]], world.users[s["user"]]
            cat = EXPENSE_CATEGORIES[s["expense_category"]]
            ref = world.invoice_refs[s["invoice"]] if s["invoice"] is not None else None
            expenses.append(js({
                "id": s["id"], "spent_date": s["spent_date"], "total_cost": s["total_cost"], "units": s["units"],
                "notes": s["notes"], "billable": s["billable"], "is_billed": s["is_billed"],
                "is_locked": s["is_locked"], "approval_status": s["approval_status"],
                "user": {"id": u.id, "name": u.name},
                "client": {"id": e.customer.client_id, "name": client_names.get(e.customer.idx, e.customer.name),
                           "currency": e.customer.client.at(t)["currency"]},
                "project": {"id": e.project_id, "name": e.project.data["name"], "code": e.code},
                "expense_category": {"id": cat[0], "name": cat[1]},
                "invoice": {"id": ref[0], "number": ref[1]} if ref else None,
                "created_at": s["created_at"], "updated_at": s["updated_at"]}))
    return [
        _jsonl("clients.jsonl", "clients", clients),
        _jsonl("projects.jsonl", "projects", projects),
        _jsonl("users.jsonl", "users", users),
        _jsonl("user_assignments.jsonl", "user_assignments", assignments),
        _time_entries_file(world, window, client_names),
        _jsonl("expenses.jsonl", "expenses", expenses),
    ]


_NOTES = ("Client delivery work", "Workshop preparation and facilitation", "Project coordination",
          "Internal knowledge sharing")


def _iso_series(seconds: np.ndarray) -> pl.Series:
    return pl.from_epoch(pl.Series(seconds.astype(np.int64)), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _lookup(values: list[str], idx: np.ndarray) -> pl.Series:
    return pl.Series(values, dtype=pl.String).gather(pl.Series(idx.astype(np.int64)))


def _time_entries_file(world: World, window: Window, client_names: dict[int, str]) -> ExtractFile:
    """Vectorised: a million entries must render in seconds, so lines are assembled by polars."""
    te = world.time
    hi, lo = epoch(window.hi), epoch(window.lo)
    created, sub, appr, billed = te["created"], te["sub_ts"], te["appr_ts"], te["billed_ts"]
    if window.full:
        mask = created <= hi
    else:
        mask = np.zeros(len(te), np.bool_)
        for col in (created, sub, appr, billed):
            mask |= (col > lo) & (col <= hi)
    rows = np.nonzero(mask)[0]
    if len(rows) == 0:
        return ExtractFile("time_entries.jsonl", "time_entries", b"", 0)
    eng, user = te["eng"][rows].astype(np.int64), te["user"][rows].astype(np.int64)
    status = np.where(appr[rows] <= hi, APPROVED, np.where(sub[rows] <= hi, SUBMITTED, 0))
    billed_now = billed[rows] <= hi
    billed_flag = billed_now & te["is_billed"][rows]
    locked = (status == APPROVED) | billed_flag
    updated = created[rows].copy()
    for col in (sub, appr, billed):
        c = col[rows]
        updated = np.maximum(updated, np.where(c <= hi, c, 0))
    inv = np.where(billed_now & (te["inv"][rows] >= 0), te["inv"][rows] + 1, 0)

    day = te["day"][rows].astype(np.int64)
    d0 = int(day.min())
    day_text = np.datetime_as_string(np.arange(d0, int(day.max()) + 1).astype("datetime64[D]")).tolist()
    exps = np.array([CURRENCIES[e.currency].exponent for e in world.engagements], np.int64)
    rate = te["rate"][rows].astype(np.int64)
    rate_key = np.where(rate < 0, -1, rate * 8 + exps[eng])
    rate_uniq, rate_inv = np.unique(rate_key, return_inverse=True)
    rate_text = ["null" if k < 0 else format(_minor_number(k // 8, k % 8), "f") for k in rate_uniq.tolist()]
    hq_uniq, hq_inv = np.unique(te["hq"][rows], return_inverse=True)
    hq_text = [format(Decimal(int(h)) / 4, "f") for h in hq_uniq.tolist()]
    n_users = len(world.users)
    # One lookup per (engagement, user, assignment state): everything nested about who and where.
    who_key = (eng * n_users + user) * 2 + te["ua_active"][rows].astype(np.int64)
    who_uniq, who_inv = np.unique(who_key, return_inverse=True)
    clients = [js({"id": e.customer.client_id, "name": client_names.get(e.customer.idx, e.customer.name),
                   "currency": e.customer.client.at(window.hi)["currency"]}) for e in world.engagements]
    projects = [js({"id": e.project_id, "name": e.project.data["name"], "code": e.code})
                if e.project is not None else "null" for e in world.engagements]
    who_text = []
    for k in who_uniq.tolist():
        e_idx, u_idx = k // 2 // n_users, k // 2 % n_users
        d = world.assignments[(e_idx, u_idx)].final()
        u = world.users[u_idx]
        who_text.append(
            f',"cost_rate":{js(u.cost)},"user":{js({"id": u.id, "name": u.name})},"client":{clients[e_idx]},'
            f'"project":{projects[e_idx]}')
        who_text[-1] += (f',"user_assignment":{{"id":{d["id"]},"is_active":{"true" if k % 2 else "false"},'
                         f'"hourly_rate":{js(d["hourly_rate"])}}}')
    # Flags and approval status in one small lookup.
    flags = ((locked.astype(np.int64) * 2 + billed_flag) * 3 + status) * 2 + te["billable"][rows]
    flag_text = []
    for k in range(24):
        b, rest = k % 2, k // 2
        st, rest = rest % 3, rest // 3
        bi, lk = rest % 2, rest // 2
        flag_text.append(f',"is_locked":{"true" if lk else "false"},"is_billed":{"true" if bi else "false"},'
                         f'"is_running":false,"approval_status":{js(STATUS_NAMES[st])},'
                         f'"billable":{"true" if b else "false"}')
    task = te["task"][rows].astype(np.int64)
    task_text = [f',"notes":{js(n)}' for n in _NOTES]
    task_obj = [f',"task":{js({"id": tid, "name": name})}' for tid, name in TASKS]
    hours_text = [f',"hours":{h},"rounded_hours":{h}' for h in hq_text]
    parts = [
        pl.lit('{"id":'), pl.Series(te["id"][rows]).cast(pl.String),
        pl.lit(',"spent_date":"'), _lookup(day_text, day - d0), pl.lit('"'),
        _lookup(hours_text, hq_inv), _lookup(task_text, task), _lookup(flag_text, flags),
        pl.lit(',"billable_rate":'), _lookup(rate_text, rate_inv),
        _lookup(who_text, who_inv), _lookup(task_obj, task),
        pl.lit(',"invoice":'), _lookup(["null"] + [js({"id": i, "number": n}) for i, n in world.invoice_refs], inv),
        pl.lit(',"created_at":"'), _iso_series(created[rows]),
        pl.lit('","updated_at":"'), _iso_series(updated), pl.lit('"}\n'),
    ]
    series = [x for x in parts if isinstance(x, pl.Series)]
    frame = pl.DataFrame({f"c{i}": x for i, x in enumerate(series)})
    exprs, k = [], 0
    for x in parts:
        if isinstance(x, pl.Series):
            exprs.append(pl.col(f"c{k}"))
            k += 1
        else:
            exprs.append(x)
    lines = frame.select(pl.concat_str(exprs).alias("line"))["line"]
    return ExtractFile("time_entries.jsonl", "time_entries", _contiguous_bytes(lines), len(rows))


def _contiguous_bytes(lines: pl.Series) -> bytes:
    """All strings of a polars column back to back, straight from its Arrow value buffer."""
    arr = lines.to_arrow(compat_level=pl.CompatLevel.oldest()).cast(pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    return arr.buffers()[2].to_pybytes()[int(offsets[0]):int(offsets[-1])]


# -- erp ------------------------------------------------------------------------------------

CUSTOMER_FIELDS = ["id", "entityid", "companyname", "externalid", "currency", "subsidiary", "vatregnumber",
                   "billcountry", "isinactive", "datecreated", "lastmodifieddate"]
JOB_FIELDS = ["id", "entityid", "companyname", "customer", "externalid", "jobbillingtype", "startdate", "enddate",
              "isinactive", "lastmodifieddate"]
TRANSACTION_FIELDS = ["id", "tranid", "type", "status", "trandate", "duedate", "entity", "job", "currency",
                      "exchangerate", "foreigntotal", "foreignamountpaid", "foreignamountunpaid", "externalid", "memo",
                      "voided", "lastmodifieddate"]
LINE_FIELDS = ["id", "transaction", "linesequencenumber", "mainline", "taxline", "item", "quantity", "rate",
               "foreignamount", "memo"]
LINK_FIELDS = ["previousdoc", "nextdoc", "linktype", "foreignamount", "linkdate"]
ERP_REFERENCE_CREATED = datetime(2020, 1, 1)


def _erp(world: World, window: Window) -> list[ExtractFile]:
    ref_rows = window.full or window.lo < ERP_REFERENCE_CREATED <= window.hi
    currencies = [[str(c.erp_id), c.code, c.name] for c in sorted(CURRENCIES.values(), key=lambda c: c.erp_id)]
    subsidiaries = [[str(e.erp_id), e.name, e.legal_name, e.country, str(CURRENCIES[e.currency].erp_id)]
                    for e in ENTITIES]
    customers = []
    for rec in sorted(world.erp_customers, key=lambda r: r.data["id"]):
        s = window.rec(rec)
        if s is not None:
            customers.append([ns_value(s[f]) for f in CUSTOMER_FIELDS])
    jobs = []
    for e in world.engagements:
        s = window.rec(e.job) if e.job is not None else None
        if s is not None:
            jobs.append([ns_value(s[f]) for f in JOB_FIELDS])
    txns, lines, links = [], [], []
    for inv in world.invoices:
        if inv.erp is None or not window.wants(inv.erp.created, inv.erp_events()):
            continue
        _erp_invoice_rows(world, inv, window, txns, lines, links)
    txns.sort(key=lambda r: int(r[0]))
    lines.sort(key=lambda r: int(r[0]))
    links.sort(key=lambda r: (int(r[0]), int(r[1])))
    return [
        _csv_file("currency.csv", "currency", ["id", "symbol", "name"], currencies if ref_rows else []),
        _csv_file("subsidiary.csv", "subsidiary", ["id", "name", "legalname", "country", "currency"],
                  subsidiaries if ref_rows else []),
        _csv_file("customer.csv", "customer", CUSTOMER_FIELDS, customers),
        _csv_file("job.csv", "job", JOB_FIELDS, jobs),
        _csv_file("transaction.csv", "transaction", TRANSACTION_FIELDS, txns),
        _csv_file("transactionline.csv", "transactionline", LINE_FIELDS, lines),
        _csv_file("previoustransactionlink.csv", "previoustransactionlink", LINK_FIELDS, links),
    ]


def _erp_invoice_rows(world: World, inv: Invoice, window: Window, txns, lines, links) -> None:
    t = window.hi
    exp = inv.exponent
    erp = inv.erp
    st = inv.erp_state(t)
    if st is not None and (window.full or any(window.lo < e <= t for e in [erp.created] + (
            [erp.void_ts] if erp.void_ts else []) + [p.erp_ts for p in inv.erp_payments()]
            + [c.erp_ts for c in inv.erp_credits()])):
        trandate = (inv.finalized or erp.created).date()
        txns.append([str(erp.id), erp.tranid, "CustInvc", st["status"], ns_value(trandate),
                     ns_value(trandate + timedelta(days=30)), ns_value(erp.entity), ns_value(erp.job_id),
                     str(erp.currency_id), "1.00", ns_amount(st["total"], exp), ns_amount(st["paid"], exp),
                     ns_amount(st["unpaid"], exp), erp.external_id, f"Invoice {inv.number or erp.tranid}",
                     ns_value(st["voided"]), ns_value(st["modified"])])
    if window.full or window.lo < erp.created <= t:
        if erp.created <= t:
            lines.append([str(erp.mainline_id), str(erp.id), "0", "T", "F", "", "", "", ns_amount(inv.erp_total(), exp),
                          ""])
            for seq, (line, amount) in enumerate(zip(inv.lines, inv.erp_line_amounts()), start=1):
                lines.append([str(line.erp_line_id), str(erp.id), str(seq), "F", "F", line.erp_item,
                              format(line.qty, "f"), ns_amount(line.unit_minor, exp), ns_amount(amount, exp),
                              line.description])
            lines.append([str(erp.tax_line_id), str(erp.id), str(len(inv.lines) + 1), "F", "T", "Tax", "", "",
                          ns_amount(inv.tax, exp), ""])
    for p in inv.erp_payments():
        if window.full and p.erp_ts <= t or not window.full and window.lo < p.erp_ts <= t:
            amount = inv.erp_payment_amount(p)
            txns.append([str(p.erp_id), p.erp_tranid, "CustPymt", "C", ns_value(p.erp_ts.date()), "",
                         ns_value(erp.entity), "", str(erp.currency_id), "1.00", ns_amount(amount, exp), "", "",
                         p.charge_id or "", f"Payment for {inv.number or erp.tranid}", "F", ns_value(p.erp_ts)])
            links.append([str(erp.id), str(p.erp_id), "Payment", ns_amount(amount, exp), ns_value(p.erp_ts.date())])
    for c in inv.erp_credits():
        if window.full and c.erp_ts <= t or not window.full and window.lo < c.erp_ts <= t:
            amount = inv.erp_credit_amount(c)
            txns.append([str(c.erp_id), c.erp_tranid, "CustCred", "B", ns_value(c.erp_ts.date()), "",
                         ns_value(erp.entity), ns_value(erp.job_id), str(erp.currency_id), "1.00",
                         ns_amount(amount, exp), "", "", c.cn_id or "", f"Credit for {inv.number or erp.tranid}", "F",
                         ns_value(c.erp_ts)])
            links.append([str(erp.id), str(c.erp_id), "Credit Memo", ns_amount(amount, exp),
                          ns_value(c.erp_ts.date())])


# -- billing --------------------------------------------------------------------------------

def _billing(world: World, window: Window) -> list[ExtractFile]:
    t = window.hi
    customers = []
    for rec in sorted(world.billing_customers, key=lambda r: r.data["id"]):
        s = window.rec(rec)
        if s is not None:
            doc = {"id": s["id"], "object": "customer", "name": s["name"], "email": s["email"],
                   "currency": s["currency"].lower(), "address": s["address"],
                   "tax_ids": {"object": "list", "data": [{"type": ty, "value": v} for ty, v in s["tax_ids"]],
                               "has_more": False},
                   "metadata": s["metadata"], "created": epoch_s(s["created"]), "livemode": False}
            if s["deleted"]:
                doc["deleted"] = True
            customers.append(js(doc))
    invoices, credit_notes, charges = [], [], []
    for inv in sorted(world.invoices, key=lambda i: i.id):
        if not inv.billing_present:
            continue
        state = inv.billing_state(t)
        if state is not None and window.wants(inv.created, inv.billing_events()):
            invoices.append(js(_invoice_doc(inv, state)))
        cur = inv.currency.lower()
        for p in inv.payments:
            if p.charge_id and window.wants(p.ts, [p.ts]):
                amount = inv.payment_amount(p)
                charges.append((p.charge_id, js({
                    "id": p.charge_id, "object": "charge", "invoice": inv.id, "customer": inv.cus_id,
                    "amount": amount, "amount_captured": amount, "amount_refunded": 0, "currency": cur,
                    "status": "succeeded", "paid": True, "refunded": False, "created": epoch_s(p.ts)})))
        for c in inv.credits:
            events = [c.ts] + ([c.voided_at] if c.voided_at else [])
            if c.cn_id and window.wants(c.ts, events):
                voided = c.voided_at if c.voided_at and c.voided_at <= t else None
                credit_notes.append((c.cn_id, js({
                    "id": c.cn_id, "object": "credit_note", "invoice": inv.id, "customer": inv.cus_id,
                    "status": "void" if voided else "issued", "total": inv.credit_amount(c), "currency": cur,
                    "reason": c.reason, "created": epoch_s(c.ts), "voided_at": epoch_s(voided)})))
    return [
        _jsonl("customers.jsonl", "customers", customers),
        _jsonl("invoices.jsonl", "invoices", invoices),
        _jsonl("credit_notes.jsonl", "credit_notes", [doc for _, doc in sorted(credit_notes)]),
        _jsonl("charges.jsonl", "charges", [doc for _, doc in sorted(charges)]),
    ]


def _invoice_doc(inv: Invoice, s: dict) -> dict:
    cur = inv.currency.lower()
    code = inv.engagement.code
    lines = []
    for line in inv.lines:
        meta = {"psa_project_code": code}
        if line.role:
            meta["role"] = line.role
        lines.append({
            "id": line.id, "object": "line_item",
            "amount": line.amount_override if line.amount_override is not None else line.amount,
            "currency": cur, "description": line.description, "quantity": line.qty,
            "unit_amount_excluding_tax": str(line.unit_minor),
            "period": {"start": epoch_s(_day_start(line.period_start)),
                       "end": epoch_s(_day_start(line.period_end) + timedelta(days=1))},
            "metadata": meta})
    return {
        "id": inv.id, "object": "invoice", "number": inv.number if s["status"] != "draft" else None,
        "customer": inv.cus_id, "status": s["status"], "currency": cur, "subtotal": s["subtotal"], "tax": s["tax"],
        "total": s["total"], "amount_due": s["amount_due"], "amount_paid": s["amount_paid"],
        "amount_remaining": s["amount_remaining"], "created": epoch_s(inv.created),
        "due_date": epoch_s(inv.finalized + timedelta(days=30)) if s["finalized_at"] else None,
        "period_start": epoch_s(_day_start(inv.period_start)),
        "period_end": epoch_s(_day_start(inv.period_end) + timedelta(days=1)),
        "status_transitions": {"finalized_at": epoch_s(s["finalized_at"]), "paid_at": epoch_s(s["paid_at"]),
                               "voided_at": epoch_s(s["voided_at"]),
                               "marked_uncollectible_at": epoch_s(s["marked_uncollectible_at"])},
        "metadata": {"psa_project_code": code},
        "lines": {"object": "list", "has_more": False, "data": lines},
        "livemode": False,
    }


def _day_start(d) -> datetime:
    return datetime(d.year, d.month, d.day)
