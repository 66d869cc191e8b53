"""A batch id that was already loaded arriving again (issue 4): identical content is a no-op;
changed content is rejected naming the files that differ, under a derived id of its own
(``<batch id>~redelivered-<8 hex>``). It loads nothing, leaves the loaded data and the
batch's own batch_log row exactly as they were (so the as-of date and the row accounting do
not move), holds back no later batch, and is reported until that derived id is skipped."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime

import duckdb
import pytest
from typer.testing import CliRunner

from ingestion.landing import BatchAdminError, land, list_batches, skip_batch
from ingestion.landing.manifest import file_sha256, read_manifest
from ingestion.landing.redelivery import accepted_content, changed_redelivery
from q2c.cli import app
from q2c.settings import settings_for
from tests.ingestion.batch_writer import account, opportunity, write_batch

B1, B2, B3 = "2026-11-20T02-00-00Z", "2026-11-21T02-00-00Z", "2026-11-22T02-00-00Z"
# account 2 is quarantined (bad IsDeleted), so the quarantine is part of what must not move
FIRST = {"Account": [account(1), account(2, IsDeleted="yes")], "Opportunity": [opportunity(1)]}
CHANGED = {"Account": [account(1, Name="Corrected"), account(3)], "Opportunity": [opportunity(1)]}
ADVICE = "the data already loaded are kept: re-deliver corrections under a new batch id"
CHANGED_REASON = f"batch crm/{B1} was already loaded with different content: Account.csv sha256 differs; {ADVICE}"


def _redeliver(wh, batch_id, objects, mode="incremental", system="crm"):
    shutil.rmtree(wh.landing / system / batch_id)
    return write_batch(wh.landing, system, batch_id, objects, mode=mode)


def _derived(folder) -> str:
    """The id a changed re-delivery in ``folder`` is logged under."""
    derived = f"{folder.name}~redelivered-{read_manifest(folder, 'crm').fingerprint[:8]}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ~redelivered-[0-9a-f]{8}", derived)
    return derived


def _raw(wh) -> dict:
    """The raw rows of the crm tables B1 fed, dlt's per-load columns included."""
    return {
        t: wh.query(f"SELECT * FROM raw_crm.{t} ORDER BY ALL") for t in ("account", "opportunity", "raw_quarantine")
    }


def _log_row(wh, batch_id) -> list[tuple]:
    """Every column of a batch's batch_log row, dlt's load id and row id included: a row
    rewritten with the same values would still differ."""
    return wh.query("SELECT * FROM raw_crm.batch_log WHERE batch_id = ?", [batch_id])


def _log(wh) -> dict:
    return {
        r[0]: r[1:]
        for r in wh.query(
            "SELECT batch_id, status, mode, extracted_at, rows_manifest, rows_loaded, rows_quarantined, "
            "reason FROM raw_crm.batch_log"
        )
    }


def _loads(wh) -> int:
    return wh.query("SELECT count(*) FROM raw_crm._dlt_loads")[0][0]


def _land_first(wh):
    write_batch(wh.landing, "crm", B1, FIRST, mode="incremental")
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status, b.rows_loaded, b.rows_quarantined) for b in report.batches] == [(B1, "loaded", 2, 1)]
    [row] = _log_row(wh, B1)
    assert row[4:8] == ("loaded", 3, 2, 1)  # status, rows_manifest, rows_loaded, rows_quarantined
    return _raw(wh), [row]


def _orchestration_view(wh):
    """What the orchestration layer reads from the batch_log (read only, not edited here)."""
    from orchestration.ingestion.checks import batch_accounting, batches_accepted
    from q2c.as_of import newest_loaded_batch_date
    from q2c.settings import settings_for

    settings = settings_for(wh.landing, wh.duckdb_path)
    with duckdb.connect(str(wh.duckdb_path), read_only=True) as conn:
        return (newest_loaded_batch_date(conn), batch_accounting(conn, "crm"), batches_accepted(conn, "crm", settings))


def test_identical_redelivery_is_a_no_op_even_with_a_rewritten_manifest(wh):
    raw, first_row = _land_first(wh)
    log, loads = wh.query("SELECT * FROM raw_crm.batch_log"), _loads(wh)
    folder = _redeliver(wh, B1, FIRST)
    manifest = json.loads((folder / "_manifest.json").read_text())
    manifest["files"].reverse()  # same files and checksums, written differently
    (folder / "_manifest.json").write_text(json.dumps(manifest))

    for _ in range(2):
        report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
        assert report.batches == [] and report.ok
    assert _raw(wh) == raw and wh.query("SELECT * FROM raw_crm.batch_log") == log == first_row
    assert _loads(wh) == loads  # nothing new recorded, not even source state


def test_changed_redelivery_is_logged_under_its_own_id_and_the_loaded_row_never_moves(wh):
    raw, first_row = _land_first(wh)
    derived = _derived(_redeliver(wh, B1, CHANGED))

    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status, b.reason) for b in report.batches] == [(derived, "rejected", CHANGED_REASON)]
    assert not report.ok and report.error is None and report.rows_loaded == 0
    assert (report.rejected[0].rows_manifest, report.rejected[0].rows_loaded) == (3, 0)
    assert f"rejected {derived}: {CHANGED_REASON}" in report.summary()

    # the loaded batch's row is untouched, the re-delivery has a row of its own
    assert _log_row(wh, B1) == first_row
    assert _log(wh)[derived] == ("rejected", "incremental", datetime(2026, 11, 20, 2), 3, 0, 0, CHANGED_REASON)
    assert set(_log(wh)) == {B1, derived}
    assert _raw(wh) == raw
    states = {s.batch_id: s for s in list_batches(wh.landing, wh.duckdb_path, ("crm",))}
    assert {b: s.status for b, s in states.items()} == {B1: "loaded", derived: "rejected"}
    assert states[derived].redelivery_of == B1 and states[derived].in_landing_zone
    listed = CliRunner().invoke(app, ["batches", "list", "--system", "crm"])
    assert listed.exit_code == 0, listed.output
    assert [line.split()[1:3] for line in listed.output.splitlines()[2:]] == [[B1, "loaded"], [derived, "rejected"]]
    assert "no longer in the landing zone" not in listed.output

    # as-of still comes from B1; the loaded figures are B1's, and the re-delivery balances as
    # rejected (its manifest rows all rejected); the WARN check names it
    as_of, accounting, accepted = _orchestration_view(wh)
    assert as_of == date(2026, 11, 20)
    figures = {
        k: accounting.metadata[k].value for k in ("batches_loaded", "rows_manifest", "rows_loaded", "rows_quarantined")
    }
    assert accounting.passed and figures == {
        "batches_loaded": 1,
        "rows_manifest": 3,
        "rows_loaded": 2,
        "rows_quarantined": 1,
    }
    assert accounting.metadata["batches_decided"].value == 2 and accounting.metadata["rows_rejected"].value == 3
    assert not accepted.passed and derived in accepted.metadata["rejected"].value

    # every run reports it again but writes nothing; nothing is held back
    log, loads = wh.query("SELECT * FROM raw_crm.batch_log"), _loads(wh)
    again = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status, b.reason) for b in again.batches] == [(derived, "rejected", CHANGED_REASON)]
    assert wh.query("SELECT * FROM raw_crm.batch_log") == log and _loads(wh) == loads
    write_batch(wh.landing, "crm", B2, {"Account": [account(4)]}, mode="incremental")
    later = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status) for b in later.batches] == [(derived, "rejected"), (B2, "loaded")]
    assert _log_row(wh, B1) == first_row
    assert [r for r in wh.query("SELECT * FROM raw_crm.batch_log") if r[1] != B2] == log
    assert wh.query("SELECT id, name, _q2c_batch_id FROM raw_crm.account ORDER BY 1") == [
        ("001000000000000001", "Acme 1", B1),
        ("001000000000000004", "Acme 4", B2),
    ]
    assert _orchestration_view(wh)[0] == date(2026, 11, 21)


def test_the_reason_names_every_difference(wh):
    write_batch(wh.landing, "crm", B1, FIRST, mode="full")
    land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    _redeliver(wh, B1, {"Account": FIRST["Account"], "Product2": []}, mode="incremental")
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.rejected[0].reason == (
        f"batch crm/{B1} was already loaded with different content: mode differs (loaded full, "
        "now incremental); Opportunity.csv no longer listed; Product2.csv not in the loaded batch; "
        f"{ADVICE}"
    )


def test_an_invalid_manifest_under_a_loaded_id_is_rejected_too(wh):
    raw, first_row = _land_first(wh)
    folder = _redeliver(wh, B1, FIRST)
    manifest = json.loads((folder / "_manifest.json").read_text())
    manifest["batch_id"] = B3
    (folder / "_manifest.json").write_text(json.dumps(manifest))
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    derived = f"{B1}~redelivered-{file_sha256(folder / '_manifest.json')[:8]}"
    reason = (
        f"batch crm/{B1} was already loaded; its re-delivered manifest cannot be compared "
        f"(_manifest.json: batch_id '{B3}' does not match folder '{B1}'); {ADVICE}"
    )
    assert [(b.batch_id, b.status, b.reason) for b in report.batches] == [(derived, "rejected", reason)]
    assert _log(wh)[derived] == ("rejected", None, None, 0, 0, 0, reason)  # no valid mode/time
    assert _raw(wh) == raw and _log_row(wh, B1) == first_row


def test_skip_acknowledges_that_content_only_and_the_loaded_row_never_moves(wh):
    raw, first_row = _land_first(wh)
    d1 = _derived(_redeliver(wh, B1, CHANGED))
    land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)

    out = CliRunner().invoke(app, ["batches", "skip", d1, "--reason", "corrections re-extracted as B3"])
    assert out.exit_code == 0, out.output
    assert f"crm {d1}: skipped (skipped by operator: corrections re-extracted as B3 (rejected: " in out.output
    assert f"no longer reported; batch {B1} keeps what was first delivered" in out.output
    assert "later batches of this system land" not in out.output
    assert _log(wh)[d1][0] == "skipped" and CHANGED_REASON in _log(wh)[d1][-1]
    assert _log_row(wh, B1) == first_row
    with pytest.raises(BatchAdminError, match=f"batch {d1} is not rejected \\(crm skipped\\)"):
        skip_batch(d1, "again", wh.landing, wh.duckdb_path)

    log, loads = wh.query("SELECT * FROM raw_crm.batch_log"), _loads(wh)
    assert (
        land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).batches == []
    )  # not reported again
    assert wh.query("SELECT * FROM raw_crm.batch_log") == log and _loads(wh) == loads
    assert _raw(wh) == raw

    # other content under the same id is a new rejection, with an id of its own
    d2 = _derived(_redeliver(wh, B1, {"Account": [account(1, Name="Third try")]}))
    assert [
        (b.batch_id, b.status)
        for b in land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).batches
    ] == [(d2, "rejected")]
    d3 = _derived(_redeliver(wh, B1, {"Account": [account(1, Name="Fourth try")]}))
    assert [
        (b.batch_id, b.status)
        for b in land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).batches
    ] == [(d3, "rejected")]
    assert len({d1, d2, d3}) == 3
    assert {b: v[0] for b, v in _log(wh).items()} == {B1: "loaded", d1: "skipped", d2: "rejected", d3: "rejected"}
    assert _log_row(wh, B1) == first_row

    # the batch's own id names its rejected re-delivery only when there is one
    with pytest.raises(BatchAdminError, match=f"several rejected re-deliveries \\(crm {d2}, crm {d3}\\)"):
        skip_batch(B1, "x", wh.landing, wh.duckdb_path)
    assert skip_batch(d3, "superseded", wh.landing, wh.duckdb_path).status == "skipped"
    state = skip_batch(B1, "superseded too", wh.landing, wh.duckdb_path)
    assert (state.batch_id, state.status, state.redelivery_of) == (d2, "skipped", B1)
    with pytest.raises(BatchAdminError, match=f"batch {B1} is not rejected \\(crm loaded\\)"):
        skip_batch(B1, "x", wh.landing, wh.duckdb_path)
    assert _log_row(wh, B1) == first_row and _raw(wh) == raw
    as_of, accounting, accepted = _orchestration_view(wh)
    assert as_of == date(2026, 11, 20) and accounting.passed and accepted.passed

    write_batch(wh.landing, "crm", B3, CHANGED, mode="incremental")  # the advice: a new batch id
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status) for b in report.batches] == [(B3, "loaded")]  # d3 was skipped
    assert wh.query("SELECT id, name, _q2c_batch_id FROM raw_crm.account ORDER BY 1") == [
        ("001000000000000001", "Corrected", B3),
        ("001000000000000003", "Acme 3", B3),
    ]
    assert _log_row(wh, B1) == first_row


def test_delivering_the_first_content_again_ends_the_reports_and_leaves_the_rows(wh):
    raw, first_row = _land_first(wh)
    derived = _derived(_redeliver(wh, B1, CHANGED))
    assert land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).rejected
    log = wh.query("SELECT * FROM raw_crm.batch_log")
    _redeliver(wh, B1, FIRST)
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert report.batches == [] and report.ok
    # the rejection stays on record until skipped; the loaded batch never moved
    assert wh.query("SELECT * FROM raw_crm.batch_log") == log and _log_row(wh, B1) == first_row
    assert _log(wh)[derived][0] == "rejected" and _raw(wh) == raw
    assert land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).batches == []


def test_a_batch_skipped_as_a_copy_is_guarded_the_same_way(wh):
    write_batch(wh.landing, "crm", B1, {"Account": [account(1)]}, mode="incremental")
    write_batch(wh.landing, "crm", B2, {"Account": [account(1)]}, mode="incremental")
    assert [b.status for b in land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).batches] == [
        "loaded",
        "skipped",
    ]
    copy_row = _log_row(wh, B2)
    derived = _derived(_redeliver(wh, B2, {"Account": [account(1, Name="Changed")]}))
    report = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status) for b in report.batches] == [(derived, "rejected")]
    assert report.rejected[0].reason.startswith(
        f"batch crm/{B2} was already received with different content: Account.csv sha256 differs"
    )
    assert wh.query("SELECT name, _q2c_batch_id FROM raw_crm.account") == [("Acme 1", B1)]
    assert _log_row(wh, B2) == copy_row


def test_batches_recorded_before_per_file_checksums_are_still_compared(wh):
    """Source state written by earlier versions kept only the content fingerprint."""
    first = write_batch(wh.landing, "crm", B1, FIRST)
    legacy = {"status": "loaded", "fingerprint": accepted_content(read_manifest(first, "crm"))["fingerprint"]}
    assert changed_redelivery("crm", first, legacy) is None
    derived = _derived(_redeliver(wh, B1, CHANGED, mode="full"))
    rejected = changed_redelivery("crm", first, legacy)
    assert (rejected.batch_id, rejected.status, rejected.reason) == (
        derived,
        "rejected",
        f"batch crm/{B1} was already loaded with different content: the manifest's checksums differ "
        f"from the ones loaded; {ADVICE}",
    )
