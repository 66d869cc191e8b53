"""A source record with its change history, so batches can show it as it was at any time."""

from __future__ import annotations

from datetime import datetime
from typing import Any


class Rec:
    """``data`` is the record as first created; ``changes`` are later partial updates.

    Values are canonical Python (str, int, bool, None, Decimal, date, datetime); the writers
    turn them into each system's quirky text. Injections edit the final state through
    :meth:`set`, which keeps every later change consistent with the new value.
    """

    __slots__ = ("data", "created", "changes", "modified_field")

    def __init__(self, data: dict[str, Any], created: datetime, modified_field: str | None = None) -> None:
        self.data = data
        self.created = created
        self.changes: list[tuple[datetime, dict[str, Any]]] = []
        self.modified_field = modified_field  # stamped with the version's time when written

    def change(self, when: datetime, **fields: Any) -> None:
        self.changes.append((when, fields))
        self.changes.sort(key=lambda c: c[0])

    def set(self, **fields: Any) -> None:
        """Set the final value of fields (history keeps its shape, ends on these values)."""
        self.data.update(fields)
        for _, upd in self.changes:
            for key in fields:
                if key in upd:
                    upd[key] = fields[key]

    def events(self) -> list[datetime]:
        return [self.created] + [when for when, _ in self.changes]

    def at(self, when: datetime) -> dict[str, Any] | None:
        if self.created > when:
            return None
        state = dict(self.data)
        last = self.created
        for ts, upd in self.changes:
            if ts <= when:
                state.update(upd)
                last = ts
        if self.modified_field:
            state[self.modified_field] = last
        return state

    def final(self) -> dict[str, Any]:
        state = dict(self.data)
        for _, upd in self.changes:
            state.update(upd)
        return state

    def get(self, key: str) -> Any:
        return self.final()[key]
