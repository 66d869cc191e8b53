"""Pull one system's records from its API and drop them into the landing zone as a batch.

The existing file-mode pipeline then lands that batch, so both modes share one path into
the raw tables: manifest checks, pandera contracts, quarantine, batch_log and latest-wins
merging behave identically. A first extraction (or one into a warehouse that has never
loaded this system) is a ``full`` batch; later ones are ``incremental`` from the cursors.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import duckdb

from ingestion.api.batch_writer import ObjectRows, WrittenBatch, write_batch
from ingestion.api.client import make_client
from ingestion.api.config import API, ApiConfig, load_api_config, system_mode
from ingestion.api.cursors import FullExtractionNeeded, SystemState, state_path
from ingestion.api.transport import ApiSession
from ingestion.catalog import raw_dataset
from ingestion.sources.billing import api as billing
from ingestion.sources.crm import api as crm
from ingestion.sources.erp import api as erp
from ingestion.sources.psa import api as psa
from q2c.settings import Settings
from q2c.warehouse import open_duckdb

log = logging.getLogger(__name__)

# Each system's connector (ingestion/sources/<system>/api.py) has
# extract(client, config, state, full) -> list[ObjectRows]; looked up per call, so the
# modules may import this package while it is being initialised.
CONNECTORS: dict[str, ModuleType] = {"crm": crm, "psa": psa, "erp": erp, "billing": billing}


def _warehouse_has_loaded(duckdb_path: Path, system: str, memory_limit: str) -> bool | None:
    """Whether the warehouse has loaded any batch of the system (None: cannot tell)."""
    if not Path(duckdb_path).exists():
        return False
    try:
        with open_duckdb(duckdb_path, memory_limit=memory_limit) as con:
            found = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'batch_log'",
                [raw_dataset(system)],
            ).fetchall()[0][0]
            if not found:
                return False
            return (
                con.execute(f"SELECT count(*) FROM {raw_dataset(system)}.batch_log WHERE status = 'loaded'").fetchall()[
                    0
                ][0]
                > 0
            )
    except duckdb.Error:
        return None


def _read(config: ApiConfig, state: SystemState, full: bool) -> tuple[list[ObjectRows], ApiSession]:
    session = ApiSession(config)
    client = make_client(config, session)
    try:
        return CONNECTORS[config.system].extract(client, config, state, full), session
    finally:
        session.close()


def extract_to_landing(
    system: str, settings: Settings, *, config: ApiConfig | None = None, full: bool | None = None
) -> WrittenBatch:
    """Read the system's API and write one landing batch; returns what was written.

    ``full=None`` decides by itself (full when there is no cursor yet or the warehouse has
    never loaded the system). Raises ``ApiError``/``ApiAuthError``/``ApiConfigError`` with
    nothing written when the API cannot be read completely.
    """
    config = config or load_api_config(system, settings)
    landing_dir, duckdb_path = settings.landing_dir, settings.duckdb_path
    path = state_path(duckdb_path, system)
    state = SystemState.load(path, system)
    if full is None:
        full = state.is_empty or _warehouse_has_loaded(duckdb_path, system, settings.duckdb_memory_limit) is False
    if full:
        state = SystemState(system)
    try:
        objects, session = _read(config, state, full)
    except FullExtractionNeeded as why:
        log.info("%s: full extraction (%s)", system, why)
        full, state = True, SystemState(system)
        objects, session = _read(config, state, full)
    server_time = session.server_time or datetime.now(UTC).replace(tzinfo=None)
    batch = write_batch(landing_dir, system, "full" if full else "incremental", server_time, objects)
    state.last_batch_id = batch.batch_id
    state.save(path)  # only once the batch is in place: a failed run re-reads the same window
    log.info(
        "%s API: %s batch %s, %s (%d retried request(s))",
        system,
        batch.mode,
        batch.batch_id,
        ", ".join(f"{o} {n}" for o, n in batch.rows.items()),
        session.retries,
    )
    return batch


def extract_if_api_mode(system: str, settings: Settings) -> WrittenBatch | None:
    """The nightly's hook: in API mode, extract before landing; in file mode, do nothing."""
    if system_mode(system, settings) != API:
        return None
    return extract_to_landing(system, settings)
