"""The ground truth is exactly what the catalogue's rules report on the final state."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from q2c_demo.data import discrepancies, generate
from tests.demo_data.conftest import TINY
from tests.demo_data.reference_rules import evaluate

RULES = [
    "ACC-01",
    "ACC-02",
    "ACC-03",
    "ACC-04",
    "ACC-05",
    "ACC-06",
    "RATE-01",
    "RATE-02",
    "RATE-03",
    "RATE-04",
    "RATE-05",
    "UNB-01",
    "UNB-02",
    "UNB-03",
    "UNB-04",
    "UNB-05",
    "INV-01",
    "INV-02",
    "INV-03",
    "INV-04",
    "INV-05",
    "INV-06",
    "INV-07",
    "INV-08",
    "INV-09",
    "BOOK-01",
    "BOOK-02",
]
# UNB-02 has no natural near-miss beyond every correctly billed entry.
NEAR_MISS_RULES = [r for r in RULES if r != "UNB-02"]
SUBJECT_ID = {
    "crm_account": r"001\w{15}",
    "crm_opportunity": r"006\w{15}",
    "erp_customer": r"\d+",
    "erp_transaction": r"\d+",
    "billing_customer": r"cus_\w+",
    "billing_invoice": r"in_\w+",
    "billing_invoice_line": r"il_\w+",
    "billing_credit_note": r"cn_\w+",
    "psa_time_entry": r"\d+",
    "psa_expense": r"\d+",
    "psa_project": r"\d+",
}


def _csv(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def truth(tiny):
    return _csv(tiny["gt"] / "ground_truth.csv"), _csv(tiny["gt"] / "near_misses.csv")


def test_every_rule_has_cases_and_near_misses(truth):
    gt, nm = truth
    per_rule = Counter(r["rule_id"] for r in gt)
    assert {r: per_rule[r] >= 2 for r in RULES} == dict.fromkeys(RULES, True)
    assert set(NEAR_MISS_RULES) <= {r["rule_id"] for r in nm}


def test_every_clause_is_covered(truth):
    gt, _ = truth
    assert {r["attribute"] for r in gt if r["rule_id"] == "ACC-03"} == {
        "name",
        "currency",
        "country",
        "tax_id",
        "legal_entity",
    }
    assert all(r["attribute"] == "" for r in gt if r["rule_id"] != "ACC-03")
    assert {r["subject_type"] for r in gt if r["rule_id"] == "UNB-02"} == {"psa_time_entry", "psa_expense"}
    assert {r["subject_type"] for r in gt if r["rule_id"] == "INV-08"} == {"billing_invoice", "erp_transaction"}
    assert {r["subject_type"] for r in gt if r["rule_id"] == "ACC-06"} == {"erp_customer", "billing_customer"}
    notes = " ".join(r["note"] for r in gt)
    for clause in (
        "null",
        "zero",
        "no contracted rate",
        "after the project's end",
        "inactive project",
        "inactive assignment",
        "31-60",
        "61-90",
        "90+",
        "paid in full in the ERP",
        "still open in the ERP",
        "no project",
        "no job",
        "two live ERP",
        "two live billing",
        "points at another",
        "names another account's ERP",
        "with open invoice",
        "with recent time",
        "PSA client currency",
        "billed in",
        "partial payment: billing only",
        "partial payment: erp only",
        "partial payment: both differ",
        "credit memo missing",
        "credit memo amount",
        "void in billing",
        "uncollectible in billing",
        "is_billed with no invoice",
        "is_billed with unknown",
        "is_billed with draft",
        "is_billed with void",
        "tax do not add up",
        "lines do not add up",
        "remaining do not add up",
        "erp lines do not add up",
        "won deal, no billing customer",
        "only billing customer is deleted",
    ):
        assert clause in notes, clause


def test_subject_ids_are_source_ids(truth):
    gt, nm = truth
    for r in gt + nm:
        assert re.fullmatch(SUBJECT_ID[r["subject_type"]], r["subject_id"]), r


def test_ground_truth_is_exactly_what_the_rules_find(tiny, truth):
    gt, nm = truth
    expected = {(r["rule_id"], r["subject_type"], r["subject_id"], r["attribute"]) for r in gt}
    found = evaluate(tiny["landing"])
    assert sorted(found - expected) == [], "reported but not injected"
    assert sorted(expected - found) == [], "injected but not reported"
    flagged = {f[:3] for f in found}
    assert [r for r in nm if (r["rule_id"], r["subject_type"], r["subject_id"]) in flagged] == []


def test_clean_baseline_fires_no_rule(tmp_path, monkeypatch):
    monkeypatch.setattr(discrepancies, "inject_before_billing", lambda world, rate: None)
    monkeypatch.setattr(discrepancies, "inject_after_billing", lambda world, rate: None)
    summary = generate(tmp_path / "landing", tmp_path / "gt", **TINY)
    assert summary.ground_truth_rows == 0
    assert evaluate(tmp_path / "landing") == set()


def test_another_shape_still_matches(tmp_path):
    from datetime import date

    generate(tmp_path / "landing", tmp_path / "gt", customers=25, months=4, seed=7, start=date(2025, 3, 31))
    expected = {
        (r["rule_id"], r["subject_type"], r["subject_id"], r["attribute"])
        for r in _csv(tmp_path / "gt" / "ground_truth.csv")
    }
    assert {r[0] for r in expected} == set(RULES)
    assert evaluate(tmp_path / "landing") == expected
