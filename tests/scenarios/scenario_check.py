"""Per-scenario assertions over one pipeline run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.scenarios.conftest import SUITE_SECONDS
from tests.scenarios.pipeline_runner import FindingKey, PipelineRun, run_pipeline


@dataclass
class Scenario:
    name: str
    subjects: set[str]  # every subject id this scenario owns (findings about them are its)
    expected: set[FindingKey] = field(default_factory=set)
    note: str = ""


def check(run: PipelineRun, scenario: Scenario, family: str) -> None:
    actual = run.keys_for(scenario.subjects, family)
    missing = scenario.expected - actual
    extra = actual - scenario.expected
    assert not missing and not extra, (
        f"scenario {scenario.name!r} ({scenario.note}): missing {sorted(missing)}; unexpected {sorted(extra)}"
    )


def run_family(world, root: Path, family: str) -> PipelineRun:
    """Write the family's scenarios as one landing and run the pipeline on it once."""
    world.write(root / "landing")
    result = run_pipeline(root / "landing", root / "work")
    SUITE_SECONDS[family] = sum(result.seconds.values())
    return result


def assert_ran_cleanly(run: PipelineRun, as_of) -> None:
    assert run.as_of == as_of
    assert not run.landing_problems, "\n".join(run.landing_problems)
    assert not run.dbt_problems, "\n".join(run.dbt_problems)


def assert_no_stray_findings(run: PipelineRun, scenarios: list[Scenario], family: str) -> None:
    owned = set().union(*(s.subjects for s in scenarios))
    stray = {k for k in run.keys if k[0].startswith(f"{family}-") and k[2] not in owned}
    assert not stray, f"{family} findings about subjects no scenario owns: {sorted(stray)}"
