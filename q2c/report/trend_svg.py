"""The trend chart of the report as inline SVG, drawn here (no JavaScript, no network).

Two series share the x axis (nights): active exceptions (bars, left axis) and their amount
at risk in the reporting currency (line, right axis). Coordinates are floats: this is
drawing, the amounts printed beside it come from the Decimal values.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from q2c.report.ledger_view import TrendPoint

WIDTH, HEIGHT = 760, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 84, 20, 46
BAR_COLOUR = "#8fb3d9"
LINE_COLOUR = "#c0392b"


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 x 10^n at or above ``value`` (axis maximum)."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = step.scaleb(exponent)
        if candidate >= value:
            return candidate
    return Decimal(10).scaleb(exponent)


def _short_money(value: Decimal) -> str:
    for limit, suffix in ((Decimal(1_000_000_000), "B"), (Decimal(1_000_000), "M"), (Decimal(1_000), "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}".replace(".0" + suffix, suffix)
    return f"{value:,.0f}"


def render_trend_svg(points: Sequence[TrendPoint], reporting_currency: str) -> str:
    """An ``<svg>`` element, or a short note when there is no night to draw."""
    if not points:
        return '<p class="muted">No nightly ledger history yet.</p>'
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM
    max_count = _nice_ceiling(Decimal(max(p.open_exceptions for p in points)))
    max_amount = _nice_ceiling(max(p.amount_at_risk_reporting for p in points))
    slot = plot_w / len(points)
    bar_w = min(28.0, max(2.0, slot * 0.6))

    def y_count(n: int) -> float:
        return _TOP + plot_h - float(Decimal(n) / max_count) * plot_h

    def y_amount(a: Decimal) -> float:
        return _TOP + plot_h - float(a / max_amount) * plot_h

    currency = escape(reporting_currency)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="trend-title">',
        f'<title id="trend-title">Active exceptions and amount at risk ({currency}), last {len(points)} nights</title>',
    ]
    for i in range(5):  # grid and both axes' labels
        fraction = Decimal(i) / 4
        y = _TOP + plot_h - float(fraction) * plot_h
        parts.append(f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{WIDTH - _RIGHT}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{int(max_count * fraction)}</text>'
        )
        parts.append(
            f'<text x="{WIDTH - _RIGHT + 6}" y="{y + 4:.1f}" class="axis">'
            f"{escape(_short_money(max_amount * fraction))}</text>"
        )
    line: list[str] = []
    label_every = max(1, len(points) // 10)
    for i, p in enumerate(points):
        centre = _LEFT + slot * (i + 0.5)
        top = y_count(p.open_exceptions)
        day = escape(p.as_of.isoformat())
        amount = escape(f"{p.amount_at_risk_reporting:,.2f}")
        parts.append(
            f'<rect class="bar" x="{centre - bar_w / 2:.1f}" y="{top:.1f}" width="{bar_w:.1f}" '
            f'height="{_TOP + plot_h - top:.1f}" fill="{BAR_COLOUR}">'
            f"<title>{day}: {p.open_exceptions} active, {amount} {currency}</title></rect>"
        )
        line.append(f"{centre:.1f},{y_amount(p.amount_at_risk_reporting):.1f}")
        if i % label_every == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - _BOTTOM + 16}" text-anchor="middle" class="axis">'
                f"{escape(p.as_of.strftime('%m-%d'))}</text>"
            )
    parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>')
    for xy in line:
        x, y = xy.split(",")
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{LINE_COLOUR}"/>')
    parts.append(
        f'<text x="{_LEFT}" y="{HEIGHT - 8}" class="legend"><tspan fill="{BAR_COLOUR}">■</tspan> active exceptions '
        f'(left)   <tspan fill="{LINE_COLOUR}">●</tspan> amount at risk, {currency} (right)</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
