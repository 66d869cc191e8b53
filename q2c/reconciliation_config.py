"""Reconciliation thresholds, materiality and owners from ``config/reconciliation.yml``.

The rule models read the thresholds as dbt vars; ``ReconConfig.dbt_vars`` builds the dict
the runner passes to ``dbt build --vars``. Materiality stays on the Python side: it only
decides the severity of a rule's check, not which findings exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from q2c.rule_catalogue import RULES_BY_ID

OWNERS: frozenset[str] = frozenset({"sales_ops", "pmo", "billing", "accounts_receivable"})

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
        return (
            self.amount is not None
            and max_amount_reporting is not None
            and max_amount_reporting >= self.amount
        )


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
    if not isinstance(raw, dict):
        raise ReconConfigError(f"{path}: expected a mapping at the top level")

    currency = _required(raw, "reporting_currency", path).strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ReconConfigError(f"{path}: reporting_currency must be an ISO 4217 code, got {currency!r}")

    days = {name: _non_negative_int(_required(raw, name, path), name, path) for name in _DAY_THRESHOLDS}
    decimals = {name: _non_negative_decimal(_required(raw, name, path), name, path) for name in _DECIMAL_THRESHOLDS}

    return ReconConfig(
        reporting_currency=currency,
        owners=_owners(raw.get("owners"), path),
        default_materiality=_materiality((raw.get("materiality") or {}).get("default") or {}, None, path, "default"),
        rule_materiality=_rule_materiality(raw.get("materiality") or {}, path),
        **days,
        **decimals,
    )


def _required(raw: Mapping[str, Any], name: str, path: Path) -> str:
    value = raw.get(name)
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
    if not isinstance(raw, dict):
        raise ReconConfigError(f"{path}: owners must map every rule id to an owner")
    unknown = sorted(set(raw) - set(RULES_BY_ID))
    if unknown:
        raise ReconConfigError(f"{path}: owners names unknown rules {unknown}")
    missing = [rule_id for rule_id in RULES_BY_ID if rule_id not in raw]
    if missing:
        raise ReconConfigError(f"{path}: owners has no owner for {missing}")
    bad = {rule_id: owner for rule_id, owner in raw.items() if owner not in OWNERS}
    if bad:
        raise ReconConfigError(f"{path}: owners must be one of {sorted(OWNERS)}, got {bad}")
    return {rule_id: raw[rule_id] for rule_id in RULES_BY_ID}


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


def _rule_materiality(raw: Mapping[str, Any], path: Path) -> dict[str, Materiality]:
    default = _materiality(raw.get("default") or {}, None, path, "default")
    rules = raw.get("rules") or {}
    if not isinstance(rules, dict):
        raise ReconConfigError(f"{path}: materiality rules must map rule ids to thresholds")
    unknown = sorted(set(rules) - set(RULES_BY_ID))
    if unknown:
        raise ReconConfigError(f"{path}: materiality names unknown rules {unknown}")
    return {rule_id: _materiality(value, default, path, rule_id) for rule_id, value in rules.items()}
