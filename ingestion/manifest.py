"""Moved to :mod:`ingestion.landing.manifest`. Kept only while q2c/ and orchestration/ still import
this path (parallel branches); delete once they import ingestion.landing."""

from ingestion.landing.manifest import *  # noqa: F401,F403
