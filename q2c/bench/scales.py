"""Benchmark scales: demo-generator sizes by the number of time entries they produce.

Time entries grow with customers × months (300 × 12 ≈ 130k, 2,450 × 12 ≈ 1.05M); the other
objects grow in proportion. ``XS`` is for the test suite: the generator's minimum firm.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    customers: int
    months: int
    time_entries: str  # the approximate size the scale stands for


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale("XS", 40, 3, "≈ 4k"),
        Scale("S", 230, 12, "≈ 100k"),
        Scale("M", 2330, 12, "≈ 1M"),
        Scale("L", 11650, 12, "≈ 5M"),
    )
}
