"""The night's dbt figures, counted from dbt's run_results.json."""

from __future__ import annotations

import json

from q2c.run_summary import DbtSummary


def test_dbt_summary_counts_every_node_kind_and_names_the_failed_tests(tmp_path):
    results = [
        ("seed.q2c.fx_rates", "success"),
        ("model.q2c.a", "success"),
        ("model.q2c.b", "success"),
        ("snapshot.q2c.c", "skipped"),
        ("model.q2c.d", "error"),
        ("test.q2c.t1", "pass"),
        ("unit_test.q2c.u1", "pass"),
        ("test.q2c.t2", "warn"),
        ("test.q2c.t3", "fail"),
        ("unit_test.q2c.u2", "error"),
        ("test.q2c.t4", "skipped"),  # counted nowhere
        ("seed.q2c.other", "error"),  # a seed that failed is not a loaded seed
    ]
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps({"results": [{"unique_id": u, "status": s} for u, s in results]}))
    summary = DbtSummary.from_run_results(path)
    assert (summary.seeds, summary.models_built, summary.models_skipped, summary.models_failed) == (1, 2, 1, 1)
    assert (summary.tests_passed, summary.tests_warned, summary.tests_failed) == (2, 1, 2)
    assert summary.failed_tests == ["test.q2c.t3", "unit_test.q2c.u2"]
    assert DbtSummary.from_run_results(tmp_path / "missing.json") is None


def test_a_night_whose_warehouse_another_process_holds_still_gets_its_summary(tmp_path):
    import subprocess
    import sys

    import duckdb

    from q2c.night import RunFacts, finish_night
    from q2c.settings import settings_in

    settings = settings_in(tmp_path)
    settings.duckdb_path.parent.mkdir(parents=True)
    duckdb.connect(str(settings.duckdb_path)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(settings.duckdb_path)!r}); "
         "print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        facts = RunFacts(run_id="r1", success=True, started_at=0.0, ledger_metadata={"as_of": "2026-11-22"})
        result = finish_night(facts, settings)
    finally:
        holder.kill()
        holder.wait()
    assert result.as_of is not None and result.as_of.isoformat() == "2026-11-22"
    assert any("the rule review could not be read" in f and "lock" in f.lower() for f in result.failures)
    assert (settings.reports_dir / "2026-11-22.md").exists() and (settings.reports_dir / "latest.md").exists()
