"""One test per failure mode of issue 4: the exact reason (naming the file, and the line or
field where there is one) and the exact loaded / quarantined counts, in the landing report,
the batch_log and the raw tables."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ingestion.landing import land
from q2c.settings import settings_for
from tests.ingestion.batch_writer import account, csv_text, jsonl_text, user, write_batch

B1, B2, B3 = "2026-11-20T02-00-00Z", "2026-11-21T02-00-00Z", "2026-11-22T02-00-00Z"


def _rewrite(folder: Path, file: str, data: bytes, *, rows: int | None = None, fix_sha: bool = True) -> None:
    """Replace a file's bytes; keep the manifest's checksum in step unless told not to."""
    (folder / file).write_bytes(data)
    manifest = json.loads((folder / "_manifest.json").read_text())
    entry = next(f for f in manifest["files"] if f["name"] == file)
    if fix_sha:
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    if rows is not None:
        entry["rows"] = rows
    (folder / "_manifest.json").write_text(json.dumps(manifest))


def _edit_manifest(folder: Path, edit) -> None:
    manifest = json.loads((folder / "_manifest.json").read_text())
    edit(manifest)
    (folder / "_manifest.json").write_text(json.dumps(manifest))


ACCOUNTS_B2 = [account(2), account(3), account(4)]


def _crm_text(rows=ACCOUNTS_B2) -> str:
    return csv_text("crm", "Account", rows)


def _damage_cases():
    sha_of_b2 = hashlib.sha256(_crm_text().encode()).hexdigest()
    return [
        (
            "manifest missing fields",
            lambda f: _edit_manifest(f, lambda m: (m.pop("files"), m.pop("mode"))),
            "_manifest.json: missing required field(s) mode, files",
            None,
        ),
        (
            "manifest file entry lacks its checksum",
            lambda f: _edit_manifest(f, lambda m: m["files"][0].pop("sha256")),
            "_manifest.json: files entry 'Account.csv' lacks sha256",
            None,
        ),
        (
            "file missing",
            lambda f: (f / "Account.csv").unlink(),
            "Account.csv: file listed in _manifest.json is missing",
            3,  # the manifest is readable: its figures are kept (issue 17, defect 4)
        ),
        (
            "checksum mismatch",
            lambda f: _rewrite(f, "Account.csv", _crm_text().replace("Acme 3", "Acme 9").encode(), fix_sha=False),
            f"Account.csv: sha256 mismatch (manifest {sha_of_b2}, file "
            f"{hashlib.sha256(_crm_text().replace('Acme 3', 'Acme 9').encode()).hexdigest()})",
            3,
        ),
        (
            "truncated file (row count)",
            lambda f: _rewrite(f, "Account.csv", _crm_text(ACCOUNTS_B2[:2]).encode()),
            "Account.csv: manifest says 3 rows, the file holds 2 records",
            3,
        ),
        (
            "unparseable CSV",
            lambda f: _rewrite(f, "Account.csv", (_crm_text().rstrip("\n") + ',"unterminated\n').encode()),
            "Account.csv: unparseable (",
            3,
        ),
        (
            "wrong encoding (Latin-1)",
            lambda f: _rewrite(f, "Account.csv", _crm_text().replace("Acme 3", "Café 3").encode("latin-1")),
            "Account.csv: unparseable: not UTF-8 text (wrong encoding?): byte 0xe9 in record 2, physical line 3",
            3,
        ),
        (
            "missing required column",
            lambda f: _rewrite(
                f, "Account.csv", csv_text("crm", "Account", ACCOUNTS_B2, drop_columns=("Name", "IsDeleted")).encode()
            ),
            "Account.csv: missing required column(s) Name, IsDeleted",
            3,
        ),
    ]


@pytest.mark.parametrize("name, damage, reason, rows_manifest", _damage_cases(), ids=[c[0] for c in _damage_cases()])
def test_batch_level_failure_rejects_the_whole_batch(wh, name, damage, reason, rows_manifest):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1)]}, mode="incremental")
    bad = write_batch(wh.landing, "crm", B2, {"Account": ACCOUNTS_B2}, mode="incremental")
    write_batch(wh.landing, "crm", B3, {"Account": [account(5)]}, mode="incremental")
    damage(bad)

    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status, b.rows_loaded, b.rows_quarantined) for b in report.batches] == [
        (B1, "loaded", 1, 0),
        (B2, "rejected", 0, 0),
        (B3, "held", 0, 0),
    ]
    assert report.batches[1].reason.startswith(reason), report.batches[1].reason
    log = {
        r[0]: r[1:]
        for r in wh.query(
            "SELECT batch_id, status, rows_manifest, rows_loaded, rows_quarantined, rows_rejected, reason "
            "FROM raw_crm.batch_log"
        )
    }
    rows = rows_manifest or 0  # a rejected batch's rows are all rejected
    assert log[B2][:5] == ("rejected", rows, 0, 0, rows) and log[B2][5].startswith(reason)
    assert log[B3][:5] == ("held", 1, 0, 0, 0)  # its manifest's figures, its rows not decided yet
    # nothing of B2 (or the held B3) reached the raw table or the quarantine
    assert wh.query("SELECT id, _q2c_batch_id FROM raw_crm.account") == [("001000000000000001", B1)]
    assert not wh.exists("raw_crm", "raw_quarantine")  # created by the first quarantined row


def test_wrong_encoding_of_a_json_lines_file_names_the_line(wh):
    text = jsonl_text([user(1, ["A"]), json.dumps(user(2, ["B"], last_name="Müller"), ensure_ascii=False)])
    folder = write_batch(wh.landing, "psa", B1, {"users": text})
    _rewrite(folder, "users.jsonl", text.encode("latin-1"))
    report = land("psa", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.rejected[0].reason == (
        "users.jsonl: unparseable: not UTF-8 text (wrong encoding?): byte 0xfc on line 2 of the file"
    )
    assert (report.rows_loaded, report.rejected[0].rows_quarantined) == (0, 0)
    assert wh.query("SELECT count(*) FROM raw_psa.users") == [(0,)]


def test_json_column_whose_type_changed_rejects_the_batch(wh):
    rows = [user(i, ["A"], default_hourly_rate=f"{100 + i}.00") for i in range(1, 4)]
    write_batch(wh.landing, "psa", B1, {"users": rows})
    report = land("psa", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.rejected[0].reason == (
        "users.jsonl: field 'default_hourly_rate' changed type: 3 of 3 values are not a JSON number"
    )
    assert wh.query("SELECT status, rows_manifest, rows_loaded, rows_quarantined FROM raw_psa.batch_log") == [
        ("rejected", 3, 0, 0)
    ]


def test_unparseable_json_lines_are_quarantined_with_their_line_and_the_rest_loads(wh):
    lines = [user(1, ["A"]), '{"id": 2, "first_name": "Bo"', user(3, ["C"]), "[1, 2]", user(5, ["E"])]
    write_batch(wh.landing, "psa", B1, {"users": lines})
    report = land("psa", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    batch = report.batches[0]
    assert (batch.status, batch.rows_manifest, batch.rows_loaded, batch.rows_quarantined) == ("loaded", 5, 3, 2)
    assert wh.query("SELECT id FROM raw_psa.users ORDER BY 1") == [(1,), (3,), (5,)]
    assert wh.query('SELECT line_number, "check", message, record FROM raw_psa.raw_quarantine ORDER BY 1') == [
        (
            2,
            "json_parse",
            "users.jsonl line 2: field '(record)' not a valid JSON object",
            '{"id": 2, "first_name": "Bo"',
        ),
        (4, "json_parse", "users.jsonl line 4: field '(record)' not a valid JSON object", "[1, 2]"),
    ]


def test_row_level_contract_failures_quarantine_exactly_the_bad_rows(wh):
    rows = [account(1), account(2, CurrencyIsoCode="usd"), account(3, Id="001-bad"), account(4)]
    write_batch(wh.landing, "crm", B1, {"Account": rows})
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert (report.rows_loaded, report.rows_quarantined) == (2, 2)
    messages = [r[0] for r in wh.query("SELECT message FROM raw_crm.raw_quarantine ORDER BY line_number")]
    assert len(messages) == 2
    assert (
        messages[0].startswith("Account.csv record 2, physical line 3: field 'CurrencyIsoCode'")
        and "'usd'" in messages[0]
    )
    assert messages[1].startswith("Account.csv record 3, physical line 4: field 'Id'") and "'001-bad'" in messages[1]
    assert wh.query("SELECT rows_manifest, rows_loaded, rows_quarantined FROM raw_crm.batch_log") == [(4, 2, 2)]


def test_new_unknown_column_loads_and_is_a_warn_check(wh):
    import duckdb

    from orchestration.ingestion.schema_drift import new_columns_check

    text = csv_text(
        "crm", "Account", [account(1, Region__c="EMEA"), account(2, Region__c="")], extra_columns=("Region__c",)
    )
    write_batch(wh.landing, "crm", B1, {"Account": text})
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert (report.rows_loaded, report.rows_quarantined) == (2, 0)
    assert report.warnings == [f"{B1}: Account.csv: new field(s) Region__c loaded as region_c"]
    assert wh.query("SELECT id, region_c FROM raw_crm.account ORDER BY 1") == [
        ("001000000000000001", "EMEA"),
        ("001000000000000002", None),
    ]
    with duckdb.connect(str(wh.duckdb_path)) as conn:
        result = new_columns_check(conn, "crm")
        clean = new_columns_check(conn, "psa")
    assert not result.passed and result.severity.value == "WARN"
    assert result.description == "1 column(s) not in the extract contract: account.region_c"
    assert f"| account | region_c | {B1} |" in result.metadata["new_columns"].value
    assert clean.passed


def test_redelivering_a_loaded_batch_id_loads_nothing_twice(wh):
    """Identical content only; changed content under a loaded id: test_redelivery.py."""
    write_batch(wh.landing, "crm", B1, {"Account": [account(1), account(2)]}, mode="incremental")
    land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    before = wh.table("raw_crm.account"), wh.table("raw_crm.batch_log")
    shutil.rmtree(wh.landing / "crm" / B1)
    write_batch(wh.landing, "crm", B1, {"Account": [account(1), account(2)]}, mode="incremental")

    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.batches == [] and report.rows_loaded == 0
    assert (wh.table("raw_crm.account"), wh.table("raw_crm.batch_log")) == before
    assert wh.query("SELECT count(*) FROM raw_crm.account") == [(2,)]


def test_same_content_under_a_new_id_is_skipped_with_exact_counts(wh):
    write_batch(wh.landing, "psa", B1, {"users": [user(1, ["A"]), user(2, ["B"])]}, mode="incremental")
    write_batch(wh.landing, "psa", B2, {"users": [user(1, ["A"]), user(2, ["B"])]}, mode="incremental")
    report = land("psa", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status, b.rows_loaded) for b in report.batches] == [(B1, "loaded", 2), (B2, "skipped", 0)]
    assert report.batches[1].reason == f"same content as already loaded batch {B1}"
    assert wh.query("SELECT count(*), min(_q2c_batch_id), max(_q2c_batch_id) FROM raw_psa.users") == [(2, B1, B1)]
    assert wh.query("SELECT count(*) FROM raw_psa.user_roles") == [(2,)]
    assert wh.query("SELECT batch_id, status, rows_loaded FROM raw_psa.batch_log ORDER BY 1") == [
        (B1, "loaded", 2),
        (B2, "skipped", 0),
    ]


def test_unknown_json_keys_with_any_spelling_load_under_their_own_column(wh):
    from tests.ingestion.batch_writer import invoice, invoice_line

    record = invoice(1, [invoice_line(1)])
    record['odd"key/x~'] = "quoted, slashed"
    record["$.path"] = "looks like a JSON path"
    write_batch(wh.landing, "billing", B1, {"invoices": [record]})
    report = land("billing", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert (report.rows_loaded, report.rows_quarantined) == (1, 0)
    assert report.batches[0].files[0].new_columns == ["$.path", 'odd"key/x~']
    assert wh.query("SELECT odd_key_xx, _path FROM raw_billing.invoices") == [
        ("quoted, slashed", "looks like a JSON path")
    ]
