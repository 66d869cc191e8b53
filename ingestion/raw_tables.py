"""Moved to :mod:`ingestion.landing.raw_tables`. Kept only while q2c/ and orchestration/ still import
this path (parallel branches); delete once they import ingestion.landing."""

from ingestion.landing.raw_tables import *  # noqa: F401,F403
