"""Run the real dbt project in-process against a temporary DuckDB file.

dbt writes its target/ and logs/ under the given temp folder, never into dbt_project/, so
parallel runs do not clobber each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult

from q2c.settings import DBT_PROJECT_DIR, environment

# The canonical model only: staging, intermediate, marts and the currency seed. The
# reconciliation models belong to another layer and are exercised by their own tests.
CANONICAL_SELECTION = [
    "path:models/staging",
    "path:models/intermediate",
    "path:models/marts",
    "path:seeds/currency_exponents.csv",
]


@dataclass(frozen=True)
class NodeOutcome:
    name: str
    resource_type: str
    status: str
    failures: int | None
    compiled_code: str | None


def dbt_path_args(work_dir: Path, *, project: Path = DBT_PROJECT_DIR, target: Path | None = None) -> list[str]:
    """The project, profiles, target and log paths of a test's own dbt invocation: target and
    logs under the test's work dir, so concurrent test runs never share dbt's artefacts."""
    return [
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(target or work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]


def run_dbt(args: list[str], duckdb_path: Path, work_dir: Path) -> tuple[dbtRunnerResult, list[NodeOutcome]]:
    """Invoke dbt with ``args`` on the project; Q2C_DUCKDB_PATH points at ``duckdb_path``.

    The environment is restored afterwards, so other tests in the session see their own paths.
    """
    full_args = [*args, *dbt_path_args(work_dir), "--no-use-colors", "--quiet"]
    with environment({"Q2C_DUCKDB_PATH": str(duckdb_path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}):
        result = dbtRunner().invoke(full_args)
    outcomes = []
    run_results = getattr(result.result, "results", None) or []
    for r in run_results:
        outcomes.append(
            NodeOutcome(
                name=r.node.name,
                resource_type=str(r.node.resource_type),
                status=str(r.status),
                failures=r.failures,
                compiled_code=getattr(r.node, "compiled_code", None),
            )
        )
    return result, outcomes


def build_canonical(duckdb_path: Path, work_dir: Path, *extra: str) -> tuple[dbtRunnerResult, list[NodeOutcome]]:
    """`dbt build` of the canonical model; tests that also need reconciliation nodes are skipped."""
    return run_dbt(
        ["build", "--select", *CANONICAL_SELECTION, "--indirect-selection", "cautious", *extra],
        duckdb_path,
        work_dir,
    )
