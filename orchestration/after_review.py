"""After a review action: the latest night's reports rendered again from the changed ledger.

The reports belong to a run (its id, landing figures, dbt summary), so they are rendered for
the newest finished nightly run the Dagster instance recorded, both of them, exactly as the
night finished them (q2c.night.write_morning_reports), only with the ledger as it is now.
"""

from __future__ import annotations

import dagster as dg
from dagster._core.storage.dagster_run import RunsFilter

from orchestration.automation import NIGHTLY_JOB_NAME
from orchestration.night_record import run_facts
from q2c.night import write_morning_reports
from q2c.run_summary import NightlyResult
from q2c.settings import Settings

_FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE]


def rerender_latest_reports(settings: Settings) -> NightlyResult | None:
    """latest.md and latest.html of the newest finished night again; None when no night is recorded."""
    if not (settings.dagster_home / "dagster.yaml").exists():
        return None
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        records = instance.get_run_records(RunsFilter(job_name=NIGHTLY_JOB_NAME, statuses=_FINISHED), limit=1)
        if not records:
            return None
        facts = run_facts(instance, records[0].dagster_run.run_id)
    facts.report_path = None  # the ledger changed since the run wrote its report: render it again
    return write_morning_reports(facts, settings)
