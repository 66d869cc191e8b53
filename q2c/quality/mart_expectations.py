"""Run the Great Expectations suites over the canonical marts and publish Data Docs.

One GX suite per mart, generated from ``mart_checks.MART_CHECKS`` plus bounds derived from
the previous run (row counts, mean amount per currency). A file-backed GX project keeps
every run's validation results, so the Data Docs site under ``docs_dir`` shows the marts'
quality over time, not only tonight's. The site carries its own copies of the CDN assets GX's
pages load (``data_docs_offline``), so it works without internet.

GX takes ~10 s to import, so it is imported inside the function: importing this module
(e.g. while Dagster loads its definitions) stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from q2c.quality.baselines import BASELINES_FILE, Baselines, load_baselines, save_baselines
from q2c.quality.data_docs_offline import GX_PROJECT_DIRNAME, make_site_offline
from q2c.quality.iso_currencies import HIGH_NOMINAL_CURRENCIES
from q2c.quality.mart_checks import MART_CHECKS, MartChecks
from q2c.quality.outcome import ExpectationOutcome
from q2c.settings import DUCKDB_MEMORY_LIMIT_DEFAULT
from q2c.warehouse import open_duckdb

if TYPE_CHECKING:
    import pandas as pd

MARTS_SCHEMA = "marts"
DEFAULT_ROW_COUNT_TOLERANCE = 0.5
DEFAULT_MEAN_TOLERANCE = 0.5
SITE_NAME = "q2c_marts"
DATASOURCE_NAME = "q2c_marts"
BATCH_DEFINITION_NAME = "whole_mart"
MISSING_MART_EXPECTATION = "expect_mart_to_exist"


def run_mart_expectations(
    duckdb_path: Path,
    docs_dir: Path,
    *,
    previous_row_counts: dict[str, int] | None = None,
    marts: Iterable[str] | None = None,
    run_name: str | None = None,
    row_count_tolerance: float = DEFAULT_ROW_COUNT_TOLERANCE,
    mean_tolerance: float = DEFAULT_MEAN_TOLERANCE,
    memory_limit: str = DUCKDB_MEMORY_LIMIT_DEFAULT,
) -> list[ExpectationOutcome]:
    """Validate the marts in ``duckdb_path`` and (re)build the Data Docs site in ``docs_dir``.

    ``previous_row_counts``: row count per mart of the previous run; each mart's count must
    then lie within ±``row_count_tolerance`` of it, else it must only be positive (see
    ``load_previous_row_counts`` for the counts this function recorded last time).
    ``marts`` restricts the run to some marts (default: all of ``MART_CHECKS``).
    Returns one outcome per expectation; a mart missing from the warehouse yields one
    failed ``expect_mart_to_exist`` outcome.
    """
    docs_dir = Path(docs_dir).resolve()
    project_dir = docs_dir / GX_PROJECT_DIRNAME
    selected = _select(marts)

    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    context = _open_context(gx, project_dir, docs_dir)
    baselines_path = project_dir / BASELINES_FILE
    previous = load_baselines(baselines_path)
    current = Baselines(
        row_counts=dict(previous.row_counts),
        means_per_currency={k: dict(v) for k, v in previous.means_per_currency.items()},
    )
    run_id = RunIdentifier(run_name=run_name or "q2c-marts", run_time=datetime.now(UTC))

    outcomes: list[ExpectationOutcome] = []
    validated: list[tuple[str, Any, Any]] = []
    # one mart's frame in memory at a time: at 5M time entries the frames together are GiBs
    for checks, frame in _read_marts(Path(duckdb_path), selected, memory_limit):
        if frame is None:
            outcomes.append(_missing_mart_outcome(checks.mart, _index_url(docs_dir)))
            continue
        expectations = _expectations_for(
            gx, checks, frame, previous_row_counts, previous, row_count_tolerance, mean_tolerance
        )
        identifier, result = _validate(gx, context, checks.mart, frame, expectations, run_id)
        validated.append((checks.mart, identifier, result))
        current.row_counts[checks.mart] = len(frame)
        if checks.mean_per_currency:
            current.means_per_currency[_mean_key(checks)] = _means_per_currency(frame, *checks.mean_per_currency)
        del frame

    docs_urls = _build_data_docs(context, docs_dir, [(mart, identifier) for mart, identifier, _ in validated])
    for mart, identifier, result in validated:
        outcomes.extend(_outcome(mart, r, docs_urls[identifier]) for r in result.results)
    save_baselines(baselines_path, current)
    return outcomes


def load_previous_row_counts(docs_dir: Path) -> dict[str, int]:
    """Row count per mart as of the last ``run_mart_expectations`` into ``docs_dir``."""
    return load_baselines(Path(docs_dir).resolve() / GX_PROJECT_DIRNAME / BASELINES_FILE).row_counts


def _select(marts: Iterable[str] | None) -> list[MartChecks]:
    names = list(MART_CHECKS) if marts is None else list(marts)
    unknown = [m for m in names if m not in MART_CHECKS]
    if unknown:
        raise ValueError(f"no quality checks defined for mart(s) {unknown}; known: {sorted(MART_CHECKS)}")
    return [MART_CHECKS[m] for m in names]


def _read_marts(
    duckdb_path: Path, selected: list[MartChecks], memory_limit: str
) -> Iterator[tuple[MartChecks, pd.DataFrame | None]]:
    """Each mart's checked columns as pandas, one mart at a time; None for a mart that does
    not exist.

    Read-only so the checks can run while the warehouse is published to analysts. Missing
    columns are left out: the expectations on them then fail with GX's own error.
    DuckDB hands DECIMAL money to pandas as float64. That is acceptable here only because
    these frames feed statistics (ranges, means, null rates), never a business number.
    """
    with open_duckdb(duckdb_path, memory_limit=memory_limit, read_only=True) as con:
        existing: dict[str, set[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = ?",
            [MARTS_SCHEMA],
        ).fetchall():
            existing.setdefault(table, set()).add(column)
        for checks in selected:
            present = existing.get(checks.mart)
            if present is None:
                yield checks, None
                continue
            columns = [c for c in checks.columns if c in present]
            select_list = ", ".join(f'"{c}"' for c in columns) or "null as _q2c_no_checked_column"
            yield checks, con.execute(f'select {select_list} from {MARTS_SCHEMA}."{checks.mart}"').df()


def _open_context(gx: Any, project_dir: Path, docs_dir: Path) -> Any:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=project_dir)
    site_config = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    sites = context.list_data_docs_sites()
    for name in [n for n in sites if n != SITE_NAME]:
        # GX scaffolds a second site inside the project; one site, where we were asked.
        context.delete_data_docs_site(name)
    if SITE_NAME in sites:
        context.update_data_docs_site(SITE_NAME, site_config)
    else:
        context.add_data_docs_site(SITE_NAME, site_config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    return context


def _expectations_for(
    gx: Any,
    checks: MartChecks,
    frame: pd.DataFrame,
    previous_row_counts: dict[str, int] | None,
    previous: Baselines,
    row_count_tolerance: float,
    mean_tolerance: float,
) -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    expectations: list[Any] = []
    previous_count = (previous_row_counts or {}).get(checks.mart)
    if previous_count:
        expectations.append(
            gxe.ExpectTableRowCountToBeBetween(
                min_value=math.floor(previous_count * (1 - row_count_tolerance)),
                max_value=math.ceil(previous_count * (1 + row_count_tolerance)),
                notes=f"previous run: {previous_count} rows, tolerance ±{row_count_tolerance:.0%}",
            )
        )
    else:
        expectations.append(gxe.ExpectTableRowCountToBeBetween(min_value=1, notes="no previous run: must not be empty"))

    for column, mostly in checks.not_null.items():
        expectations.append(gxe.ExpectColumnValuesToNotBeNull(column=column, mostly=mostly))
    for column in checks.unique:
        expectations.append(gxe.ExpectColumnValuesToBeUnique(column=column))
    for column, values in checks.value_sets.items():
        expectations.append(gxe.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(values)))
    for r in checks.ranges:
        kwargs: dict[str, Any] = {"column": r.column, "min_value": r.min_value, "max_value": r.max_value}
        if r.exempt_high_nominal_currency_in:
            kwargs["row_condition"] = Column(r.exempt_high_nominal_currency_in).is_not_in(
                sorted(HIGH_NOMINAL_CURRENCIES)
            )
        expectations.append(gxe.ExpectColumnValuesToBeBetween(**kwargs))

    if checks.mean_per_currency and set(checks.mean_per_currency) <= set(frame.columns):
        amount, currency_column = checks.mean_per_currency
        previous_means = previous.means_per_currency.get(_mean_key(checks), {})
        for currency in sorted(str(c) for c in frame[currency_column].dropna().unique()):
            baseline = previous_means.get(currency)
            if baseline is not None and baseline > 0:
                bounds = {
                    "min_value": baseline * (1 - mean_tolerance),
                    "max_value": baseline * (1 + mean_tolerance),
                    "notes": f"previous run's mean: {baseline:.6g}, tolerance ±{mean_tolerance:.0%}",
                }
            else:
                bounds = {"min_value": 0, "notes": "no previous mean for this currency: must not be negative"}
            expectations.append(
                gxe.ExpectColumnMeanToBeBetween(
                    column=amount, row_condition=Column(currency_column) == currency, **bounds
                )
            )
    return expectations


def _validate(
    gx: Any, context: Any, mart: str, frame: pd.DataFrame, expectations: list[Any], run_id: Any
) -> tuple[Any, Any]:
    """Run the mart's suite; the result lands in the project's validation store for Data Docs."""
    datasource = _get_or_add(
        lambda: context.data_sources.get(DATASOURCE_NAME), lambda: context.data_sources.add_pandas(DATASOURCE_NAME)
    )
    asset = _get_or_add(lambda: datasource.get_asset(mart), lambda: datasource.add_dataframe_asset(mart))
    batch_definition = _get_or_add(
        lambda: asset.get_batch_definition(BATCH_DEFINITION_NAME),
        lambda: asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME),
    )
    name = f"{MARTS_SCHEMA}.{mart}"
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=expectations))
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )
    # No UpdateDataDocsAction: it rebuilds the index once per mart; one build at the end
    # (see _build_data_docs) costs a third of that.
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(name=name, validation_definitions=[validation], actions=[], result_format="COMPLETE")
    )
    checkpoint_result = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=run_id)
    ((identifier, result),) = checkpoint_result.run_results.items()
    return identifier, result


def _build_data_docs(context: Any, docs_dir: Path, validated: list[tuple[str, Any]]) -> dict[Any, str]:
    """Render tonight's validation and suite pages plus the index; URL of each mart's page."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    identifiers: list[Any] = [identifier for _, identifier in validated]
    identifiers += [ExpectationSuiteIdentifier(name=f"{MARTS_SCHEMA}.{mart}") for mart, _ in validated]
    context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=identifiers or None)
    make_site_offline(docs_dir)  # GX's pages load their styles and scripts from CDNs
    urls: dict[Any, str] = {}
    for _, identifier in validated:
        found = context.get_docs_sites_urls(resource_identifier=identifier, site_name=SITE_NAME)
        urls[identifier] = found[0]["site_url"] if found else _index_url(docs_dir)
    return urls


def _get_or_add(get: Any, add: Any) -> Any:
    try:
        return get()
    except LookupError:  # GX's not-found for datasources, assets and batch definitions
        return add()


def _outcome(mart: str, result: Any, docs_url: str) -> ExpectationOutcome:
    config = result.expectation_config
    kwargs = dict(config.kwargs)
    column = kwargs.get("column")
    observed, success = _observed(result)
    status = "passed" if success else "FAILED"
    return ExpectationOutcome(
        mart=mart,
        expectation_type=config.type,
        column=column,
        success=success,
        observed_value=observed,
        details=f"{status}: {mart}{'.' + column if column else ''} expected {_describe(config.type, kwargs)}; "
        f"observed {observed}",
        docs_url=docs_url,
    )


def _observed(result: Any) -> tuple[str, bool]:
    error = _exception_message(result.exception_info or {})
    if error is not None:
        return f"error: {error}", False
    res = result.result or {}
    if "observed_value" in res:
        return _fmt(res["observed_value"]), bool(result.success)
    if "unexpected_count" in res:
        count, total = res.get("unexpected_count") or 0, res.get("element_count") or 0
        examples = [v for v in res.get("partial_unexpected_list") or [] if not _is_nan(v)]
        text = f"{count} of {total} rows unexpected"
        if total:
            text += f" ({100 * count / total:.2f}%)"
        if examples:
            text += f", e.g. {sorted(set(map(_fmt, examples)))[:5]}"
        return text, bool(result.success)
    return "n/a", bool(result.success)


def _exception_message(info: dict[str, Any]) -> str | None:
    """GX reports errors flat ({raised_exception, exception_message}) or keyed by metric."""
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "expectation could not be evaluated")
    for value in info.values():
        if isinstance(value, dict) and value.get("exception_message"):
            return str(value["exception_message"])
    return None


def _describe(expectation_type: str, kwargs: dict[str, Any]) -> str:
    """What the expectation demands, in words: 'values between 0 and 24 (where ...)'."""
    bounds = _bounds_text(kwargs.get("min_value"), kwargs.get("max_value"))
    if expectation_type == "expect_table_row_count_to_be_between":
        text = f"row count {bounds}"
    elif expectation_type == "expect_column_values_to_not_be_null":
        text = f"non-null in at least {kwargs.get('mostly', 1.0):.0%} of rows"
    elif expectation_type == "expect_column_values_to_be_unique":
        text = "values unique"
    elif expectation_type == "expect_column_values_to_be_in_set":
        values = list(kwargs.get("value_set") or [])
        text = f"values in {values}" if len(values) <= 12 else f"values in a set of {len(values)} codes"
    elif expectation_type == "expect_column_values_to_be_between":
        text = f"values {bounds}"
    elif expectation_type == "expect_column_mean_to_be_between":
        text = f"mean {bounds}"
    else:
        text = expectation_type.removeprefix("expect_").replace("_", " ")
    if kwargs.get("row_condition"):
        text += f" (rows where {_condition_text(kwargs['row_condition'])})"
    return text


def _bounds_text(min_value: Any, max_value: Any) -> str:
    if min_value is not None and max_value is not None:
        return f"between {_fmt(min_value)} and {_fmt(max_value)}"
    if min_value is not None:
        return f">= {_fmt(min_value)}"
    if max_value is not None:
        return f"<= {_fmt(max_value)}"
    return "unbounded"


def _condition_text(condition: Any) -> str:
    if isinstance(condition, dict):
        column = condition.get("column", {})
        name = column.get("name") if isinstance(column, dict) else column
        parameter = condition.get("parameter")
        if isinstance(parameter, list) and len(parameter) > 6:
            parameter = f"<{len(parameter)} values>"
        if name is not None and condition.get("operator"):
            return f"{name} {condition['operator']} {parameter}"
    return str(condition)


def _fmt(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        return format(float(value), ".10g")
    return str(value)


def _is_nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _means_per_currency(frame: pd.DataFrame, amount: str, currency: str) -> dict[str, float]:
    if amount not in frame.columns or currency not in frame.columns:
        return {}
    means = frame.dropna(subset=[currency]).groupby(currency)[amount].mean()
    return {str(c): float(m) for c, m in means.items() if not math.isnan(m)}


def _mean_key(checks: MartChecks) -> str:
    return f"{checks.mart}.{checks.mean_per_currency[0]}" if checks.mean_per_currency else checks.mart


def _index_url(docs_dir: Path) -> str:
    return (docs_dir / "index.html").as_uri()


def _missing_mart_outcome(mart: str, docs_url: str) -> ExpectationOutcome:
    return ExpectationOutcome(
        mart=mart,
        expectation_type=MISSING_MART_EXPECTATION,
        column=None,
        success=False,
        observed_value="missing",
        details=f"FAILED: table {MARTS_SCHEMA}.{mart} does not exist in the warehouse",
        docs_url=docs_url,
    )
