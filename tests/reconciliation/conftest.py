from __future__ import annotations

from pathlib import Path

import pytest

from tests.reconciliation.recon_harness import DBT_SECONDS


@pytest.fixture(scope="session")
def recon_session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One DuckDB file and dbt target folders shared by all reconciliation runs."""
    return tmp_path_factory.mktemp("recon_session")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if DBT_SECONDS:
        terminalreporter.write_line(
            f"reconciliation dbt: {len(DBT_SECONDS)} invocations, {sum(DBT_SECONDS):.1f} s wall "
            f"({', '.join(f'{s:.1f}' for s in DBT_SECONDS)})"
        )
