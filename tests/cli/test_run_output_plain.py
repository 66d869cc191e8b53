"""A nightly's output read from a file (``q2c run > run.log``) or by a NO_COLOR user is plain
text: no ANSI colour codes (Dagster's, dbt's, typer's) and no repeated dlt hint warnings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from q2c.cli import app
from q2c.settings import PROJECT_ROOT, RECON_CONFIG_DEFAULT

ANSI = "\x1b["
# dlt's two hint warnings: Arrow and dlt column hints differ; a hint the disposition ignores
DLT_HINT_WARNING = re.compile(r"\|\[WARNING\]\|.*\|dlt\|.*(column hints were different|column hint)")


def _environment(root: Path) -> dict[str, str]:
    colour_switches = ("NO_COLOR", "FORCE_COLOR", "PY_COLORS", "DBT_USE_COLORS", "DBT_USE_COLORS_FILE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Q2C_", "DAGSTER_")) and k not in colour_switches}
    env.update(
        {
            "Q2C_LANDING_DIR": str(root / "landing"),
            "Q2C_DUCKDB_PATH": str(root / "warehouse.duckdb"),
            "Q2C_PUBLISHED_PATH": str(root / "published" / "warehouse.duckdb"),
            "Q2C_GROUND_TRUTH_DIR": str(root / "ground_truth"),
            "Q2C_REPORTS_DIR": str(root / "reports"),
            "Q2C_DOCS_DIR": str(root / "docs"),
            "Q2C_DOCS": "off",
            "Q2C_RECON_CONFIG": str(RECON_CONFIG_DEFAULT),
            "DAGSTER_HOME": str(root / "dagster_home"),
        }
    )
    return env


def _lines_with_ansi(text: str) -> list[str]:
    return [line for line in text.splitlines() if ANSI in line]


def test_a_nightly_redirected_to_a_file_writes_no_ansi_codes_and_no_dlt_hint_warnings(tmp_path):
    from q2c_demo.data import generate

    # the smallest demo world: a full batch (replace) and incremental batches (merge) per system
    generate(tmp_path / "landing", tmp_path / "ground_truth", customers=10, months=3, seed=7)
    console = tmp_path / "run.log"
    with console.open("w", encoding="utf-8") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "q2c.cli", "run"],
            cwd=PROJECT_ROOT,
            env=_environment(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=900,
        )
    printed = console.read_text(encoding="utf-8")
    assert proc.returncode == 0, printed
    full_log_path = re.search(r"^full log: (.+)$", printed, re.MULTILINE)
    assert full_log_path, printed
    full_log = Path(full_log_path.group(1)).read_text(encoding="utf-8")
    # the log holds what would be coloured: Dagster's events of the landing steps, dbt's results
    assert "land_psa - STEP_SUCCESS" in full_log and " PASS " in full_log, full_log[-2000:]
    assert "nightly run succeeded" in printed

    noise = []
    for name, text in (("console output", printed), ("full log", full_log)):
        if coloured := _lines_with_ansi(text):
            noise.append(f"{name}: {len(coloured)} lines with ANSI codes, e.g. {coloured[:2]!r}")
    if hint_warnings := [line for line in full_log.splitlines() if DLT_HINT_WARNING.search(line)]:
        noise.append(f"full log: {len(hint_warnings)} dlt hint warnings, e.g. {hint_warnings[:2]!r}")
    assert not noise, "\n".join(noise)


def test_no_color_keeps_a_terminal_run_plain(tmp_path, monkeypatch):
    for name, value in _environment(tmp_path).items():
        if name.startswith(("Q2C_", "DAGSTER_")):
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("Q2C_AS_OF", raising=False)
    # color=True: the runner's output stands for a terminal, where the failure is printed red
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = CliRunner().invoke(app, ["run"], color=True)
    assert coloured.exit_code == 1 and "nightly run FAILED" in coloured.output, coloured.output
    assert _lines_with_ansi(coloured.output)

    monkeypatch.setenv("NO_COLOR", "1")
    plain = CliRunner().invoke(app, ["run"], color=True)
    assert plain.exit_code == 1 and "nightly run FAILED" in plain.output, plain.output
    assert not _lines_with_ansi(plain.output), plain.output
