"""Writes tiny landing batches (files + _manifest.json) for the ingestion tests."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from ingestion.catalog import object_spec

EXTRACTED_AT = "2026-11-22T02:00:00Z"


def batch_time(batch_id: str) -> str:
    day, clock = batch_id.split("T")
    return f"{day}T{clock[:-1].replace('-', ':')}Z"


def csv_text(
    system: str, obj: str, rows: list[dict], extra_columns: tuple[str, ...] = (), drop_columns: tuple[str, ...] = ()
) -> str:
    spec = object_spec(system, obj)
    header = [f.source for f in spec.fields if f.source not in drop_columns] + list(extra_columns)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in header])
    return buf.getvalue()


def csv_records(text: str) -> int:
    """Data records after the header, as the extract contract counts them (a quoted line break
    is no new record, a blank line is none)."""
    return max(sum(1 for row in csv.reader(io.StringIO(text, newline="")) if row) - 1, 0)


def jsonl_text(rows: list[dict | str]) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def write_batch(
    landing: Path, system: str, batch_id: str, objects: dict[str, object], mode: str = "full", manifest_edit=None
) -> Path:
    """objects: object name -> list of rows (dicts, or raw JSONL lines) or the file's text."""
    folder = Path(landing) / system / batch_id
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for obj, content in objects.items():
        spec = object_spec(system, obj)
        if isinstance(content, str):
            text = content
        elif spec.is_csv:
            text = csv_text(system, obj, content)
        else:
            text = jsonl_text(content)
        data = text.encode("utf-8")
        (folder / spec.file).write_bytes(data)
        rows = csv_records(text) if spec.is_csv else len(text.splitlines())
        files.append({"name": spec.file, "object": obj, "rows": rows, "sha256": hashlib.sha256(data).hexdigest()})
    manifest = {
        "system": system,
        "batch_id": batch_id,
        "mode": mode,
        "extracted_at": batch_time(batch_id),
        "files": files,
    }
    if manifest_edit is not None:
        manifest_edit(manifest)
    (folder / "_manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


# ---- record factories (valid per the extract contract) --------------------------------


def sf_id(prefix: str, n: int) -> str:
    return f"{prefix}{n:015d}"


def account(n: int, **over) -> dict:
    row = {
        "Id": sf_id("001", n),
        "Name": f"Acme {n}",
        "AccountNumber": f"A-{n}",
        "Type": "Customer",
        "BillingCountryCode": "US",
        "CurrencyIsoCode": "USD",
        "Tax_Id__c": f"TX{n}",
        "Legal_Entity__c": "Q2 Advisory Inc.",
        "ERP_Customer_Id__c": str(100 + n),
        "IsDeleted": "false",
        "CreatedDate": "2026-03-01T14:05:09.000Z",
        "LastModifiedDate": "2026-03-01T14:05:09.000Z",
        "SystemModstamp": "2026-03-01T14:05:09.000Z",
    }
    row.update(over)
    return row


def opportunity(n: int, **over) -> dict:
    row = {
        "Id": sf_id("006", n),
        "AccountId": sf_id("001", n),
        "Name": f"Deal {n}",
        "StageName": "Closed Won",
        "IsClosed": "true",
        "IsWon": "true",
        "CloseDate": "2026-03-01",
        "Amount": "125000.50",
        "CurrencyIsoCode": "USD",
        "Type": "New Business",
        "Billing_Type__c": "Time and Materials",
        "PSA_Project_Code__c": f"PRJ-{n}",
        "IsDeleted": "false",
        "LastModifiedDate": "2026-03-01T14:05:09.000Z",
        "SystemModstamp": "2026-03-01T14:05:09.000Z",
    }
    row.update(over)
    return row


def erp_transaction(n: int, **over) -> dict:
    row = {
        "id": str(n),
        "tranid": f"INV{n}",
        "type": "CustInvc",
        "status": "A",
        "trandate": "3/1/2026",
        "duedate": "3/31/2026",
        "entity": "101",
        "job": "",
        "currency": "1",
        "exchangerate": "1.00",
        "foreigntotal": "1000.10",
        "foreignamountpaid": "0.00",
        "foreignamountunpaid": "1000.10",
        "externalid": f"in_{n}",
        "memo": "",
        "voided": "F",
        "lastmodifieddate": "3/1/2026 2:05 pm",
    }
    row.update(over)
    return row


def time_entry(n: int, **over) -> dict:
    row = {
        "id": n,
        "spent_date": "2026-03-02",
        "hours": 7.5,
        "rounded_hours": 7.5,
        "notes": "work",
        "is_locked": False,
        "is_billed": False,
        "is_running": False,
        "approval_status": "approved",
        "billable": True,
        "billable_rate": 175.0,
        "cost_rate": 90.0,
        "user": {"id": 7, "name": "Ann Lee"},
        "client": {"id": 3, "name": "Acme", "currency": "USD"},
        "project": {"id": 9, "name": "Impl", "code": "PRJ-1"},
        "task": {"id": 1, "name": "Dev"},
        "user_assignment": {"id": 11, "is_active": True, "hourly_rate": 175.0},
        "invoice": None,
        "created_at": "2026-03-02T10:00:00Z",
        "updated_at": "2026-03-02T10:00:00Z",
    }
    row.update(over)
    return row


def user(n: int, roles: list[str], **over) -> dict:
    row = {
        "id": n,
        "first_name": "Ann",
        "last_name": f"Lee{n}",
        "email": f"u{n}@x.com",
        "is_active": True,
        "default_hourly_rate": 150.0,
        "cost_rate": 80.0,
        "roles": roles,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
    row.update(over)
    return row


def invoice(n: int, lines: list[dict], **over) -> dict:
    row = {
        "id": f"in_{n}",
        "object": "invoice",
        "number": f"INV-{n}",
        "customer": "cus_1",
        "status": "open",
        "currency": "usd",
        "subtotal": 17500,
        "tax": 0,
        "total": 17500,
        "amount_due": 17500,
        "amount_paid": 0,
        "amount_remaining": 17500,
        "created": 1772000000,
        "due_date": 1774000000,
        "period_start": 1771000000,
        "period_end": 1772000000,
        "status_transitions": {
            "finalized_at": 1772000000,
            "paid_at": None,
            "voided_at": None,
            "marked_uncollectible_at": None,
        },
        "metadata": {"psa_project_code": "PRJ-1"},
        "lines": {"object": "list", "has_more": False, "data": lines},
        "livemode": False,
    }
    row.update(over)
    return row


def invoice_line(n: int, **over) -> dict:
    row = {
        "id": f"il_{n}",
        "amount": 17500,
        "currency": "usd",
        "description": "Consulting",
        "quantity": 1.0,
        "unit_amount_excluding_tax": "17500",
        "period": {"start": 1771000000, "end": 1772000000},
        "metadata": {"psa_project_code": "PRJ-1", "role": "Senior Consultant"},
    }
    row.update(over)
    return row
