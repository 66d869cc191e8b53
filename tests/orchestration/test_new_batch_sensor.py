from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from orchestration.automation import new_batch_sensor
from orchestration.ingestion.landing_watch import parse_cursor
from q2c.settings import get_settings


def _batch(landing: Path, system: str, batch_id: str, *, complete: bool = True) -> None:
    folder = landing / system / batch_id
    folder.mkdir(parents=True)
    (folder / "Account.csv").write_text("Id\n")
    if complete:
        (folder / "_manifest.json").write_text(json.dumps({"system": system, "batch_id": batch_id}))


@pytest.fixture
def landing(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("Q2C_LANDING_DIR", str(tmp_path / "landing"))
    return tmp_path / "landing"


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as inst:
        yield inst


def _tick(instance, cursor=None):
    return new_batch_sensor(
        dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": get_settings()})
    )


def test_new_complete_batch_requests_a_nightly_run(landing, instance):
    _batch(landing, "crm", "2026-11-21T02-00-00Z")
    _batch(landing, "erp", "2026-11-21T02-00-00Z")
    result = _tick(instance)
    assert isinstance(result, dg.SensorResult)
    assert len(result.run_requests) == 1
    assert parse_cursor(result.cursor) == {"crm": "2026-11-21T02-00-00Z", "erp": "2026-11-21T02-00-00Z"}


def test_seen_batches_request_nothing(landing, instance):
    _batch(landing, "crm", "2026-11-21T02-00-00Z")
    first = _tick(instance)
    again = _tick(instance, first.cursor)
    assert isinstance(again, dg.SkipReason)


def test_batch_without_manifest_is_not_new_until_complete(landing, instance):
    _batch(landing, "crm", "2026-11-21T02-00-00Z")
    cursor = _tick(instance).cursor
    _batch(landing, "crm", "2026-11-22T02-00-00Z", complete=False)
    assert isinstance(_tick(instance, cursor), dg.SkipReason)
    (landing / "crm" / "2026-11-22T02-00-00Z" / "_manifest.json").write_text("{}")
    result = _tick(instance, cursor)
    assert len(result.run_requests) == 1
    assert parse_cursor(result.cursor)["crm"] == "2026-11-22T02-00-00Z"


def test_run_keys_differ_per_new_batch(landing, instance):
    _batch(landing, "psa", "2026-11-21T02-00-00Z")
    first = _tick(instance)
    _batch(landing, "psa", "2026-11-22T02-00-00Z")
    second = _tick(instance, first.cursor)
    assert first.run_requests[0].run_key != second.run_requests[0].run_key


def test_empty_landing_zone_skips(landing, instance):
    assert isinstance(_tick(instance), dg.SkipReason)


def test_waits_while_a_nightly_run_is_in_progress(landing, instance):
    from dagster._core.storage.dagster_run import DagsterRun, DagsterRunStatus

    _batch(landing, "billing", "2026-11-21T02-00-00Z")
    instance.add_run(DagsterRun(job_name="nightly", run_id="a" * 36, status=DagsterRunStatus.STARTED))
    result = _tick(instance)
    assert isinstance(result, dg.SkipReason) and "in progress" in result.skip_message


def test_an_older_batch_completing_after_a_newer_one_was_seen_launches_a_run(landing, instance):
    """Batches land strictly in order: the newer batch waited (held) for the older one, so the
    older one's manifest arriving is what lets both land (issue 17, defect 9)."""
    _batch(landing, "crm", "2026-11-23T02-00-00Z", complete=False)
    _batch(landing, "crm", "2026-11-24T02-00-00Z")
    cursor = _tick(instance).cursor
    assert parse_cursor(cursor)["crm"] == "2026-11-24T02-00-00Z"
    assert isinstance(_tick(instance, cursor), dg.SkipReason)
    (landing / "crm" / "2026-11-23T02-00-00Z" / "_manifest.json").write_text("{}")
    result = _tick(instance, cursor)
    assert isinstance(result, dg.SensorResult) and len(result.run_requests) == 1
    assert "crm: 2026-11-23T02-00-00Z" in result.run_requests[0].tags["q2c/new_batches"]
    assert isinstance(_tick(instance, result.cursor), dg.SkipReason)  # seen once only


def test_batches_a_landing_run_already_decided_launch_nothing(tmp_path, instance):
    """`q2c run` (or `q2c demo`) landed the batches before `dagster dev` started: the sensor,
    with no cursor yet, must not launch a second night for them (issue 14, defect 1). Loaded,
    rejected and held batches are all decided; only a batch no landing run saw is new."""
    from ingestion.landing import land_all
    from q2c.settings import settings_for
    from tests.ingestion.batch_writer import account, user, write_batch

    b1, b2, b3, b4 = ("2026-11-19T02-00-00Z", "2026-11-20T02-00-00Z", "2026-11-21T02-00-00Z", "2026-11-22T02-00-00Z")
    landing = tmp_path / "landing"
    settings = settings_for(landing, tmp_path / "data" / "warehouse.duckdb")
    write_batch(landing, "crm", b1, {"Account": [account(1)]}, mode="incremental")
    bad = write_batch(landing, "crm", b2, {"Account": [account(2)]}, mode="incremental")
    (bad / "Account.csv").write_text((bad / "Account.csv").read_text().replace("Acme", "Acne"))  # checksum
    write_batch(landing, "crm", b3, {"Account": [account(3)]}, mode="incremental")
    write_batch(landing, "psa", b1, {"users": [user(1, ["A"])]})
    reports = land_all(settings)
    assert [(b.batch_id, b.status) for b in reports["crm"].batches] == [(b1, "loaded"), (b2, "rejected"), (b3, "held")]

    def tick(cursor=None):
        return new_batch_sensor(
            dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings})
        )

    skipped = tick()
    assert isinstance(skipped, dg.SkipReason), skipped
    assert "4 already landed or logged" in skipped.skip_message

    write_batch(landing, "psa", b4, {"users": [user(2, ["B"])]}, mode="incremental")
    result = tick()
    assert isinstance(result, dg.SensorResult) and len(result.run_requests) == 1
    assert result.run_requests[0].tags["q2c/new_batches"] == f"psa: {b4}"
