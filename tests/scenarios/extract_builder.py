"""An independent writer of landing batches, written from shared/extracts/README.md alone.

It deliberately does not import ingestion.* or the demo generator: the scenarios must
exercise the pipeline on extracts shaped the way an outsider reads the contract. A scenario
adds records only for the objects it needs; a batch lists only the files it was given.

Records are plain dicts in the source system's own shape. The helpers below format values
the way each system exports them (Salesforce ISO datetimes with milliseconds and
true/false, NetSuite M/D/YYYY and T/F, Stripe epoch seconds and minor units, Harvest
nested objects); a value of None means "empty CSV cell" / "JSON null".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

# CSV headers, in the order the contract lists them.
CRM_HEADERS: dict[str, tuple[str, ...]] = {
    "Account": (
        "Id",
        "Name",
        "AccountNumber",
        "ParentId",
        "MasterRecordId",
        "Type",
        "BillingCountryCode",
        "CurrencyIsoCode",
        "Tax_Id__c",
        "Legal_Entity__c",
        "ERP_Customer_Id__c",
        "IsDeleted",
        "CreatedDate",
        "LastModifiedDate",
        "SystemModstamp",
    ),
    "Opportunity": (
        "Id",
        "AccountId",
        "Name",
        "StageName",
        "IsClosed",
        "IsWon",
        "CloseDate",
        "Amount",
        "CurrencyIsoCode",
        "Type",
        "Billing_Type__c",
        "Not_To_Exceed__c",
        "PSA_Project_Code__c",
        "IsDeleted",
        "LastModifiedDate",
        "SystemModstamp",
    ),
    "OpportunityLineItem": (
        "Id",
        "OpportunityId",
        "Product2Id",
        "ProductCode",
        "Quantity",
        "UnitPrice",
        "ListPrice",
        "Discount",
        "TotalPrice",
        "ServiceDate",
        "Rate_End_Date__c",
        "IsDeleted",
        "LastModifiedDate",
        "SystemModstamp",
    ),
    "Product2": ("Id", "Name", "ProductCode", "Family", "IsActive", "LastModifiedDate"),
}
ERP_HEADERS: dict[str, tuple[str, ...]] = {
    "currency": ("id", "symbol", "name"),
    "subsidiary": ("id", "name", "legalname", "country", "currency"),
    "customer": (
        "id",
        "entityid",
        "companyname",
        "externalid",
        "currency",
        "subsidiary",
        "vatregnumber",
        "billcountry",
        "isinactive",
        "datecreated",
        "lastmodifieddate",
    ),
    "job": (
        "id",
        "entityid",
        "companyname",
        "customer",
        "externalid",
        "jobbillingtype",
        "startdate",
        "enddate",
        "isinactive",
        "lastmodifieddate",
    ),
    "transaction": (
        "id",
        "tranid",
        "type",
        "status",
        "trandate",
        "duedate",
        "entity",
        "job",
        "currency",
        "exchangerate",
        "foreigntotal",
        "foreignamountpaid",
        "foreignamountunpaid",
        "externalid",
        "memo",
        "voided",
        "lastmodifieddate",
    ),
    "transactionline": (
        "id",
        "transaction",
        "linesequencenumber",
        "mainline",
        "taxline",
        "item",
        "quantity",
        "rate",
        "foreignamount",
        "memo",
    ),
    "previoustransactionlink": ("previousdoc", "nextdoc", "linktype", "foreignamount", "linkdate"),
}
CSV_HEADERS = {"crm": CRM_HEADERS, "erp": ERP_HEADERS}
JSONL_OBJECTS = {
    "psa": ("clients", "projects", "users", "user_assignments", "time_entries", "expenses"),
    "billing": ("customers", "invoices", "credit_notes", "charges"),
}

# ISO 4217 minor-unit exponents the scenarios use (Stripe amounts are in minor units).
EXPONENT = {"USD": 2, "EUR": 2, "GBP": 2, "AUD": 2, "JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3}


# ---- value formats -------------------------------------------------------------------


def sf_id(prefix: str, n: int) -> str:
    """An 18-character Salesforce id: 3-char key prefix, 12 digits, 3-char checksum-like suffix."""
    body = f"{prefix}{n:012d}"
    return body + "AAA"


def sf_bool(v: bool) -> str:
    return "true" if v else "false"


def sf_datetime(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def sf_date(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def ns_bool(v: bool) -> str:
    return "T" if v else "F"


def ns_date(d: date | None) -> str | None:
    return None if d is None else f"{d.month}/{d.day}/{d.year}"


def ns_datetime(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    return f"{dt.month}/{dt.day}/{dt.year} {hour}:{dt.minute:02d} {'am' if dt.hour < 12 else 'pm'}"


def ns_money(v: Decimal | str | int | None) -> str | None:
    return None if v is None else f"{Decimal(str(v)):.2f}"


def epoch(value: date | datetime) -> int:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(12, 0), tzinfo=UTC)
    return int(value.timestamp())


def harvest_ts(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def minor(amount: Decimal | str | int, currency: str) -> int:
    """Major units (exact decimal) to Stripe's integer minor units."""
    value = Decimal(str(amount)) * (Decimal(10) ** EXPONENT[currency.upper()])
    if value != value.to_integral_value():
        raise ValueError(f"{amount} {currency} is not a whole number of minor units")
    return int(value)


def batch_id_of(extracted_at: datetime) -> str:
    return extracted_at.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


# ---- batches ---------------------------------------------------------------------------


@dataclass
class Batch:
    system: str
    extracted_at: datetime
    mode: str = "full"
    objects: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, obj: str, *records: dict[str, Any]) -> None:
        known = CSV_HEADERS.get(self.system, {}).keys() or JSONL_OBJECTS[self.system]
        if obj not in known:
            raise KeyError(f"{self.system} has no object {obj!r}")
        self.objects.setdefault(obj, []).extend(records)

    @property
    def batch_id(self) -> str:
        return batch_id_of(self.extracted_at)

    def write(self, landing_root: Path) -> Path:
        folder = Path(landing_root) / self.system / self.batch_id
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for obj, records in self.objects.items():
            if self.system in CSV_HEADERS:
                name, data = f"{obj}.csv", _csv_bytes(CSV_HEADERS[self.system][obj], records, obj)
            else:
                name = f"{obj}.jsonl"
                data = "".join(json_line(r) + "\n" for r in records).encode()
            (folder / name).write_bytes(data)
            files.append(
                {"name": name, "object": obj, "rows": len(records), "sha256": hashlib.sha256(data).hexdigest()}
            )
        manifest = {
            "system": self.system,
            "batch_id": self.batch_id,
            "mode": self.mode,
            "extracted_at": self.extracted_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "files": files,
        }
        # the manifest last: a batch is complete only once it is present
        (folder / "_manifest.json").write_text(json.dumps(manifest, indent=2))
        return folder


_DEC = "\u0000dec:"


def _tag_decimals(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_DEC}{value}"
    if isinstance(value, dict):
        return {k: _tag_decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tag_decimals(v) for v in value]
    return value


def json_line(record: dict[str, Any]) -> str:
    """One JSON line; Decimals become JSON numbers with their exact digits (Harvest money)."""
    text = json.dumps(_tag_decimals(record), ensure_ascii=False)
    return re.sub(r'"\\u0000dec:(-?[0-9.]+)"', r"\1", text)


def _csv_bytes(headers: tuple[str, ...], records: list[dict[str, Any]], obj: str) -> bytes:
    unknown = {k for r in records for k in r} - set(headers)
    if unknown:
        raise KeyError(f"{obj}.csv has no columns {sorted(unknown)}")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(headers)
    for r in records:
        writer.writerow(["" if r.get(h) is None else r.get(h) for h in headers])
    return buf.getvalue().encode("utf-8")


def write_batches(landing_root: Path, *batches: Batch) -> None:
    for b in batches:
        b.write(landing_root)


# ---- a world of records, one full batch per system ------------------------------------

# NetSuite reference data: currencies and subsidiaries are referenced by internal id.
ERP_CURRENCY_IDS = {"USD": 1, "EUR": 2, "GBP": 3, "JPY": 4, "BHD": 5, "AUD": 6}
SUB_US, SUB_UK = 1, 2
SUBSIDIARIES = {
    SUB_US: ("Q2 Advisory US", "Q2 Advisory Inc.", "US", "USD"),
    SUB_UK: ("Q2 Advisory UK", "Q2 Advisory Ltd", "GB", "GBP"),
}
CREATED = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)


class World:
    """Records for one full batch per system, extracted at ``extracted_at``.

    Every helper writes the record in its source system's own shape and returns its id.
    Objects never touched are not delivered at all (no file, not in the manifest).
    """

    def __init__(self, extracted_at: datetime, mode: str = "full"):
        self.extracted_at = extracted_at
        self.batches = {s: Batch(s, extracted_at, mode) for s in ("crm", "psa", "erp", "billing")}
        self._erp_reference_written = False

    def write(self, landing_root: Path) -> None:
        for b in self.batches.values():
            if b.objects:
                b.write(landing_root)

    def _add(self, system: str, obj: str, record: dict[str, Any]) -> dict[str, Any]:
        self.batches[system].add(obj, record)
        return record

    # -- crm ---------------------------------------------------------------------
    def account(
        self,
        n: int,
        name: str,
        *,
        currency: str | None = "USD",
        country: str | None = "US",
        tax_id: str | None = None,
        legal_entity: str | None = "Q2 Advisory Inc.",
        erp_id: int | None = None,
        deleted: bool = False,
        master: str | None = None,
    ) -> str:
        stamp = sf_datetime(CREATED)
        acc = sf_id("001", n)
        self._add(
            "crm",
            "Account",
            {
                "Id": acc,
                "Name": name,
                "AccountNumber": f"AC-{n}",
                "MasterRecordId": master,
                "Type": "Customer",
                "BillingCountryCode": country,
                "CurrencyIsoCode": currency,
                "Tax_Id__c": tax_id,
                "Legal_Entity__c": legal_entity,
                "ERP_Customer_Id__c": None if erp_id is None else str(erp_id),
                "IsDeleted": sf_bool(deleted),
                "CreatedDate": stamp,
                "LastModifiedDate": stamp,
                "SystemModstamp": stamp,
            },
        )
        return acc

    def opportunity(
        self,
        n: int,
        account_id: str,
        code: str | None,
        *,
        close: date,
        amount: str = "100000.00",
        currency: str = "USD",
        won: bool = True,
        closed: bool | None = None,
        fixed_fee: bool = False,
        nte: str | None = None,
        deleted: bool = False,
        opp_type: str = "New Business",
    ) -> str:
        opp = sf_id("006", n)
        closed = won if closed is None else closed
        stamp = sf_datetime(CREATED)
        self._add(
            "crm",
            "Opportunity",
            {
                "Id": opp,
                "AccountId": account_id,
                "Name": f"Engagement {n}",
                "StageName": "Closed Won" if won else ("Closed Lost" if closed else "Proposal"),
                "IsClosed": sf_bool(closed),
                "IsWon": sf_bool(won),
                "CloseDate": sf_date(close),
                "Amount": amount,
                "CurrencyIsoCode": currency,
                "Type": opp_type,
                "Billing_Type__c": "Fixed Fee" if fixed_fee else "Time and Materials",
                "Not_To_Exceed__c": nte,
                "PSA_Project_Code__c": code,
                "IsDeleted": sf_bool(deleted),
                "LastModifiedDate": stamp,
                "SystemModstamp": stamp,
            },
        )
        return opp

    def product(self, n: int, name: str, code: str) -> str:
        pid = sf_id("01t", n)
        self._add(
            "crm",
            "Product2",
            {
                "Id": pid,
                "Name": name,
                "ProductCode": code,
                "Family": "Professional Services",
                "IsActive": "true",
                "LastModifiedDate": sf_datetime(CREATED),
            },
        )
        return pid

    def rate_line(
        self,
        n: int,
        opp_id: str,
        product_id: str,
        code: str,
        unit_price: str,
        start: date,
        end: date | None = None,
        hours: str = "100",
    ) -> str:
        lid = sf_id("00k", n)
        total = Decimal(unit_price) * Decimal(hours)
        stamp = sf_datetime(CREATED)
        self._add(
            "crm",
            "OpportunityLineItem",
            {
                "Id": lid,
                "OpportunityId": opp_id,
                "Product2Id": product_id,
                "ProductCode": code,
                "Quantity": hours,
                "UnitPrice": unit_price,
                "ListPrice": unit_price,
                "Discount": None,
                "TotalPrice": f"{total:.2f}",
                "ServiceDate": sf_date(start),
                "Rate_End_Date__c": sf_date(end),
                "IsDeleted": "false",
                "LastModifiedDate": stamp,
                "SystemModstamp": stamp,
            },
        )
        return lid

    # -- erp ---------------------------------------------------------------------
    def erp_reference(self) -> None:
        if self._erp_reference_written:
            return
        self._erp_reference_written = True
        for code, cid in ERP_CURRENCY_IDS.items():
            self._add("erp", "currency", {"id": cid, "symbol": code, "name": code})
        for sid, (name, legal, country, cur) in SUBSIDIARIES.items():
            self._add(
                "erp",
                "subsidiary",
                {"id": sid, "name": name, "legalname": legal, "country": country, "currency": ERP_CURRENCY_IDS[cur]},
            )

    def erp_customer(
        self,
        cid: int,
        name: str,
        externalid: str | None,
        *,
        currency: str | None = "USD",
        subsidiary: int | None = SUB_US,
        vat: str | None = None,
        country: str | None = "US",
        inactive: bool = False,
    ) -> str:
        self.erp_reference()
        self._add(
            "erp",
            "customer",
            {
                "id": cid,
                "entityid": f"CUST{cid} {name}",
                "companyname": name,
                "externalid": externalid,
                "currency": None if currency is None else ERP_CURRENCY_IDS[currency],
                "subsidiary": subsidiary,
                "vatregnumber": vat,
                "billcountry": country,
                "isinactive": ns_bool(inactive),
                "datecreated": ns_datetime(CREATED),
                "lastmodifieddate": ns_datetime(CREATED),
            },
        )
        return str(cid)

    def job(
        self,
        jid: int,
        customer: int,
        code: str,
        *,
        fixed_fee: bool = False,
        start: date | None = None,
        end: date | None = None,
    ) -> str:
        self.erp_reference()
        self._add(
            "erp",
            "job",
            {
                "id": jid,
                "entityid": f"{code}",
                "companyname": f"Job {code}",
                "customer": customer,
                "externalid": code,
                "jobbillingtype": "FF" if fixed_fee else "TM",
                "startdate": ns_date(start),
                "enddate": ns_date(end),
                "isinactive": "F",
                "lastmodifieddate": ns_datetime(CREATED),
            },
        )
        return str(jid)

    def erp_transaction(
        self,
        tid: int,
        ttype: str,
        status: str,
        *,
        entity: int,
        currency: str,
        total: str,
        paid: str = "0",
        unpaid: str | None = None,
        externalid: str | None = None,
        job: int | None = None,
        trandate: date = date(2026, 3, 1),
        voided: bool = False,
        exchangerate: str = "1",
    ) -> str:
        self.erp_reference()
        unpaid = str(Decimal(total) - Decimal(paid)) if unpaid is None else unpaid
        self._add(
            "erp",
            "transaction",
            {
                "id": tid,
                "tranid": f"{ {'CustInvc': 'INV', 'CustPymt': 'PYMT', 'CustCred': 'CM'}[ttype] }{tid}",
                "type": ttype,
                "status": status,
                "trandate": ns_date(trandate),
                "duedate": ns_date(trandate + timedelta(days=30)),
                "entity": entity,
                "job": job,
                "currency": ERP_CURRENCY_IDS[currency],
                "exchangerate": exchangerate,
                "foreigntotal": ns_money(total),
                "foreignamountpaid": ns_money(paid),
                "foreignamountunpaid": ns_money(unpaid),
                "externalid": externalid,
                "memo": None,
                "voided": ns_bool(voided),
                "lastmodifieddate": ns_datetime(CREATED),
            },
        )
        return str(tid)

    def erp_invoice(
        self,
        tid: int,
        *,
        entity: int,
        currency: str,
        lines: list[tuple[str, str, str, str]],
        tax: str = "0",
        status: str = "A",
        paid: str = "0",
        externalid: str | None = None,
        job: int | None = None,
        total: str | None = None,
        voided: bool = False,
        trandate: date = date(2026, 3, 1),
    ) -> str:
        """lines: (item, quantity, rate, amount); a main line carries the total, a tax line the tax."""
        computed = sum((Decimal(l[3]) for l in lines), Decimal(0)) + Decimal(tax)
        total = str(computed) if total is None else total
        self.erp_transaction(
            tid,
            "CustInvc",
            status,
            entity=entity,
            currency=currency,
            total=total,
            paid=paid,
            externalid=externalid,
            job=job,
            voided=voided,
            trandate=trandate,
        )
        seq = 0
        self._add(
            "erp",
            "transactionline",
            {
                "id": 0,  # line ids restart in each transaction; 0 = the main line
                "transaction": tid,
                "linesequencenumber": 0,
                "mainline": "T",
                "taxline": "F",
                "item": None,
                "quantity": None,
                "rate": None,
                "foreignamount": ns_money(total),
                "memo": None,
            },
        )
        for seq, (item, qty, rate, amount) in enumerate(lines, start=1):
            self._add(
                "erp",
                "transactionline",
                {
                    "id": seq,
                    "transaction": tid,
                    "linesequencenumber": seq,
                    "mainline": "F",
                    "taxline": "F",
                    "item": item,
                    "quantity": qty,
                    "rate": rate,
                    "foreignamount": ns_money(amount),
                    "memo": None,
                },
            )
        self._add(
            "erp",
            "transactionline",
            {
                "id": seq + 1,
                "transaction": tid,
                "linesequencenumber": seq + 1,
                "mainline": "F",
                "taxline": "T",
                "item": "Tax",
                "quantity": None,
                "rate": None,
                "foreignamount": ns_money(tax),
                "memo": None,
            },
        )
        return str(tid)

    def erp_link(self, invoice: int, nextdoc: int, linktype: str, amount: str, on: date = date(2026, 3, 5)) -> None:
        self._add(
            "erp",
            "previoustransactionlink",
            {
                "previousdoc": invoice,
                "nextdoc": nextdoc,
                "linktype": linktype,
                "foreignamount": ns_money(amount),
                "linkdate": ns_date(on),
            },
        )

    # -- psa ---------------------------------------------------------------------
    def client(self, cid: int, name: str, currency: str = "USD") -> dict[str, Any]:
        ts = harvest_ts(CREATED)
        self._add(
            "psa",
            "clients",
            {"id": cid, "name": name, "is_active": True, "currency": currency, "created_at": ts, "updated_at": ts},
        )
        return {"id": cid, "name": name, "currency": currency}

    def project(
        self,
        pid: int,
        client: dict[str, Any],
        code: str,
        *,
        fixed_fee: bool = False,
        active: bool = True,
        billable: bool = True,
        starts: date | None = date(2025, 7, 1),
        ends: date | None = None,
        fee: Decimal | None = None,
    ) -> dict[str, Any]:
        ts = harvest_ts(CREATED)
        self._add(
            "psa",
            "projects",
            {
                "id": pid,
                "client": client,
                "name": f"Project {code}",
                "code": code,
                "is_active": active,
                "is_billable": billable,
                "is_fixed_fee": fixed_fee,
                "bill_by": "none" if fixed_fee else "People",
                "hourly_rate": None,
                "fee": fee,
                "starts_on": sf_date(starts),
                "ends_on": sf_date(ends),
                "created_at": ts,
                "updated_at": ts,
            },
        )
        return {"id": pid, "name": f"Project {code}", "code": code}

    def user(self, uid: int, roles: list[str]) -> dict[str, Any]:
        ts = harvest_ts(CREATED)
        self._add(
            "psa",
            "users",
            {
                "id": uid,
                "first_name": "User",
                "last_name": str(uid),
                "email": f"u{uid}@q2.example",
                "is_active": True,
                "default_hourly_rate": None,
                "cost_rate": None,
                "roles": roles,
                "created_at": ts,
                "updated_at": ts,
            },
        )
        return {"id": uid, "name": f"User {uid}"}

    def time_entry(
        self,
        tid: int,
        user: dict[str, Any],
        client: dict[str, Any],
        project: dict[str, Any],
        spent: date,
        *,
        hours: str = "8",
        rate: str | None = "200",
        billable: bool = True,
        approval: str = "approved",
        is_billed: bool = False,
        invoice: dict | None = None,
        assignment_active: bool = True,
    ) -> str:
        ts = harvest_ts(datetime.combine(spent, time(18, 0), tzinfo=UTC))
        self._add(
            "psa",
            "time_entries",
            {
                "id": tid,
                "spent_date": spent.isoformat(),
                "hours": Decimal(hours),
                "rounded_hours": Decimal(hours),
                "notes": None,
                "is_locked": is_billed,
                "is_billed": is_billed,
                "is_running": False,
                "approval_status": approval,
                "billable": billable,
                "billable_rate": None if rate is None else Decimal(rate),
                "cost_rate": Decimal("90"),
                "user": user,
                "client": client,
                "project": project,
                "task": {"id": 1, "name": "Delivery"},
                "user_assignment": {
                    "id": tid + 500000,
                    "is_active": assignment_active,
                    "hourly_rate": None if rate is None else Decimal(rate),
                },
                "invoice": invoice,
                "created_at": ts,
                "updated_at": ts,
            },
        )
        return str(tid)

    def expense(
        self,
        eid: int,
        user: dict[str, Any],
        client: dict[str, Any],
        project: dict[str, Any],
        spent: date,
        *,
        total: str = "120.50",
        billable: bool = True,
        approval: str = "approved",
        is_billed: bool = False,
        invoice: dict | None = None,
    ) -> str:
        ts = harvest_ts(datetime.combine(spent, time(18, 0), tzinfo=UTC))
        self._add(
            "psa",
            "expenses",
            {
                "id": eid,
                "spent_date": spent.isoformat(),
                "total_cost": Decimal(total),
                "units": None,
                "notes": "Travel",
                "billable": billable,
                "is_billed": is_billed,
                "is_locked": is_billed,
                "approval_status": approval,
                "user": user,
                "client": client,
                "project": project,
                "expense_category": {"id": 7, "name": "Travel"},
                "invoice": invoice,
                "created_at": ts,
                "updated_at": ts,
            },
        )
        return str(eid)

    # -- billing -----------------------------------------------------------------
    def billing_customer(
        self,
        cid: str,
        name: str | None,
        *,
        crm: str | None,
        erp: str | None = None,
        currency: str | None = "usd",
        country: str | None = "US",
        tax_ids: list[str] | None = None,
        deleted: bool = False,
    ) -> str:
        metadata = {}
        if crm is not None:
            metadata["crm_account_id"] = crm
        if erp is not None:
            metadata["erp_customer_id"] = erp
        record = {
            "id": cid,
            "object": "customer",
            "name": name,
            "email": None,
            "currency": currency,
            "address": None
            if country is None
            else {"country": country, "line1": "1 Main St", "city": None, "postal_code": None},
            "tax_ids": {
                "object": "list",
                "has_more": False,
                "data": [{"type": "eu_vat", "value": v} for v in (tax_ids or [])],
            },
            "metadata": metadata,
            "created": epoch(CREATED),
            "livemode": False,
        }
        if deleted:
            record["deleted"] = True
        self._add("billing", "customers", record)
        return cid

    def invoice(
        self,
        iid: str,
        customer: str,
        currency: str,
        *,
        status: str = "open",
        lines: list[dict[str, Any]] | None = None,
        tax: str = "0",
        project_code: str | None = None,
        finalized: date | None = date(2026, 3, 1),
        paid_on: date | None = None,
        voided_on: date | None = None,
        amount_paid: str | None = None,
        subtotal: str | None = None,
        total: str | None = None,
        amount_remaining: str | None = None,
    ) -> str:
        """Amounts in major units (exact decimals); written as Stripe integer minor units."""
        lines = lines or []
        line_sum = sum((Decimal(l["amount"]) for l in lines), Decimal(0))
        sub = Decimal(subtotal) if subtotal is not None else line_sum
        tot = Decimal(total) if total is not None else sub + Decimal(tax)
        paid = Decimal(amount_paid) if amount_paid is not None else (tot if status == "paid" else Decimal(0))
        remaining = (
            Decimal(amount_remaining)
            if amount_remaining is not None
            else (Decimal(0) if status in ("paid", "void") else tot - paid)
        )
        created = finalized or date(2026, 3, 1)
        cur = currency.lower()
        data = []
        for i, l in enumerate(lines, start=1):
            period = l.get("period_start", created)
            data.append(
                {
                    "id": l.get("id") or f"il_{iid.removeprefix('in_')}x{i}",
                    "object": "line_item",
                    "amount": minor(l["amount"], currency),
                    "currency": cur,
                    "description": l.get("description", "Consulting"),
                    "quantity": None if l.get("quantity") is None else Decimal(l["quantity"]),
                    "unit_amount_excluding_tax": l.get("unit_minor"),
                    "period": {"start": epoch(period), "end": epoch(l.get("period_end", period))},
                    "metadata": {
                        k: v
                        for k, v in (("psa_project_code", l.get("project_code")), ("role", l.get("role")))
                        if v is not None
                    },
                }
            )
        self._add(
            "billing",
            "invoices",
            {
                "id": iid,
                "object": "invoice",
                "number": f"Q2-{iid[-6:].upper()}",
                "customer": customer,
                "status": status,
                "currency": cur,
                "subtotal": minor(sub, currency),
                "tax": minor(tax, currency),
                "total": minor(tot, currency),
                "amount_due": minor(tot, currency),
                "amount_paid": minor(paid, currency),
                "amount_remaining": minor(remaining, currency),
                "created": epoch(created),
                "due_date": epoch(created + timedelta(days=30)),
                "period_start": epoch(created - timedelta(days=30)),
                "period_end": epoch(created),
                "status_transitions": {
                    "finalized_at": None if finalized is None else epoch(finalized),
                    "paid_at": None if paid_on is None else epoch(paid_on),
                    "voided_at": None if voided_on is None else epoch(voided_on),
                    "marked_uncollectible_at": None,
                },
                "metadata": {} if project_code is None else {"psa_project_code": project_code},
                "lines": {"object": "list", "has_more": False, "data": data, "url": f"/v1/invoices/{iid}/lines"},
                "livemode": False,
            },
        )
        return iid

    def credit_note(
        self,
        cnid: str,
        invoice: str,
        customer: str,
        currency: str,
        total: str,
        *,
        status: str = "issued",
        created: date = date(2026, 3, 10),
    ) -> str:
        self._add(
            "billing",
            "credit_notes",
            {
                "id": cnid,
                "object": "credit_note",
                "invoice": invoice,
                "customer": customer,
                "status": status,
                "total": minor(total, currency),
                "currency": currency.lower(),
                "reason": "order_change",
                "created": epoch(created),
                "voided_at": None,
            },
        )
        return cnid
