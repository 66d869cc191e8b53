"""The alert digest of one nightly run and its renderings (e-mail text, webhook JSON).

Webhook JSON (``digest_to_json``), schema ``q2c.alert_digest/v1``::

    {
      "schema": "q2c.alert_digest/v1",
      "summary": "<same text as the e-mail subject>",
      "as_of": "2026-11-22",                   # ISO date the run reconciled as of
      "run_status": "errors",                  # "errors": ERROR checks failed; "failed": run failed outright
      "dagster_run_id": "5f1c..." | null,
      "report": "/data/reports/2026-11-22.html" | "https://..." | null,
      "failed_rules": [
        {"rule_id": "INV-04", "open_count": 12,
         "amount_at_risk_reporting": "12345.6700",   # exact decimal as a string, never a float
         "reporting_currency": "USD"}
      ],
      "total_at_risk_reporting": {"USD": "12345.6700"},  # per reporting currency
      "failed_checks": ["gx_marts_quality", ...]         # other failed ERROR checks, by name
    }
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

SCHEMA = "q2c.alert_digest/v1"
RUN_STATUSES = frozenset({"failed", "errors"})


@dataclass(frozen=True)
class FailedRule:
    rule_id: str
    open_count: int
    # Decimal-string: exact, and JSON-safe. A Decimal is accepted and normalised to text.
    amount_at_risk_reporting: str
    reporting_currency: str

    def __post_init__(self) -> None:
        amount = self.amount_at_risk_reporting
        if isinstance(amount, float):
            raise TypeError(f"{self.rule_id}: money must be a Decimal or decimal string, not float {amount!r}")
        try:
            exact = Decimal(str(amount))
        except InvalidOperation:
            raise ValueError(f"{self.rule_id}: amount_at_risk_reporting {amount!r} is not a decimal") from None
        if not exact.is_finite():
            raise ValueError(f"{self.rule_id}: amount_at_risk_reporting must be finite, got {amount!r}")
        object.__setattr__(self, "amount_at_risk_reporting", str(exact))
        object.__setattr__(self, "open_count", int(self.open_count))

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_at_risk_reporting)


@dataclass(frozen=True)
class AlertDigest:
    as_of: date
    run_status: str  # "errors" (ERROR-severity checks failed) or "failed" (the run itself failed)
    failed_rules: tuple[FailedRule, ...] = ()
    report_path: str | None = None  # path or link to the reconciliation report
    dagster_run_id: str | None = None
    failed_checks: tuple[str, ...] = field(default=())  # other failing ERROR checks (e.g. GX)

    def __post_init__(self) -> None:
        if self.run_status not in RUN_STATUSES:
            raise ValueError(f"run_status must be one of {sorted(RUN_STATUSES)}, got {self.run_status!r}")
        rules = tuple(r if isinstance(r, FailedRule) else FailedRule(*r) for r in self.failed_rules)
        object.__setattr__(self, "failed_rules", rules)
        object.__setattr__(self, "failed_checks", tuple(self.failed_checks))
        if self.report_path is not None:
            object.__setattr__(self, "report_path", str(self.report_path))

    def totals_at_risk(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for r in self.failed_rules:
            totals[r.reporting_currency] = totals.get(r.reporting_currency, Decimal(0)) + r.amount
        return dict(sorted(totals.items()))


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def _totals_text(totals: dict[str, Decimal]) -> str:
    return " + ".join(_money(a, c) for c, a in totals.items()) or "no amount"


def render_subject(digest: AlertDigest) -> str:
    head = f"[q2c] {digest.as_of.isoformat()}"
    if digest.run_status == "failed":
        return f"{head} nightly run FAILED"
    parts = []
    if digest.failed_rules:
        n = len(digest.failed_rules)
        parts.append(f"{n} rule{'s' if n != 1 else ''} failed, {_totals_text(digest.totals_at_risk())} at risk")
    if digest.failed_checks:
        n = len(digest.failed_checks)
        parts.append(f"{n} other check{'s' if n != 1 else ''} failed")
    return f"{head} nightly run with errors: " + ("; ".join(parts) or "ERROR checks failed")


def render_text(digest: AlertDigest) -> str:
    status = {
        "failed": "FAILED (the run did not complete; findings may be missing or stale)",
        "errors": "completed with ERROR-severity check failures",
    }[digest.run_status]
    lines = [
        f"q2c nightly reconciliation as of {digest.as_of.isoformat()}",
        f"Run status: {status}",
        f"Dagster run: {digest.dagster_run_id or 'n/a'}",
        "",
    ]
    if digest.failed_rules:
        width = max(len(r.rule_id) for r in digest.failed_rules)
        lines.append("Failed rules:")
        lines.append(f"  {'rule'.ljust(width)}  {'open':>6}  amount at risk")
        for r in digest.failed_rules:
            lines.append(f"  {r.rule_id.ljust(width)}  {r.open_count:>6}  {_money(r.amount, r.reporting_currency)}")
        lines.append(f"Total at risk: {_totals_text(digest.totals_at_risk())}")
        lines.append("")
    if digest.failed_checks:
        lines.append("Other failed checks:")
        lines.extend(f"  {name}" for name in digest.failed_checks)
        lines.append("")
    lines.append(f"Report: {digest.report_path or 'not available'}")
    return "\n".join(lines) + "\n"


def digest_to_json(digest: AlertDigest) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "summary": render_subject(digest),
        "as_of": digest.as_of.isoformat(),
        "run_status": digest.run_status,
        "dagster_run_id": digest.dagster_run_id,
        "report": digest.report_path,
        "failed_rules": [
            {
                "rule_id": r.rule_id,
                "open_count": r.open_count,
                "amount_at_risk_reporting": r.amount_at_risk_reporting,
                "reporting_currency": r.reporting_currency,
            }
            for r in digest.failed_rules
        ],
        "total_at_risk_reporting": {c: str(a) for c, a in digest.totals_at_risk().items()},
        "failed_checks": list(digest.failed_checks),
    }


def failed_rules_from_rows(rows: Iterable[tuple[Any, ...]]) -> tuple[FailedRule, ...]:
    """From (rule_id, open_count, amount_at_risk_reporting, reporting_currency) rows, e.g. a
    query on recon.findings; a NULL amount counts as zero."""
    return tuple(
        FailedRule(str(rule), int(count), amount if amount is not None else Decimal(0), str(currency))
        for rule, count, amount, currency in rows
    )
