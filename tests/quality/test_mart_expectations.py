"""GX suite over hand-built marts: clean data passes, each planted defect fails visibly.

One module-scoped sequence of runs into one docs folder (GX is slow to import and the
later runs need the earlier runs' baselines): clean, clean again, then defective data.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest

from q2c.quality import ExpectationOutcome, load_previous_row_counts, run_mart_expectations
from q2c.quality.data_docs_offline import GX_PROJECT_DIRNAME, external_resources
from q2c.quality.mart_checks import MART_CHECKS
from tests.quality.mart_fixtures import N_INVOICES, build_marts, good_rows


def _bad_rows() -> dict[str, list[tuple]]:
    rows = good_rows()
    te = rows["time_entries"]
    te[0] = (None, *te[0][1:])  # null key
    te[1] = (te[1][0], te[1][1], -2, *te[1][3:])  # negative hours
    inv = rows["billing_invoices"][:5]  # row count crashes from 20 to 5
    inv[1] = (*inv[1][:3], "usd", *inv[1][4:])  # lower-case currency
    # EUR invoice totals jump tenfold: the mean per currency must notice.
    rows["billing_invoices"] = [
        (*r[:4], *(v * 10 if isinstance(v, int) else v for v in r[4:])) if r[3] == "EUR" else r for r in inv
    ]
    rc = rows["rate_cards"]
    rc[0] = (*rc[0][:3], 2500, *rc[0][4:])  # USD rate above the ceiling
    return rows


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("quality")
    docs = base / "docs" / "gx"
    good_db = build_marts(base / "good.duckdb", good_rows())
    bad_db = build_marts(base / "bad.duckdb", _bad_rows(), skip=("customers",), drop_columns=("credit_notes.status",))
    first = run_mart_expectations(good_db, docs)
    counts_after_first = load_previous_row_counts(docs)
    second = run_mart_expectations(good_db, docs, previous_row_counts=counts_after_first)
    third = run_mart_expectations(bad_db, docs, previous_row_counts=load_previous_row_counts(docs))
    return {"docs": docs, "first": first, "second": second, "third": third, "counts": counts_after_first}


def _failures(outcomes: list[ExpectationOutcome]) -> list[ExpectationOutcome]:
    return [o for o in outcomes if not o.success]


def _one(outcomes, mart, expectation_type, column=None, where=None) -> ExpectationOutcome:
    found = [
        o
        for o in outcomes
        if o.mart == mart
        and o.expectation_type == expectation_type
        and o.column == column
        and (where is None or where in o.details)
    ]
    assert len(found) == 1, (mart, expectation_type, column, where, found)
    return found[0]


def _path(url: str) -> Path:
    return Path(url2pathname(urlparse(url).path))


def test_clean_marts_pass_and_publish_data_docs(runs):
    first = runs["first"]
    assert _failures(first) == []
    assert {o.mart for o in first} == set(MART_CHECKS)
    docs: Path = runs["docs"]
    assert (docs / "index.html").is_file()
    for o in first:
        assert _path(o.docs_url).is_file(), o.docs_url
    page = _path(_one(first, "time_entries", "expect_column_values_to_not_be_null", "time_entry_id").docs_url)
    assert page.suffix == ".html" and "validations" in page.parts
    # every family of check is present on a mart that needs it
    types = {(o.mart, o.expectation_type) for o in first}
    for expected in [
        ("time_entries", "expect_table_row_count_to_be_between"),
        ("time_entries", "expect_column_values_to_be_in_set"),
        ("time_entries", "expect_column_values_to_be_between"),
        ("billing_invoices", "expect_column_mean_to_be_between"),
        ("customers", "expect_column_values_to_be_unique"),
    ]:
        assert expected in types


def test_row_counts_are_recorded_for_the_next_run(runs):
    assert runs["counts"]["billing_invoices"] == N_INVOICES
    assert runs["counts"]["time_entries"] == 30


def test_second_clean_run_uses_previous_run_bounds_and_passes(runs):
    second = runs["second"]
    assert _failures(second) == []
    rc = _one(second, "billing_invoices", "expect_table_row_count_to_be_between")
    assert "between 10 and 30" in rc.details
    eur = _one(second, "billing_invoices", "expect_column_mean_to_be_between", "total", where="== EUR")
    assert eur.observed_value == "1090"  # mean of 1000, 1020, ..., 1180
    assert "between 545 and 1635" in eur.details


def test_null_key_fails_with_null_share(runs):
    o = _one(runs["third"], "time_entries", "expect_column_values_to_not_be_null", "time_entry_id")
    assert not o.success
    assert o.observed_value.startswith("1 of 30 rows unexpected (3.33%)")
    assert o.details.startswith("FAILED: time_entries.time_entry_id")


def test_lower_case_currency_fails_with_the_value(runs):
    o = _one(runs["third"], "billing_invoices", "expect_column_values_to_be_in_set", "currency_code")
    assert not o.success
    assert "1 of 5 rows unexpected" in o.observed_value and "'usd'" in o.observed_value


def test_negative_hours_fail_the_range(runs):
    o = _one(runs["third"], "time_entries", "expect_column_values_to_be_between", "hours")
    assert not o.success
    assert "1 of 30 rows unexpected" in o.observed_value and "-2" in o.observed_value
    assert "between 0 and 24" in o.details


def test_rate_above_ceiling_fails_but_high_nominal_currency_is_exempt(runs):
    o = _one(runs["third"], "rate_cards", "expect_column_values_to_be_between", "hourly_rate")
    assert not o.success
    assert "2500" in o.observed_value and "18000" not in o.observed_value
    clean = _one(runs["first"], "rate_cards", "expect_column_values_to_be_between", "hourly_rate")
    assert clean.success  # the JPY 18,000 rate did not count


def test_row_count_crash_vs_previous_run_fails(runs):
    o = _one(runs["third"], "billing_invoices", "expect_table_row_count_to_be_between")
    assert not o.success
    assert o.observed_value == "5"
    assert "between 10 and 30" in o.details


def test_mean_per_currency_shift_fails_and_other_currency_passes(runs):
    eur = _one(runs["third"], "billing_invoices", "expect_column_mean_to_be_between", "total", where="== EUR")
    assert not eur.success
    assert float(eur.observed_value) == pytest.approx(10200.0)  # (10000 + 10200 + 10400) / 3
    usd = _one(runs["third"], "billing_invoices", "expect_column_mean_to_be_between", "total", where="== USD")
    assert usd.success


def test_missing_mart_is_reported(runs):
    o = _one(runs["third"], "customers", "expect_mart_to_exist")
    assert not o.success and o.observed_value == "missing"


def test_missing_column_fails_with_the_gx_error(runs):
    o = _one(runs["third"], "credit_notes", "expect_column_values_to_be_in_set", "status")
    assert not o.success
    assert o.observed_value == 'error: Error: The column "status" in BatchData does not exist.'


def test_only_the_planted_defects_fail(runs):
    failed = {(o.mart, o.expectation_type, o.column) for o in _failures(runs["third"])}
    assert failed == {
        ("time_entries", "expect_column_values_to_not_be_null", "time_entry_id"),
        ("time_entries", "expect_column_values_to_be_between", "hours"),
        ("billing_invoices", "expect_column_values_to_be_in_set", "currency_code"),
        ("billing_invoices", "expect_table_row_count_to_be_between", None),
        ("billing_invoices", "expect_column_mean_to_be_between", "total"),
        ("rate_cards", "expect_column_values_to_be_between", "hourly_rate"),
        ("customers", "expect_mart_to_exist", None),
        ("credit_notes", "expect_column_values_to_not_be_null", "status"),
        ("credit_notes", "expect_column_values_to_be_in_set", "status"),
    }


def test_data_docs_keep_history_of_runs(runs):
    pages = list((runs["docs"] / "validations" / "marts" / "billing_invoices").rglob("*.html"))
    assert len(pages) == 3
    index = (runs["docs"] / "index.html").read_text(encoding="utf-8")
    assert "marts.billing_invoices" in index
    linked = set(re.findall(r'validations/marts/billing_invoices/[^"]+\.html', index))
    assert len(linked) == 3  # the index lists every night's result, not only tonight's


_LOCAL_RESOURCE = re.compile(r"""<(?:script|img)\b[^>]*\bsrc="([^":]+)"|<link\b[^>]*\bhref="([^":#]+)\"""")


def test_data_docs_fetch_nothing_from_the_network(runs):
    """Every page of all three nights loads its styles and scripts from the site itself (the
    browser check with the network off is tests/browser/test_gx_data_docs_offline.py)."""
    docs: Path = runs["docs"]
    pages = [p for p in docs.rglob("*.html") if GX_PROJECT_DIRNAME not in p.parts]
    assert len(pages) > len(MART_CHECKS)
    for path in [*pages, *(docs / "static" / "styles").glob("*.css")]:
        text = path.read_text(encoding="utf-8")
        assert external_resources(text) == [], path
        for found in _LOCAL_RESOURCE.finditer(text):
            target = next(g for g in found.groups() if g).split("?")[0]
            assert (path.parent / target).is_file(), (path, target)
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert 'src="static/vendor/jquery@3.7.1/dist/jquery.min.js"' in index
    assert "crossorigin" not in index  # a CORS fetch of a file:// copy is refused
