"""The benchmark's figures as text tables and as a JSON file."""

from __future__ import annotations

import json
from pathlib import Path

STAGE_LABELS = {
    "generate": "generate extracts",
    "load_code_location": "load Dagster code location (once per process)",
    "land": "land (dlt, all systems)",
    "dbt_build": "dbt build (staging, marts, tests)",
    "reconcile": "reconcile (recon.* rule models)",
    "ledger": "ledger (exception ledger + rule checks)",
    "land_checks": "land checks (batch accounting)",
    "quality": "quality (Great Expectations)",
    "publish": "publish (snapshot, report, docs)",
    "dagster_overhead": "Dagster between steps",
    "runner_overhead": "q2c run around the job (reviews, report, alerts)",
    "nightly_total": "full nightly (land .. publish, as `q2c run`)",
    "total": "total",
}


def _num(value, fmt: str = ",.0f") -> str:
    return "n/a" if value is None else format(value, fmt)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    align = ["<"] + [">"] * (len(header) - 1)
    fmt = "  ".join(f"{{:{a}{w}}}" for a, w in zip(align, widths))
    return "\n".join([fmt.format(*header), fmt.format(*("-" * w for w in widths)), *(fmt.format(*r) for r in rows)])


def _stage_row(label: str, figure: dict | None) -> tuple[str, ...]:
    if figure is None:
        return (label, "n/a", "", "", "")
    return (
        label,
        _num(figure["seconds"], ".2f"),
        _num(figure["rows"]),
        _num(figure["rows_per_s"]),
        _num(figure["peak_rss_mib"], ",.0f"),
    )


def stage_table(stages: dict[str, dict | None], extra_rows: dict[str, dict] | None = None) -> str:
    header = ("stage", "seconds", "rows", "rows/s", "peak RSS MiB")
    rows = [_stage_row(STAGE_LABELS.get(k, k), v) for k, v in stages.items() if k != "total"]
    rows += [_stage_row(f"  step {k}", v) for k, v in (extra_rows or {}).items()]
    if "total" in stages:
        rows.append(_stage_row(STAGE_LABELS["total"], stages["total"]))
    return _table(header, rows)


def render(figures: dict) -> str:
    full = figures["full_nightly"]
    raw = figures["baselines"]["raw_duckdb"]
    inc = figures["baselines"]["incremental"]
    none = figures["baselines"]["no_new_batch"]
    ratios = raw["land_over_raw"]
    land = full["land_by_system"]
    out = [
        f"q2c bench {figures['scale']}: {figures['customers']} customers, {figures['months']} months, "
        f"{figures['time_entries']:,} time entries, {figures['rows_generated']:,} rows in all batches "
        f"(load average before {figures['machine']['load_average_before'][0]})",
        "",
        "full nightly (fresh warehouse; every batch but the newest):",
        stage_table(figures["stages"], full["other_steps"]),
        "",
        "landing against raw DuckDB read_csv / read_json of the same files:",
    ]
    rows = []
    for system, figure in raw["systems"].items():
        mine = land.get(system)
        rows.append(
            (
                system,
                _num(mine["seconds"] if mine else None, ".2f"),
                _num(figure["seconds"], ".2f"),
                _num(figure["rows"]),
                _num(ratios.get(system), ".1f"),
            )
        )
    for group in ("csv", "jsonl"):
        landed = sum(
            land[s]["seconds"] for s in raw["systems"] if s in land and (group == "csv") == (s in ("crm", "erp"))
        )
        rows.append(
            (
                f"{group.upper()} systems",
                _num(landed, ".2f"),
                _num(raw["groups"][group]["seconds"], ".2f"),
                _num(raw["groups"][group]["rows"]),
                _num(ratios[group], ".1f"),
            )
        )
    rows.append(
        (
            "all",
            _num(full["stages"]["land"]["seconds"], ".2f"),
            _num(sum(r["seconds"] for r in raw["systems"].values()), ".2f"),
            "",
            _num(ratios["all"], ".1f"),
        )
    )
    out.append(_table(("system", "land s", "raw DuckDB s", "raw rows", "land / raw"), rows))
    out += [
        "",
        f"incremental nightly: {inc['rows']:,} new rows ({inc['share_of_full_rows']:.2%} of the full load's)",
        stage_table(inc["nightly"]["stages"]),
        f"incremental / full = {_num(inc['incremental_over_full'], '.2f')}",
        "",
        f"nightly with no new batch: {none['seconds']:.2f} s in process "
        f"({none['plus_code_location_load']:.2f} s with the code location load of a fresh `q2c run`)",
        stage_table(none["nightly"]["stages"]),
    ]
    return "\n".join(out)


def write_json(figures: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return path
