"""The dlt source of one system: a resource per raw table plus batch_log and raw_quarantine.

Write dispositions: parents upsert on their primary key; a table fed by a pending `full`
batch whose file loaded cleanly is switched to replace for that run (dynamic hint on its first
item; LandingRun._plan_object has the rule). Child tables
merge by delete-insert on the parent id (merge_key) with tombstone rows flagged in
``_q2c_deleted`` (a dlt hard-delete column), so a parent's children are exactly those of
its newest version. A replaced child table sends no tombstones and drops that hint for the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dlt
import pyarrow as pa
from dlt.sources import DltResource, DltSource

from ingestion.catalog import BATCH_LOG, QUARANTINE, objects, raw_tables
from ingestion.landing.arrival import ArrivalRules
from ingestion.landing.landing_run import LandingRun, SkipRequest, remove_abandoned_scratch
from q2c.settings import PlausibleBounds

_TECH_COLUMNS = {
    "_q2c_extracted_at": {"data_type": "timestamp", "timezone": False},
    "_q2c_batch_id": {"data_type": "text"},
}


_DELETED = "_q2c_deleted"  # the tombstone flag of child rows
_DELETED_COLUMN = {"data_type": "bool", "hard_delete": True}

_BATCH_LOG_COLUMNS = {
    "system": {"data_type": "text"},
    "batch_id": {"data_type": "text", "nullable": False},
    "mode": {"data_type": "text"},
    "extracted_at": {"data_type": "timestamp", "timezone": False},
    "status": {"data_type": "text"},
    "rows_manifest": {"data_type": "bigint"},
    "rows_loaded": {"data_type": "bigint"},
    "rows_quarantined": {"data_type": "bigint"},
    "rows_rejected": {"data_type": "bigint"},  # rejected or skipped whole: the manifest's rows
    "reason": {"data_type": "text"},
    "files": {"data_type": "json"},  # per file: rows_manifest, rows_loaded, rows_quarantined
    "warnings": {"data_type": "json"},
}


def _prepared(run: LandingRun) -> LandingRun:
    run.prepare(dlt.current.source_state().setdefault("landing", {}))
    return run


def _keys_required(item: pa.Table, keys: tuple[str, ...]) -> pa.Table:
    """``item`` with its key fields declared non-nullable, as dlt's schema has them (a primary or
    merge key is NOT NULL): otherwise dlt warns of differing hints on every item. Validation has
    already quarantined rows without a key; the cast refuses a null key all the same."""
    schema = item.schema
    for key in keys:
        index = schema.get_field_index(key)
        schema = schema.set(index, schema.field(index).with_nullable(False))
    return item.cast(schema)  # same types: no copy


def _replace_hints(child: bool) -> dict:
    # a child's hard-delete flag only means something to merge: a replaced table drops the hint
    columns = {_DELETED: {**_DELETED_COLUMN, "hard_delete": False}} if child else None
    return dlt.mark.make_hints(write_disposition="replace", columns=columns)


def _table_items(run: LandingRun, table: str, keys: tuple[str, ...], child: bool = False) -> Iterator:
    _prepared(run)
    out = run.table_output(table)
    first = True
    for item in run.iter_table(table):
        item = _keys_required(item, keys)
        if first and out is not None and out.replace:
            item = dlt.mark.with_hints(item, _replace_hints(child))
        first = False
        yield item


def _batch_log_items(run: LandingRun) -> Iterator:
    rows = _prepared(run).log_rows()
    if rows:
        yield rows


def _quarantine_items(run: LandingRun) -> Iterator:
    yield from _prepared(run).quarantine_tables()


def _resources(system: str, run: LandingRun) -> list[DltResource]:
    resources = []
    for spec in objects(system):
        resources.append(
            dlt.resource(
                _table_items(run, spec.table, tuple(spec.primary_key)),
                name=spec.table,
                primary_key=list(spec.primary_key),
                write_disposition={"disposition": "merge", "strategy": "upsert"},
                columns=dict(_TECH_COLUMNS),
            )
        )
        for child in spec.children:
            resources.append(
                dlt.resource(
                    _table_items(run, child.table, (child.parent_key,), child=True),
                    name=child.table,
                    merge_key=child.parent_key,
                    write_disposition={"disposition": "merge", "strategy": "delete-insert"},
                    columns={**_TECH_COLUMNS, _DELETED: dict(_DELETED_COLUMN)},
                )
            )
    resources.append(
        dlt.resource(
            _batch_log_items(run),
            name=BATCH_LOG,
            primary_key="batch_id",
            write_disposition={"disposition": "merge", "strategy": "upsert"},
            columns=_BATCH_LOG_COLUMNS,
        )
    )
    resources.append(
        dlt.resource(
            _quarantine_items(run),
            name=QUARANTINE,
            write_disposition="append",
            columns={"line_number": {"data_type": "bigint"}, "physical_line": {"data_type": "bigint"}},
        )
    )
    assert [r.name for r in resources[:-2]] == raw_tables(system)
    return resources


def source_for(run: LandingRun) -> DltSource:
    """The dlt source that serves ``run``: a resource per raw table plus batch_log and
    raw_quarantine. dlt sources are single-use, so every run gets its own."""

    @dlt.source(name=f"q2c_{run.system}", max_table_nesting=0, root_key=False)
    def q2c_source() -> list[DltResource]:
        return _resources(run.system, run)

    return q2c_source()


def landing_source(
    system: str,
    landing_dir: Path,
    skip: SkipRequest | None = None,
    rules: ArrivalRules | None = None,
    plausible: PlausibleBounds | None = None,
) -> tuple[LandingRun, DltSource]:
    """A fresh landing run of ``system`` and the source that performs it. The run holds the
    report (``run.report``, filled in once dlt has extracted the source) and the scratch
    database, which ``run.close()`` removes. With ``skip``, running the source only records
    that rejected (or incomplete) batch as skipped (see ingestion.landing.batch_admin).
    ``rules``: the landing clock and margins (default: the machine's clock, default margins);
    ``plausible``: the settings' bounds of values that can be true (q2c.settings.PlausibleBounds)."""
    remove_abandoned_scratch()  # every run, even one that only finishes a pending load
    run = LandingRun(system, Path(landing_dir), skip, rules, plausible)
    return run, source_for(run)


def spec_source(system: str) -> DltSource:
    """A source with the system's resources, for asset specs only (Dagster's ``dlt_assets``):
    it reads no settings and creates nothing; running it raises."""
    return source_for(LandingRun(system, None))
