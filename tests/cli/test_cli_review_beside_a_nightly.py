"""The review commands beside a running nightly (issue 14, defect 2): reading never opens the
pipeline's warehouse, a review action taken while a nightly holds it is queued and applied by
the ledger step, a nightly waits for a review action instead of being refused, and a writer
refused the warehouse's lock is told which process holds it."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from typer.testing import CliRunner

from orchestration.reconciliation.assets import exception_ledger
from orchestration.resources import night_lock_resource
from q2c.cli import app
from q2c.ledger import exception_id
from q2c.ledger.queue import queued_actions
from q2c.run_lock import REVIEW, lock_holder, night_lock
from q2c.settings import PROJECT_ROOT, get_settings, settings_for
from q2c.warehouse import WarehouseLocked, connect

runner = CliRunner()
INV1 = exception_id("INV-03", "billing_invoice", "in_1", "")
NIGHT = "night-under-test"


def _hold(kind: str = "nightly", seconds: float = 120.0, open_warehouse: bool = True) -> subprocess.Popen:
    """Another process that holds the run lock (as ``kind``) and, like a nightly, the warehouse file."""
    code = (
        "import time, duckdb\n"
        "from q2c.run_lock import night_lock\n"
        "from q2c.settings import get_settings\n"
        "s = get_settings()\n"
        f"with night_lock(s, {NIGHT!r}, wait_seconds=0, kind={kind!r}):\n"
        f"    conn = duckdb.connect(str(s.duckdb_path)) if {open_warehouse!r} else None\n"
        "    print('holding', flush=True)\n"
        f"    time.sleep({seconds})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


@pytest.fixture
def nightly_running(ledger_db, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    proc = _hold()
    yield ledger_db, proc
    proc.kill()
    proc.wait()


def _statuses(path: Path) -> dict[str, str]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return dict(conn.execute("SELECT exception_id, status FROM recon.exceptions").fetchall())


def test_list_and_show_work_while_a_nightly_holds_the_warehouse(nightly_running):
    listed = runner.invoke(app, ["exceptions", "list"])
    assert listed.exit_code == 0, listed.output
    assert "in_1" in listed.output and "published snapshot" in listed.output
    shown = runner.invoke(app, ["exceptions", "show", INV1[:10]])
    assert shown.exit_code == 0, shown.output
    assert INV1 in shown.output
    batches = runner.invoke(app, ["batches", "list"])  # the snapshot's batch_log, saying so
    assert batches.exit_code == 0, batches.output
    assert f"run {NIGHT}" in batches.output and "published snapshot" in batches.output


def test_an_action_during_a_nightly_is_queued_and_the_ledger_step_applies_it(nightly_running):
    warehouse, proc = nightly_running
    result = runner.invoke(app, ["exceptions", "waive", INV1[:10], "--by", "ana", "--reason", "credit agreed"])
    assert result.exit_code == 0, result.output
    assert "QUEUED" in result.output and NIGHT in result.output and f"pid {proc.pid}" in result.output
    listed = runner.invoke(app, ["exceptions", "list"])
    assert f"queued, not yet applied: waive {INV1[:12]} by ana" in listed.output
    # a mistyped id is refused now, not queued for the night
    typo = runner.invoke(app, ["exceptions", "ack", "ffffffffff", "--by", "ana", "--reason", "x"])
    assert typo.exit_code == 1 and "no exception with id" in typo.output
    proc.kill()
    proc.wait()
    assert _statuses(warehouse)[INV1] == "open"  # nothing was written beside the night

    # the night's ledger step (the Dagster asset, as the nightly runs it) applies the queue first
    settings = settings_for(get_settings().landing_dir, warehouse, as_of=date(2026, 3, 1))
    dg.materialize(
        [exception_ledger], resources={"settings": settings, "night_lock": night_lock_resource}, raise_on_error=True
    )
    assert _statuses(warehouse)[INV1] == "waived"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        events = conn.execute(
            "SELECT event_type, actor, reason FROM recon.exception_events WHERE exception_id = ? ORDER BY occurred_at",
            [INV1],
        ).fetchall()
    assert events == [("new", "q2c-nightly", None), ("waived", "ana", "credit agreed")]
    assert queued_actions(settings.review_queue_dir) == []


def test_a_nightly_waits_for_a_review_action_instead_of_failing(ledger_db):
    settings = get_settings()
    review = _hold(kind=REVIEW, seconds=1.5, open_warehouse=False)
    try:
        assert lock_holder(settings).kind == REVIEW
        started = time.monotonic()
        with night_lock(settings, "the-nightly", wait_seconds=0) as mine:
            assert mine.run_id == "the-nightly"
        assert time.monotonic() - started > 0.5  # it waited for the review to finish
    finally:
        review.kill()
        review.wait()


def test_a_refused_writer_is_told_which_process_holds_the_warehouse(nightly_running):
    _, proc = nightly_running
    with pytest.raises(WarehouseLocked) as refused:
        connect(get_settings())
    message = str(refused.value)
    assert f"PID {proc.pid} is: " in message and "night_lock" in message  # its command line
    assert f"run {NIGHT}, pid {proc.pid}" in message  # and the run lock's holder
