"""The dbt project, built by a cached factory: prepared once per process, when the code
location first needs it, never at import.

``dagster dev`` re-parses on every code load (``prepare_if_dev``). Elsewhere (``q2c run``,
tests, the daemon) the manifest is parsed when missing or older than any project file, so a
fresh clone and an edited model both work without a separate ``dbt parse`` step.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from dagster._utils import run_with_concurrent_update_guard
from dagster_dbt import DbtCliResource, DbtProject

from orchestration.transform.dbt_cli import PLAIN_OUTPUT_FLAGS
from q2c.settings import DBT_PROJECT_DIR

_PROJECT_FILE_DIRS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


def _newest_source_mtime(project_dir: Path) -> float:
    newest = (project_dir / "dbt_project.yml").stat().st_mtime
    for name in _PROJECT_FILE_DIRS:
        folder = project_dir / name
        if folder.exists():
            for path in folder.rglob("*"):
                if path.is_file():
                    newest = max(newest, path.stat().st_mtime)
    return newest


def manifest_is_stale(project: DbtProject) -> bool:
    manifest = project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(project.project_dir)


def dbt_executable() -> str:
    """The venv's dbt next to this interpreter (PATH may not include the venv under pytest)."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def _parse(project: DbtProject) -> None:
    resource = DbtCliResource(
        project_dir=project, dbt_executable=dbt_executable(), global_config_flags=PLAIN_OUTPUT_FLAGS
    )
    resource.cli(["parse", "--quiet"], target_path=project.target_path).wait()


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    if manifest_is_stale(project):
        # the guard makes concurrent processes (pytest workers, dagster dev) wait for one parse
        run_with_concurrent_update_guard(project.manifest_path, _parse, project=project)
    return project
