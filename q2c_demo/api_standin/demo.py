"""Run q2c's API mode against the stand-ins: ``q2c demo --api`` uses this."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from q2c.settings import environment
from q2c_demo.api_standin.dataset import StandinDataset
from q2c_demo.api_standin.server import StandinServers


def has_batches(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*/*/_manifest.json"))


@contextmanager
def standin_environment(source_dir: Path) -> Iterator[StandinServers]:
    """Serve ``source_dir`` (a landing-layout folder of generator batches, kept apart from the
    landing zone the API extractions write into) through the four stand-in APIs and point
    every system's API mode at them (``Q2C_<SYSTEM>_MODE=api`` and friends) until the block
    ends; settings read inside the block see them."""
    dataset = StandinDataset.from_landing(source_dir)
    with StandinServers(dataset) as servers, environment(servers.env()):
        yield servers
