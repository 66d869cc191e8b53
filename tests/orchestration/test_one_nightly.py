"""One nightly: `q2c run` and a scheduled night of the same extracts leave the same files and the
same ledger. The scheduled night goes the daemon's way: the schedule's run request, the job,
then the run-status sensor that finishes the run; `q2c run` launches the same job in-process
and finishes it itself. Both run in this process on folders of their own, each with its own
settings resource, so nothing leaks between them through the environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from orchestration.automation import build_schedule, nightly_finished
from orchestration.definitions import load_definitions
from orchestration.launch import instance_for
from orchestration.run_tags import FINISHED_TAG
from q2c.cli.run import run_nightly
from q2c.settings import Settings, settings_in
from q2c.warehouse import warehouse_connection
from q2c_demo.data import generate
from tests.orchestration.run_sensors import evaluate_run_sensor

# columns that name the run or the wall-clock moment, which differ between any two runs
_EXCEPTION_COLUMNS = (
    "exception_id, rule_id, subject_type, subject_id, attribute, status, first_seen_as_of, last_seen_as_of"
)
_EVENT_COLUMNS = "exception_id, event_type, status_before, status_after, actor, as_of"


def _world(root: Path, landing: Path) -> Settings:
    shutil.copytree(landing, root / "landing")
    return settings_in(root, build_docs=False)


def _scheduled_night(settings: Settings) -> str:
    with instance_for(settings) as instance:
        request = build_schedule(settings.schedule_timezone)(
            dg.build_schedule_context(instance=instance, resources={"settings": settings})
        )
        assert isinstance(request, dg.RunRequest) and request.tags["q2c/trigger"] == "schedule"
        job = load_definitions().resolve_job_def("nightly")
        result = job.execute_in_process(
            instance=instance, tags=request.tags, raise_on_error=False, resources={"settings": settings}
        )
        assert result.success
        assert evaluate_run_sensor(nightly_finished, instance, result.run_id, settings) is None  # it finished the run
        assert instance.get_run_by_id(result.run_id).tags[FINISHED_TAG] == "the run-status sensor"
        return result.run_id


def _files(settings: Settings) -> set[str]:
    roots = {"reports": settings.reports_dir, "published": settings.published_path.parent}
    return {
        f"{name}/{p.relative_to(folder)}" for name, folder in roots.items() for p in folder.rglob("*") if p.is_file()
    }


def _ledger(settings: Settings) -> tuple[list[tuple], list[tuple]]:
    with warehouse_connection(settings, read_only=True) as conn:
        exceptions = conn.execute(f"SELECT {_EXCEPTION_COLUMNS} FROM recon.exceptions ORDER BY ALL").fetchall()
        events = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM recon.exception_events ORDER BY ALL").fetchall()
    return exceptions, events


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    root = tmp_path_factory.mktemp("one_nightly")
    generate(root / "extracts", root / "truth", customers=12, months=3, seed=11)
    cli, scheduled = _world(root / "cli", root / "extracts"), _world(root / "scheduled", root / "extracts")
    result = run_nightly(echo=lambda _: None, settings=cli)
    assert result.success, result.failures
    run_id = _scheduled_night(scheduled)
    return cli, scheduled, result, run_id


def test_both_nights_leave_the_same_files(nights):
    cli, scheduled, result, _ = nights
    files = _files(cli)
    assert {
        "reports/latest.md",
        f"reports/{result.as_of.isoformat()}.md",
        "reports/latest.html",
        f"reports/{result.as_of.isoformat()}.html",
        "published/warehouse.duckdb",
    } <= files
    assert files == _files(scheduled)


def test_both_nights_leave_the_same_ledger(nights):
    cli, scheduled, _, _ = nights
    exceptions, events = _ledger(cli)
    assert exceptions and events
    assert (exceptions, events) == _ledger(scheduled)


def test_both_summaries_say_the_same_but_their_run(nights):
    cli, scheduled, result, run_id = nights
    name = f"{result.as_of.isoformat()}.md"
    ours = (cli.reports_dir / name).read_text().replace(result.run_id, "<run>")
    theirs = (scheduled.reports_dir / name).read_text().replace(run_id, "<run>")
    assert "status: **success**" in ours
    assert ours == theirs
