"""The nightly reconciliation report: one self-contained HTML file per as-of date."""

from q2c.report.html import render_report_html
from q2c.report.ledger_view import ReportData, TrendPoint, load_report_data
from q2c.report.trend_svg import render_trend_svg
from q2c.report.writer import LATEST_NAME, report_path_for, write_reconciliation_report

__all__ = [
    "LATEST_NAME",
    "ReportData",
    "TrendPoint",
    "load_report_data",
    "render_report_html",
    "render_trend_svg",
    "report_path_for",
    "write_reconciliation_report",
]
