"""How the nightly calls dbt: the CLI resource and the way run settings reach the models.

Two fixed costs are cut from every nightly dbt call, both measured on this machine kind:

* dagster-dbt starts each invocation by running ``dbt --version`` and by loading the project
  and profile in-process to open an adapter (3-8 s together). The adapter only serves
  ``fetch_row_counts`` / ``fetch_column_metadata``, which q2c does not use, and the version is
  that of the dbt-core package installed beside this interpreter. dagster-dbt has no public
  switch for either, so the two hooks are overridden here, and only here.
* The as-of date and the reconciliation thresholds reach the models through one environment
  variable (``Q2C_RECON_SETTINGS``, JSON) instead of ``--vars``: a changed ``--vars`` makes dbt
  re-parse the whole project (~10 s), while a changed environment variable only re-parses the
  few files that read it. ``--vars`` still wins when given (a hand-run ``dbt build``).

dbt's ``profiles.yml`` reads ``Q2C_DUCKDB_PATH`` and ``Q2C_DUCKDB_MEMORY_LIMIT``: each call
gets them from the run's Settings, so dbt builds exactly the warehouse the run's other steps use.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from functools import cached_property
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource
from packaging import version

from q2c.settings import Settings, environment

RECON_SETTINGS_ENV = "Q2C_RECON_SETTINGS"
# dbt colours its output even when it is not a terminal; q2c's dbt output only ever goes to
# logs (the nightly's full log, Dagster's compute logs, dbt's own log file), where codes are noise
PLAIN_OUTPUT_FLAGS = ["--no-use-colors", "--no-use-colors-file"]


class NightlyDbtCliResource(DbtCliResource):
    """``DbtCliResource`` without the per-call version probe and in-process adapter."""

    @cached_property
    def _cli_version(self) -> version.Version:
        # the venv's own dbt: its version is the installed package's (no subprocess needed)
        if Path(self.dbt_executable).parent == Path(sys.executable).parent:
            return version.parse(package_version("dbt-core"))
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def recon_settings_in_env(settings: Mapping[str, Any]) -> AbstractContextManager[None]:
    """Expose ``settings`` to dbt calls started inside the block (they copy the environment
    when the subprocess starts), then restore the previous value."""
    return environment({RECON_SETTINGS_ENV: json.dumps(dict(settings), sort_keys=True)})


def dbt_environment(settings: Settings, build_vars: Mapping[str, Any]) -> AbstractContextManager[None]:
    """The environment of one dbt call: the run's warehouse and memory cap, and its run settings."""
    return environment(
        {
            "Q2C_DUCKDB_PATH": str(settings.duckdb_path),
            "Q2C_DUCKDB_MEMORY_LIMIT": settings.duckdb_memory_limit,
            RECON_SETTINGS_ENV: json.dumps(dict(build_vars), sort_keys=True),
        }
    )
