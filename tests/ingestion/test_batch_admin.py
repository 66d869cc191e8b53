"""`q2c batches list` / `q2c batches skip`: a rejected batch holds its system's later batches
until it is skipped with a reason; other systems are never held."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ingestion.landing import BatchAdminError, land, land_all, list_batches, skip_batch
from q2c.cli import app
from q2c.settings import settings_for
from tests.ingestion.batch_writer import account, user, write_batch

B1, B2, B3, B4 = ("2026-11-19T02-00-00Z", "2026-11-20T02-00-00Z", "2026-11-21T02-00-00Z", "2026-11-22T02-00-00Z")


def _reject_b2(wh):
    """crm: B1 loads, B2 has a checksum mismatch, B3 is held; psa: B1 and B2 load."""
    write_batch(wh.landing, "crm", B1, {"Account": [account(1)]}, mode="incremental")
    bad = write_batch(wh.landing, "crm", B2, {"Account": [account(1, Name="Bad"), account(2)]}, mode="incremental")
    (bad / "Account.csv").write_text((bad / "Account.csv").read_text().replace("Bad", "Bxd"))
    write_batch(wh.landing, "crm", B3, {"Account": [account(3)]}, mode="incremental")
    write_batch(wh.landing, "psa", B1, {"users": [user(1, ["A"])]})
    write_batch(wh.landing, "psa", B2, {"users": [user(2, ["B"])]}, mode="incremental")
    return land_all(settings_for(wh.landing, wh.duckdb_path))


def _states(wh, system=None):
    return {
        (s.system, s.batch_id): s
        for s in list_batches(wh.landing, wh.duckdb_path)
        if system is None or s.system == system
    }


def test_rejected_batch_holds_its_system_only_and_list_shows_every_state(wh):
    reports = _reject_b2(wh)
    assert [(b.batch_id, b.status) for b in reports["crm"].batches] == [(B1, "loaded"), (B2, "rejected"), (B3, "held")]
    assert [(b.batch_id, b.status) for b in reports["psa"].batches] == [(B1, "loaded"), (B2, "loaded")]
    write_batch(wh.landing, "crm", B4, {"Account": [account(4)]}, mode="incremental")  # not yet run
    writing = wh.landing / "erp" / B4
    writing.mkdir(parents=True)  # no manifest yet

    states = _states(wh)
    assert {k: v.status for k, v in states.items()} == {
        ("crm", B1): "loaded",
        ("crm", B2): "rejected",
        ("crm", B3): "held",
        ("crm", B4): "pending",
        ("psa", B1): "loaded",
        ("psa", B2): "loaded",
        ("erp", B4): "incomplete",
    }
    assert "Account.csv: sha256 mismatch" in states[("crm", B2)].reason
    assert states[("crm", B3)].reason == f"held until rejected batch {B2} is fixed"
    assert (
        states[("psa", B2)].rows_manifest,
        states[("psa", B2)].rows_loaded,
        states[("psa", B2)].rows_quarantined,
    ) == (1, 1, 0)

    out = CliRunner().invoke(app, ["batches", "list"])
    assert out.exit_code == 0, out.output
    lines = {tuple(line.split()[:3]) for line in out.output.splitlines()}
    assert {
        ("crm", B2, "rejected"),
        ("crm", B3, "held"),
        ("crm", B4, "pending"),
        ("erp", B4, "incomplete"),
        ("psa", B2, "loaded"),
    } <= lines
    assert "sha256 mismatch" in out.output


def test_skip_releases_the_held_batches_and_is_recorded_with_its_reason(wh):
    _reject_b2(wh)
    out = CliRunner().invoke(app, ["batches", "skip", B2, "--reason", "re-extract impossible, B3 is a superset"])
    assert out.exit_code == 0, out.output
    assert f"crm {B2}: skipped" in out.output

    log = {r[0]: r[1:] for r in wh.query("SELECT batch_id, status, rows_loaded, reason FROM raw_crm.batch_log")}
    assert log[B2][0] == "skipped" and log[B2][1] == 0
    assert "re-extract impossible, B3 is a superset" in log[B2][2] and "sha256 mismatch" in log[B2][2]
    # the skip itself lands nothing: B3 is still held until the next run
    assert log[B3][0] == "held"
    assert wh.query("SELECT id FROM raw_crm.account") == [("001000000000000001",)]

    crm = land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    assert [(b.batch_id, b.status) for b in crm.batches] == [(B3, "loaded")]
    assert wh.query("SELECT id, _q2c_batch_id FROM raw_crm.account ORDER BY 1") == [
        ("001000000000000001", B1),
        ("001000000000000003", B3),
    ]
    assert _states(wh, "crm")[("crm", B2)].status == "skipped"
    # the skipped batch is never loaded later, not even when its folder is fixed
    assert land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).batches == []
    assert wh.query("SELECT count(*) FROM raw_crm.account WHERE name = 'Bad'") == [(0,)]


REFUSED = [
    (["batches", "skip", "2030-01-01T00-00-00Z", "--reason", "x"], "unknown batch '2030-01-01T00-00-00Z'"),
    (["batches", "skip", B1, "--reason", "x", "--system", "crm"], "not rejected (crm loaded)"),
    (["batches", "skip", B3, "--reason", "x"], "not rejected (crm held)"),
    (["batches", "skip", B2, "--reason", "  "], "a reason is required"),
    (["batches", "skip", B2, "--reason", "x", "--system", "psa"], "not rejected (psa loaded)"),
    (["batches", "skip", B2, "--reason", "x", "--system", "hr"], "unknown system 'hr'"),
]


def test_refused_skip_is_a_clear_error_and_changes_nothing(wh):
    _reject_b2(wh)
    before = {s: wh.table(f"raw_{s}.batch_log") for s in ("crm", "psa")}
    loads = wh.query("SELECT count(*) FROM raw_crm._dlt_loads")
    for args, message in REFUSED:  # one after the other on the same warehouse: none changes it
        out = CliRunner().invoke(app, args)
        assert out.exit_code == 1, (args, out.output)
        assert message in out.output, (args, out.output)
        assert {s: wh.table(f"raw_{s}.batch_log") for s in ("crm", "psa")} == before
        assert wh.query("SELECT count(*) FROM raw_crm._dlt_loads") == loads
    # and the hold is still in force
    assert [
        (b.batch_id, b.status)
        for b in land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).batches
    ] == [(B2, "rejected"), (B3, "held")]


def test_skip_refused_inside_the_run_leaves_no_pending_package(wh):
    """The batch_log says rejected, but the source state does not (e.g. a hand-edited log):
    the landing run itself refuses, and the next landing run is unaffected."""
    _reject_b2(wh)
    import duckdb

    with duckdb.connect(str(wh.duckdb_path)) as conn:
        conn.execute("UPDATE raw_crm.batch_log SET status = 'rejected' WHERE batch_id = ?", [B1])
    with pytest.raises(BatchAdminError, match=f"crm batch {B1} is already loaded"):
        skip_batch(B1, "oops", wh.landing, wh.duckdb_path)
    from ingestion.landing import build_pipeline

    assert build_pipeline("crm", wh.duckdb_path).list_extracted_load_packages() == []
    assert build_pipeline("crm", wh.duckdb_path).list_normalized_load_packages() == []
    assert [b.status for b in land("crm", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False).batches] == [
        "rejected",
        "held",
    ]


def test_same_batch_id_rejected_in_two_systems_needs_a_system(wh):
    _reject_b2(wh)
    bad = write_batch(wh.landing, "erp", B2, {"transaction": "id\n1\n"})
    manifest = json.loads((bad / "_manifest.json").read_text())
    manifest["files"][0]["rows"] = 5
    (bad / "_manifest.json").write_text(json.dumps(manifest))
    land("erp", settings_for(wh.landing, wh.duckdb_path), raise_on_error=False)
    with pytest.raises(BatchAdminError, match="rejected in several systems \\(crm, erp\\)"):
        skip_batch(B2, "x", wh.landing, wh.duckdb_path)
    state = skip_batch(B2, "erp re-extract follows", wh.landing, wh.duckdb_path, system="erp")
    assert (state.system, state.status) == ("erp", "skipped")
    assert _states(wh, "crm")[("crm", B2)].status == "rejected"
