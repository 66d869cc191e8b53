"""Great Expectations quality suite over the canonical marts (see docs/quality-and-alerts.md)."""

from q2c.quality.mart_expectations import load_previous_row_counts, run_mart_expectations
from q2c.quality.outcome import ExpectationOutcome

__all__ = ["ExpectationOutcome", "load_previous_row_counts", "run_mart_expectations"]
