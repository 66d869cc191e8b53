"""Per-scenario assertions over one pipeline run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from tests.scenarios.conftest import SUITE_SECONDS
from tests.scenarios.extract_builder import Batch
from tests.scenarios.pipeline_runner import FindingKey, PipelineRun, run_pipeline


@dataclass
class Scenario:
    name: str
    subjects: set[str]  # every subject id this scenario owns (findings about them are its)
    expected: set[FindingKey] = field(default_factory=set)
    note: str = ""


class Scenarios(list[Scenario]):
    """A family module's scenarios, in the order it plants them."""

    def add(self, name: str, subjects, expected=(), note: str = "") -> None:
        self.append(Scenario(name, {str(s) for s in subjects}, set(expected), note))


def check(run: PipelineRun, scenario: Scenario, family: str) -> None:
    actual = run.keys_for(scenario.subjects, family)
    missing = scenario.expected - actual
    extra = actual - scenario.expected
    assert not missing and not extra, (
        f"scenario {scenario.name!r} ({scenario.note}): missing {sorted(missing)}; unexpected {sorted(extra)}"
    )


def run_family(world, root: Path, family: str, *later: Batch) -> PipelineRun:
    """Write the family's scenarios as one landing, then any later batches (deliveries on top
    of the world's), and run the pipeline on it once."""
    world.write(root / "landing")
    for batch in later:
        batch.write(root / "landing")
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


def family_tests(world, scenarios: list[Scenario], family: str, as_of: date, *later: Batch):
    """The module-scoped `run` fixture and the three tests of a family module whose scenarios
    all sit in one landing written by `world`. The module binds them to its own names (that is
    what pytest collects), so call this after the last scenario is planted."""

    @pytest.fixture(scope="module")
    def run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
        return run_family(world, tmp_path_factory.mktemp(f"{family.lower()}_scenarios"), family, *later)

    def test_pipeline_ran_cleanly(run: PipelineRun) -> None:
        assert_ran_cleanly(run, as_of)

    @pytest.mark.parametrize("case", scenarios, ids=[s.name for s in scenarios])
    def test_scenario(run: PipelineRun, case: Scenario) -> None:
        check(run, case, family)

    def test_no_findings_outside_scenarios(run: PipelineRun) -> None:
        assert_no_stray_findings(run, scenarios, family)

    return run, test_pipeline_ran_cleanly, test_scenario, test_no_findings_outside_scenarios
