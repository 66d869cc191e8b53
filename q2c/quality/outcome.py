"""The result of one expectation on one mart, in a shape that asset checks can publish."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExpectationOutcome:
    mart: str
    expectation_type: str
    column: str | None  # None for table-level expectations (row count)
    success: bool
    observed_value: str
    details: str  # one line for a human: what was expected and what was found
    docs_url: str  # file:// URL of the mart's validation page in Data Docs (else index.html)
