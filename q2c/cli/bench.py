"""``q2c bench``: the benchmark (q2c.bench) with its printed figures."""

from __future__ import annotations

from pathlib import Path

import typer

from q2c.bench.scales import SCALES


def bench(
    scale: str = typer.Option(
        "S",
        "--scale",
        help=f"One of {', '.join(SCALES)} (time entries: "
        + ", ".join(f"{s.name} {s.time_entries}" for s in SCALES.values())
        + ").",
    ),
    out: Path | None = typer.Option(None, "--out", help="JSON file to write (default data/bench/<scale>-<time>.json)."),
    work_dir: Path | None = typer.Option(
        None, "--work-dir", help="Empty folder to work in (default: a new temp folder)."
    ),
    keep: bool = typer.Option(False, "--keep", help="Keep the working folder (extracts, warehouse) afterwards."),
) -> None:
    """Benchmark the nightly run at a scale: stage times, rows/s, peak memory, baselines."""
    from q2c.bench import BenchError, default_out, run_benchmark
    from q2c.bench.report import render, write_json

    scale = scale.upper()
    if scale not in SCALES:
        raise typer.BadParameter(f"expected one of {', '.join(SCALES)}", param_hint="--scale")
    try:
        figures = run_benchmark(scale, work_dir=work_dir, keep=keep, echo=typer.echo)
    except BenchError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    typer.echo("")
    typer.echo(render(figures))
    path = write_json(figures, (out or default_out(scale)).expanduser().resolve())
    typer.echo(f"\nfigures: {path}")
