"""The files follow /work/shared/extracts/README.md, layout and quirks included."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date
from pathlib import Path

from q2c_demo.data.ids import salesforce_id

SYSTEM_FILES = {
    "crm": {"Account.csv", "Opportunity.csv", "OpportunityLineItem.csv", "Product2.csv"},
    "psa": {
        "clients.jsonl",
        "projects.jsonl",
        "users.jsonl",
        "user_assignments.jsonl",
        "time_entries.jsonl",
        "expenses.jsonl",
    },
    "erp": {
        "currency.csv",
        "subsidiary.csv",
        "customer.csv",
        "job.csv",
        "transaction.csv",
        "transactionline.csv",
        "previoustransactionlink.csv",
    },
    "billing": {"customers.jsonl", "invoices.jsonl", "credit_notes.jsonl", "charges.jsonl"},
}


def _batches(landing: Path, system: str) -> list[Path]:
    return sorted(p for p in (landing / system).iterdir() if p.is_dir())


def _rows(path: Path) -> list:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _all(landing: Path, system: str, name: str) -> list:
    return [r for b in _batches(landing, system) for r in _rows(b / name)]


def test_manifests_match_their_files(tiny):
    landing = tiny["landing"]
    for system, names in SYSTEM_FILES.items():
        batches = _batches(landing, system)
        assert len(batches) == 4
        for i, batch in enumerate(batches):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ", batch.name)
            manifest = json.loads((batch / "_manifest.json").read_text())
            assert manifest["system"] == system and manifest["batch_id"] == batch.name
            assert manifest["mode"] == ("full" if i == 0 else "incremental")
            assert manifest["extracted_at"] == batch.name[:13] + ":" + batch.name[14:16] + ":" + batch.name[17:]
            assert {f["name"] for f in manifest["files"]} == names
            for f in manifest["files"]:
                data = (batch / f["name"]).read_bytes()
                assert hashlib.sha256(data).hexdigest() == f["sha256"]
                lines = data.decode().splitlines()
                assert f["rows"] == len(lines) - (1 if f["name"].endswith(".csv") else 0)
            # The manifest is written last: a batch is complete only once it exists.
            newest_file = max((batch / f["name"]).stat().st_mtime_ns for f in manifest["files"])
            assert (batch / "_manifest.json").stat().st_mtime_ns >= newest_file


def test_summary_describes_what_was_written(tiny):
    summary = tiny["summary"]
    assert summary.as_of == date(2026, 11, 22)
    assert summary.batches["crm"][-1] == "2026-11-22T02-00-00Z"
    assert summary.batches["crm"][0] == "2026-11-19T02-00-00Z"
    manifest = json.loads((tiny["landing"] / "psa" / "2026-11-19T02-00-00Z" / "_manifest.json").read_text())
    for f in manifest["files"]:
        assert summary.rows[("psa", "2026-11-19T02-00-00Z", f["object"])] == f["rows"]
    totals = json.loads((tiny["gt"] / "totals.json").read_text())
    assert totals == json.loads(json.dumps(summary.totals))
    assert set(totals["billing_invoice_total_by_currency"]) >= {"USD", "EUR", "GBP"}
    assert float(totals["time_entry_hours"]) > 0


def test_incremental_batches_carry_new_and_changed_records(tiny):
    landing = tiny["landing"]
    full_ids = {r["id"] for r in _rows(_batches(landing, "psa")[0] / "time_entries.jsonl")}
    later = [r for b in _batches(landing, "psa")[1:] for r in _rows(b / "time_entries.jsonl")]
    assert any(r["id"] not in full_ids for r in later)
    assert any(r["id"] in full_ids and r["approval_status"] == "approved" for r in later)
    full_accounts = {r["Id"]: r for r in _rows(_batches(landing, "crm")[0] / "Account.csv")}
    renamed = [
        r
        for b in _batches(landing, "crm")[1:]
        for r in _rows(b / "Account.csv")
        if r["Id"] in full_accounts and r["Name"] != full_accounts[r["Id"]]["Name"]
    ]
    assert renamed
    full_invoices = {r["id"]: r for r in _rows(_batches(landing, "billing")[0] / "invoices.jsonl")}
    paid_later = [
        r
        for b in _batches(landing, "billing")[1:]
        for r in _rows(b / "invoices.jsonl")
        if r["id"] in full_invoices and r["status"] == "paid" and full_invoices[r["id"]]["status"] == "open"
    ]
    assert paid_later


def test_salesforce_quirks(tiny):
    accounts = _all(tiny["landing"], "crm", "Account.csv")
    for prefix, name in (
        ("001", "Account.csv"),
        ("006", "Opportunity.csv"),
        ("00k", "OpportunityLineItem.csv"),
        ("01t", "Product2.csv"),
    ):
        for r in _all(tiny["landing"], "crm", name):
            assert len(r["Id"]) == 18 and r["Id"].startswith(prefix)
    assert salesforce_id("001", 1)[15:] == _checksum(salesforce_id("001", 1)[:15])
    assert {r["IsDeleted"] for r in accounts} <= {"true", "false"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z", r["CreatedDate"]) for r in accounts)
    lines = _all(tiny["landing"], "crm", "OpportunityLineItem.csv")
    assert any(r["Rate_End_Date__c"] for r in lines), "a rate change closes the earlier line"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r["ServiceDate"]) for r in lines)
    assert any(r["MasterRecordId"] for r in accounts)


def _checksum(id15: str) -> str:
    out = ""
    for i in range(3):
        bits = sum(1 << j for j, c in enumerate(id15[i * 5 : i * 5 + 5]) if c.isupper())
        out += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits]
    return out


def test_netsuite_quirks(tiny):
    txns = _all(tiny["landing"], "erp", "transaction.csv")
    assert all(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", r["trandate"]) for r in txns)
    assert all(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d (am|pm)", r["lastmodifieddate"]) for r in txns)
    assert {r["voided"] for r in txns} == {"T", "F"}
    assert {r["type"] for r in txns} == {"CustInvc", "CustPymt", "CustCred"}
    assert {r["status"] for r in txns if r["type"] == "CustInvc"} >= {"A", "B", "V"}
    assert all(re.fullmatch(r"-?\d+\.\d\d", r["foreigntotal"]) for r in txns)
    customers = _all(tiny["landing"], "erp", "customer.csv")
    assert {r["currency"] for r in customers} <= {"1", "2", "3", "4"}, "currencies by internal id"
    assert {r["isinactive"] for r in customers} == {"T", "F"}
    lines = _all(tiny["landing"], "erp", "transactionline.csv")
    assert {r["mainline"] for r in lines} == {"T", "F"} and "Tax" in {r["item"] for r in lines}


def test_stripe_quirks(tiny):
    invoices = _all(tiny["landing"], "billing", "invoices.jsonl")
    assert all(i["currency"] == i["currency"].lower() for i in invoices)
    assert "jpy" in {i["currency"] for i in invoices}, "a zero-decimal currency exercises exponents"
    assert all(isinstance(i["created"], int) and isinstance(i["total"], int) for i in invoices)
    assert all(i["lines"]["object"] == "list" and i["lines"]["has_more"] is False for i in invoices)
    lines = [ln for i in invoices for ln in i["lines"]["data"]]
    assert all(isinstance(ln["unit_amount_excluding_tax"], str) for ln in lines)
    assert any("role" in ln["metadata"] for ln in lines) and any("role" not in ln["metadata"] for ln in lines)
    assert {i["status"] for i in invoices} >= {"draft", "open", "paid", "void", "uncollectible"}
    customers = _all(tiny["landing"], "billing", "customers.jsonl")
    assert any(c.get("deleted") is True for c in customers)
    assert all(isinstance(c["tax_ids"]["data"], list) for c in customers)
    assert all(set(c["metadata"]) <= {"crm_account_id", "erp_customer_id"} for c in customers)


def test_harvest_quirks(tiny):
    entries = _all(tiny["landing"], "psa", "time_entries.jsonl")
    e = entries[0]
    assert isinstance(e["id"], int) and isinstance(e["user"], dict) and isinstance(e["project"]["code"], str)
    assert {x["approval_status"] for x in entries} == {"unsubmitted", "submitted", "approved"}
    billed = [x for x in entries if x["invoice"] is not None]
    assert billed and all(set(x["invoice"]) == {"id", "number"} for x in billed)
    assert any(x["billable_rate"] is None for x in entries)
    users = _all(tiny["landing"], "psa", "users.jsonl")
    assert {u["roles"][0] for u in users} == {"Partner", "Senior Consultant", "Consultant", "Analyst"}
