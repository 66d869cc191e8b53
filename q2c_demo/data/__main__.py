"""``python -m q2c_demo.data --customers 300 --months 12`` writes demo extracts.

Paths default to the platform settings (``Q2C_LANDING_DIR``, ``Q2C_GROUND_TRUTH_DIR``).
Time entries scale with customers × months: 300 × 12 gives about 120k, 2,450 × 12 about 1M.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from q2c.settings import get_settings

from . import generate


def main(argv: list[str] | None = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m q2c_demo.data", description=__doc__)
    parser.add_argument("--out", type=Path, default=settings.landing_dir)
    parser.add_argument("--ground-truth", type=Path, default=settings.ground_truth_dir)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--discrepancy-rate", type=float, default=0.03)
    parser.add_argument("--start", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    summary = generate(args.out, args.ground_truth, customers=args.customers, months=args.months, seed=args.seed,
                       discrepancy_rate=args.discrepancy_rate, start=args.start)
    print(json.dumps({"as_of": summary.as_of.isoformat(), "batches": summary.batches,
                      "ground_truth_rows": summary.ground_truth_rows, "near_miss_rows": summary.near_miss_rows,
                      "totals": summary.totals}, indent=2))


if __name__ == "__main__":
    main()
