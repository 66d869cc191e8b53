"""Issue 3 accuracy: on demo data the findings equal the generator's ground truth, rule by
rule (recall and precision 100%, near-misses not flagged), for two seeds and two sizes."""

from __future__ import annotations

import pytest

from q2c.rule_catalogue import RULES
from q2c_demo.data import generate
from tests.accuracy.nightly_world import World

RULE_IDS = [rule.rule_id for rule in RULES]

SHAPES = {
    "seed42-small": {"seed": 42, "customers": 60, "months": 6},
    "seed7-larger": {"seed": 7, "customers": 150, "months": 12},
}


@pytest.fixture(scope="module", params=sorted(SHAPES))
def world(request, tmp_path_factory) -> World:
    w = World(tmp_path_factory.mktemp(request.param))
    generate(w.landing, w.ground_truth, **SHAPES[request.param])
    w.run_nightly()
    return w


def _per_rule_table(expected: set, found: set) -> str:
    lines = [f"{'rule':8} {'expected':>8} {'found':>6} {'missed':>6} {'extra':>6}"]
    for rule in sorted({f[0] for f in expected | found}):
        e = {f for f in expected if f[0] == rule}
        g = {f for f in found if f[0] == rule}
        lines.append(f"{rule:8} {len(e):8} {len(g):6} {len(e - g):6} {len(g - e):6}")
    missed = sorted(expected - found)[:20]
    extra = sorted(found - expected)[:20]
    return "\n".join(lines + ["missed (first 20):", *map(str, missed), "extra (first 20):", *map(str, extra)])


def test_every_rule_has_injected_cases(world):
    rules = {f[0] for f in world.expected_findings()}
    assert rules == set(RULE_IDS), f"rules without injected cases: {sorted(set(RULE_IDS) - rules)}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_findings_equal_ground_truth(world, rule_id):
    expected = {f for f in world.expected_findings() if f[0] == rule_id}
    found = {f for f in world.findings() if f[0] == rule_id}
    assert found == expected, _per_rule_table(world.expected_findings(), world.findings())


def test_near_misses_are_not_flagged(world):
    flagged = {(r, s) for r, _t, s, _a in world.findings()}
    hits = [
        m
        for m in world.near_misses()
        if (m["rule_id"], m["subject_id"]) in flagged
        and (m["rule_id"], m["subject_type"], m["subject_id"], "") not in world.expected_findings()
    ]
    assert world.near_misses(), "the generator wrote no near-misses"
    assert not hits, f"near-misses flagged: {hits[:10]}"


def test_ledger_holds_one_open_exception_per_finding(world):
    [(open_count,)] = world.query(
        "select count(*) from recon.exceptions where status in ('open', 'acknowledged', 'waived')"
    )
    assert open_count == len(world.findings())
