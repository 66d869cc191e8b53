"""One catalogue: dbt_project.yml vars feed dbt and Python alike; the recon.findings contract is
the one list of finding columns (ledger, docs and SQL agree with it). No dbt run needed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from q2c import rule_catalogue
from q2c.ledger import schema, update
from q2c.ledger.update import _stage_findings
from q2c.reconciliation_config import load_recon_config
from q2c.rule_catalogue import FAMILIES, FAMILY_MODELS, FINDING_COLUMNS, RULES, RULES_BY_ID
from q2c.settings import DBT_PROJECT_DIR, PROJECT_ROOT, RECON_CONFIG_DEFAULT

RECON_MODELS = DBT_PROJECT_DIR / "models" / "reconciliation"


def test_catalogue_is_read_from_the_dbt_project() -> None:
    assert rule_catalogue.DBT_PROJECT_DIR == DBT_PROJECT_DIR
    assert len(RULES) == 27 and len(RULES_BY_ID) == 27
    assert FAMILIES == ("ACC", "RATE", "UNB", "INV", "BOOK")
    for rule in RULES:
        assert rule.rule_id.split("-")[0] == rule.family, rule
        assert rule.subject_types and rule.title and rule.owner in rule_catalogue.OWNERS, rule
    assert RULES_BY_ID["ACC-03"].attributes == ("name", "currency", "country", "tax_id", "legal_entity")
    assert RULES_BY_ID["ACC-06"].subject_types == ("erp_customer", "billing_customer")
    assert RULES_BY_ID["INV-08"].check_name == "INV_08"


def test_every_catalogued_rule_is_implemented_by_its_family_model_and_only_those() -> None:
    called = {}
    for family in FAMILY_MODELS:
        sql = (RECON_MODELS / f"{family.model}.sql").read_text()
        for rule_id, subject_type in re.findall(r"recon_finding\('([A-Z]+-\d+)', '(\w+)'", sql):
            called.setdefault(rule_id, set()).add((family.family, subject_type))
    assert set(called) == set(RULES_BY_ID)
    for rule_id, uses in called.items():
        rule = RULES_BY_ID[rule_id]
        assert {f for f, _ in uses} == {rule.family}, rule_id
        assert {s for _, s in uses} == set(rule.subject_types), rule_id


def test_shipped_config_equals_the_catalogue_defaults(tmp_path: Path) -> None:
    """config/reconciliation.yml only overrides: as shipped it changes nothing."""
    bare = tmp_path / "reconciliation.yml"
    bare.write_text("# no overrides\n")
    shipped, defaults = load_recon_config(RECON_CONFIG_DEFAULT), load_recon_config(bare)
    assert shipped.dbt_vars(date(2026, 3, 31)) == defaults.dbt_vars(date(2026, 3, 31))
    assert shipped.default_materiality == defaults.default_materiality
    for rule in RULES:
        assert shipped.materiality(rule.rule_id) == defaults.materiality(rule.rule_id), rule.rule_id
        assert shipped.owner(rule.rule_id) == rule.owner
    vars_ = defaults.dbt_vars(date(2026, 3, 31))
    for name, value in rule_catalogue.RECON_DEFAULTS.items():
        if name != "as_of":
            assert str(vars_[name]) == value, name


def test_config_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "reconciliation.yml"
    path.write_text(
        "grace_days: 5\nowners: {UNB-01: billing}\n"
        "materiality: {default: {amount: 10000}, rules: {INV-02: {count: 3}}}\n"
    )
    config = load_recon_config(path)
    assert config.grace_days == 5 and config.unbilled_age_days == 30
    assert (
        config.owner("UNB-01") == "billing" and config.owner("UNB-02") == "billing" and config.owner("UNB-03") == "pmo"
    )
    assert (config.materiality("RATE-01").amount, config.materiality("RATE-01").count) == (10000, 25)
    assert (config.materiality("ACC-04").amount, config.materiality("ACC-04").count) == (10000, 1)
    assert (config.materiality("INV-02").amount, config.materiality("INV-02").count) == (1000, 3)


def _design_section_3_columns() -> list[tuple[str, str]]:
    text = (PROJECT_ROOT / "docs" / "design.md").read_text()
    section = text.split("## 3.", 1)[1].split("\n## ", 1)[0]
    columns = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("column", "---") or set(cells[0]) <= {"-"}:
            continue
        data_type = cells[1].removesuffix(", nullable").strip()
        columns += [(name.strip(), data_type) for name in cells[0].split(",")]
    return columns


def test_a_rule_catalogued_as_warn_stays_warn_when_material() -> None:
    vars_ = rule_catalogue.load_catalogue_vars()
    entries = [dict(e, severity="warn") if e["rule_id"] == "INV-02" else e for e in vars_["q2c_rule_catalogue"]]
    rules = {r.rule_id: r for r in rule_catalogue._rules(entries, rule_catalogue.FAMILIES, "error")}
    assert rules["INV-02"].severity == "warn" and rules["INV-03"].severity == "error"
    assert {r.severity for r in rule_catalogue.RULES} == {"error"}  # the shipped default
    with pytest.raises(ValueError, match="severity"):
        rule_catalogue._rules([dict(entries[0], severity="fatal")], rule_catalogue.FAMILIES, "error")


def test_contract_is_the_design_section_3_table() -> None:
    assert [(c.name, c.data_type) for c in FINDING_COLUMNS] == _design_section_3_columns()


def test_ledger_finding_columns_agree_with_the_contract() -> None:
    contract = {c.name: c for c in FINDING_COLUMNS}
    copied = list(schema.FINDING_VALUE_COLUMNS)
    assert [c for c in contract if c not in copied] == [*schema.FINDING_IDENTITY_COLUMNS, "as_of_date"]
    assert tuple(c.name for c in FINDING_COLUMNS if c.is_key) == schema.FINDING_KEY_COLUMNS
    assert len(schema.FINDING_KEY_COLUMNS) == 11

    with duckdb.connect() as conn:
        schema.ensure_ledger_tables(conn)
        ledger = dict(
            conn.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'recon' and table_name = 'exceptions'"
            ).fetchall()
        )
        # recon.findings exactly as the contract declares it, staged as the ledger update does.
        ddl = ", ".join(f"{c.name} {c.data_type}" for c in FINDING_COLUMNS)
        conn.execute(f"create table recon.findings ({ddl})")
        _stage_findings(conn, "recon.findings")
        staged = dict(conn.execute(f"select column_name, column_type from (describe {update._TONIGHT})").fetchall())
    for column in (*schema.FINDING_IDENTITY_COLUMNS, *schema.FINDING_VALUE_COLUMNS):
        source = contract[column]
        assert ledger[column].replace(" ", "") == source.data_type.upper(), column
        assert staged[column].replace(" ", "") == source.data_type.upper(), column
