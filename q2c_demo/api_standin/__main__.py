"""Serve a landing folder through the four stand-in APIs until interrupted:

    uv run python -m q2c_demo.api_standin data/api_standin/source [--rate-limited 3 --server-errors 2]

prints the ``export`` lines that point q2c's API mode at them (tokens included: they are
throw-away values of this process).
"""

from __future__ import annotations

import argparse
import shlex
import signal
import threading
from pathlib import Path

from ingestion.catalog import SYSTEMS
from q2c_demo.api_standin.dataset import StandinDataset
from q2c_demo.api_standin.server import StandinServers


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m q2c_demo.api_standin", description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="landing-layout folder of batches to serve")
    parser.add_argument("--rate-limited", type=int, default=0, help="answer the first N requests per API with 429")
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds of those 429s")
    parser.add_argument("--server-errors", type=int, default=0, help="then answer N requests per API with 500")
    args = parser.parse_args()
    dataset = StandinDataset.from_landing(args.source)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with StandinServers(dataset) as servers:
        for system in SYSTEMS:
            faults = servers.faults(system)
            faults.rate_limited, faults.retry_after = args.rate_limited, args.retry_after
            faults.server_errors = args.server_errors
        print(f"# serving {args.source} as of {dataset.as_of}; Ctrl-C to stop", flush=True)
        for name, value in servers.env().items():
            print(f"export {name}={shlex.quote(value)}", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
