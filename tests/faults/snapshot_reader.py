"""An analyst's long-lived session: opens the published snapshot read-only once and keeps
querying it until told to stop. Run as its own process by the fault tests.

usage: python snapshot_reader.py PUBLISHED_DB READY_FILE STOP_FILE RESULT_JSON
"""

import json
import sys
import time
from pathlib import Path

import duckdb

QUERY = "SELECT max(batch_id), count(*) FROM raw_psa.batch_log"


def main(published: str, ready: str, stop: str, result: str) -> None:
    conn = duckdb.connect(published, read_only=True)
    answers, errors, first, last = [], [], None, None
    Path(ready).write_text("connected")
    while not Path(stop).exists():
        try:
            answers.append(list(conn.execute(QUERY).fetchall()[0]))
            now = time.time()
            first, last = first or now, now
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.2)
    conn.close()
    Path(result).write_text(
        json.dumps(
            {
                "queries": len(answers),
                "distinct_answers": sorted({tuple(a) for a in answers}),
                "errors": errors[:5],
                "error_count": len(errors),
                "first_query_at": first,
                "last_query_at": last,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:5])
