"""The previous run's statistics the next run's bounds are derived from.

Kept as a small JSON file beside the GX project. Values are statistics (counts, means as
floats), never business numbers: nothing downstream reads money from here.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BASELINES_FILE = "q2c_baselines.json"


@dataclass
class Baselines:
    row_counts: dict[str, int] = field(default_factory=dict)
    # "<mart>.<column>" -> currency -> mean
    means_per_currency: dict[str, dict[str, float]] = field(default_factory=dict)


def load_baselines(path: Path) -> Baselines:
    """Baselines from ``path``; empty when absent or unreadable (first run, or corrupted)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Baselines(
            row_counts={str(k): int(v) for k, v in raw.get("row_counts", {}).items()},
            means_per_currency={
                str(k): {str(c): float(m) for c, m in v.items()} for k, v in raw.get("means_per_currency", {}).items()
            },
        )
    except (OSError, ValueError, AttributeError, TypeError):
        return Baselines()


def save_baselines(path: Path, baselines: Baselines) -> None:
    """Write atomically so a crash mid-write never leaves a half file for the next run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"row_counts": baselines.row_counts, "means_per_currency": baselines.means_per_currency}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".baselines-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
