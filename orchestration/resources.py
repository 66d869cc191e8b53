"""Resources shared by the three domains; every path comes from ``q2c.settings`` at run time.

Paths are resolved when a run uses them, not when this module is imported, so one loaded
code location follows ``Q2C_*`` variables set later (tests, ``q2c run`` on another folder).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dlt import DagsterDltResource

from q2c.settings import duckdb_memory_limit, get_settings


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse (``Q2C_DUCKDB_PATH`` unless ``duckdb_path`` is set).

    Connections are opened per use and closed right after: DuckDB allows one writing process,
    and dbt runs as a subprocess between our steps.
    """

    duckdb_path: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.duckdb_path) if self.duckdb_path else get_settings().duckdb_path

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(self.path), read_only=read_only)
        conn.execute(f"SET memory_limit = '{duckdb_memory_limit()}'")  # validated in q2c.settings
        try:
            yield conn
        finally:
            conn.close()


def build_resources() -> dict[str, object]:
    from orchestration.transform.dbt_cli import NightlyDbtCliResource
    from orchestration.transform.project import dbt_executable, dbt_project

    return {
        "warehouse": Warehouse(),
        "dbt": NightlyDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        "dlt": DagsterDltResource(),
    }
