"""Per-scenario assertions over one pipeline run."""

from __future__ import annotations

from dataclasses import dataclass, field

from .pipeline_runner import FindingKey, PipelineRun


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
        f"scenario {scenario.name!r} ({scenario.note}): "
        f"missing {sorted(missing)}; unexpected {sorted(extra)}"
    )
