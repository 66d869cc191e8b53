"""The stand-in systems' data: the current state of every record, built from landing batches.

Batches are applied in order, latest version wins, as the source system itself would hold
them; each record remembers when its current version appeared (``changed_at``, the batch's
``extracted_at``). That time backs the change stamps the contract's files do not carry
(NetSuite ``linelastmodifieddate`` and friends) and the Stripe events of changed objects.

The servers' clock starts one second after the newest batch and then runs with real time,
so ``Date`` headers, and the batches an API extraction writes, are dated like the data.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ingestion.api import jsontext
from ingestion.catalog import SYSTEMS, ObjectSpec, objects
from ingestion.landing.manifest import MANIFEST, discover_batches

EPOCH = datetime(1970, 1, 1)
STRIPE_TYPES = {"customers": "customer", "invoices": "invoice", "credit_notes": "credit_note", "charges": "charge"}


@dataclass
class Record:
    key: str
    data: dict  # CSV: header -> text; JSON: the parsed object (exact decimals)
    changed_at: datetime


def sort_key(key: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in key.split("|"))


def _key(spec: ObjectSpec, data: dict) -> str:
    if spec.is_csv:
        source = {f.column: f.source for f in spec.fields}
        return "|".join(data.get(source[c]) or "" for c in spec.primary_key)
    return str(data["id"])


class StandinDataset:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: dict[tuple[str, str], dict[str, Record]] = {
            (system, spec.object): {} for system in SYSTEMS for spec in objects(system)
        }
        self.events: list[dict] = []  # Stripe events, oldest first
        self.as_of: datetime | None = None
        self._clock_started = time.monotonic()
        self.applied: dict[str, list[str]] = {s: [] for s in SYSTEMS}
        self._ordered: dict[tuple[str, str], list[Record]] = {}  # key order, rebuilt after changes

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def from_landing(cls, landing_dir: Path, *, until: str | None = None) -> StandinDataset:
        """Every complete batch of every system (up to batch id ``until``, inclusive)."""
        dataset = cls()
        dataset.apply_landing(landing_dir, until=until)
        return dataset

    def apply_landing(self, landing_dir: Path, *, until: str | None = None) -> int:
        """Apply the batches not applied yet (up to ``until``); returns how many."""
        applied = 0
        for system in SYSTEMS:
            complete, _ = discover_batches(Path(landing_dir), system)
            for batch_dir in complete:
                if batch_dir.name in self.applied[system] or (until is not None and batch_dir.name > until):
                    continue
                self.apply_batch(system, batch_dir)
                applied += 1
        return applied

    def apply_batch(self, system: str, batch_dir: Path) -> None:
        manifest = json.loads((batch_dir / MANIFEST).read_text(encoding="utf-8"))
        extracted_at = datetime.strptime(manifest["extracted_at"], "%Y-%m-%dT%H:%M:%SZ")
        specs = {s.object: s for s in objects(system)}
        with self.lock:
            first = not self.applied[system]
            for entry in manifest["files"]:
                spec = specs[entry["object"]]
                text = (batch_dir / entry["name"]).read_text(encoding="utf-8")
                rows = (
                    list(csv.DictReader(io.StringIO(text)))
                    if spec.is_csv
                    else [jsontext.loads(line) for line in text.splitlines() if line.strip()]
                )
                table = self.tables[(system, spec.object)]
                for data in rows:
                    key = _key(spec, data)
                    old = table.get(key)
                    if old is not None and jsontext.canonical(old.data) == jsontext.canonical(data):
                        continue
                    table[key] = Record(key, data, extracted_at)
                    if system == "billing" and not first:
                        self._event(spec.object, data, extracted_at, "updated" if old else "created")
            self.applied[system].append(batch_dir.name)
            self._ordered.clear()
            if self.as_of is None or extracted_at > self.as_of:
                self.as_of = extracted_at
            self._clock_started = time.monotonic()

    def _event(self, name: str, data: dict, when: datetime, verb: str) -> None:
        kind = STRIPE_TYPES[name]
        if kind == "customer" and data.get("deleted"):
            verb = "deleted"
        self.events.append(
            {
                "id": f"evt_{len(self.events) + 1:024d}",
                "object": "event",
                "type": f"{kind}.{verb}",
                "created": int((when - EPOCH).total_seconds()),
                "data": {"object": data},
            }
        )

    # -- reading -------------------------------------------------------------------------
    def now(self) -> datetime:
        """The source systems' clock (UTC, naive)."""
        base = self.as_of or datetime(2000, 1, 1)
        return base + timedelta(seconds=1 + time.monotonic() - self._clock_started)

    def records(self, system: str, object_name: str) -> list[Record]:
        with self.lock:
            ordered = self._ordered.get((system, object_name))
            if ordered is None:
                table = self.tables[(system, object_name)]
                ordered = self._ordered[(system, object_name)] = [table[k] for k in sorted(table, key=sort_key)]
            return list(ordered)

    def record(self, system: str, object_name: str, key: str) -> Record | None:
        with self.lock:
            return self.tables[(system, object_name)].get(key)

    def count(self, system: str, object_name: str) -> int:
        return len(self.tables[(system, object_name)])

    def stripe_events(self) -> list[dict]:
        with self.lock:
            return list(self.events)
