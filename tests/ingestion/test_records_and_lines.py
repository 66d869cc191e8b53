"""Issue 17, defects 3 and 5: the manifest's ``rows`` counts data records, and messages say
what they count. CSV records and physical lines differ when a quoted field holds a line break
(or the file has blank lines between records): CSV messages name both, ``record 2, physical
line 3``; raw_quarantine keeps ``line_number`` = record and adds ``physical_line``. In JSON
Lines a record is a physical line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ingestion.landing import land
from q2c.settings import settings_for
from tests.ingestion.batch_writer import account, csv_text, user, write_batch

B1 = "2026-11-20T02-00-00Z"
MULTI_LINE = account(1, Name="Acme\nOne")  # 2 physical lines


def _land(wh, system="crm"):
    return land(system, settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)


def _edit_file_entry(folder: Path, **entry) -> None:
    manifest = json.loads((folder / "_manifest.json").read_text())
    manifest["files"][0].update(entry)
    (folder / "_manifest.json").write_text(json.dumps(manifest))


def _quarantine(wh, system="crm") -> list[tuple]:
    return wh.query(
        f"SELECT line_number, physical_line, message FROM raw_{system}.raw_quarantine ORDER BY line_number, message"
    )


def test_a_manifest_counting_physical_lines_is_rejected_saying_what_was_counted(wh):
    folder = write_batch(wh.landing, "crm", B1, {"Account": [MULTI_LINE, account(2)]})
    _edit_file_entry(folder, rows=3)
    report = _land(wh)
    assert report.rejected[0].reason == "Account.csv: manifest says 3 rows, the file holds 2 records (3 physical lines)"
    assert wh.query("SELECT count(*) FROM raw_crm.account") == [(0,)]


def test_a_manifest_counting_records_loads_the_multi_line_record_whole(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [MULTI_LINE, account(2)]})
    report = _land(wh)
    assert (report.batches[0].status, report.rows_loaded) == ("loaded", 2)
    assert wh.query("SELECT name FROM raw_crm.account ORDER BY id") == [("Acme\nOne",), ("Acme 2",)]


def test_a_short_file_says_records_and_is_not_called_corrupt_by_guess(wh):
    folder = write_batch(wh.landing, "crm", B1, {"Account": [account(n) for n in range(1, 5)]})
    _edit_file_entry(folder, rows=5)
    assert _land(wh).rejected[0].reason == "Account.csv: manifest says 5 rows, the file holds 4 records"

    folder = write_batch(wh.landing, "psa", B1, {"users": [user(1, ["A"])]})
    _edit_file_entry(folder, rows=2)
    assert _land(wh, "psa").rejected[0].reason == "users.jsonl: manifest says 2 rows, the file holds 1 record"


def test_quarantine_after_a_multi_line_record_names_record_and_physical_line(wh):
    rows = [MULTI_LINE, account(2, CurrencyIsoCode="usd"), account(3, Name="x\ny\nz"), account(4, Id="bad")]
    write_batch(wh.landing, "crm", B1, {"Account": rows})
    assert _land(wh).rows_quarantined == 2
    quarantine = _quarantine(wh)
    assert [q[:2] for q in quarantine] == [(2, 4), (4, 8)]
    assert quarantine[0][2].startswith("Account.csv record 2, physical line 4: field 'CurrencyIsoCode'")
    assert quarantine[1][2].startswith("Account.csv record 4, physical line 8: field 'Id'")


def test_quarantine_without_line_breaks_in_fields_is_one_line_below_the_record(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1), account(2, IsDeleted="yes")]})
    _land(wh)
    (record, line, message), *_ = _quarantine(wh)
    assert (record, line) == (2, 3) and message.startswith("Account.csv record 2, physical line 3: field 'IsDeleted'")


def test_blank_lines_between_csv_records_are_no_records_but_count_as_lines(wh):
    text = csv_text("crm", "Account", [MULTI_LINE, account(2, Id="bad"), account(3)])
    text = text.replace("\nbad,", "\n\nbad,")  # a blank line after the multi-line record 1
    write_batch(wh.landing, "crm", B1, {"Account": text})
    report = _land(wh)
    batch = report.batches[0]
    assert (batch.rows_manifest, batch.rows_loaded, batch.rows_quarantined) == (3, 2, 1)
    assert [q[:2] for q in _quarantine(wh)] == [(2, 5)]


def test_wrong_encoding_in_a_csv_file_names_record_and_physical_line(wh):
    text = csv_text("crm", "Account", [MULTI_LINE, account(2, Name="Café")])
    folder = write_batch(wh.landing, "crm", B1, {"Account": text})
    data = text.encode("latin-1")
    (folder / "Account.csv").write_bytes(data)
    _edit_file_entry(folder, sha256=hashlib.sha256(data).hexdigest())
    assert _land(wh).rejected[0].reason == (
        "Account.csv: unparseable: not UTF-8 text (wrong encoding?): byte 0xe9 in record 2, physical line 4"
    )


def test_a_blank_json_line_is_a_record_quarantined_on_its_own_line(wh):
    write_batch(wh.landing, "psa", B1, {"users": [user(1, ["A"]), "", user(3, ["C"])]})
    report = _land(wh, "psa")
    assert (report.rows_loaded, report.rows_quarantined) == (2, 1)
    assert _quarantine(wh, "psa") == [(2, 2, "users.jsonl line 2: field '(record)' not a valid JSON object")]
