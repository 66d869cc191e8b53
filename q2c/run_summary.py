"""What a nightly run did, in numbers, and its Markdown report (``<reports_dir>/<as-of>.md``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from q2c.ledger import RuleReview

if TYPE_CHECKING:  # the landing package loads dlt, which `q2c --help` need not
    from ingestion.landing.batch_log import BatchIssue

# dbt's run_results status -> the DbtSummary field it counts in (models: anything else failed)
_MODEL_COUNTERS = {"success": "models_built", "skipped": "models_skipped"}
_TEST_COUNTERS = {"pass": "tests_passed", "warn": "tests_warned", "fail": "tests_failed", "error": "tests_failed"}


@dataclass
class DbtSummary:
    seeds: int = 0
    models_built: int = 0
    models_failed: int = 0
    models_skipped: int = 0
    tests_passed: int = 0
    tests_warned: int = 0
    tests_failed: int = 0
    failed_tests: list[str] = field(default_factory=list)
    warned_tests: list[str] = field(default_factory=list)  # "<test> on <model>": what to look at

    @classmethod
    def from_run_results(cls, path: Path) -> DbtSummary | None:
        if not path.exists():
            return None
        summary = cls()
        models = _tested_models(path.parent / "manifest.json")
        for result in json.loads(path.read_text(encoding="utf-8")).get("results", []):
            uid, status = result.get("unique_id", ""), result.get("status")
            kind = uid.split(".", 1)[0]
            if kind == "seed":
                counter = "seeds" if status == "success" else None
            elif kind in ("model", "snapshot"):
                counter = _MODEL_COUNTERS.get(status, "models_failed")
            else:
                counter = _TEST_COUNTERS.get(status) if kind in ("test", "unit_test") else None
            if counter:
                setattr(summary, counter, getattr(summary, counter) + 1)
            if counter == "tests_failed":
                summary.failed_tests.append(uid)
            elif counter == "tests_warned":
                name = uid.split(".")[2] if uid.count(".") >= 2 else uid
                on = models.get(uid)
                summary.warned_tests.append(f"{name} on {on}" if on else name)
        return summary


def _tested_models(manifest: Path) -> dict[str, str]:
    """test unique id -> the model it tests, from dbt's manifest beside run_results.json."""
    if not manifest.exists():
        return {}
    nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    out = {}
    for uid, node in nodes.items():
        attached = node.get("attached_node") or next(iter((node.get("depends_on") or {}).get("nodes") or []), None)
        if uid.startswith("test.") and attached:
            out[uid] = attached.split(".")[-1]
    return out


@dataclass
class NightlyResult:
    success: bool
    run_id: str
    as_of: date | None = None
    rows_landed: dict[str, int] = field(default_factory=dict)
    dbt: DbtSummary | None = None
    ledger: dict[str, int] = field(default_factory=dict)
    reviews: list[RuleReview] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    report_path: Path | None = None
    published_path: Path | None = None  # the analyst snapshot, when this run published one
    html_report_path: Path | None = None  # <reports_dir>/<as-of>.html, when this run wrote it
    skipped_stages: list[str] = field(default_factory=list)  # nothing new since the last build
    not_run_stages: list[str] = field(default_factory=list)  # an upstream step failed
    alert_lines: list[str] = field(default_factory=list)  # one per alert sink the night used
    # rejected and held batches, folders incomplete too long: what tonight's numbers lack
    batch_issues: list[BatchIssue] = field(default_factory=list)

    @property
    def held_systems(self) -> list[str]:
        return sorted({i.system for i in self.batch_issues if i.status == "held"})


BATCH_ISSUE_HEADER = ("system", "batch", "state", "reason")


def batch_issue_rows(issues: list[BatchIssue]) -> list[tuple[str, str, str, str]]:
    return [(i.system, i.batch_id, i.status, i.reason) for i in issues]


def held_system_line(system: str) -> str:
    return (
        f"ERROR: {system} is held: its newer batches are not in tonight's numbers until the batch "
        "holding them is fixed, completed or skipped (`q2c batches list`, `q2c batches skip`)"
    )


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def rule_table_rows(reviews: list[RuleReview]) -> list[tuple[str, ...]]:
    severity = {"error": "ERROR", "warn": "WARN", None: "pass"}
    return [
        (
            r.rule_id,
            r.title,
            str(r.firing),
            str(r.new_tonight),
            str(r.resolved_tonight),
            str(r.open),
            str(r.waived),
            # "-" when no open finding of the rule carries an amount (rule counts findings only)
            _money(r.amount_at_risk_reporting) if r.max_amount_reporting is not None else "-",
            _money(r.at_stake.total_reporting) if r.at_stake else "",
            severity[r.severity],
        )
        for r in reviews
    ]


RULE_TABLE_HEADER = (
    "rule", "title", "findings", "new", "resolved", "open", "waived", "amount at risk", "at stake", "check",
)  # fmt: skip
AT_STAKE_NOTE = (
    "at stake: for open findings without an amount, the open ERP receivables and the unbilled approved time "
    "of the customer accounts involved (context, not added to the amount at risk)"
)


def rule_table_header(reporting_currency: str) -> tuple[str, ...]:
    return tuple(f"{h} ({reporting_currency})" if h in ("amount at risk", "at stake") else h for h in RULE_TABLE_HEADER)


def total_at_risk(reviews: list[RuleReview]) -> Decimal:
    """Each rule's amount counts each subject once (q2c.ledger.amounts)."""
    return sum((r.amount_at_risk_reporting for r in reviews), Decimal("0"))


def totals_line(reviews: list[RuleReview], reporting_currency: str) -> str:
    failing = [r for r in reviews if r.severity]
    errors = sum(1 for r in failing if r.severity == "error")
    at_stake = sum((r.at_stake.total_reporting for r in reviews if r.at_stake), Decimal("0"))
    return (
        f"total open amount at risk: {_money(total_at_risk(reviews))} {reporting_currency}; "
        f"at stake behind findings without an amount: {_money(at_stake)} {reporting_currency}; "
        f"rules failing: {errors} ERROR, {len(failing) - errors} WARN"
    )


def ledger_line(result: NightlyResult) -> str | None:
    """The ledger in finance terms: what is open and what tonight changed."""
    if result.reviews:
        open_, waived = sum(r.open for r in result.reviews), sum(r.waived for r in result.reviews)
        new = sum(r.new_tonight for r in result.reviews)
        resolved = sum(r.resolved_tonight for r in result.reviews)
        reopened = sum(r.reopened_tonight for r in result.reviews)
    elif result.ledger:
        open_, waived = result.ledger.get("active_exceptions", 0), None
        new, resolved, reopened = (result.ledger.get(k, 0) for k in ("new", "resolved", "reopened"))
    else:
        return None
    line = f"{open_:,} open exceptions: {new:,} new, {resolved:,} resolved, {reopened:,} reopened tonight"
    return line + (f" ({waived:,} more waived)" if waived else "")


def render_markdown(result: NightlyResult, reporting_currency: str) -> str:
    lines = [f"# q2c nightly run — as of {result.as_of or 'unknown'}", ""]
    lines.append(f"- run id: `{result.run_id}`")
    lines.append(f"- status: **{'success' if result.success else 'FAILED'}**")
    for failure in result.failures:
        lines.append(f"  - {failure}")
    lines += ["", "## Landing", "", "| system | rows landed |", "|---|---:|"]
    lines += [f"| {system} | {rows:,} |" for system, rows in result.rows_landed.items()]
    if result.batch_issues:
        lines += ["", "## Batches not loaded", ""]
        lines += [f"- **{held_system_line(system)}**" for system in result.held_systems]
        lines += ["", "| " + " | ".join(BATCH_ISSUE_HEADER) + " |", "|---|---|---|---|"]
        lines += [
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
            for row in batch_issue_rows(result.batch_issues)
        ]
    if result.dbt:
        d = result.dbt
        lines += [
            "",
            "## dbt build",
            "",
            f"- seeds loaded: {d.seeds}",
            f"- models built: {d.models_built} (failed {d.models_failed}, skipped {d.models_skipped})",
            f"- tests: {d.tests_passed} passed, {d.tests_warned} warned, {d.tests_failed} failed",
        ]
        lines += [f"  - failed: `{t}`" for t in d.failed_tests]
        lines += [f"  - warned: `{t}`" for t in d.warned_tests]
    ledger = ledger_line(result)
    if ledger:
        lines += ["", "## Exception ledger", "", f"- {ledger}"]
    if result.reviews:
        lines += ["", "## Reconciliation by rule", ""]
        lines.append("| " + " | ".join(rule_table_header(reporting_currency)) + " |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
        lines += [
            "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rule_table_rows(result.reviews)
        ]
        lines += ["", f"- {totals_line(result.reviews, reporting_currency)}"]
        lines += [f"- {AT_STAKE_NOTE}; an amount found through two systems counts once"]
    return "\n".join(lines) + "\n"


def write_report(result: NightlyResult, reports_dir: Path, reporting_currency: str) -> Path:
    reports_dir.mkdir(parents=True, exist_ok=True)
    text = render_markdown(result, reporting_currency)
    name = f"{result.as_of.isoformat()}.md" if result.as_of else f"run-{result.run_id[:8]}.md"
    path = reports_dir / name
    path.write_text(text, encoding="utf-8")
    (reports_dir / "latest.md").write_text(text, encoding="utf-8")
    return path
