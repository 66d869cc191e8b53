"""Reconciliation thresholds, materiality and owners: a firm's ``config/reconciliation.yml``
over the rule catalogue's defaults (``dbt_project/dbt_project.yml`` vars, see q2c.rule_catalogue).

Every key of the file is optional: a threshold, an owner or a materiality key it does not name
keeps the catalogue's value (the shipped file names them all, equal to the catalogue). The rule
models read the thresholds as dbt vars; ``ReconConfig.dbt_vars`` builds the dict the runner
passes to ``dbt build --vars``. Materiality stays on the Python side: it only decides the
severity of a rule's check, not which findings exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from q2c import rule_catalogue
from q2c.rule_catalogue import RULES_BY_ID

OWNERS: frozenset[str] = frozenset(rule_catalogue.OWNERS)

_DAY_THRESHOLDS = (
    "grace_days",
    "unbilled_age_days",
    "expense_age_days",
    "approval_backlog_days",
    "inactive_customer_time_window_days",
)
_DECIMAL_THRESHOLDS = ("amount_tolerance_abs", "amount_tolerance_pct", "quantity_tolerance_hours")


class ReconConfigError(ValueError):
    """The configuration file is missing a value or holds one the rules cannot use."""


@dataclass(frozen=True)
class Materiality:
    """ERROR severity from this amount (reporting currency) or this number of findings."""

    amount: Decimal | None
    count: int | None

    def is_material(self, max_amount_reporting: Decimal | None, finding_count: int) -> bool:
        if self.count is not None and finding_count >= self.count:
            return True
        return self.amount is not None and max_amount_reporting is not None and max_amount_reporting >= self.amount


@dataclass(frozen=True)
class ReconConfig:
    reporting_currency: str
    amount_tolerance_abs: Decimal
    amount_tolerance_pct: Decimal
    grace_days: int
    unbilled_age_days: int
    expense_age_days: int
    approval_backlog_days: int
    inactive_customer_time_window_days: int
    quantity_tolerance_hours: Decimal
    owners: Mapping[str, str]
    default_materiality: Materiality
    rule_materiality: Mapping[str, Materiality] = field(default_factory=dict)

    def owner(self, rule_id: str) -> str:
        return self.owners[rule_id]

    def materiality(self, rule_id: str) -> Materiality:
        return self.rule_materiality.get(rule_id, self.default_materiality)

    def dbt_vars(self, as_of: date) -> dict[str, Any]:
        """The ``--vars`` of a reconciliation run. Decimals travel as their exact text."""
        return {
            "as_of": as_of.isoformat(),
            "reporting_currency": self.reporting_currency,
            "amount_tolerance_abs": str(self.amount_tolerance_abs),
            "amount_tolerance_pct": str(self.amount_tolerance_pct),
            "grace_days": self.grace_days,
            "unbilled_age_days": self.unbilled_age_days,
            "expense_age_days": self.expense_age_days,
            "approval_backlog_days": self.approval_backlog_days,
            "inactive_customer_time_window_days": self.inactive_customer_time_window_days,
            "quantity_tolerance_hours": str(self.quantity_tolerance_hours),
            "recon_owners": dict(self.owners),
        }


def load_recon_config(path: Path) -> ReconConfig:
    # BaseLoader keeps every scalar as text, so 0.005 becomes Decimal("0.005"), never a float.
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except FileNotFoundError as exc:
        raise ReconConfigError(f"reconciliation config not found: {path}") from exc
    if raw is None:  # an empty file overrides nothing
        raw = {}
    if not isinstance(raw, dict):
        raise ReconConfigError(f"{path}: expected a mapping at the top level")

    currency = _required(raw, "reporting_currency", path).strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ReconConfigError(f"{path}: reporting_currency must be an ISO 4217 code, got {currency!r}")

    days = {name: _non_negative_int(_required(raw, name, path), name, path) for name in _DAY_THRESHOLDS}
    decimals = {name: _non_negative_decimal(_required(raw, name, path), name, path) for name in _DECIMAL_THRESHOLDS}
    default_materiality, rule_materiality = _materialities(raw.get("materiality") or {}, path)

    return ReconConfig(
        reporting_currency=currency,
        owners=_owners(raw.get("owners"), path),
        default_materiality=default_materiality,
        rule_materiality=rule_materiality,
        **days,
        **decimals,
    )


def _required(raw: Mapping[str, Any], name: str, path: Path) -> str:
    """The file's value, else the catalogue's default (dbt_project.yml vars q2c_recon_defaults)."""
    value = raw.get(name, rule_catalogue.RECON_DEFAULTS.get(name))
    if value is None or value == "":
        raise ReconConfigError(f"{path}: missing {name}")
    return value


def _non_negative_int(text: str, name: str, path: Path) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError) as exc:
        raise ReconConfigError(f"{path}: {name} must be a whole number of days, got {text!r}") from exc
    if value < 0:
        raise ReconConfigError(f"{path}: {name} must not be negative")
    return value


def _non_negative_decimal(text: str, name: str, path: Path) -> Decimal:
    try:
        value = Decimal(str(text))
    except (InvalidOperation, TypeError) as exc:
        raise ReconConfigError(f"{path}: {name} must be a number, got {text!r}") from exc
    if not value.is_finite() or value < 0:
        raise ReconConfigError(f"{path}: {name} must be a non-negative number")
    return value


def _owners(raw: Any, path: Path) -> dict[str, str]:
    """The catalogue's owner of every rule, replaced where the file names another."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ReconConfigError(f"{path}: owners must map rule ids to owners")
    unknown = sorted(set(raw) - set(RULES_BY_ID))
    if unknown:
        raise ReconConfigError(f"{path}: owners names unknown rules {unknown}")
    owners = {rule_id: raw.get(rule_id, rule.owner) for rule_id, rule in RULES_BY_ID.items()}
    bad = {rule_id: owner for rule_id, owner in owners.items() if owner not in OWNERS}
    if bad:
        raise ReconConfigError(f"{path}: owners must be one of {sorted(OWNERS)}, got {bad}")
    return owners


def _materiality(raw: Any, base: Materiality | None, path: Path, where: str) -> Materiality:
    if not isinstance(raw, dict):
        raise ReconConfigError(f"{path}: materiality {where} must be a mapping")
    unknown = sorted(set(raw) - {"amount", "count"})
    if unknown:
        raise ReconConfigError(f"{path}: materiality {where} has unknown keys {unknown}")
    amount = base.amount if base else None
    count = base.count if base else None
    if "amount" in raw:
        amount = _non_negative_decimal(raw["amount"], f"materiality {where} amount", path)
    if "count" in raw:
        count = _non_negative_int(raw["count"], f"materiality {where} count", path)
        if count == 0:
            raise ReconConfigError(f"{path}: materiality {where} count must be at least 1")
    return Materiality(amount=amount, count=count)


def _materialities(raw: Mapping[str, Any], path: Path) -> tuple[Materiality, dict[str, Materiality]]:
    """Default and per-rule materiality. Each layer overrides only the keys it names: the
    catalogue's default, the file's default, the catalogue's rule entry, the file's rule entry."""
    if not isinstance(raw, dict):
        raise ReconConfigError(f"{path}: materiality must be a mapping")
    catalogue_default = _materiality(
        rule_catalogue.MATERIALITY_DEFAULT, None, rule_catalogue.DBT_PROJECT_FILE, "default"
    )
    default = _materiality(raw.get("default") or {}, catalogue_default, path, "default")
    rules = raw.get("rules") or {}
    if not isinstance(rules, dict):
        raise ReconConfigError(f"{path}: materiality rules must map rule ids to thresholds")
    unknown = sorted(set(rules) - set(RULES_BY_ID))
    if unknown:
        raise ReconConfigError(f"{path}: materiality names unknown rules {unknown}")
    per_rule = {}
    for rule_id, rule in RULES_BY_ID.items():
        if not rule.materiality and rule_id not in rules:
            continue
        catalogue = _materiality(dict(rule.materiality), default, rule_catalogue.DBT_PROJECT_FILE, rule_id)
        per_rule[rule_id] = _materiality(rules.get(rule_id) or {}, catalogue, path, rule_id)
    return default, per_rule
