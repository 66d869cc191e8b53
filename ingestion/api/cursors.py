"""Per-object high-water marks of the API extractions, kept in a small JSON file beside the
warehouse (``<warehouse dir>/.api_state/<warehouse name>/<system>.json``).

Each object remembers the highest change stamp it has seen (Salesforce ``SystemModstamp``,
Harvest ``updated_at``, NetSuite ``lastmodifieddate``, Stripe ``created`` / event time) and
the records sitting exactly on that stamp. The next extraction asks for ``stamp >= mark``
(inclusive, so a record changed in the same second as the mark, after the last read, is not
lost) and drops the boundary records it already has, unchanged. So an incremental batch
carries exactly the records that changed.

The file is replaced atomically and only after the batch it describes is in the landing zone.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingestion.api import jsontext

STATE_VERSION = 1


def state_path(duckdb_path: Path, system: str) -> Path:
    duckdb_path = Path(duckdb_path).resolve()
    return duckdb_path.parent / ".api_state" / duckdb_path.stem / f"{system}.json"


def content_hash(record: Any) -> str:
    return hashlib.sha256(jsontext.canonical(record).encode("utf-8")).hexdigest()[:32]


class FullExtractionNeeded(Exception):
    """The incremental window can no longer be served (e.g. Stripe's events expired): the
    connector raises it and the extraction starts over as a full one."""


@dataclass
class Cursor:
    mark: Any = None  # ISO 'YYYY-MM-DDTHH:MM:SS' text (UTC) or epoch seconds, per object
    boundary: dict[str, str] = field(default_factory=dict)  # record key -> content hash at mark

    def keep_changed(self, records: Iterable[tuple[str, Any, Any]]) -> list[Any]:
        """``records``: (key, stamp, record). Returns the records that are new or changed and
        moves the mark to the highest stamp seen."""
        kept: list[Any] = []
        top, at_top = None, []  # content is hashed only for records on the final mark
        for key, stamp, record in records:
            if (
                self.mark is not None
                and stamp == self.mark
                and key in self.boundary
                and self.boundary[key] == content_hash(record)
            ):
                continue  # the boundary record we already have
            kept.append(record)
            if stamp is not None:
                if top is None or stamp > top:
                    top, at_top = stamp, [(key, record)]
                elif stamp == top:
                    at_top.append((key, record))
        if top is None:
            return kept
        if self.mark is None or top > self.mark:
            self.mark, self.boundary = top, {}
        if top == self.mark:
            self.boundary.update({key: content_hash(record) for key, record in at_top})
        return kept


@dataclass
class SystemState:
    system: str
    cursors: dict[str, Cursor] = field(default_factory=dict)
    last_batch_id: str | None = None

    def cursor(self, name: str) -> Cursor:
        return self.cursors.setdefault(name, Cursor())

    @property
    def is_empty(self) -> bool:
        return not self.cursors

    @classmethod
    def load(cls, path: Path, system: str) -> SystemState:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(system)
        except (OSError, json.JSONDecodeError):
            return cls(system)  # unreadable state: the next extraction is a full one
        if raw.get("version") != STATE_VERSION or raw.get("system") != system:
            return cls(system)
        cursors = {
            name: Cursor(c.get("mark"), dict(c.get("boundary") or {})) for name, c in (raw.get("cursors") or {}).items()
        }
        return cls(system, cursors, raw.get("last_batch_id"))

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": STATE_VERSION,
            "system": self.system,
            "last_batch_id": self.last_batch_id,
            "cursors": {n: {"mark": c.mark, "boundary": c.boundary} for n, c in sorted(self.cursors.items())},
        }
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
