"""Parse one landed file into a scratch DuckDB table with the raw-layer columns.

Everything stays inside DuckDB (columnar, spills to disk) so a 5M-row file never becomes
Python objects. Record numbers come from the scratch table's rowid: DuckDB keeps a file
scan's order when it materialises it (preserve_insertion_order), so rowid + 1 is the data
record's number in the file (CSV: 1 = first record after the header; JSONL: line number;
line_numbers.py maps CSV records to physical lines where that is needed).

JSON numbers: DuckDB's JSON functions parse numbers into doubles, so money is never taken
from them. The exact text of a decimal field is cut out of the raw line with a key-anchored
regular expression and cross-checked against the parsed value (a mismatch, e.g. the key
appearing twice, quarantines the row rather than guessing). Numbers inside lists (invoice
line quantities) come from a copy of the line in which every number was turned into a
string first.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dlt.common.normalizers.naming.snake_case import NamingConvention

from ingestion.catalog import BOOL, DEC, INT, SQL_TYPES, TEXT, ChildSpec, Field, ObjectSpec
from ingestion.landing.line_numbers import count_lines, csv_record_at_line
from ingestion.landing.manifest import BatchRejected, ManifestFile

ERR_SEP = "\x1f"  # separates field / check / detail inside one _q2c_errors entry
_NAMING = NamingConvention()
# JSON types DuckDB reports that each kind accepts (NULL = JSON null or key absent).
_ACCEPTED = {
    INT: ("BIGINT", "UBIGINT"),
    DEC: ("BIGINT", "UBIGINT", "DOUBLE"),
    BOOL: ("BOOLEAN",),
    TEXT: ("VARCHAR",),
}
_JSON_TYPE_WORD = {INT: "a JSON integer", DEC: "a JSON number", BOOL: "a JSON boolean", TEXT: "a JSON string"}
# A batch is rejected (not quarantined row by row) when more than this share of a field's
# non-null values has the wrong JSON type: the column's type changed at the source.
TYPE_DRIFT_SHARE = 0.5
# Every number outside strings becomes a string: strings are matched whole first, so a
# digit inside a string is never touched. \x01/\x02 cannot occur in valid JSON text.
_NUMBER_AFTER_KEY = r"\s*:\s*(-?[0-9][0-9.eE+-]*)"
_QUOTE_NUMBERS_RE = r'("(?:[^"\\]|\\.)*")|(-?[0-9][0-9.eE+-]*)'


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def normalize_column(name: str) -> str:
    """Raw column name for a field not in the catalog, as dlt would name it."""
    return re.sub(r"_+", "_", _NAMING.normalize_identifier(name))


@dataclass
class ParsedFile:
    file: ManifestFile
    table: str | None  # scratch relation with _q2c_rn, the columns, _q2c_errors (None: empty file)
    rows: int
    columns: list[str]  # data columns, catalog first, then unknown ones
    record_columns: list[str] = field(default_factory=list)  # CSV: columns in header order
    unknown: list[str] = field(default_factory=list)  # unknown source fields as delivered
    children: dict[str, str] = field(default_factory=dict)  # child table -> scratch table

    @property
    def spec(self) -> ObjectSpec:
        return self.file.spec


def parse_file(con: duckdb.DuckDBPyConnection, mf: ManifestFile, tag: str) -> ParsedFile:
    """Load the file into scratch tables named after ``tag``; BatchRejected on file-level faults."""
    if mf.path.stat().st_size == 0:
        parsed = ParsedFile(mf, None, 0, mf.spec.columns)
    else:
        try:
            parsed = _parse_csv(con, mf, tag) if mf.spec.is_csv else _parse_jsonl(con, mf, tag)
        except (duckdb.OutOfMemoryException, duckdb.InterruptException):
            raise  # this machine's limits, not a fault of the file: fail the run, reject nothing
        except (duckdb.Error, UnicodeDecodeError) as exc:
            encoding = utf8_problem(mf.path, is_csv=mf.spec.is_csv)
            if encoding is not None:
                raise BatchRejected(f"{mf.name}: unparseable: {encoding}") from None
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BatchRejected(f"{mf.name}: unparseable ({first_line})") from None
    if parsed.rows != mf.rows:
        raise BatchRejected(f"{mf.name}: {_row_count_problem(mf, parsed.rows)}")
    return parsed


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _row_count_problem(mf: ManifestFile, records: int) -> str:
    """The manifest counts data records (extract contract); say what the file holds, in
    physical lines too where they differ (a manifest that counted lines is not a damaged file)."""
    lines = count_lines(mf.path)
    if mf.spec.is_csv and lines:
        lines -= 1  # the header
    problem = f"manifest says {_plural(mf.rows, 'row')}, the file holds {_plural(records, 'record')}"
    if lines != records:
        problem += f" ({_plural(lines, 'physical line')})"
    return problem


def utf8_problem(path: Path, is_csv: bool = False) -> str | None:
    """Where a file stops being UTF-8 (the extract contract's encoding), or None; for a CSV
    file as record and physical line (line_numbers.py). Only called once parsing failed, so
    the happy path never reads the file twice."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:  # exc.object: undecoded tail of the last chunk + chunk
                line += exc.object[: exc.start].count(b"\n")
                where = _csv_position(path, line) if is_csv else f"on line {line} of the file"
                return f"not UTF-8 text (wrong encoding?): byte 0x{exc.object[exc.start]:02x} {where}"
            line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        where = _csv_position(path, line) if is_csv else f"line {line}"
        return f"not UTF-8 text (wrong encoding?): incomplete character at the end of the file ({where})"
    return None


def _csv_position(path: Path, line: int) -> str:
    record = csv_record_at_line(path, line)
    return f"in the header, physical line {line}" if record == 0 else f"in record {record}, physical line {line}"


def _parse_csv(con: duckdb.DuckDBPyConnection, mf: ManifestFile, tag: str) -> ParsedFile:
    spec = mf.spec
    # header=true with auto_detect=false still needs the column names: read them first.
    header_line = mf.path.open("r", encoding="utf-8-sig", newline="").readline()
    header = next(csv.reader([header_line]), [])
    missing = [f.source for f in spec.fields if f.source not in header]
    if missing:
        raise BatchRejected(f"{mf.name}: missing required column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        raise BatchRejected(f"{mf.name}: duplicate column names in the header")
    raw = f"{tag}_csv"
    # Explicit dialect and columns: no sniffing, every value kept as the file's text. The path
    # and the header's names are data: parameters (a dict binds as the STRUCT read_csv wants).
    # buffer_size: DuckDB's default is 16 x max_line_size (1 GiB), more than the scratch
    # database's memory cap allows in one block.
    con.execute(
        f"CREATE TABLE {raw} AS SELECT * FROM read_csv($path, header=true, "
        "columns=$columns, delim=',', quote='\"', escape='\"', auto_detect=false, "
        "strict_mode=true, encoding='utf-8', max_line_size=67108864, buffer_size=134217728)",
        {"path": str(mf.path), "columns": dict.fromkeys(header, "VARCHAR")},
    )

    by_source = {f.source: f.column for f in spec.fields}
    unknown = [h for h in header if h not in by_source]
    names = {h: by_source.get(h) or normalize_column(h) for h in header}
    clash = {names[h] for h in unknown} & set(spec.columns)
    if clash:
        raise BatchRejected(f"{mf.name}: new column(s) collide with known ones: {sorted(clash)}")
    record_columns = [names[h] for h in header]
    ordered = spec.columns + [names[h] for h in unknown]
    select = ", ".join(f"{ident(h)} AS {ident(names[h])}" for h in header)
    view = f"{tag}_rows"
    con.execute(f"CREATE VIEW {view} AS SELECT rowid + 1 AS _q2c_rn, {select}, []::VARCHAR[] AS _q2c_errors FROM {raw}")
    rows = con.execute(f"SELECT count(*) FROM {raw}").fetchall()[0][0]
    return ParsedFile(mf, view, rows, ordered, record_columns, unknown)


def is_json_object(expr: str) -> str:
    # TRY: json_type raises on malformed JSON; one parse instead of json_valid + json_type.
    return f"coalesce(TRY(json_type({expr})) = 'OBJECT', false)"


def _json_path(path: str) -> str:
    if not path:
        return "$"
    return "$." + ".".join(f'"{part}"' for part in path.split("."))


def _field_sql(
    fields: tuple[Field, ...], line: str, exact_numbers: str | None
) -> tuple[list[str], list[str], list[str]]:
    """SQL for each field's value, for its row-level error (NULL when fine), and for the
    exact text of decimal fields (computed in the inner query as ``_txt<i>``).

    Expects ``_v`` (json_extract_string list) and ``_t`` (json_type list) in scope;
    ``exact_numbers``: SQL of the same JSON with its numbers quoted, else a key regex is used.
    """
    values, errors, texts = [], [], []
    for i, f in enumerate(fields, start=1):
        v, t = f"_v[{i}]", f"_t[{i}]"
        accepted = ", ".join(sql_str(x) for x in _ACCEPTED[f.kind])
        ok_type = f"{t} IN ({accepted})"
        name = f.source or "item"
        error = (
            f"CASE WHEN {t} IS NOT NULL AND {t} <> 'NULL' AND NOT {ok_type} THEN "
            f"{sql_str(name + ERR_SEP + 'json_type' + ERR_SEP + 'expected ' + _JSON_TYPE_WORD[f.kind] + ', got ')}"
            f" || lower({t})"
        )
        if f.kind == INT:
            values.append(f"CASE WHEN {ok_type} THEN TRY_CAST({v} AS BIGINT) END")
        elif f.kind == BOOL:
            values.append(f"CASE WHEN {ok_type} THEN {v} = 'true' END")
        elif f.kind == TEXT:
            values.append(f"CASE WHEN {ok_type} THEN {v} END")
        else:
            if exact_numbers is not None:
                texts.append(f"json_extract_string({exact_numbers}, {sql_str(_json_path(f.source))}) AS _txt{i}")
            else:
                pattern = '"' + re.escape(f.source.split(".")[-1]) + '"' + _NUMBER_AFTER_KEY
                texts.append(f"regexp_extract({line}, {sql_str(pattern)}, 1) AS _txt{i}")
            dec = f"TRY_CAST(_txt{i} AS {SQL_TYPES[DEC]})"
            values.append(f"CASE WHEN {ok_type} THEN {dec} END")
            error += (
                f" WHEN {ok_type} AND TRY_CAST(_txt{i} AS DOUBLE) IS DISTINCT FROM TRY_CAST({v} AS DOUBLE) THEN "
                f"{sql_str(name + ERR_SEP + 'number_text' + ERR_SEP + 'could not isolate the exact number text')}"
                f" WHEN {ok_type} AND {dec} IS NULL THEN "
                f"{sql_str(name + ERR_SEP + 'decimal_18_4' + ERR_SEP + 'number does not fit DECIMAL(18,4): ')}"
                f" || _txt{i}"
            )
        errors.append(error + " END")
    return values, errors, texts


def quote_numbers_sql(expr: str) -> str:
    marked = f"regexp_replace({expr}, {sql_str(_QUOTE_NUMBERS_RE)}, '\\1' || chr(1) || '\\2' || chr(2), 'g')"
    return f"replace(replace(replace({marked}, chr(1) || chr(2), ''), chr(1), '\"'), chr(2), '\"')"


def _typed_select(
    fields: tuple[Field, ...], line: str, source_rel: str, keep: list[str], exact_numbers: str | None, valid: str
) -> str:
    """SELECT of ``keep`` columns, typed field columns, ``_ok`` and ``_q2c_errors`` from the
    JSON text ``line`` of ``source_rel`` (parsed once per row into the _v/_t lists)."""
    values, errors, texts = _field_sql(fields, line, exact_numbers)
    paths = "[" + ", ".join(sql_str(_json_path(f.source)) for f in fields) + "]"
    kept = ", ".join(keep)
    inner = (
        f"SELECT {kept}, {valid} AS _ok, "
        f"CASE WHEN {valid} THEN json_extract_string({line}, {paths}) END AS _v, "
        f"CASE WHEN {valid} THEN json_type({line}, {paths}) END AS _t"
        + "".join(", " + t for t in texts)
        + f" FROM {source_rel}"
    )
    cols = ", ".join(f"{v} AS {ident(f.column)}" for v, f in zip(values, fields))
    outer_keep = ", ".join(k.split(" AS ")[-1] for k in keep)
    return (
        f"SELECT {outer_keep}, {cols}, _ok, "
        f"list_filter([{', '.join(errors)}], lambda x: x IS NOT NULL) AS _q2c_errors FROM ({inner})"
    )


def _parse_jsonl(con: duckdb.DuckDBPyConnection, mf: ManifestFile, tag: str) -> ParsedFile:
    spec = mf.spec
    lines = f"{tag}_lines"
    con.execute(
        f"CREATE TABLE {lines} AS SELECT line, {is_json_object('line')} AS _ok "
        "FROM read_csv($path, "
        "columns={'line': 'VARCHAR'}, header=false, delim=chr(1), quote='', escape='', "
        "auto_detect=false, strict_mode=true, encoding='utf-8', max_line_size=67108864, buffer_size=134217728)",
        {"path": str(mf.path)},
    )
    rows = con.execute(f"SELECT count(*) FROM {lines}").fetchall()[0][0]
    valid = "_ok"

    known_top = {f.source.split(".")[0] for f in spec.fields}
    known_top |= {c.list_path.split(".")[0] for c in spec.children}
    keys = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT unnest(json_keys(line)) FROM {lines} WHERE {valid} ORDER BY 1"
        ).fetchall()
    ]
    unknown = [k for k in keys if k not in known_top]
    names = {k: normalize_column(k) for k in unknown}
    clash = set(names.values()) & set(spec.columns)
    if clash:
        raise BatchRejected(f"{mf.name}: new field(s) collide with known columns: {sorted(clash)}")

    typed, base = f"{tag}_rows", f"{tag}_typed"
    select = _typed_select(
        spec.fields,
        "line",
        f"(SELECT rowid + 1 AS _q2c_rn, line, _ok FROM {lines})",
        ["_q2c_rn", "line AS _q2c_line"],
        None,
        valid,
    )
    # unknown keys are data: bound as JSON pointers ('/key', '~' and '/' escaped), any spelling
    extra = "".join(
        f", CASE WHEN _ok THEN json_extract_string(_q2c_line, $unknown_{i}) END AS {ident(names[k])}"
        for i, k in enumerate(unknown)
    )
    pointers = {f"unknown_{i}": "/" + k.replace("~", "~0").replace("/", "~1") for i, k in enumerate(unknown)}
    parse_error = "'(record)' || chr(31) || 'json_parse' || chr(31) || 'not a valid JSON object'"
    con.execute(
        f"CREATE TABLE {base} AS SELECT t.* EXCLUDE (_ok, _q2c_errors, _q2c_line){extra}, "
        f"CASE WHEN _ok THEN _q2c_errors ELSE [{parse_error}] END AS _q2c_errors "
        f"FROM ({select}) t",
        pointers or None,
    )
    # The record text stays in the lines table, joined back by position (the typed table was
    # written in the lines' order): storing a second copy of every line cost more than all of
    # the JSON parsing (2.6 s of 4.2 s for 129k time entries).
    con.execute(
        f"CREATE VIEW {typed} AS SELECT b.*, l.line AS _q2c_record FROM {base} b "
        f"POSITIONAL JOIN (SELECT line FROM {lines}) l"
    )
    _check_type_drift(con, mf, typed)

    parsed = ParsedFile(mf, typed, rows, spec.columns + [names[k] for k in unknown], unknown=unknown)
    for child in spec.children:
        parsed.children[child.table] = _parse_children(con, spec, child, typed, f"{tag}_{child.table}", base, lines)
    return parsed


def _check_type_drift(con: duckdb.DuckDBPyConnection, mf: ManifestFile, typed: str) -> None:
    rows = con.execute(
        f"SELECT split_part(e, chr(31), 1) AS fld, count(*) AS n FROM "
        f"(SELECT unnest(_q2c_errors) AS e FROM {typed}) "
        f"WHERE split_part(e, chr(31), 2) = 'json_type' GROUP BY 1"
    ).fetchall()
    if not rows:
        return
    by_source = {f.source: f for f in mf.spec.fields}
    for fld, wrong in rows:
        spec_field = by_source.get(fld)
        if spec_field is None:
            continue
        present = con.execute(
            f"SELECT count(*) FROM {typed} WHERE CASE WHEN {is_json_object('_q2c_record')} THEN "
            f"coalesce(json_type(_q2c_record, {sql_str(_json_path(fld))}), 'NULL') <> 'NULL' END"
        ).fetchall()[0][0]
        if present and wrong / present > TYPE_DRIFT_SHARE:
            raise BatchRejected(
                f"{mf.name}: field {fld!r} changed type: {wrong} of {present} values are not "
                f"{_JSON_TYPE_WORD[spec_field.kind]}"
            )


def _parse_children(
    con: duckdb.DuckDBPyConnection, spec: ObjectSpec, child: ChildSpec, typed: str, table: str, base: str, lines: str
) -> str:
    """``typed``: the parent rows with their record text; ``base``/``lines``: the tables behind it."""
    list_path = sql_str(_json_path(child.list_path))
    has_dec = any(f.kind == DEC for f in child.fields)
    num_line = quote_numbers_sql("_q2c_record") if has_dec else "_q2c_record"
    parent_id = ident(spec.primary_key[0])
    items = (
        f"SELECT _q2c_rn, {parent_id} AS _pid, unnest(_arr) AS item, unnest(_narr) AS nitem, "
        f"unnest(range(len(_arr))) AS position FROM ("
        f"SELECT _q2c_rn, {parent_id}, json_extract(_q2c_record, {list_path} || '[*]') AS _arr, "
        f"json_extract({num_line}, {list_path} || '[*]') AS _narr FROM {typed} "
        f"WHERE CASE WHEN {is_json_object('_q2c_record')} THEN "
        f"json_type(_q2c_record, {list_path}) = 'ARRAY' ELSE false END)"
    )
    select = _typed_select(
        child.fields, "item", f"({items})", ["_q2c_rn", "_pid", "position"], "nitem" if has_dec else None, "true"
    )
    # design.md column order: own id first (invoice_lines), then parent id and position.
    own_id = any(f.column == "id" for f in child.fields)
    con.execute(
        f"CREATE TABLE {table} AS SELECT _q2c_rn, {'id, ' if own_id else ''}_pid AS {ident(child.parent_key)}, "
        f"position::BIGINT AS position, t.* EXCLUDE (_q2c_rn, _pid, position, _ok{', id' if own_id else ''}) "
        f"FROM ({select}) t"
    )
    # A list that arrives as something else is a fault of the parent record.
    con.execute(
        f"UPDATE {base} SET _q2c_errors = list_append({base}._q2c_errors, "
        f"{sql_str(child.list_path + ERR_SEP + 'json_type' + ERR_SEP + 'expected a JSON list, got ')} "
        f"|| lower(l._type)) FROM (SELECT rowid + 1 AS _rn, json_type(line, {list_path}) AS _type "
        f"FROM {lines} WHERE CASE WHEN {is_json_object('line')} THEN "
        f"coalesce(json_type(line, {list_path}), 'NULL') NOT IN ('NULL', 'ARRAY') ELSE false END) l "
        f"WHERE {base}._q2c_rn = l._rn"
    )
    return table
