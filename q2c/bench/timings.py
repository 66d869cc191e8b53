"""Per-stage wall time of one nightly run, read back from what the run itself recorded.

Step windows come from the run's Dagster event log (STEP_START .. STEP_SUCCESS/FAILURE),
so the figures are those of the real ``nightly`` job, not of a re-enactment. The single
``dbt_build`` step is split with dbt's run_results.json: the span during which the
reconciliation models (schema ``recon``) executed is "reconcile", the rest "dbt build".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import dagster as dg

LAND_PREFIX = "land_"
DBT_STEP = "dbt_build"
LEDGER_STEPS = ("recon__exception_ledger", "rule_checks")
# the morning-review outputs: snapshot for analysts, HTML/Markdown report, dbt docs
PUBLISH_WORDS = ("publish", "report", "docs")
QUALITY_WORDS = ("quality", "gx_")


@dataclass(frozen=True)
class Window:
    start: float  # time.time()
    end: float

    @property
    def seconds(self) -> float:
        return max(self.end - self.start, 0.0)


@dataclass
class RunTimings:
    run_start: float
    run_end: float
    steps: dict[str, Window] = field(default_factory=dict)  # step key -> window, in run order
    reconcile_seconds: float = 0.0  # recon models' span inside dbt_build
    dbt_ran: bool = False  # dbt wrote run_results during this run (not skipped)

    def windows(self, keys: list[str]) -> list[Window]:
        return [self.steps[k] for k in keys if k in self.steps]

    def land_steps(self) -> list[str]:
        return [k for k in self.steps if k.startswith(LAND_PREFIX)]

    def land_check_steps(self) -> list[str]:
        """The ingestion asset checks (batch accounting) on ``raw_<system>.batch_log``."""
        return [k for k in self.steps if k.startswith("raw_")]

    def publish_steps(self) -> list[str]:
        return [k for k in self.steps if any(w in k for w in PUBLISH_WORDS)]

    def quality_steps(self) -> list[str]:
        return [k for k in self.steps if any(w in k for w in QUALITY_WORDS)]

    def other_steps(self) -> list[str]:
        known = {
            *self.land_steps(),
            *self.land_check_steps(),
            DBT_STEP,
            *LEDGER_STEPS,
            *self.publish_steps(),
            *self.quality_steps(),
        }
        return [k for k in self.steps if k not in known]


def step_windows(instance: dg.DagsterInstance, run_id: str) -> tuple[dict[str, Window], float, float]:
    """Step windows plus the run's first and last event times."""
    started: dict[str, float] = {}
    steps: dict[str, Window] = {}
    first = last = None
    for entry in instance.all_logs(run_id):
        first = entry.timestamp if first is None else first
        last = entry.timestamp
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        kind = event.event_type_value
        if kind == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in started:
            steps[event.step_key] = Window(started[event.step_key], entry.timestamp)
    return steps, first or 0.0, last or 0.0


def _iso_seconds(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def recon_span_seconds(run_results: Path) -> float:
    """Wall seconds during which at least one model of schema ``recon`` was executing."""
    if not run_results.exists():
        return 0.0
    spans: list[tuple[float, float]] = []
    for result in json.loads(run_results.read_text(encoding="utf-8")).get("results", []):
        relation = (result.get("relation_name") or "").replace('"', "")
        if not result.get("unique_id", "").startswith("model.") or ".recon." not in f".{relation}":
            continue
        for timing in result.get("timing", []):
            if timing.get("name") == "execute" and timing.get("started_at") and timing.get("completed_at"):
                spans.append((_iso_seconds(timing["started_at"]), _iso_seconds(timing["completed_at"])))
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):  # length of the union of the intervals
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def run_timings(instance: dg.DagsterInstance, run_id: str, run_results: Path, since: float) -> RunTimings:
    steps, first, last = step_windows(instance, run_id)
    timings = RunTimings(first, last, steps)
    # run_results.json is rewritten by every dbt call: only tonight's counts
    if DBT_STEP in steps and run_results.exists() and run_results.stat().st_mtime >= since:
        timings.dbt_ran = True
        timings.reconcile_seconds = min(recon_span_seconds(run_results), steps[DBT_STEP].seconds)
    return timings
