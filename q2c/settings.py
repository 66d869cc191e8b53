"""Where q2c reads and writes, from environment variables with defaults under ``data/``.

Every component (dlt pipelines, dbt's ``profiles.yml``, Dagster resources, the CLI) takes
its paths from here or from the same variables, so one ``export`` moves the whole platform.
Values are read at call time, not import time, so tests can point a process at a
temporary folder by setting the variables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
RECON_CONFIG_DEFAULT = PROJECT_ROOT / "config" / "reconciliation.yml"


def _path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    duckdb_path: Path
    ground_truth_dir: Path
    reports_dir: Path
    recon_config_path: Path
    docs_dir: Path
    # the analysts' read-only copy (q2c.publish); None = published/warehouse.duckdb beside the warehouse
    published_path: Path | None = None
    # GX Data Docs and dbt docs each night (Q2C_DOCS=off skips both, e.g. for quick reruns)
    build_docs: bool = True

    def __post_init__(self) -> None:
        if self.published_path is None:
            object.__setattr__(self, "published_path", self.duckdb_path.parent / "published" / "warehouse.duckdb")

    @property
    def data_dir(self) -> Path:
        return self.duckdb_path.parent


def _switch(var: str, *, default: bool) -> bool:
    value = os.environ.get(var, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("0", "false", "off", "no"):
        return False
    raise ValueError(f"{var}={value!r}: expected on or off")


def get_settings() -> Settings:
    data = PROJECT_ROOT / "data"
    duckdb_path = _path("Q2C_DUCKDB_PATH", data / "warehouse.duckdb")
    return Settings(
        landing_dir=_path("Q2C_LANDING_DIR", data / "landing"),
        duckdb_path=duckdb_path,
        ground_truth_dir=_path("Q2C_GROUND_TRUTH_DIR", data / "ground_truth"),
        reports_dir=_path("Q2C_REPORTS_DIR", data / "reports"),
        recon_config_path=_path("Q2C_RECON_CONFIG", RECON_CONFIG_DEFAULT),
        # beside the warehouse by default (data/docs), so a temporary warehouse documents itself there
        docs_dir=_path("Q2C_DOCS_DIR", duckdb_path.parent / "docs"),
        published_path=_path("Q2C_PUBLISHED_PATH", duckdb_path.parent / "published" / "warehouse.duckdb"),
        build_docs=_switch("Q2C_DOCS", default=True),
    )


_MEMORY_LIMIT = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
DUCKDB_MEMORY_LIMIT_DEFAULT = "1GB"


def duckdb_memory_limit() -> str:
    """Memory cap of every DuckDB connection to the warehouse (dlt, dbt, Dagster steps):
    ``Q2C_DUCKDB_MEMORY_LIMIT``, default 1GB. DuckDB's own default is 80 % of RAM per
    process; capped, big sorts and joins spill to disk instead and a nightly at 5M time
    entries stays within a small machine's memory."""
    value = os.environ.get("Q2C_DUCKDB_MEMORY_LIMIT", "").strip() or DUCKDB_MEMORY_LIMIT_DEFAULT
    if not _MEMORY_LIMIT.fullmatch(value):
        raise ValueError(f"Q2C_DUCKDB_MEMORY_LIMIT={value!r}: expected a size such as 1GB or 768MB")
    return value


def export_environment(settings: Settings | None = None) -> None:
    """Write the resolved paths back into ``os.environ`` as absolute paths.

    dbt's ``profiles.yml`` and dlt read the variables themselves; exporting the resolved
    values means a relative path given by the user means the same thing to all of them.
    """
    s = settings or get_settings()
    os.environ["Q2C_LANDING_DIR"] = str(s.landing_dir)
    os.environ["Q2C_DUCKDB_PATH"] = str(s.duckdb_path)
    os.environ["Q2C_GROUND_TRUTH_DIR"] = str(s.ground_truth_dir)
    os.environ["Q2C_REPORTS_DIR"] = str(s.reports_dir)
    os.environ["Q2C_RECON_CONFIG"] = str(s.recon_config_path)
    os.environ["Q2C_DOCS_DIR"] = str(s.docs_dir)


@contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, unset) environment variables inside the block; restore them after."""
    saved = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
