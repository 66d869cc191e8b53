"""One nightly run at a time per warehouse, whoever starts it (`q2c run`, the schedule, the
new-batch sensor, the UI).

The lock is an advisory ``flock`` on ``<data dir>/.nightly.lock``: the kernel releases it when
the holding process ends, however it ends (a killed holder never blocks the next night), and
two processes asking at the same instant get one answer each. The holder writes its run id,
pid and start time into the file so that a refused run can say who holds it. A run either
waits for the lock a bounded time (``Q2C_NIGHTLY_LOCK_WAIT_SECONDS``, default 0) or is
refused with that message. Within one process the lock is re-entrant: ``q2c run`` takes it
before it launches the job, and the job's own acquisition in that process passes through.

A review action (``q2c exceptions ack|waive|reopen``) takes the same lock for the seconds it
writes the ledger, re-publishes the snapshot and re-renders the reports. Whoever finds the lock
held by a review waits for it (``Q2C_REVIEW_HOLD_WAIT_SECONDS``, default 300) instead of being
refused: a review action never makes a nightly fail.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from q2c.settings import Settings

LOCK_NAME = ".nightly.lock"
REFUSAL = "a nightly run is already in progress"
NIGHTLY, REVIEW = "nightly", "review"  # what holds the lock
_POLL_SECONDS = 0.25


class NightlyInProgress(RuntimeError):
    """Another nightly run holds the warehouse's run lock."""


@dataclass(frozen=True)
class LockHolder:
    run_id: str
    pid: int
    started: str  # ISO 8601, UTC
    kind: str = NIGHTLY

    def describe(self) -> str:
        if self.kind == REVIEW:
            return f"a review action holds the warehouse ({self.run_id}, pid {self.pid}, started {self.started})"
        return f"{REFUSAL} (run {self.run_id}, pid {self.pid}, started {self.started})"


_HELD: dict[Path, LockHolder] = {}  # locks this process holds, by lock file


def lock_path(settings: Settings) -> Path:
    return settings.data_dir / LOCK_NAME


def current_holder(path: Path) -> LockHolder | None:
    """What the lock file says of its holder (None while it is being written or when free)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
        if not data:
            return None
        return LockHolder(str(data["run_id"]), int(data["pid"]), str(data["started"]), str(data.get("kind", NIGHTLY)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def lock_holder(settings: Settings) -> LockHolder | None:
    """Who holds the warehouse's run lock right now, without waiting (None: it is free)."""
    path = lock_path(settings)
    if path in _HELD:
        return _HELD[path]
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return current_holder(path) or LockHolder("unknown", 0, "unknown")
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _recorded_holder(path: Path, patience: float = 2.0) -> LockHolder | None:
    """The holder as its record says; a holder that has just won the lock writes its record a
    moment later, so look again briefly before giving up."""
    give_up = time.monotonic() + patience
    while (holder := current_holder(path)) is None and time.monotonic() < give_up:
        time.sleep(0.02)
    return holder


@contextmanager
def night_lock(
    settings: Settings, run_id: str, *, wait_seconds: float | None = None, kind: str = NIGHTLY
) -> Iterator[LockHolder]:
    """Hold the warehouse's run lock for the block; raise :class:`NightlyInProgress` naming the
    holder when it is not free within ``wait_seconds`` (default: the settings'), or, while a
    review action holds it, within ``settings.review_hold_wait_seconds``. ``kind``: what takes
    it, a nightly run or a review action (``run_id`` then says which)."""
    path = lock_path(settings)
    if path in _HELD:  # this process already runs the night (q2c run, then its job)
        yield _HELD[path]
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    wait = settings.nightly_lock_wait_seconds if wait_seconds is None else wait_seconds
    started = time.monotonic()
    deadline = started + wait
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _recorded_holder(path)
                    if (
                        holder
                        and holder.kind == REVIEW
                        and time.monotonic() < started + settings.review_hold_wait_seconds
                    ):
                        time.sleep(_POLL_SECONDS)  # a review is done in seconds: wait for it
                        continue
                    raise NightlyInProgress(
                        holder.describe()
                        if holder
                        else f"{REFUSAL} (its run, pid and start time are not yet recorded in {path})"
                    ) from None
                time.sleep(_POLL_SECONDS)
        holder = LockHolder(run_id, os.getpid(), datetime.now(UTC).isoformat(timespec="seconds"), kind)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder.__dict__).encode(), 0)
        _HELD[path] = holder
        try:
            yield holder
        finally:
            del _HELD[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
