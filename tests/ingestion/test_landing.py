"""Landing batches end to end: real files, real dlt, real DuckDB in a temporary folder."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

from ingestion.catalog import SYSTEMS, raw_tables
from ingestion.landing import build_pipeline, land, land_all, spec_source
from q2c.settings import PlausibleBounds, settings_for
from tests.ingestion.batch_writer import (
    account,
    invoice,
    invoice_line,
    opportunity,
    time_entry,
    user,
    write_batch,
)

B1, B2, B3 = "2026-11-20T02-00-00Z", "2026-11-21T02-00-00Z", "2026-11-22T02-00-00Z"


def test_public_api_shapes(wh):
    for system in SYSTEMS:
        first, second = spec_source(system), spec_source(system)
        assert first is not second
        assert list(first.resources.keys()) == raw_tables(system) + ["batch_log", "raw_quarantine"]
    pipeline = build_pipeline("crm", wh.duckdb_path)
    assert pipeline.pipeline_name == "q2c_crm" and pipeline.dataset_name == "raw_crm"
    assert str(wh.duckdb_path.parent) in str(pipeline.pipelines_dir)
    assert raw_tables("billing") == [
        "customers",
        "customer_tax_ids",
        "invoices",
        "invoice_lines",
        "credit_notes",
        "charges",
    ]


def test_full_then_incremental_latest_wins_and_children_follow_newest_parent(wh):
    write_batch(wh.landing, "psa", B1, {"users": [user(1, ["Senior Consultant", "Manager"]), user(2, ["Analyst"])]})
    report = land("psa", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.ok and report.rows_loaded == 2
    assert wh.query("SELECT user_id, position, role FROM raw_psa.user_roles ORDER BY 1, 2") == [
        (1, 0, "Senior Consultant"),
        (1, 1, "Manager"),
        (2, 0, "Analyst"),
    ]

    write_batch(
        wh.landing, "psa", B2, {"users": [user(1, ["Partner"], last_name="Newname"), user(2, [])]}, mode="incremental"
    )
    land("psa", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert wh.query("SELECT id, last_name, _q2c_batch_id FROM raw_psa.users ORDER BY 1") == [
        (1, "Newname", B2),
        (2, "Lee2", B2),
    ]
    # user 1's roles are exactly the newest version's; user 2 now has none.
    assert wh.query(
        "SELECT user_id, position, role FROM raw_psa.user_roles WHERE NOT coalesce(_q2c_deleted, false) ORDER BY 1, 2"
    ) == [(1, 0, "Partner")]
    assert wh.query("SELECT count(*) FROM raw_psa.user_roles")[0][0] == 1

    # billing invoice lines follow the same rule, and untouched invoices keep theirs
    write_batch(
        wh.landing,
        "billing",
        B1,
        {"invoices": [invoice(1, [invoice_line(1), invoice_line(2)]), invoice(2, [invoice_line(3)])]},
    )
    write_batch(
        wh.landing, "billing", B2, {"invoices": [invoice(1, [invoice_line(4)], status="paid")]}, mode="incremental"
    )
    land("billing", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert wh.query("SELECT id, status FROM raw_billing.invoices ORDER BY 1") == [("in_1", "paid"), ("in_2", "open")]
    assert wh.query("SELECT id, invoice_id, position FROM raw_billing.invoice_lines ORDER BY 1") == [
        ("il_3", "in_2", 0),
        ("il_4", "in_1", 0),
    ]


def test_full_batch_replaces_the_object_table(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1), account(2), account(3)]})
    land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    write_batch(wh.landing, "crm", B2, {"Account": [account(2, Name="Renamed")]}, mode="full")
    land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert wh.query("SELECT id, name FROM raw_crm.account") == [("001000000000000002", "Renamed")]


def _three_batches(landing):
    write_batch(landing, "crm", B1, {"Account": [account(1), account(2)], "Opportunity": [opportunity(1)]})
    write_batch(landing, "crm", B2, {"Account": [account(2, Name="Two v2"), account(3)]}, mode="incremental")
    write_batch(
        landing,
        "crm",
        B3,
        {"Account": [account(3, Name="Three v3")], "Opportunity": [opportunity(1, StageName="Closed Lost")]},
        mode="incremental",
    )
    write_batch(landing, "psa", B1, {"users": [user(1, ["A", "B"]), user(2, ["C"])]})
    write_batch(landing, "psa", B2, {"users": [user(1, ["D"])]}, mode="incremental")
    write_batch(landing, "psa", B3, {"users": [user(1, ["E", "F"], first_name="Eve"), user(2, [])]}, mode="incremental")


def test_pending_batches_in_one_run_equal_loading_them_one_by_one(wh, tmp_path):
    one_by_one = tmp_path / "one_by_one.duckdb"
    staged = tmp_path / "staged"
    _three_batches(staged)
    for batch in (B1, B2, B3):
        for system in ("crm", "psa"):
            shutil.copytree(staged / system / batch, wh.landing / system / batch)
            land(system, settings_for(wh.landing, one_by_one), raise_on_error=False)
    for system in ("crm", "psa"):  # all three pending at once
        report = land(system, settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
        assert [b.status for b in report.batches] == ["loaded"] * 3

    def snapshot(db):
        w = type(wh)(wh.landing, db)
        return {t: w.table(t) for t in ("raw_crm.account", "raw_crm.opportunity", "raw_psa.users")} | {
            "roles": w.query(
                "SELECT user_id, position, role FROM raw_psa.user_roles "
                "WHERE NOT coalesce(_q2c_deleted, false) ORDER BY 1, 2"
            )
        }

    together, separate = snapshot(wh.duckdb_path), snapshot(one_by_one)
    assert together == separate
    assert together["roles"] == [(1, 0, "E"), (1, 1, "F")]
    assert [r[1] for r in together["raw_crm.account"]] == ["Acme 1", "Two v2", "Three v3"]


def test_rerun_with_nothing_new_loads_and_changes_nothing(wh):
    _three_batches(wh.landing)
    for system in ("crm", "psa"):
        land(system, settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    before = {t: wh.table(t) for t in ("raw_crm.account", "raw_crm.batch_log", "raw_psa.user_roles")}
    loads = wh.query("SELECT count(*) FROM raw_crm._dlt_loads")[0][0]
    reports = land_all(settings_for(wh.landing, wh.duckdb_path))
    assert all(r.batches == [] and r.error is None for r in reports.values())
    assert wh.query("SELECT count(*) FROM raw_crm._dlt_loads")[0][0] == loads
    assert {t: wh.table(t) for t in before} == before


def test_same_content_under_a_new_batch_id_is_not_loaded_twice(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1)]}, mode="incremental")
    land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    write_batch(wh.landing, "crm", B2, {"Account": [account(1, Name="Changed")]}, mode="incremental")
    redelivered = write_batch(wh.landing, "crm", B3, {"Account": [account(1)]}, mode="incremental")
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status) for b in report.batches] == [(B2, "loaded"), (B3, "skipped")]
    assert B1 in report.batches[1].reason
    assert redelivered.exists()
    assert wh.query("SELECT name, _q2c_batch_id FROM raw_crm.account") == [("Changed", B2)]
    assert wh.query("SELECT batch_id, status FROM raw_crm.batch_log ORDER BY 1") == [
        (B1, "loaded"),
        (B2, "loaded"),
        (B3, "skipped"),
    ]


def test_batch_without_manifest_is_ignored_until_complete(wh):
    folder = write_batch(wh.landing, "crm", B1, {"Account": [account(1)]})
    manifest = (folder / "_manifest.json").read_text()
    (folder / "_manifest.json").unlink()
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.batches == [] and report.incomplete_batches == [B1]
    # raw tables exist from the start (ensure_raw_tables), but nothing was loaded
    assert wh.query("SELECT count(*) FROM raw_crm.account") == [(0,)]
    (folder / "_manifest.json").write_text(manifest)
    assert land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).rows_loaded == 1


def _corrupt_checksum(folder, tmp_path):
    path = folder / "Account.csv"
    path.write_text(path.read_text().replace("Acme 2", "Acme X"))


def _truncate(folder, tmp_path):
    """Drop the last record and fix the checksum: only the row count gives it away."""
    import hashlib

    path = folder / "Account.csv"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:-1]))
    manifest = json.loads((folder / "_manifest.json").read_text())
    manifest["files"][0]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "_manifest.json").write_text(json.dumps(manifest))


def _remove_file(folder, tmp_path):
    (folder / "Account.csv").unlink()


def _escape_path(folder, tmp_path):
    manifest = json.loads((folder / "_manifest.json").read_text())
    manifest["files"][0]["name"] = "../../secrets/Account.csv"
    (folder / "_manifest.json").write_text(json.dumps(manifest))


def _symlink_outside(folder, tmp_path):
    outside = tmp_path / "outside.csv"
    shutil.move(folder / "Account.csv", outside)
    (folder / "Account.csv").symlink_to(outside)


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_corrupt_checksum, "Account.csv: sha256 mismatch"),
        (_truncate, "Account.csv: manifest says 2 rows, the file holds 1 record"),
        (_remove_file, "Account.csv: file listed in _manifest.json is missing"),
        (_escape_path, "escapes the batch folder"),
        (_symlink_outside, "symlink pointing outside"),
    ],
)
def test_damaged_batch_is_rejected_whole_and_holds_later_ones(wh, tmp_path, damage, reason):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1)]}, mode="incremental")
    bad = write_batch(
        wh.landing,
        "crm",
        B2,
        {"Account": [account(1, Name="Bad"), account(2)], "Opportunity": [opportunity(9)]},
        mode="incremental",
    )
    write_batch(wh.landing, "crm", B3, {"Account": [account(3)]}, mode="incremental")
    damage(bad, tmp_path)

    crm = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status) for b in crm.batches] == [(B1, "loaded"), (B2, "rejected"), (B3, "held")]
    assert reason in crm.rejected[0].reason
    assert not crm.ok and crm.error is None
    # nothing of the rejected batch (not even its healthy Opportunity file) nor the held one
    assert wh.query("SELECT id, name FROM raw_crm.account") == [("001000000000000001", "Acme 1")]
    assert wh.query("SELECT count(*) FROM raw_crm.opportunity") == [(0,)]
    log = {r[0]: r[1:] for r in wh.query("SELECT batch_id, status, rows_loaded, reason FROM raw_crm.batch_log")}
    assert log[B2][0] == "rejected" and log[B2][1] == 0 and reason in log[B2][2]
    assert log[B3][0] == "held" and B2 in log[B3][2]

    # a rerun with the damage still there changes nothing; once fixed, both load in order
    log_before = wh.table("raw_crm.batch_log")
    assert land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).rejected
    assert wh.table("raw_crm.batch_log") == log_before
    shutil.rmtree(bad)
    write_batch(
        wh.landing,
        "crm",
        B2,
        {"Account": [account(1, Name="Fixed"), account(2)], "Opportunity": [opportunity(9)]},
        mode="incremental",
    )
    fixed = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status) for b in fixed.batches] == [(B2, "loaded"), (B3, "loaded")]
    assert wh.query("SELECT name FROM raw_crm.account ORDER BY id") == [("Fixed",), ("Acme 2",), ("Acme 3",)]
    assert wh.query("SELECT status FROM raw_crm.batch_log WHERE batch_id = ?", [B3]) == [("loaded",)]


def test_a_rejected_batch_does_not_stop_other_systems(wh):
    bad = write_batch(wh.landing, "crm", B1, {"Account": [account(1)]})
    _corrupt_checksum(bad, None)
    (bad / "Account.csv").write_text("garbage")
    write_batch(wh.landing, "psa", B1, {"users": [user(1, ["A"])]})
    write_batch(wh.landing, "billing", B1, {"invoices": [invoice(1, [invoice_line(1)])]})
    reports = land_all(settings_for(wh.landing, wh.duckdb_path))
    assert reports["crm"].rejected and reports["crm"].error is None
    assert reports["psa"].ok and reports["psa"].rows_loaded == 1
    assert reports["billing"].ok and reports["billing"].rows_loaded == 1
    assert reports["erp"].ok and reports["erp"].batches == []


@pytest.mark.parametrize(
    "edit, reason",
    [
        (lambda m: m.pop("mode"), "missing required field(s) mode"),
        (lambda m: m.update(system="erp"), "does not match folder 'crm'"),
        (lambda m: m.update(batch_id=B3), f"does not match folder '{B2}'"),
        (lambda m: m["files"][0].update(name="/etc/passwd"), "absolute path"),
    ],
)
def test_bad_manifest_rejects_the_batch(wh, edit, reason):
    write_batch(wh.landing, "crm", B2, {"Account": [account(1)]}, manifest_edit=edit)
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.rejected and reason in report.rejected[0].reason


def test_row_level_failures_are_quarantined_with_exact_counts(wh):
    rows = [
        account(1),
        account(2, Id="006000000000000002"),
        account(3, IsDeleted="yes"),
        account(4),
        account(5),
        account(5, Name="dupe"),
    ]
    write_batch(wh.landing, "crm", B1, {"Account": rows, "Opportunity": [opportunity(1)]})
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    batch = report.batches[0]
    assert batch.status == "loaded"
    assert (batch.rows_manifest, batch.rows_loaded, batch.rows_quarantined) == (7, 3, 4)
    assert [r[0] for r in wh.query("SELECT id FROM raw_crm.account ORDER BY id")] == [
        "001000000000000001",
        "001000000000000004",
    ]
    quarantine = wh.query(
        'SELECT line_number, "check", message, record, file, object FROM raw_crm.raw_quarantine ORDER BY line_number'
    )
    assert [q[0] for q in quarantine] == [2, 3, 5, 6]
    assert quarantine[0][2].startswith("Account.csv record 2, physical line 3: field 'Id'")
    assert "006000000000000002" in quarantine[0][3] and quarantine[0][4:] == ("Account.csv", "Account")
    assert "record 3, physical line 4: field 'IsDeleted'" in quarantine[1][2] and "'yes'" in quarantine[1][2]
    assert quarantine[2][1] == "primary_key_unique"
    files = json.loads(wh.query("SELECT files FROM raw_crm.batch_log")[0][0])
    account_file = next(f for f in files if f["file"] == "Account.csv")
    assert (account_file["rows_manifest"], account_file["rows_loaded"], account_file["rows_quarantined"]) == (6, 2, 4)
    assert wh.query("SELECT rows_manifest, rows_loaded, rows_quarantined FROM raw_crm.batch_log") == [(7, 3, 4)]


def test_json_type_faults_quarantine_rows_but_a_type_change_rejects_the_batch(wh):
    entries = [
        time_entry(1),
        time_entry(2, hours="3.5"),
        time_entry(3, user={"id": "7", "name": "x"}),
        time_entry(4, hours=30),
    ]
    write_batch(wh.landing, "psa", B1, {"time_entries": entries + ["{not json"]})
    report = land("psa", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert (report.rows_loaded, report.rows_quarantined) == (1, 4)
    messages = "\n".join(r[0] for r in wh.query("SELECT message FROM raw_psa.raw_quarantine"))
    assert "time_entries.jsonl line 2: field 'hours' expected a JSON number, got varchar" in messages
    assert "time_entries.jsonl line 3: field 'user.id' expected a JSON integer, got varchar" in messages
    assert "time_entries.jsonl line 4: field 'hours' failed in_range(0, 24): got '30.0000'" in messages
    assert "time_entries.jsonl line 5: field '(record)' not a valid JSON object" in messages
    assert wh.query("SELECT DISTINCT record FROM raw_psa.raw_quarantine WHERE line_number = 5") == [("{not json",)]

    drifted = [time_entry(i, hours=str(i)) for i in range(10, 14)] + [time_entry(14)]
    write_batch(wh.landing, "psa", B2, {"time_entries": drifted}, mode="incremental")
    report = land("psa", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.rejected[0].reason == (
        "time_entries.jsonl: field 'hours' changed type: 4 of 5 values are not a JSON number"
    )
    assert wh.query("SELECT count(*) FROM raw_psa.time_entries")[0][0] == 1


def test_missing_required_column_rejects_the_batch(wh):
    from tests.ingestion.batch_writer import csv_text

    write_batch(wh.landing, "crm", B1, {"Account": csv_text("crm", "Account", [account(1)], drop_columns=("Name",))})
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.rejected[0].reason == "Account.csv: missing required column(s) Name"


def test_money_is_exact_decimal_never_double(wh):
    line = json.dumps(time_entry(1)).replace('"billable_rate": 175.0', '"billable_rate": 12345678901234.5678')
    assert "12345678901234.5678" in line
    write_batch(wh.landing, "psa", B1, {"time_entries": [line], "users": [user(1, ["A"], default_hourly_rate=0.1)]})
    write_batch(wh.landing, "billing", B1, {"invoices": [invoice(1, [invoice_line(1, quantity=2.25)])]})
    write_batch(
        wh.landing,
        "erp",
        B1,
        {"transaction": [{**__import__("tests.ingestion.batch_writer", fromlist=["x"]).erp_transaction(1)}]},
    )
    # a 14-digit rate cannot be true (Q2C_PLAUSIBLE_MAX_RATE): raised here, the digits are what is checked
    plausible = PlausibleBounds(max_rate=Decimal("99999999999999"))
    land_all(settings_for(wh.landing, wh.duckdb_path, plausible=plausible))
    assert wh.query("SELECT billable_rate, hours FROM raw_psa.time_entries") == [
        (Decimal("12345678901234.5678"), Decimal("7.5000"))
    ]
    assert wh.query("SELECT default_hourly_rate FROM raw_psa.users") == [(Decimal("0.1000"),)]
    assert wh.query("SELECT foreigntotal FROM raw_erp.transaction") == [("1000.10",)]
    types = {
        (s, t, c): d
        for s, t, c, d in wh.query(
            "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema LIKE 'raw_%'"
        )
    }
    assert not [k for k, d in types.items() if d in ("DOUBLE", "FLOAT", "REAL")]
    for key in [
        ("raw_psa", "time_entries", "billable_rate"),
        ("raw_psa", "time_entries", "hours"),
        ("raw_psa", "users", "cost_rate"),
        ("raw_billing", "invoice_lines", "quantity"),
    ]:
        assert types[key] == "DECIMAL(18,4)", key
    assert types[("raw_billing", "invoices", "total")] == "BIGINT"
    assert types[("raw_billing", "invoice_lines", "unit_amount_excluding_tax")] == "VARCHAR"
    assert types[("raw_erp", "transaction", "foreigntotal")] == "VARCHAR"
    assert types[("raw_psa", "time_entries", "_q2c_extracted_at")] == "TIMESTAMP"


def test_unknown_new_column_loads_and_is_reported(wh):
    from tests.ingestion.batch_writer import csv_text

    text = csv_text("crm", "Account", [account(1, Region__c="EMEA")], extra_columns=("Region__c",))
    write_batch(wh.landing, "crm", B1, {"Account": text})
    write_batch(wh.landing, "billing", B1, {"invoices": [invoice(1, [], footer="thanks")]})
    reports = land_all(settings_for(wh.landing, wh.duckdb_path))
    assert wh.query("SELECT region_c FROM raw_crm.account") == [("EMEA",)]
    assert reports["crm"].warnings == [f"{B1}: Account.csv: new field(s) Region__c loaded as region_c"]
    assert json.loads(wh.query("SELECT warnings FROM raw_crm.batch_log")[0][0]) == [
        "Account.csv: new field(s) Region__c loaded as region_c"
    ]
    assert wh.query("SELECT footer FROM raw_billing.invoices") == [("thanks",)]
    assert reports["billing"].batches[0].files[0].new_columns == ["footer"]


def test_a_late_batch_older_than_the_loaded_ones_is_rejected(wh):
    write_batch(wh.landing, "crm", B2, {"Account": [account(1, Name="New")]}, mode="incremental")
    land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    write_batch(wh.landing, "crm", B1, {"Account": [account(1, Name="Old")]}, mode="incremental")
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.rejected[0].batch_id == B1 and B2 in report.rejected[0].reason
    assert wh.query("SELECT name FROM raw_crm.account") == [("New",)]


def test_orchestrator_style_run_exposes_the_report(wh):
    """Dagster runs the source itself (land()'s runner): land() still returns the report."""
    write_batch(
        wh.landing,
        "erp",
        B1,
        {"transaction": [__import__("tests.ingestion.batch_writer", fromlist=["x"]).erp_transaction(5)]},
    )
    report = land("erp", settings_for(wh.landing, wh.duckdb_path), runner=lambda source, pipeline: pipeline.run(source))
    assert report.ok and report.rows_loaded == 1
    assert wh.query("SELECT t.id, b.status FROM raw_erp.transaction t, raw_erp.batch_log b") == [("5", "loaded")]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"Id,Name\n" + "001000000000000001,Caf\xe9\n".encode("latin-1"), "unparseable"),
        (b'Id,Name\n001000000000000001,"unterminated\n', "unparseable"),
    ],
)
def test_unreadable_file_rejects_the_batch(wh, content, reason):
    from tests.ingestion.batch_writer import csv_text

    header_fixed = csv_text("crm", "Account", []).strip().encode()
    data = content.replace(b"Id,Name", header_fixed)
    data = data.replace(b"Caf", b"," * (header_fixed.count(b",") - 1) + b"Caf")
    data = data.replace(b'"unterminated', b"," * (header_fixed.count(b",") - 1) + b'"unterminated')
    folder = write_batch(wh.landing, "crm", B1, {"Account": [account(1)]})
    (folder / "Account.csv").write_bytes(data)
    import hashlib

    manifest = json.loads((folder / "_manifest.json").read_text())
    manifest["files"][0]["sha256"] = hashlib.sha256(data).hexdigest()
    (folder / "_manifest.json").write_text(json.dumps(manifest))
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.rejected and report.rejected[0].reason.startswith(f"Account.csv: {reason}")
