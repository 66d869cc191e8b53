from __future__ import annotations

from q2c_demo.data import generate
from tests.demo_data.conftest import TINY, all_files


def test_same_arguments_give_identical_bytes(tiny, tmp_path):
    generate(tmp_path / "landing", tmp_path / "gt", **TINY)
    first = all_files(tiny["landing"]) | {f"gt/{k}": v for k, v in all_files(tiny["gt"]).items()}
    second = all_files(tmp_path / "landing") | {f"gt/{k}": v for k, v in all_files(tmp_path / "gt").items()}
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_another_seed_gives_other_data(tiny, tmp_path):
    generate(tmp_path / "landing", tmp_path / "gt", **{**TINY, "seed": 43})
    first, second = all_files(tiny["landing"]), all_files(tmp_path / "landing")
    changed = [name for name in first if name in second and first[name] != second[name]]
    assert any(name.endswith("time_entries.jsonl") for name in changed)
    assert any(name.endswith("invoices.jsonl") for name in changed)
