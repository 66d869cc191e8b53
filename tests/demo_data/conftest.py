from __future__ import annotations

from pathlib import Path

import pytest

from q2c_demo.data import generate

TINY = {"customers": 20, "months": 3, "seed": 42}


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("demo_tiny")
    summary = generate(root / "landing", root / "ground_truth", **TINY)
    return {"landing": root / "landing", "gt": root / "ground_truth", "summary": summary}


def all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
