"""`dagster dev` on a warehouse that `q2c run` already filled stops promptly on SIGINT and
leaves nothing behind (issue 14, defect 13).

What held it: new_batch_sensor launched a duplicate night at startup (defect 1); that run
executes in a child of the code server, which outlives `dagster dev` until the night is done,
still holding the warehouse and its run lock. The test starts the real `dagster dev` on a free
port with DAGSTER_HOME in tmp_path, waits for the webserver and the sensor's first tick, sends
SIGINT to the `dagster dev` process and checks that it and every process it started are gone
within the bound, and that no run was launched.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.launch import instance_for
from q2c.cli.run import run_nightly
from q2c.settings import PROJECT_ROOT, settings_in
from q2c_demo.data import generate

UP_TIMEOUT = 300.0  # loading the code location parses the dbt project; slow on a busy runner
STOP_BOUND = 30.0
_TICKED = ("Sensor new_batch_sensor skipped", "Launching run for new_batch_sensor")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_processes(sid: int) -> list[str]:
    """Command lines of the live processes in session ``sid`` (`dagster dev` leads its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != sid:
                continue
            if (entry / "stat").read_text().split(") ")[-1].startswith("Z"):  # exited, not yet reaped
                continue
            found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:160])
        except (OSError, ProcessLookupError):
            continue
    return found


def _default_signals() -> None:
    # a runner that ignores SIGINT would make dagster dev ignore SIGINT and SIGTERM (it maps one to the other)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("dagster_dev")
    generate(root / "extracts", root / "truth", customers=12, months=3, seed=11)
    shutil.copytree(root / "extracts", root / "landing")
    settings = settings_in(root, build_docs=False)
    result = run_nightly(echo=lambda _: None, settings=settings)
    assert result.success, result.failures
    return settings


def test_dagster_dev_stops_on_sigint_and_leaves_no_process(demo_warehouse, tmp_path):
    settings = demo_warehouse
    with instance_for(settings) as instance:
        runs_before = {r.run_id for r in instance.get_runs()}
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, **settings.process_environment(), "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("Q2C_ALERT_WEBHOOK_URL", None)
    log_path = tmp_path / "dagster-dev.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(bin_dir / "dagster"), "dev", "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_default_signals,
        )
    try:
        deadline = time.monotonic() + UP_TIMEOUT
        up = False
        while not (up and any(t in log_path.read_text(errors="replace") for t in _TICKED)):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"dagster dev did not come up and tick its sensor; log:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5) as response:
                    up = up or response.status == 200
            except OSError:
                pass
            time.sleep(1)

        process.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        process.wait(timeout=STOP_BOUND)
        left = _session_processes(process.pid)
        while left and time.monotonic() - stopped < STOP_BOUND:
            time.sleep(1)
            left = _session_processes(process.pid)
        assert left == [], f"still running {time.monotonic() - stopped:.0f} s after SIGINT: {left}"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
    with instance_for(settings) as instance:
        launched = {r.run_id for r in instance.get_runs()} - runs_before
    assert launched == set(), "dagster dev launched a night for batches q2c run had already landed"
