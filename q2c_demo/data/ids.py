"""Source-system identifiers: Salesforce 18-char ids, Stripe object ids, integer id counters."""

from __future__ import annotations

import numpy as np

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SF_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def _base62(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 62)
        out.append(_B62[r])
    return "".join(reversed(out))


def salesforce_id(prefix: str, n: int) -> str:
    """18-character Salesforce id: 15-char id plus the case-encoding checksum suffix."""
    # Multiplying by a prime scatters consecutive counters into mixed-case bodies.
    body = prefix + "8d" + _base62(n * 104729 + 7919, 10)
    suffix = ""
    for i in range(3):
        chunk = body[i * 5:(i + 1) * 5]
        bits = sum(1 << j for j, c in enumerate(chunk) if "A" <= c <= "Z")
        suffix += _SF_SUFFIX[bits]
    return body + suffix


class SalesforceIds:
    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        n = self._next.get(prefix, 1)
        self._next[prefix] = n + 1
        return salesforce_id(prefix, n)


class StripeIds:
    """Random-looking Stripe ids drawn from the seeded generator (unique by construction)."""

    _CHUNK = 1 << 20

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._seen: set[str] = set()
        self._buf = ""
        self._pos = 0

    def _chars(self, width: int) -> str:
        if self._pos + width > len(self._buf):
            alphabet = np.array(list(_B62))
            self._buf = "".join(alphabet[self._rng.integers(0, 62, size=self._CHUNK)].tolist())
            self._pos = 0
        out = self._buf[self._pos:self._pos + width]
        self._pos += width
        return out

    def new(self, prefix: str, width: int = 24) -> str:
        while True:
            value = prefix + "_" + self._chars(width)
            if value not in self._seen:
                self._seen.add(value)
                return value


class Counter:
    def __init__(self, start: int) -> None:
        self._next = start

    def new(self) -> int:
        value = self._next
        self._next += 1
        return value
