"""What each source system delivers and where it lands: objects, files, raw tables, columns.

The thin aggregator over the per-system catalogues (``ingestion/sources/<system>/objects.py``),
whose column names and types follow docs/design.md §1 exactly. Everything outside ingestion
asks this module, by system role name (crm, psa, erp, billing).
"""

from __future__ import annotations

from ingestion.sources.billing import objects as billing
from ingestion.sources.crm import objects as crm
from ingestion.sources.erp import objects as erp
from ingestion.sources.psa import objects as psa
from ingestion.sources.spec import BOOL, DEC, INT, SQL_TYPES, TEXT, ChildSpec, Field, ObjectSpec

__all__ = [
    "BATCH_LOG",
    "BOOL",
    "CHILD_PRIMARY_KEYS",
    "CSV_SYSTEMS",
    "DEC",
    "INT",
    "OBJECTS",
    "QUARANTINE",
    "SQL_TYPES",
    "SYSTEMS",
    "TEXT",
    "ChildSpec",
    "Field",
    "ObjectSpec",
    "object_spec",
    "objects",
    "raw_dataset",
    "raw_tables",
]

SYSTEMS: tuple[str, ...] = ("crm", "psa", "erp", "billing")

BATCH_LOG = "batch_log"
QUARANTINE = "raw_quarantine"

_MODULES = {"crm": crm, "psa": psa, "erp": erp, "billing": billing}
OBJECTS: dict[str, tuple[ObjectSpec, ...]] = {system: _MODULES[system].OBJECTS for system in SYSTEMS}

# Systems whose extracts are CSV files (every raw column VARCHAR); the others are JSON Lines.
CSV_SYSTEMS = frozenset(system for system, specs in OBJECTS.items() if all(s.is_csv for s in specs))

# Primary keys of child tables (design.md); children are replaced per parent (landing.dlt_source).
CHILD_PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    table: key for system in SYSTEMS for table, key in _MODULES[system].CHILD_PRIMARY_KEYS.items()
}


def _check_system(system: str) -> None:
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}; expected one of {SYSTEMS}")


def raw_dataset(system: str) -> str:
    _check_system(system)
    return f"raw_{system}"


def objects(system: str) -> tuple[ObjectSpec, ...]:
    _check_system(system)
    return OBJECTS[system]


def object_spec(system: str, object_name: str) -> ObjectSpec | None:
    return next((o for o in objects(system) if o.object == object_name), None)


def raw_tables(system: str) -> list[str]:
    """The data tables of design.md §1 for the system, child tables after their parent."""
    tables: list[str] = []
    for spec in objects(system):
        tables.append(spec.table)
        tables.extend(child.table for child in spec.children)
    return tables
