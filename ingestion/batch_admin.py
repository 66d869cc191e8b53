"""Moved to :mod:`ingestion.landing.batch_admin`. Kept only while q2c/ and orchestration/ still import
this path (parallel branches); delete once they import ingestion.landing."""

from ingestion.landing.batch_admin import *  # noqa: F401,F403
