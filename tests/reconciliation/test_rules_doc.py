"""docs/rules.md is the rule catalogue of the repository: generated from the one catalogue
(dbt_project.yml vars), up to date with it, and linked from the rule checks. No dbt run needed."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from orchestration.reconciliation.checks import check_result, rule_checks
from q2c.ledger import RuleReview
from q2c.rule_catalogue import CONVENTIONS, FAMILY_MODELS, RULES, RULES_BY_ID, RULES_DOC
from q2c.rules_doc import main, render
from q2c.settings import PROJECT_ROOT


def test_committed_rules_doc_is_generated_from_the_catalogue() -> None:
    assert RULES_DOC == PROJECT_ROOT / "docs" / "rules.md"
    assert RULES_DOC.read_text(encoding="utf-8") == render(), (
        "docs/rules.md is out of date with dbt_project.yml: run `uv run python -m q2c.rules_doc`"
    )


def test_rules_doc_holds_every_rule_with_its_wording_subject_and_anchor() -> None:
    doc = RULES_DOC.read_text(encoding="utf-8")
    assert len(RULES) == 27 and len(CONVENTIONS) == 14
    for family in FAMILY_MODELS:
        assert f"## {family.title} ({family.family})" in doc
    for rule in RULES:
        row = next(line for line in doc.splitlines() if f'<a id="{rule.doc_anchor}"></a>{rule.rule_id} |' in line)
        assert rule.wording in row and rule.title in row and f"| {rule.owner} |" in row, rule.rule_id
    assert "| `crm_account` + `attribute` |" in doc  # ACC-03's subject names the attribute
    assert "| `erp_customer` or `billing_customer` |" in doc
    assert RULES_BY_ID["UNB-01"].wording.startswith("Approved billable time on a billable T&M project")
    assert "**Grace period** `G` (default 2 days)" in doc


def test_generator_rewrites_a_stale_doc_and_check_mode_notices(tmp_path: Path) -> None:
    stale = tmp_path / "rules.md"
    stale.write_text(render().replace("ACC-01 |", "ACC-01 (edited) |"), encoding="utf-8")
    assert main(["--check"], stale) == 1
    assert main([], stale) == 0
    assert stale.read_text(encoding="utf-8") == render()
    assert main(["--check"], stale) == 0


def test_rule_checks_state_the_rule_and_link_the_catalogue() -> None:
    specs = {spec.name: spec for spec in rule_checks.check_specs}
    assert set(specs) == {rule.check_name for rule in RULES}
    for rule in RULES:
        spec = specs[rule.check_name]
        assert rule.wording in spec.description, rule.rule_id
        assert spec.metadata["rule_catalogue"].url == f"{RULES_DOC.as_uri()}#{rule.doc_anchor}"
    rule = RULES_BY_ID["INV-08"]
    result = check_result(RuleReview(rule.rule_id, rule.family, rule.title, date(2026, 3, 31)))
    assert rule.wording in result.description
    assert result.metadata["rule_catalogue"].url.endswith("docs/rules.md#inv-08")
    assert result.metadata["rule"].md_str == rule.wording


def test_nothing_in_the_repository_points_at_a_catalogue_outside_it() -> None:
    needle = "shared/" + "rules"  # not spelled out: this file would match itself
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    pointing = [
        path
        for path in tracked
        if path and (PROJECT_ROOT / path).is_file() and needle in (PROJECT_ROOT / path).read_text(errors="ignore")
    ]
    assert pointing == []
