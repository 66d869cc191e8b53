"""Property-based tests of the quirk parsers: the dbt macros the staging models use to
normalise NetSuite US dates and datetimes, Stripe minor units, boolean spellings and decimal
strings. The macros are compiled once by dbt into one query over an input table; hypothesis
then feeds that exact SQL generated inputs on DuckDB and compares with Python's own
formatting and arithmetic (datetime, Decimal)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest
from dbt.cli.main import dbtRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from q2c.settings import environment
from tests.dbt.dbt_harness import dbt_path_args

INPUTS = "q2c_quirk_inputs"
INPUT_COLUMNS = {
    "us_date": "VARCHAR",
    "us_datetime": "VARCHAR",
    "flag": "VARCHAR",
    "amount_minor": "BIGINT",
    "unit_amount_text": "VARCHAR",
    "currency": "VARCHAR",
    "money_text": "VARCHAR",
}
# The same macro calls as the staging models (stg_erp__*, stg_billing__*, stg_crm__*).
QUERY = f"""
select
  {{{{ parse_us_date('us_date') }}}} as us_date,
  {{{{ parse_us_datetime('us_datetime') }}}} as us_datetime,
  {{{{ to_boolean('flag') }}}} as flag,
  {{{{ minor_to_major('amount_minor', 'currency') }}}} as amount_major,
  {{{{ major_to_minor(minor_to_major('amount_minor', 'currency'), 'currency') }}}} as amount_minor_again,
  {{{{ minor_to_major(dbt.cast('unit_amount_text', money_type()), 'currency') }}}} as unit_amount,
  {{{{ to_money('money_text') }}}} as money
from {INPUTS}
"""
EXPONENT = {"usd": 2, "eur": 2, "gbp": 2, "jpy": 0, "krw": 0, "kwd": 3, "bhd": 3, "USD": 2, "Jpy": 0}
MONEY_LIMIT = 10**14  # decimal(18,4) holds |x| < 10^14


@pytest.fixture(scope="module")
def compiled_sql(tmp_path_factory) -> str:
    work = tmp_path_factory.mktemp("quirk_compile")
    with environment({"Q2C_DUCKDB_PATH": str(work / "compile.duckdb")}):
        result = dbtRunner().invoke(
            [
                "compile",
                "--inline",
                QUERY,
                *dbt_path_args(work),
                "--quiet",
                "--no-use-colors",
            ]
        )
    assert result.success, result.exception
    sql = result.result.results[0].node.compiled_code
    assert "strptime" in sql and INPUTS in sql  # really the macros' DuckDB SQL
    return sql


def run_parsers(sql: str, rows: list[dict]) -> list[dict]:
    """The compiled parsers over ``rows`` (missing inputs are NULL), one output dict per row."""
    with duckdb.connect(":memory:") as conn:
        columns = ", ".join(f"{name} {kind}" for name, kind in INPUT_COLUMNS.items())
        conn.execute(f"CREATE TABLE {INPUTS} (_n INTEGER, {columns})")
        names = list(INPUT_COLUMNS)
        conn.executemany(
            f"INSERT INTO {INPUTS} VALUES (?, {', '.join('?' for _ in names)})",
            [[i, *(row.get(n) for n in names)] for i, row in enumerate(rows)],
        )
        cursor = conn.execute(sql.replace(f"from {INPUTS}", f"from {INPUTS} order by _n"))
        out_names = [d[0] for d in cursor.description]
        return [dict(zip(out_names, r)) for r in cursor.fetchall()]


def _us_date(d: date, pad: bool) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}" if pad else f"{d.month}/{d.day}/{d.year}"


def _us_datetime(t: datetime, pad: bool) -> str:
    hour12 = t.hour % 12 or 12
    clock = f"{hour12:02d}:{t.minute:02d}" if pad else f"{hour12}:{t.minute:02d}"
    return f"{_us_date(t.date(), pad)} {clock} {'am' if t.hour < 12 else 'pm'}"


_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
_minutes = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31)).map(
    lambda t: t.replace(second=0, microsecond=0)
)
_fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_fast
@given(st.lists(st.tuples(_dates, st.booleans()), min_size=1, max_size=40))
def test_netsuite_dates_round_trip(compiled_sql, cases):
    rows = [{"us_date": _us_date(d, pad)} for d, pad in cases]
    assert [r["us_date"] for r in run_parsers(compiled_sql, rows)] == [d for d, _ in cases]


@_fast
@given(st.lists(st.tuples(_minutes, st.booleans()), min_size=1, max_size=40))
def test_netsuite_datetimes_round_trip_and_their_date_part_parses_as_the_date(compiled_sql, cases):
    rows = [{"us_datetime": _us_datetime(t, pad), "us_date": _us_datetime(t, pad)} for t, pad in cases]
    out = run_parsers(compiled_sql, rows)
    assert [r["us_datetime"] for r in out] == [t for t, _ in cases]
    assert [r["us_date"] for r in out] == [t.date() for t, _ in cases]


def test_netsuite_12_am_and_pm_edges(compiled_sql):
    texts = ["3/1/2026 12:00 am", "3/1/2026 12:59 am", "3/1/2026 12:00 pm", "3/1/2026 11:59 pm", "3/1/2026"]
    out = run_parsers(compiled_sql, [{"us_datetime": t} for t in texts])
    base = datetime(2026, 3, 1)
    assert [r["us_datetime"] for r in out] == [
        base,
        base + timedelta(minutes=59),
        base + timedelta(hours=12),
        base + timedelta(hours=23, minutes=59),
        base,
    ]


_spellings = st.sampled_from(["T", "F", "true", "false", "TRUE", "FALSE", "True", "False", " t ", "f "])
_other_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=8)


def _expected_boolean(text: str | None) -> bool | None:
    if text is None:
        return None
    word = text.strip(" ").upper()
    return True if word in ("T", "TRUE") else False if word in ("F", "FALSE") else None


@_fast
@given(st.lists(st.one_of(_spellings, _other_text, st.none()), min_size=1, max_size=40))
def test_boolean_spellings_of_every_system(compiled_sql, flags):
    out = run_parsers(compiled_sql, [{"flag": f} for f in flags])
    assert [r["flag"] for r in out] == [_expected_boolean(f) for f in flags]


_currencies = st.sampled_from(sorted(EXPONENT))


@_fast
@given(st.lists(st.tuples(st.integers(-(10**13), 10**13), _currencies), min_size=1, max_size=40))
def test_stripe_minor_units_by_currency_exponent_are_exact(compiled_sql, cases):
    out = run_parsers(compiled_sql, [{"amount_minor": a, "currency": c} for a, c in cases])
    assert [r["amount_major"] for r in out] == [Decimal(a).scaleb(-EXPONENT[c]) for a, c in cases]
    assert [r["amount_minor_again"] for r in out] == [Decimal(a) for a, _ in cases]


# Stripe caps amounts at 8 digits (12 for a few currencies); the macro's decimal(18,4) x
# decimal(4,3) product overflows DuckDB's 18 digits from 10^11 minor units on.
STRIPE_MINOR_LIMIT = 10**11


@st.composite
def _unit_amount(draw):
    """A Stripe decimal string in minor units whose major value fits decimal(18,4) exactly:
    at most 4 - exponent decimal places (e.g. "17500", "17500.5", "0.25" for usd)."""
    currency = draw(_currencies)
    places = draw(st.integers(0, 4 - EXPONENT[currency]))
    value = Decimal(draw(st.integers(-STRIPE_MINOR_LIMIT + 1, STRIPE_MINOR_LIMIT - 1))).scaleb(-places)
    return value, currency


@_fast
@given(st.lists(_unit_amount(), min_size=1, max_size=40))
def test_stripe_decimal_strings_in_minor_units(compiled_sql, cases):
    out = run_parsers(compiled_sql, [{"unit_amount_text": str(v), "currency": c} for v, c in cases])
    assert [r["unit_amount"] for r in out] == [v.scaleb(-EXPONENT[c]) for v, c in cases]


@_fast
@given(
    st.lists(
        st.decimals(
            min_value=-MONEY_LIMIT + 1, max_value=MONEY_LIMIT - 1, places=4, allow_nan=False, allow_infinity=False
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["plain", "two_places", "no_trailing_zeros"]),
)
def test_decimal_strings_become_exact_money(compiled_sql, values, style):
    def text(v: Decimal) -> str:
        if style == "two_places" and v == v.quantize(Decimal("0.01")):
            return f"{v:.2f}"  # NetSuite / Salesforce money text
        return format(v.normalize(), "f") if style == "no_trailing_zeros" else format(v, "f")

    out = run_parsers(compiled_sql, [{"money_text": text(v)} for v in values])
    assert [r["money"] for r in out] == values
