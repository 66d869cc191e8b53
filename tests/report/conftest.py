from __future__ import annotations

import pytest

from tests.report.morning_world import MorningWorld, morning_world


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> MorningWorld:
    return morning_world(tmp_path_factory)
