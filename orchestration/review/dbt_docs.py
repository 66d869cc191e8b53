"""``dbt docs generate`` into ``<Q2C_DOCS_DIR>/dbt/``, cheaply.

It reuses the nightly build's target folder with ``--no-compile`` and the build's own settings:
dbt then re-reads the partial parse, skips compiling (the build's manifest already holds the
compiled SQL) and only runs the catalog query. It leaves the build's manifest.json and
run_results.json as they were. ``--static`` inlines manifest and catalog into one HTML
page, which opens from the file system (the plain index.html fetches them by XHR, which
browsers refuse for file:// pages).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from dagster_dbt import DbtCliResource

from orchestration.transform.assets import dbt_build_vars
from orchestration.transform.dbt_cli import dbt_environment
from q2c.settings import Settings

PUBLISHED_FILES = {"static_index.html": "index.html", "manifest.json": "manifest.json", "catalog.json": "catalog.json"}


def generate_dbt_docs(dbt: DbtCliResource, settings: Settings, as_of: date) -> Path:
    """Write index.html (self-contained), manifest.json and catalog.json to ``<docs_dir>/dbt``."""
    target, out_dir = settings.dbt_target_dir, settings.docs_dir / "dbt"
    with dbt_environment(settings, dbt_build_vars(settings, as_of)):
        invocation = dbt.cli(["docs", "generate", "--static", "--no-compile"], target_path=target, raise_on_error=True)
    invocation.wait()
    out_dir.mkdir(parents=True, exist_ok=True)
    for source, name in PUBLISHED_FILES.items():
        staged = out_dir / f".{name}.tmp"
        shutil.copyfile(target / source, staged)
        staged.replace(out_dir / name)  # a reader never opens a half-copied page
    return out_dir / "index.html"
