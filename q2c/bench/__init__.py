"""The nightly run at scale: ``q2c bench`` (runner.py), its figures (report.py)."""

from q2c.bench.runner import BenchError, default_out, run_benchmark
from q2c.bench.scales import SCALES

__all__ = ["BenchError", "SCALES", "default_out", "run_benchmark"]
