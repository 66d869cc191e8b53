from __future__ import annotations

import pytest

SUITE_SECONDS: dict[str, float] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "scenarios: independent extract scenarios through the real pipeline (land + dbt build)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/scenarios/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.scenarios)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    for family, seconds in SUITE_SECONDS.items():
        terminalreporter.write_line(f"scenarios {family}: pipeline {seconds:.1f} s")
