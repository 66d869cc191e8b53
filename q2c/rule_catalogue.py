"""The reconciliation rule catalogue, read from its one home.

The catalogue is the ``vars:`` block of ``dbt_project/dbt_project.yml`` (``q2c_rule_catalogue``,
``q2c_rule_families``, ``q2c_materiality_default``, ``q2c_recon_defaults``, ``q2c_owners``, and
``q2c_rule_text``: every rule's wording and the conventions): dbt reads it at parse time, this
module loads the same file with yaml. ``docs/rules.md`` (:data:`RULES_DOC`) is generated from it
by ``q2c.rules_doc``. The ledger, the Dagster asset
checks and the run summary all enumerate rules from here, so a rule that fires nothing still
gets a (passing) check and a summary line.

The columns of a finding come from the enforced contract of ``recon.findings``
(``dbt_project/models/reconciliation/_reconciliation__models.yml``): :data:`FINDING_COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from q2c.settings import DBT_PROJECT_DIR, PROJECT_ROOT

DBT_PROJECT_FILE = DBT_PROJECT_DIR / "dbt_project.yml"
FINDINGS_MODELS_FILE = DBT_PROJECT_DIR / "models" / "reconciliation" / "_reconciliation__models.yml"
FINDINGS_MODEL = "findings"
RULES_DOC = PROJECT_ROOT / "docs" / "rules.md"


@dataclass(frozen=True)
class Rule:
    rule_id: str
    family: str
    title: str
    subject_types: tuple[str, ...] = ()
    owner: str = ""
    # Catalogue materiality of the rule's check: only the keys the catalogue names for this
    # rule (the rest is MATERIALITY_DEFAULT), as exact text.
    materiality: tuple[tuple[str, str], ...] = ()
    attributes: tuple[str, ...] = ()
    # severity of the rule's check when its open findings are material (below: always warn)
    severity: str = "error"
    # a finding key column naming the one business subject behind findings of several subject
    # types (ACC-06: the ERP and the billing customer of one CRM account): its amount counts once
    amount_once_per: str | None = None
    wording: str = ""  # what the rule finds, as the catalogue states it (markdown)

    @property
    def check_name(self) -> str:
        """Dagster check names must be identifiers: ``ACC-01`` -> ``ACC_01``."""
        return self.rule_id.replace("-", "_")

    @property
    def doc_anchor(self) -> str:
        """The rule's anchor in docs/rules.md: ``ACC-01`` -> ``acc-01``."""
        return self.rule_id.lower()

    @property
    def doc_url(self) -> str:
        """file:// URL of the rule's row in docs/rules.md."""
        return f"{RULES_DOC.as_uri()}#{self.doc_anchor}"


@dataclass(frozen=True)
class Family:
    family: str
    model: str
    title: str


@dataclass(frozen=True)
class FindingColumn:
    """A column of the recon.findings contract."""

    name: str
    data_type: str
    not_null: bool
    is_key: bool  # a key of a system involved (design.md §3), copied onto the exception row


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def load_catalogue_vars(path: Path = DBT_PROJECT_FILE) -> dict[str, Any]:
    """The ``vars:`` of dbt_project.yml, every scalar as text (BaseLoader: no binary floats)."""
    project = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return project["vars"]


SEVERITIES = ("error", "warn")


def _rules(
    raw: list[dict[str, Any]],
    families: tuple[str, ...],
    default_severity: str,
    wording: dict[str, str] | None = None,  # rule id -> wording; None: not checked
) -> tuple[Rule, ...]:
    rules = []
    for entry in raw:
        rule = Rule(
            rule_id=entry["rule_id"],
            family=entry["family"],
            title=entry["title"],
            subject_types=tuple(entry["subject_types"]),
            owner=entry["owner"],
            materiality=tuple((k, _text(v)) for k, v in (entry.get("materiality") or {}).items()),
            attributes=tuple(entry.get("attributes") or ()),
            severity=entry.get("severity", default_severity),
            amount_once_per=entry.get("amount_once_per") or None,
            wording=(wording or {}).get(entry["rule_id"], ""),
        )
        if rule.severity not in SEVERITIES:
            raise ValueError(
                f"{DBT_PROJECT_FILE}: rule {rule.rule_id} has severity {rule.severity!r}; expected {SEVERITIES}"
            )
        if wording is not None and not rule.wording:
            raise ValueError(f"{DBT_PROJECT_FILE}: rule {rule.rule_id} has no wording in q2c_rule_text.rules")
        if rule.family not in families:
            raise ValueError(f"{DBT_PROJECT_FILE}: rule {rule.rule_id} has unknown family {rule.family}")
        rules.append(rule)
    if len({r.rule_id for r in rules}) != len(rules):
        raise ValueError(f"{DBT_PROJECT_FILE}: duplicate rule ids in q2c_rule_catalogue")
    unknown = sorted(set(wording or ()) - {r.rule_id for r in rules})
    if unknown:
        raise ValueError(f"{DBT_PROJECT_FILE}: q2c_rule_text.rules words rules not in q2c_rule_catalogue: {unknown}")
    return tuple(rules)


def load_finding_columns(path: Path = FINDINGS_MODELS_FILE) -> tuple[FindingColumn, ...]:
    """The columns of the recon.findings model contract, in order."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    model = next(m for m in doc["models"] if m["name"] == FINDINGS_MODEL)
    if not (model.get("config") or {}).get("contract", {}).get("enforced"):
        raise ValueError(f"{path}: the {FINDINGS_MODEL} model must carry an enforced contract")
    return tuple(
        FindingColumn(
            name=c["name"],
            data_type=c["data_type"],
            not_null=any(k.get("type") == "not_null" for k in c.get("constraints") or ()),
            is_key=bool(((c.get("config") or {}).get("meta") or {}).get("finding_key")),
        )
        for c in model["columns"]
    )


_VARS = load_catalogue_vars()

FAMILY_MODELS: tuple[Family, ...] = tuple(
    Family(f["family"], f["model"], f["title"]) for f in _VARS["q2c_rule_families"]
)
FAMILIES: tuple[str, ...] = tuple(f.family for f in FAMILY_MODELS)
_TEXT: dict[str, Any] = _VARS["q2c_rule_text"]
RULES: tuple[Rule, ...] = _rules(
    _VARS["q2c_rule_catalogue"], FAMILIES, _VARS["q2c_severity_default"], dict(_TEXT["rules"])
)
RULES_BY_ID: dict[str, Rule] = {rule.rule_id: rule for rule in RULES}
OWNERS: tuple[str, ...] = tuple(_VARS["q2c_owners"])
MATERIALITY_DEFAULT: dict[str, str] = dict(_VARS["q2c_materiality_default"])
RECON_DEFAULTS: dict[str, str] = dict(_VARS["q2c_recon_defaults"])
CATALOGUE_INTRO: str = _TEXT["intro"]
CONVENTIONS: tuple[str, ...] = tuple(_TEXT["conventions"])
FAMILY_PREAMBLES: dict[str, str] = dict(_TEXT.get("families") or {})  # text above a family's rules
if set(FAMILY_PREAMBLES) - set(FAMILIES):
    raise ValueError(f"{DBT_PROJECT_FILE}: q2c_rule_text.families names unknown families {sorted(FAMILY_PREAMBLES)}")

FINDING_COLUMNS: tuple[FindingColumn, ...] = load_finding_columns()
