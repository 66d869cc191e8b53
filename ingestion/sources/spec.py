"""The shape of a catalogue entry: an object a source system delivers, the file it arrives
in, the raw table it lands as and that table's columns (docs/design.md §1), plus the builders
the per-system ``objects`` modules spell their objects with.

The column names and types are spelled out rather than derived, so a naming-convention
change in dlt cannot silently rename them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# JSON value kinds and the raw DuckDB type each lands as.
INT, DEC, BOOL, TEXT = "int", "dec", "bool", "text"
SQL_TYPES = {INT: "BIGINT", DEC: "DECIMAL(18,4)", BOOL: "BOOLEAN", TEXT: "VARCHAR"}


@dataclass(frozen=True)
class Field:
    column: str  # raw column name (design.md)
    source: str  # CSV header, or JSON path with '.' between nested keys
    kind: str = TEXT  # CSV fields are always TEXT


@dataclass(frozen=True)
class ChildSpec:
    """A JSON list flattened into its own table, keyed by the parent's id."""

    table: str
    list_path: str  # JSON path of the list inside the parent record
    parent_key: str  # column holding the parent's id
    fields: tuple[Field, ...]  # paths relative to one list item ('' = the item itself)


@dataclass(frozen=True)
class ObjectSpec:
    system: str
    object: str  # as named in the manifest
    file: str
    table: str
    primary_key: tuple[str, ...]
    fields: tuple[Field, ...]
    children: tuple[ChildSpec, ...] = field(default=())

    @property
    def is_csv(self) -> bool:
        return self.file.endswith(".csv")

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]


def csv_object(system: str, obj: str, table: str, pk: tuple[str, ...], pairs: str) -> ObjectSpec:
    """pairs: whitespace-separated 'Header:column' items."""
    fields = []
    for item in pairs.split():
        header, column = item.split(":")
        fields.append(Field(column, header))
    return ObjectSpec(system, obj, f"{obj}.csv", table, pk, tuple(fields))


def json_fields(spec: str) -> tuple[Field, ...]:
    """spec: whitespace-separated 'path:column:kind' items (column defaults to the path
    with '.' → '_', kind defaults to text)."""
    fields = []
    for item in spec.split():
        parts = item.split(":")
        path = parts[0]
        column = parts[1] if len(parts) > 1 and parts[1] else path.replace(".", "_")
        kind = parts[2] if len(parts) > 2 else TEXT
        fields.append(Field(column, path, kind))
    return tuple(fields)


def json_object(system: str, obj: str, spec: str, children: tuple[ChildSpec, ...] = ()) -> ObjectSpec:
    return ObjectSpec(system, obj, f"{obj}.jsonl", obj, ("id",), json_fields(spec), children)
