"""``generate``: build the firm, inject the catalogue's discrepancies, write batches and ground truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from . import discrepancies, story
from .batches import write_batches
from .firm import MIN_CUSTOMERS, build_firm
from .invoicing import build_billing
from .summary import GenerationSummary, final_totals, write_ground_truth
from .timesheets import generate_expenses, generate_time_entries
from .world import World, add_months

DEFAULT_AS_OF = date(2026, 11, 22)


def build_world(*, customers: int = 300, months: int = 12, seed: int = 42, discrepancy_rate: float = 0.03,
                start: date | None = None) -> World:
    if months < 3:
        raise ValueError("months must be at least 3")
    if start is None:
        as_of = DEFAULT_AS_OF
        start = add_months(as_of, -months)
    else:
        as_of = add_months(start, months)
    world = World(seed, start, as_of, max(customers, MIN_CUSTOMERS))
    build_firm(world)
    world.time = generate_time_entries(world)
    generate_expenses(world)
    discrepancies.inject_before_billing(world, discrepancy_rate)
    build_billing(world)
    discrepancies.inject_after_billing(world, discrepancy_rate)
    story.finish(world)
    for inv in world.invoices:
        inv.freeze()
    return world


def generate(out_dir: Path, ground_truth_dir: Path, *, customers: int = 300, months: int = 12, seed: int = 42,
             discrepancy_rate: float = 0.03, start: date | None = None) -> GenerationSummary:
    """Write a deterministic set of extract batches for all four systems plus the ground truth.

    ``out_dir`` is the landing root (``<out_dir>/<system>/<batch_id>/...``); ``ground_truth_dir``
    receives ``ground_truth.csv``, ``near_misses.csv`` and ``totals.json``. Time entries scale
    with ``customers × months``. ``start`` is the first day of the modelled history; by default
    the history ends (newest batch) on 2026-11-22.
    """
    world = build_world(customers=customers, months=months, seed=seed, discrepancy_rate=discrepancy_rate,
                        start=start)
    rows = write_batches(world, Path(out_dir))
    totals = final_totals(world)
    n_gt, n_nm = write_ground_truth(world, Path(ground_truth_dir), totals)
    return GenerationSummary(
        batches={system: list(per_batch) for system, per_batch in rows.items()},
        rows={(system, bid, obj): n for system, per_batch in rows.items() for bid, objs in per_batch.items()
              for obj, n in objs.items()},
        as_of=world.as_of, totals=totals, ground_truth_rows=n_gt, near_miss_rows=n_nm)
