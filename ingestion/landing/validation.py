"""Row-level contract enforcement for a parsed file: which records are quarantined and why.

Faults found while parsing (JSON type, exact number text) and duplicate primary keys come
from SQL; value rules come from the pandera contracts, run on polars frames streamed from
DuckDB in chunks; values that cannot be true (impossible or implausible dates, rates and
quantities beyond their bounds) from SQL again (plausibility.py). A record whose child list
fails is quarantined whole: the record is the unit of the manifest's row count.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass

import duckdb
import pandera.polars as pa
import polars as pl
import pyarrow as pa_arrow

from ingestion.catalog import ChildSpec, ObjectSpec
from ingestion.landing.line_numbers import count_lines, csv_record_lines
from ingestion.landing.manifest import BatchRejected
from ingestion.landing.plausibility import PlausibleWindow, plausibility_hits, rules_for
from ingestion.landing.readers import ParsedFile, ident, sql_str
from ingestion.sources.billing import contract as billing
from ingestion.sources.crm import contract as crm
from ingestion.sources.erp import contract as erp
from ingestion.sources.psa import contract as psa

CHUNK_ROWS = 100_000
HITS_TABLE = "_q2c_hits"
_HITS_SCHEMA = pa_arrow.schema(
    [
        ("tag", pa_arrow.string()),
        ("rn", pa_arrow.int64()),
        ("field", pa_arrow.string()),
        ("check", pa_arrow.string()),
        ("detail", pa_arrow.string()),
    ]
)


_CONTRACTS = {"crm": crm.SCHEMAS, "psa": psa.SCHEMAS, "erp": erp.SCHEMAS, "billing": billing.SCHEMAS}


def schema_for(system: str, table: str) -> pa.DataFrameSchema:
    """The pandera contract of one raw table (ingestion/sources/<system>/contract.py)."""
    return _CONTRACTS[system][table]


@dataclass(frozen=True)
class FileValidation:
    rows_valid: int
    rows_quarantined: int
    bad_table: str  # scratch table of quarantined record numbers (_q2c_rn)


def ensure_hits_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {HITS_TABLE} "
        '(tag VARCHAR, rn BIGINT, field VARCHAR, "check" VARCHAR, detail VARCHAR)'
    )


def _field_names(spec: ObjectSpec) -> dict[str, str]:
    return {f.column: f.source for f in spec.fields}


def _sql_hits(con: duckdb.DuckDBPyConnection, tag: str, relation: str, prefix_sql: str) -> None:
    """Move the reader's _q2c_errors entries into the hits table."""
    con.execute(
        f"INSERT INTO {HITS_TABLE} SELECT $tag, _q2c_rn, {prefix_sql} || split_part(e, chr(31), 1), "
        f"split_part(e, chr(31), 2), split_part(e, chr(31), 3) FROM "
        f"(SELECT _q2c_rn, {'position, ' if 'position' in prefix_sql else ''}unnest(_q2c_errors) AS e "
        f"FROM {relation} WHERE len(_q2c_errors) > 0)",
        {"tag": tag},
    )


def _duplicate_key_hits(con: duckdb.DuckDBPyConnection, tag: str, parsed: ParsedFile) -> None:
    spec = parsed.spec
    pk = ", ".join(ident(c) for c in spec.primary_key)
    not_null = " AND ".join(f"{ident(c)} IS NOT NULL" for c in spec.primary_key)
    sources = "+".join(_field_names(spec)[c] for c in spec.primary_key)
    con.execute(
        f"INSERT INTO {HITS_TABLE} SELECT $tag, _q2c_rn, $field, 'primary_key_unique', "
        f"'key ' || concat_ws('|', {pk}) || ' appears ' || n || ' times in the file' FROM "
        f"(SELECT _q2c_rn, {pk}, count(*) OVER (PARTITION BY {pk}) AS n FROM {parsed.table} "
        f"WHERE {not_null}) WHERE n > 1",
        {"tag": tag, "field": sources},
    )


def _pandera_hits(
    con: duckdb.DuckDBPyConnection,
    tag: str,
    relation: str,
    schema: pa.DataFrameSchema,
    names: dict[str, str],
    extra: str = "",
) -> None:
    keys = ["_q2c_rn", "position"] if extra else ["_q2c_rn"]
    select = ", ".join([*keys, *(ident(c) for c in schema.columns if c not in keys)])
    reader = con.cursor().sql(f"SELECT {select} FROM {relation}").to_arrow_reader(CHUNK_ROWS)
    for batch in reader:
        frame = pl.from_arrow(batch)
        try:
            schema.validate(frame, lazy=True)
            continue
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
        if cases["index"].null_count() > 0:
            broken = cases.filter(pl.col("index").is_null())
            first = broken.row(0, named=True)
            raise BatchRejected(
                f"column {first['column']!r} violates {first['check']} for the whole file ({first['failure_case']})"
            )
        rns = frame["_q2c_rn"].gather(cases["index"].cast(pl.Int64))
        if extra:
            positions = frame["position"].gather(cases["index"].cast(pl.Int64))
            fields = [
                f"{extra}[{p}].{names.get(c, c)}".rstrip(".")
                for p, c in zip(positions.to_list(), cases["column"].to_list())
            ]
        else:
            fields = [names.get(c, c) for c in cases["column"].to_list()]
        hits = pa_arrow.table(  # noqa: F841 - read by name in the INSERT below (DuckDB replacement scan)
            {
                "tag": [tag] * len(cases),
                "rn": rns.to_list(),
                "field": fields,
                "check": cases["check"].to_list(),
                "detail": [
                    f"failed {chk}: got {val!r}"
                    for chk, val in zip(cases["check"].to_list(), cases["failure_case"].to_list())
                ],
            },
            schema=_HITS_SCHEMA,
        )
        con.execute(f"INSERT INTO {HITS_TABLE} SELECT * FROM hits")


def validate_file(
    con: duckdb.DuckDBPyConnection, parsed: ParsedFile, tag: str, window: PlausibleWindow
) -> FileValidation:
    """``window``: the plausible dates and numbers of the file's batch."""
    ensure_hits_table(con)
    bad = f"{tag}_bad"
    if parsed.table is None:
        con.execute(f"CREATE TABLE {bad} (_q2c_rn BIGINT)")
        return FileValidation(0, 0, bad)
    spec = parsed.spec
    try:
        _sql_hits(con, tag, parsed.table, "''")
        _duplicate_key_hits(con, tag, parsed)
        # a record that is not JSON has no values to check: its one fault is json_parse
        parsed_records = (
            f"(SELECT * FROM {parsed.table} WHERE NOT list_contains("
            f"list_transform(_q2c_errors, lambda e: split_part(e, chr(31), 2)), 'json_parse'))"
        )
        _pandera_hits(con, tag, parsed_records, schema_for(spec.system, spec.table), _field_names(spec))
        plausibility_hits(
            con,
            HITS_TABLE,
            tag,
            parsed_records,
            spec.fields,
            rules_for(spec.system, spec.table),
            _field_names(spec),
            window,
        )
        for child in spec.children:
            child_rel = parsed.children[child.table]
            prefix = f"{sql_str(child.list_path)} || '[' || position || '].'"  # catalogue constant
            _sql_hits(con, tag, child_rel, prefix)
            names = _child_names(child)
            _pandera_hits(con, tag, child_rel, schema_for(spec.system, child.table), names, extra=child.list_path)
            rules = rules_for(spec.system, child.table)
            plausibility_hits(con, HITS_TABLE, tag, child_rel, child.fields, rules, names, window, prefix)
    except BatchRejected as exc:
        raise BatchRejected(f"{parsed.file.name}: {exc}") from None
    con.execute(f"CREATE TABLE {bad} AS SELECT DISTINCT rn AS _q2c_rn FROM {HITS_TABLE} WHERE tag = ?", [tag])
    quarantined = con.execute(f"SELECT count(*) FROM {bad}").fetchall()[0][0]
    return FileValidation(parsed.rows - quarantined, quarantined, bad)


def _child_names(child: ChildSpec) -> dict[str, str]:
    names = {f.column: f.source for f in child.fields}
    names[child.parent_key] = "(parent id)"
    names["position"] = "(position)"
    return names


def quarantine_rows(
    con: duckdb.DuckDBPyConnection, parsed: ParsedFile, tag: str, system: str, batch_id: str
) -> pa_arrow.Table:
    """raw_quarantine rows of one file: one per failed check of a record.

    ``line_number`` is the record number (line_numbers.py), ``physical_line`` the physical
    line the record starts on; CSV messages name both (``record 2, physical line 3``), JSONL
    messages the line, which is both."""
    spec = parsed.spec
    name = parsed.file.name
    if parsed.spec.is_csv:
        record_cols = ", ".join(ident(c) for c in parsed.record_columns)
        hits = con.execute(
            f'SELECT h.rn, h.field, h."check", h.detail, [{record_cols}]::VARCHAR[] FROM {HITS_TABLE} h '
            f"JOIN {parsed.table} r ON r._q2c_rn = h.rn WHERE h.tag = ? ORDER BY h.rn, h.field",
            [tag],
        ).fetchall()
        records = [_csv_line(values) for *_, values in hits]
        lines = _csv_physical_lines(con, parsed, {h[0] for h in hits})
        physical = [lines[h[0]] for h in hits]
        where = [f"record {h[0]}, physical line {line}" for h, line in zip(hits, physical)]
    else:
        hits = con.execute(
            f'SELECT h.rn, h.field, h."check", h.detail, r._q2c_record FROM {HITS_TABLE} h '
            f"JOIN {parsed.table} r ON r._q2c_rn = h.rn WHERE h.tag = ? ORDER BY h.rn, h.field",
            [tag],
        ).fetchall()
        records = [record for *_, record in hits]
        physical = [h[0] for h in hits]
        where = [f"line {h[0]}" for h in hits]
    return pa_arrow.table(
        {
            "system": [system] * len(hits),
            "batch_id": [batch_id] * len(hits),
            "file": [name] * len(hits),
            "object": [spec.object] * len(hits),
            "line_number": pa_arrow.array([h[0] for h in hits], pa_arrow.int64()),
            "physical_line": pa_arrow.array(physical, pa_arrow.int64()),
            "record": pa_arrow.array(records, pa_arrow.string()),
            "check": [h[2] for h in hits],
            "message": [f"{name} {w}: field '{h[1]}' {h[3]}" for h, w in zip(hits, where)],
            "_dlt_id": [uuid.uuid4().hex for _ in hits],
        }
    )


def _csv_physical_lines(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, records: set[int]) -> dict[int, int]:
    """The physical line each CSV record of ``records`` starts on. Record n starts on line
    n + 1 plus the line breaks inside the fields of the records before it, as long as the
    file's line count says there is nothing else (a multi-line header, blank lines); otherwise
    the file is read again, up to the last of ``records``."""
    file_lines = count_lines(parsed.file.path)
    if file_lines == 1 + parsed.rows:
        return {rn: rn + 1 for rn in records}
    breaks = " + ".join(
        f"coalesce(length({ident(c)}) - length(replace({ident(c)}, chr(10), '')), 0)" for c in parsed.record_columns
    )
    multi_line = f"(SELECT _q2c_rn, nl FROM (SELECT _q2c_rn, {breaks} AS nl FROM {parsed.table}) WHERE nl > 0)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _q2c_multi_line AS {multi_line}")
    inside = con.execute("SELECT coalesce(sum(nl), 0) FROM _q2c_multi_line").fetchall()[0][0]
    if file_lines != 1 + parsed.rows + inside:
        return csv_record_lines(parsed.file.path, records)
    return dict(
        con.execute(
            "SELECT rn, rn + 1 + coalesce((SELECT sum(nl) FROM _q2c_multi_line m WHERE m._q2c_rn < rn), 0)::BIGINT "
            "FROM (SELECT unnest($rns::BIGINT[]) AS rn)",
            {"rns": sorted(records)},
        ).fetchall()
    )


def _csv_line(values: list[str | None]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(["" if v is None else v for v in values])
    return buf.getvalue()
