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

    @classmethod
    def from_run_results(cls, path: Path) -> DbtSummary | None:
        if not path.exists():
            return None
        summary = cls()
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
        return summary


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
            str(r.firing),
            str(r.new_tonight),
            str(r.resolved_tonight),
            str(r.open),
            str(r.waived),
            # "-" when no open finding of the rule carries an amount (rule counts findings only)
            _money(r.amount_at_risk_reporting) if r.max_amount_reporting is not None else "-",
            severity[r.severity],
        )
        for r in reviews
    ]


RULE_TABLE_HEADER = ("rule", "findings", "new", "resolved", "open", "waived", "amount at risk", "check")


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
    if result.ledger:
        lines += ["", "## Exception ledger", ""]
        lines += [f"- {name}: {value}" for name, value in result.ledger.items()]
    if result.reviews:
        total = sum((r.amount_at_risk_reporting for r in result.reviews), Decimal("0"))
        header = [*RULE_TABLE_HEADER]
        header[6] = f"amount at risk ({reporting_currency})"
        lines += ["", "## Reconciliation by rule", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---|")
        lines += ["| " + " | ".join(row) + " |" for row in rule_table_rows(result.reviews)]
        lines += ["", f"Total open amount at risk: {_money(total)} {reporting_currency}"]
    return "\n".join(lines) + "\n"


def write_report(result: NightlyResult, reports_dir: Path, reporting_currency: str) -> Path:
    reports_dir.mkdir(parents=True, exist_ok=True)
    text = render_markdown(result, reporting_currency)
    name = f"{result.as_of.isoformat()}.md" if result.as_of else f"run-{result.run_id[:8]}.md"
    path = reports_dir / name
    path.write_text(text, encoding="utf-8")
    (reports_dir / "latest.md").write_text(text, encoding="utf-8")
    return path
