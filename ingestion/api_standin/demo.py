"""Run q2c's API mode against the stand-ins: ``q2c demo --api`` uses this."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingestion.api_standin.dataset import StandinDataset
from ingestion.api_standin.server import StandinServers

SOURCE_DIR_ENV = "Q2C_API_STANDIN_DIR"


def standin_source_dir(data_dir: Path) -> Path:
    """Where the stand-ins' own demo data lives: a landing-layout folder of generator batches,
    kept apart from the landing zone the API extractions write into."""
    value = os.environ.get(SOURCE_DIR_ENV)
    return Path(value).expanduser().resolve() if value else Path(data_dir) / "api_standin" / "source"


def has_batches(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*/*/_manifest.json"))


@contextmanager
def standin_environment(source_dir: Path) -> Iterator[StandinServers]:
    """Serve ``source_dir`` through the four stand-in APIs and point every system's API mode
    at them (``Q2C_<SYSTEM>_MODE=api`` and friends) until the block ends."""
    dataset = StandinDataset.from_landing(source_dir)
    with StandinServers(dataset) as servers:
        env = servers.env()
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            yield servers
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
