"""The report as one self-contained HTML page: inline CSS and SVG, no script; its links are
anchors within the page, but one: the rule catalogue (docs/rules.md of the repository).

Every value that comes from data goes through ``_e`` (html.escape): account names and
explanations are the source systems' free text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from html import escape
from typing import Any

from q2c.ledger.schema import FINDING_KEY_COLUMNS
from q2c.report.ledger_view import AgingRow, ReportData
from q2c.report.money_text import money_in_text
from q2c.report.trend_svg import render_trend_svg
from q2c.rule_catalogue import RULES_DOC

_CSS = (
    """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2329;margin:24px auto;max-width:1180px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e5;padding-bottom:4px}
.muted{color:#68717a}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid #dde1e5;border-radius:6px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid #eceff1;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}td:first-child{white-space:nowrap}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.sev-error{color:#fff;background:#c0392b;border-radius:3px;padding:0 6px}.sev-warn{background:#f5c542;border-radius:3px;padding:0 6px}
.sev-pass{color:#2e7d32}.keys{font-family:ui-monospace,monospace;font-size:12px;white-space:nowrap}
.side{display:flex;gap:24px;flex-wrap:wrap}.side>div{flex:1;min-width:320px}
svg.trend text{font-size:11px;fill:#555}svg.trend .legend{font-size:12px}
table.top{table-layout:fixed}table.top td{overflow-wrap:anywhere;white-space:normal}
table.top .keys{white-space:normal;font-size:11px;color:#68717a}a{color:#1f5fa8}
"""
    + "".join(
        f"table.top col.{name}{{width:{width}}}"
        for name, width in (
            ("id", "9%"),
            ("customer", "13%"),
            ("subject", "17%"),
            ("values", "20%"),
            ("amount", "10%"),
            ("owner", "8%"),
            ("age", "5%"),
            ("why", "18%"),
        )
    )
    + """
"""
)


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _severity(severity: str | None) -> str:
    if severity == "error":
        return '<span class="sev-error">ERROR</span>'
    if severity == "warn":
        return '<span class="sev-warn">WARN</span>'
    return '<span class="sev-pass">pass</span>'


def _materiality(review: Any) -> str:
    m = review.materiality
    if m is None:
        return ""
    parts = ([f"amount ≥ {m.amount:,}"] if m.amount is not None else []) + (
        [f"count ≥ {m.count}"] if m.count is not None else []
    )
    return ", ".join(parts)


def _table(header: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """``header``: (label, numeric); cells are already-escaped HTML."""
    head = "".join(f'<th class="n">{_e(h)}</th>' if num else f"<th>{_e(h)}</th>" for h, num in header)
    body = []
    for row in rows:
        cells = "".join(f'<td class="n">{c}</td>' if header[i][1] else f"<td>{c}</td>" for i, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _aging_table(rows: list[AgingRow], currency: str) -> str:
    return _table(
        [("bucket (days)", False), ("exceptions", True), (f"amount at risk ({currency})", True)],
        [[_e(r.bucket), _e(r.exceptions), _e(_money(r.amount_at_risk_reporting))] for r in rows],
    )


def _keys(row: dict[str, Any]) -> str:
    pairs = [f"{_e(c)}={_e(row[c])}" for c in FINDING_KEY_COLUMNS if row.get(c) not in (None, "")]
    return "<br>".join(pairs)


def _batches_section(data: ReportData) -> list[str]:
    """What tonight's numbers lack: rejected and held batches, folders incomplete too long."""
    out = ['<h2 id="batches-not-loaded">Batches not loaded</h2>']
    if not data.batch_issues:
        return [*out, '<p class="muted">Every complete batch of every system is loaded.</p>']
    for system in sorted({i.system for i in data.batch_issues if i.status == "held"}):
        out.append(
            f'<p><span class="sev-error">ERROR</span> {_e(system)} is held: its newer batches are not in '
            "tonight's numbers until the batch holding them is fixed, completed or skipped "
            "(<code>q2c batches list</code>, <code>q2c batches skip</code>).</p>"
        )
    rows = [[_e(i.system), _e(i.batch_id), _e(i.status), _e(i.reason)] for i in data.batch_issues]
    out.append(_table([("system", False), ("batch", False), ("state", False), ("reason", False)], rows))
    return out


def _top_row(x: dict[str, Any]) -> list[str]:
    currency = x["currency_code"]
    amount = _e(f"{_money(x['amount_at_risk'])} {currency or ''}".strip())
    reporting = _e(_money(x["amount_at_risk_reporting"]))
    if not x["amount_counted"]:  # the same money as a larger finding of the same subject
        reporting = (
            f'<span class="muted" title="counted once, with the same subject\'s other finding">({reporting})</span>'
        )
    subject = f"{_e(x['subject_type'])} {_e(x['subject_id'])}" + (
        f" ({_e(x['attribute'])})" if x.get("attribute") else ""
    )
    return [
        f'<code title="q2c exceptions show {_e(x["exception_id"])}">{_e(x["exception_id"][:12])}</code>',
        _e(x.get("customer_name") or ""),
        f'{subject}<div class="keys">{_keys(x)}</div>',
        f"expected {_e(money_in_text(x['expected'], currency))}<br>actual {_e(money_in_text(x['actual'], currency))}",
        f"{amount}<br>{reporting}" if amount else "",
        _e(x["owner"]),
        _e(f"{'-' if x['event_age_days'] is None else x['event_age_days']} / {x['open_age_days']}"),
        _e(x["explanation"]),
    ]


_TOP_COLUMNS = ("id", "customer", "subject", "values", "amount", "owner", "age", "why")


def _top_sections(data: ReportData) -> list[str]:
    """Per rule with open exceptions, its largest ones: the id to take to ``q2c exceptions show``,
    the customer by name, the amounts (reporting currency below), why."""
    currency = data.reporting_currency
    out = ['<h2 id="top-exceptions">Largest open exceptions of each rule</h2>']
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for x in data.top_exceptions:
        by_rule.setdefault(x["rule_id"], []).append(x)
    if not by_rule:
        return [*out, '<p class="muted">No open exceptions.</p>']
    head = "".join(
        f"<th>{_e(h)}</th>"
        for h in ("exception id", "customer", "subject and keys", "expected / actual",
                  f"amount / {currency}", "owner", "age (days): event / open", "explanation")
    )  # fmt: skip
    cols = "".join(f'<col class="{c}">' for c in _TOP_COLUMNS)
    for review in data.reviews:
        rows = by_rule.get(review.rule_id)
        if not rows:
            continue
        shown = f"largest {len(rows)} of {review.open} open" if len(rows) < review.open else f"{review.open} open"
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in _top_row(x)) + "</tr>" for x in rows)
        out += [
            f'<h3 id="rule-{_e(review.rule_id)}">{_e(review.rule_id)} · {_e(review.title)} '
            f'<span class="muted">({_e(shown)}, <a href="#by-rule">by rule</a>)</span></h3>',
            f'<table class="top"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>',
        ]
    return out


def render_report_html(data: ReportData, *, generated_at: datetime | None = None) -> str:
    currency = data.reporting_currency
    generated = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    failing = [r for r in data.reviews if not r.passed]
    errors = sum(1 for r in failing if r.severity == "error")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>q2c reconciliation as of {_e(data.as_of.isoformat())}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Quote-to-cash reconciliation as of {_e(data.as_of.isoformat())}</h1>",
        f'<p class="muted">Dagster run {_e(data.run_id or "n/a")} · generated {_e(generated)} · '
        f"amounts in {_e(currency)} (reporting currency) unless marked</p>",
        '<div class="cards">',
        f'<div class="card">open exceptions<b id="open-total">{_e(data.open_total)}</b></div>',
        f'<div class="card">amount at risk ({_e(currency)})<b id="amount-total">{_e(_money(data.amount_total))}</b></div>',
        f'<div class="card">new tonight<b id="new-total">{_e(data.new_total)}</b></div>',
        f'<div class="card">resolved tonight<b id="resolved-total">{_e(data.resolved_total)}</b></div>',
        f'<div class="card">reopened tonight<b>{_e(data.reopened_total)}</b></div>',
        f'<div class="card">rules failing<b>{_e(errors)} ERROR · {_e(len(failing) - errors)} WARN</b></div>',
        "</div>",
        *_batches_section(data),
        "<h2>Trend over the last nights</h2>",
        render_trend_svg(data.trend, currency),
        "<h2>By family</h2>",
        _table(
            [
                ("family", False),
                ("rules failing", True),
                ("open", True),
                ("new", True),
                ("resolved", True),
                (f"amount at risk ({currency})", True),
            ],
            [
                [
                    _e(f.family),
                    _e(f.rules_failing),
                    _e(f.open),
                    _e(f.new_tonight),
                    _e(f.resolved_tonight),
                    _e(_money(f.amount_at_risk_reporting)),
                ]
                for f in data.families
            ],
        ),
        '<h2 id="by-rule">By rule</h2>',
        '<p class="muted">Open counts open and acknowledged exceptions; waived ones are listed apart and do '
        "not count toward the check. New and resolved compare tonight with the previous run. An amount found "
        "through two systems (one customer's ERP and billing receivables) counts once. At stake: for findings "
        "without an amount, the open ERP receivables and unbilled approved time of the accounts involved "
        "(context, not in the totals). What each rule "
        f'finds: the <a id="rule-catalogue" href="{_e(RULES_DOC.as_uri())}">rule catalogue</a> '
        "(docs/rules.md in the q2c repository).</p>",
        _table(
            [
                ("rule", False),
                ("title", False),
                ("check", False),
                ("open", True),
                ("new", True),
                ("reopened", True),
                ("resolved", True),
                ("waived", True),
                (f"amount at risk ({currency})", True),
                (f"at stake ({currency})", True),
                ("materiality", False),
            ],
            [
                [
                    f'<a href="#rule-{_e(r.rule_id)}">{_e(r.rule_id)}</a>' if r.open else _e(r.rule_id),
                    _e(r.title),
                    _severity(r.severity),
                    _e(r.open),
                    _e(r.new_tonight),
                    _e(r.reopened_tonight),
                    _e(r.resolved_tonight),
                    _e(r.waived),
                    _e(_money(r.amount_at_risk_reporting)) if r.max_amount_reporting is not None else "-",
                    _e(_money(r.at_stake.total_reporting)) if r.at_stake else "",
                    _e(_materiality(r)),
                ]
                for r in data.reviews
            ],
        ),
        "<h2>Aging</h2>",
        '<div class="side"><div><h3>Open exceptions by age in the ledger</h3>',
        _aging_table(data.exception_aging, currency),
        "</div><div><h3>Unbilled time (UNB-01) by age of the work</h3>",
        _aging_table(data.unbilled_aging, currency),
        "</div></div>",
        *_top_sections(data),
        '<p class="muted">Every open exception: <code>SELECT * FROM recon.exceptions WHERE status IN '
        "('open', 'acknowledged')</code>; review them with <code>q2c exceptions</code>.</p>",
        "</body></html>",
    ]
    return "\n".join(out) + "\n"
