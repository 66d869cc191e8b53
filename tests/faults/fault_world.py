"""A temporary q2c installation driven through real `q2c run` processes, for fault tests.

Each World is a folder with its own warehouse, published snapshot, dbt target, dlt state and
Dagster home; several worlds may read the same landing zone (the pipeline only reads it).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from q2c.settings import PROJECT_ROOT, RECON_CONFIG_DEFAULT

RUN_TIMEOUT = 900  # seconds; a loaded 2-core CI box runs the small nightly in 1-4 minutes


@dataclass
class World:
    root: Path
    landing: Path

    @property
    def duckdb_path(self) -> Path:
        return self.root / "warehouse" / "warehouse.duckdb"

    @property
    def published_path(self) -> Path:
        return self.root / "published" / "warehouse.duckdb"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("Q2C_", "DAGSTER_"))}
        env.update(
            {
                "Q2C_LANDING_DIR": str(self.landing),
                "Q2C_DUCKDB_PATH": str(self.duckdb_path),
                "Q2C_PUBLISHED_PATH": str(self.published_path),
                "Q2C_GROUND_TRUTH_DIR": str(self.root / "ground_truth"),
                "Q2C_REPORTS_DIR": str(self.root / "reports"),
                "Q2C_DOCS_DIR": str(self.root / "docs"),
                "Q2C_RECON_CONFIG": str(RECON_CONFIG_DEFAULT),
                "DAGSTER_HOME": str(self.root / "dagster_home"),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def start_run(self) -> NightlyProcess:
        return NightlyProcess(
            subprocess.Popen(
                [sys.executable, "-m", "q2c.cli", "run"],
                cwd=PROJECT_ROOT,
                env=self.env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        )


class NightlyProcess:
    """A running `q2c run`; its output is collected line by line as it comes."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.started = time.monotonic()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def _drain(self, timeout: float) -> bool:
        """Collect available lines; False once the output has ended."""
        try:
            line = self._queue.get(timeout=timeout)
        except queue.Empty:
            return True
        if line is None:
            return False
        self.lines.append(line)
        return True

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def log_path(self) -> Path | None:
        for line in self.lines:
            if line.startswith("full log: "):
                return Path(line.removeprefix("full log: "))
        return None

    def wait_for_line(self, text: str, timeout: float = RUN_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            if time.monotonic() > deadline or not self._drain(0.2):
                raise AssertionError(f"never printed {text!r}:\n{self.output}")

    def log_count(self, pattern: str) -> int:
        path = self.log_path
        if path is None or not path.exists():
            return 0
        return len(re.findall(pattern, path.read_text(encoding="utf-8", errors="replace")))

    def wait_for_log(self, pattern: str, count: int, timeout: float = RUN_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while self.log_count(pattern) < count:
            if time.monotonic() > deadline or not self._drain(0.2):
                raise AssertionError(f"log never had {count} x {pattern!r}:\n{self.output}")

    def kill(self) -> None:
        """SIGKILL the whole process group: q2c run and the dbt subprocess it started."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=60)
        while self._drain(0.05):
            pass

    def finish(self, timeout: float = RUN_TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while self._drain(0.5):
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"q2c run did not finish in {timeout} s:\n{self.output}")
        return self.proc.wait(timeout=60)


# ---------------------------------------------------------------- the end state of a warehouse

# differ per load by design: dlt's load ids (and the incremental marts' copy of them), row ids
_VOLATILE = {"_dlt_load_id", "_dlt_id", "_source_load_id", "inserted_at"}
_SKIP_TABLES = {"_dlt_loads", "_dlt_pipeline_state", "_dlt_version"}


def _columns(conn, schema: str, table: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "ORDER BY ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def _rows(conn, schema: str, table: str, exclude: set[str]) -> list[tuple]:
    cols = [c for c in _columns(conn, schema, table) if c not in exclude]
    select = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
    return conn.execute(f'SELECT {select} FROM "{schema}"."{table}" ORDER BY ALL').fetchall()


def end_state(duckdb_path: Path) -> dict[str, object]:
    """Everything a rerun must reproduce exactly: every raw row (without per-load ids),
    every mart and finding, and the ledger's exceptions with their status."""
    state: dict[str, object] = {}
    with duckdb.connect(str(duckdb_path), read_only=True) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND (table_schema LIKE 'raw\\_%' ESCAPE '\\' "
            r"AND table_schema NOT LIKE '%\_staging' ESCAPE '\' "  # dlt's merge scratch datasets
            "OR table_schema IN ('marts', 'recon')) ORDER BY 1, 2"
        ).fetchall()
        for schema, table in tables:
            if table in _SKIP_TABLES or table.startswith("_dlt_") or (schema, table) == ("recon", "exception_events"):
                continue
            exclude = set(_VOLATILE)
            if (schema, table) == ("recon", "exceptions"):
                # what the ledger says about each exception, not when the row was last touched
                exclude |= {"runs_seen"} | {c for c in _columns(conn, schema, table) if c.endswith("_at")}
            state[f"{schema}.{table}"] = _rows(conn, schema, table, exclude)
    return state
