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
