"""Batches that arrive late, early, out of order or still being written (issue 17, defects 4, 8
and 9): every batch whose manifest is readable keeps its manifest's figures in the batch_log,
whatever turns it away; an extracted_at that disagrees with the batch id or lies in the future
is rejected; a system's batches load strictly in order, a newer one waiting while an older
folder has no manifest yet."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from ingestion.landing import land, list_batches
from q2c.as_of import newest_loaded_batch_date
from q2c.cli import app
from q2c.settings import settings_for
from q2c.warehouse import warehouse_connection
from tests.ingestion.batch_writer import account, write_batch

D22, D23, D24, D25 = "2026-11-22T02-00-00Z", "2026-11-23T02-00-00Z", "2026-11-24T02-00-00Z", "2026-11-25T02-00-00Z"
LOG_COLUMNS = "batch_id, status, mode, extracted_at, rows_manifest, rows_loaded, rows_quarantined, rows_rejected"


def _land(wh, **fields):
    return land("crm", settings_for(wh.landing, wh.duckdb_path, **fields), raise_on_error=False)


def _log(wh) -> dict[str, tuple]:
    rows = wh.query(f"SELECT {LOG_COLUMNS}, reason FROM raw_crm.batch_log")
    return {r[0]: r[1:] for r in rows}


def _still_being_written(folder: Path) -> str:
    """Take the manifest away (the extractor writes it last); returns it to put back later."""
    manifest = folder / "_manifest.json"
    text = manifest.read_text()
    manifest.unlink()
    return text


def _accounts(wh) -> list[tuple]:
    return wh.query("SELECT id, name, _q2c_batch_id FROM raw_crm.account ORDER BY id")


# -- defect 4: a rejected batch keeps its manifest's figures ------------------------------------


def test_a_late_batch_is_rejected_with_its_manifest_mode_and_rows(wh):
    write_batch(wh.landing, "crm", D22, {"Account": [account(1)]})
    write_batch(wh.landing, "crm", D24, {"Account": [account(2)]}, mode="incremental")
    assert [b.status for b in _land(wh).batches] == ["loaded", "loaded"]
    write_batch(wh.landing, "crm", D23, {"Account": [account(3)]}, mode="incremental")  # appears only now

    report = _land(wh)
    [late] = report.batches
    assert (late.batch_id, late.status, late.mode, late.rows_manifest) == (D23, "rejected", "incremental", 1)
    assert late.rows_rejected == 1
    status, mode, extracted_at, manifest, loaded, quarantined, rejected, reason = _log(wh)[D23]
    assert (status, mode, extracted_at, manifest, loaded, quarantined, rejected) == (
        "rejected",
        "incremental",
        datetime(2026, 11, 23, 2),
        1,
        0,
        0,
        1,
    )
    assert reason == f"arrived after the newer batch {D24} was loaded; remove it or re-extract"

    state = next(s for s in list_batches(wh.landing, wh.duckdb_path, ("crm",)) if s.batch_id == D23)
    assert (state.mode, state.rows_manifest, state.rows_rejected) == ("incremental", 1, 1)
    out = CliRunner().invoke(app, ["batches", "list", "--system", "crm"])
    assert out.exit_code == 0, out.output
    row = next(line.split() for line in out.output.splitlines() if line.split()[:2] == ["crm", D23])
    # state, mode, manifest rows, loaded, quarantined, rejected
    assert row[2:8] == ["rejected", "incremental", "1", "0", "0", "1"]


def test_every_batch_accounts_for_its_manifest_rows_held_ones_included(wh):
    write_batch(wh.landing, "crm", D22, {"Account": [account(1), account(2, Name="")]})  # one row quarantined
    bad = write_batch(wh.landing, "crm", D23, {"Account": [account(3), account(4)]}, mode="incremental")
    (bad / "Account.csv").write_text((bad / "Account.csv").read_text().replace("Acme 4", "Acme 9"))  # sha256
    write_batch(wh.landing, "crm", D24, {"Account": [account(5), account(6), account(7)]}, mode="incremental")
    _land(wh)
    log = _log(wh)
    assert {b: row[:1] + row[3:7] for b, row in log.items()} == {
        D22: ("loaded", 2, 1, 1, 0),
        D23: ("rejected", 2, 0, 0, 2),  # checksum mismatch: the manifest was readable
        D24: ("held", 3, 0, 0, 0),  # neither loaded nor rejected yet: its rows are pending
    }
    assert log[D23][1] == log[D24][1] == "incremental"
    for batch_id, (status, _, _, manifest, loaded, quarantined, rejected, _) in log.items():
        if status != "held":
            assert manifest == loaded + quarantined + rejected, batch_id


# -- defect 8: extracted_at checked against the batch id and the landing clock -----------------


def test_extracted_at_a_year_after_its_batch_id_is_rejected_and_the_as_of_stays(wh):
    write_batch(wh.landing, "crm", D22, {"Account": [account(1)]})
    write_batch(
        wh.landing,
        "crm",
        D23,
        {"Account": [account(2)]},
        mode="incremental",
        manifest_edit=lambda m: m.update(extracted_at="2027-12-31T02:00:00Z"),
    )
    report = _land(wh, landing_now=datetime(2026, 11, 23, 3))
    assert [(b.batch_id, b.status) for b in report.batches] == [(D22, "loaded"), (D23, "rejected")]
    reason = report.batches[1].reason
    assert reason == (
        f"_manifest.json: extracted_at '2027-12-31T02:00:00Z' disagrees with batch_id '{D23}' "
        "(2026-11-23T02:00:00Z) by more than 60 minutes (Q2C_EXTRACTED_AT_TOLERANCE_MINUTES)"
    )
    status, mode, _, manifest, loaded, _, rejected, _ = _log(wh)[D23]
    assert (status, mode, manifest, loaded, rejected) == ("rejected", "incremental", 1, 0, 1)
    assert _accounts(wh) == [("001000000000000001", "Acme 1", D22)]
    with warehouse_connection(settings_for(wh.landing, wh.duckdb_path)) as conn:
        assert newest_loaded_batch_date(conn).isoformat() == "2026-11-22"


def test_a_batch_from_the_future_of_the_landing_clock_is_rejected(wh):
    write_batch(wh.landing, "crm", D23, {"Account": [account(1)]})
    report = _land(wh, landing_now=datetime(2026, 11, 22, 23, 0))
    assert report.batches[0].status == "rejected"
    assert report.batches[0].reason == (
        "_manifest.json: extracted_at '2026-11-23T02:00:00Z' lies in the future of the landing clock "
        "(2026-11-22T23:00:00Z) by more than 60 minutes (Q2C_EXTRACTED_AT_TOLERANCE_MINUTES)"
    )
    assert not wh.exists("raw_crm", "account") or _accounts(wh) == []


def test_clock_skew_within_the_tolerance_loads_and_the_tolerance_is_configurable(wh, tmp_path):
    skewed = lambda m: m.update(extracted_at="2026-11-23T02:40:00Z")  # noqa: E731 - 40 min after the id
    write_batch(wh.landing, "crm", D23, {"Account": [account(1)]}, manifest_edit=skewed)
    # 40 minutes after the batch id, 10 minutes ahead of the landing clock: within one hour
    assert _land(wh, landing_now=datetime(2026, 11, 23, 2, 30)).batches[0].status == "loaded"

    other = type(wh)(tmp_path / "other_landing", tmp_path / "other" / "warehouse.duckdb")
    write_batch(other.landing, "crm", D23, {"Account": [account(1)]}, manifest_edit=skewed)
    strict = _land(other, landing_now=datetime(2026, 11, 24), extracted_at_tolerance_minutes=15)
    assert strict.batches[0].status == "rejected"
    assert "by more than 15 minutes" in strict.batches[0].reason


# -- defect 9: strictly in order per system ---------------------------------------------------------


def test_a_batch_still_being_written_holds_the_newer_ones_then_both_load_in_order(wh):
    write_batch(wh.landing, "crm", D22, {"Account": [account(1)]})
    d23 = {"Account": [account(1, Name="Acme 1 v23"), account(2)]}
    writing = write_batch(wh.landing, "crm", D23, d23, mode="incremental")
    manifest = _still_being_written(writing)
    write_batch(wh.landing, "crm", D24, {"Account": [account(2, Name="Acme 2 v24")]}, mode="incremental")

    first = _land(wh)
    assert [(b.batch_id, b.status, b.reason) for b in first.batches] == [
        (D22, "loaded", None),
        (D24, "held", f"waiting for older batch {D23} to be completed"),
    ]
    assert first.incomplete_batches == [D23]
    assert _accounts(wh) == [("001000000000000001", "Acme 1", D22)]  # nothing of D24
    assert _log(wh)[D24][:5] == ("held", "incremental", datetime(2026, 11, 24, 2), 1, 0)
    assert _land(wh).batches[0].status == "held"  # a rerun keeps waiting

    (writing / "_manifest.json").write_text(manifest)  # the extractor finishes D23
    second = _land(wh)
    assert [(b.batch_id, b.status) for b in second.batches] == [(D23, "loaded"), (D24, "loaded")]
    assert _accounts(wh) == [  # applied in order: D24's version of account 2 wins over D23's
        ("001000000000000001", "Acme 1 v23", D23),
        ("001000000000000002", "Acme 2 v24", D24),
    ]
    assert {b: row[0] for b, row in _log(wh).items()} == {D22: "loaded", D23: "loaded", D24: "loaded"}


def test_an_incomplete_batch_older_than_the_loaded_ones_holds_nothing(wh):
    write_batch(wh.landing, "crm", D23, {"Account": [account(1)]})
    _land(wh)
    (wh.landing / "crm" / D22).mkdir()  # an old folder appears, without manifest
    write_batch(wh.landing, "crm", D24, {"Account": [account(2)]}, mode="incremental")
    assert [(b.batch_id, b.status) for b in _land(wh).batches] == [(D24, "loaded")]


def test_the_operator_can_skip_an_incomplete_batch_and_the_newer_ones_then_load(wh):
    write_batch(wh.landing, "crm", D22, {"Account": [account(1)]})
    writing = write_batch(wh.landing, "crm", D23, {"Account": [account(2)]}, mode="incremental")
    manifest = _still_being_written(writing)
    write_batch(wh.landing, "crm", D24, {"Account": [account(3)]}, mode="incremental")
    write_batch(wh.landing, "crm", D25, {"Account": [account(4)]}, mode="incremental")
    assert [b.status for b in _land(wh).batches] == ["loaded", "held", "held"]

    out = CliRunner().invoke(app, ["batches", "skip", D23, "--reason", "extractor died; D24 re-extracted it"])
    assert out.exit_code == 0, out.output
    assert f"crm {D23}: skipped" in out.output
    assert _log(wh)[D23][0] == "skipped" and "extractor died" in _log(wh)[D23][-1]

    assert [(b.batch_id, b.status) for b in _land(wh).batches] == [(D24, "loaded"), (D25, "loaded")]
    (writing / "_manifest.json").write_text(manifest)  # completes after all: stays skipped, never loads
    assert _land(wh).batches == []
    assert [r[0] for r in _accounts(wh)] == ["001000000000000001", "001000000000000003", "001000000000000004"]
    assert next(s for s in list_batches(wh.landing, wh.duckdb_path, ("crm",)) if s.batch_id == D23).status == "skipped"
