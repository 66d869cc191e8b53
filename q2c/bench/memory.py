"""Resident memory of this process and all its descendants, sampled from /proc.

The nightly runs in this process but dbt runs as a child process (and the generator as
another), so the figure that matters is the whole tree's. Samples are kept with their
wall-clock time so each stage's peak can be read off afterwards from its time window.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:  # the process ended while we looked
            continue
        # the command name (field 2) may hold spaces and parentheses: parse after the last ')'
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_rss_bytes(root: int | None = None) -> int:
    """RSS of ``root`` (default: this process) plus every descendant, in bytes."""
    root = root or os.getpid()
    children = _children_by_parent()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * _PAGE
        except OSError:
            continue
    return total


@dataclass
class MemorySampler:
    """Background thread sampling the process tree's RSS every ``interval`` seconds."""

    interval: float = 0.1
    samples: list[tuple[float, int]] = field(default_factory=list)  # (time.time(), bytes)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, name="q2c-bench-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while True:
            self.samples.append((time.time(), tree_rss_bytes()))
            if self._stop.wait(self.interval):
                return

    def peak(self, start: float | None = None, end: float | None = None) -> int:
        """Largest sample within [start, end] (whole run when omitted); the nearest sample
        before ``start`` counts too, so a stage shorter than the interval still has one."""
        start = float("-inf") if start is None else start
        end = float("inf") if end is None else end
        window = [b for t, b in self.samples if start <= t <= end]
        before = [b for t, b in self.samples if t < start]
        if before:
            window.append(before[-1])
        return max(window, default=0)
