"""One landing run of one system: pick the pending batches, verify and parse them into a
scratch DuckDB, then serve each raw table's rows as Arrow tables.

The run is prepared lazily, from inside dlt's extract step, because only there is the
pipeline's source state (the batches already loaded) available; the state changes made
here are committed by dlt together with the load package that carries the rows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion.catalog import ObjectSpec, objects
from ingestion.landing.arrival import ArrivalRules, awaited_batches, waiting_reason
from ingestion.landing.manifest import (
    MANIFEST,
    BatchRejected,
    Manifest,
    check_extraction_time,
    discover_batches,
    parse_manifest,
    unlisted_files,
    verify_manifest_files,
)
from ingestion.landing.plausibility import window_for
from ingestion.landing.raw_tables import declared_tables
from ingestion.landing.readers import ParsedFile, ident, parse_file, sql_str
from ingestion.landing.redelivery import accepted_content, changed_redelivery
from ingestion.landing.report import HELD, LOADED, REJECTED, SKIPPED, BatchReport, FileReport, LandingReport
from ingestion.landing.validation import FileValidation, quarantine_rows, validate_file
from q2c.settings import PlausibleBounds
from q2c.warehouse import open_duckdb

CHUNK_ROWS = 100_000
# Capped so a whole nightly stays within 2 GiB at L; DuckDB spills to temp_directory beyond it.
SCRATCH_MEMORY_LIMIT = "768MB"


SCRATCH_PREFIX = "q2c_landing_"


def remove_abandoned_scratch() -> list[Path]:
    """Scratch folders of landing runs whose process was killed (a parsed batch can be as
    large as the batch itself); a live process's folders are left alone."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*_*_*"):
        pid = folder.name.removeprefix(SCRATCH_PREFIX).split("_")[1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        except PermissionError:  # alive, someone else's
            pass
    return removed


@dataclass
class _AcceptedFile:
    tag: str  # prefix of the file's scratch tables
    parsed: ParsedFile
    validation: FileValidation
    file_no: int


@dataclass
class _AcceptedBatch:
    manifest: Manifest
    files: list[_AcceptedFile]


@dataclass(frozen=True)
class TableOutput:
    relation: str  # scratch table holding the rows to send
    replace: bool  # a clean full file is among the sources: the raw table is replaced


@dataclass(frozen=True)
class SkipRequest:
    """An operator's decision to give up on a rejected batch, or on a batch folder that stays
    incomplete (``q2c batches skip``)."""

    batch_id: str
    reason: str


class SkipRefused(Exception):
    """The batch cannot be skipped (unknown, or neither rejected nor incomplete); nothing was changed."""


class LandingRun:
    def __init__(
        self,
        system: str,
        landing_dir: Path | None,
        skip: SkipRequest | None = None,
        rules: ArrivalRules | None = None,
        plausible: PlausibleBounds | None = None,
    ):
        """``landing_dir`` None: a run that only describes the source (asset specs);
        ``plausible``: the settings' bounds of values that can be true (default: the defaults)."""
        self.system = system
        self.landing_dir = None if landing_dir is None else Path(landing_dir)
        self.skip = skip  # set: this run only records the skip, it lands nothing
        self.rules = rules or ArrivalRules.defaults()
        self.plausible = plausible or PlausibleBounds()
        self.report = LandingReport(system)
        self._prepared = False
        self._tmp: Path | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._outputs: dict[str, TableOutput] = {}
        self._log_rows: list[dict] = []
        self._quarantine: list[pa.Table] = []

    # -- lifecycle -------------------------------------------------------------------
    def _connect(self) -> duckdb.DuckDBPyConnection:
        self._tmp = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{self.system}_{os.getpid()}_"))
        # A caller that never calls close() (e.g. an orchestrator running the source
        # itself) still gets the scratch folder removed once the run is garbage.
        weakref.finalize(self, shutil.rmtree, str(self._tmp), True)
        return open_duckdb(
            self._tmp / "scratch.duckdb",
            memory_limit=SCRATCH_MEMORY_LIMIT,
            config={
                "temp_directory": str(self._tmp / "spill"),
                "preserve_insertion_order": True,
            },
        )

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def prepare(self, state: dict) -> None:
        """Verify and parse pending batches once per run; ``state`` is dlt source state."""
        if self._prepared:
            return
        if self.landing_dir is None:
            raise RuntimeError(
                f"the {self.system} source built for asset specs cannot be run: land it with ingestion.landing.land"
            )
        self._prepared = True
        loaded: dict = state.setdefault("batches", {})
        fingerprints: dict = state.setdefault("fingerprints", {})
        logged: dict = state.setdefault("logged", {})
        if self.skip is not None:
            self._record_skip(self.skip, loaded, logged)
            return

        complete, incomplete = discover_batches(self.landing_dir, self.system)
        self.report.incomplete_batches = incomplete
        for batch_dir in complete:
            if "fingerprint" in loaded.get(batch_dir.name, {}):  # accepted for its content
                self._check_redelivery(batch_dir, loaded[batch_dir.name], loaded, logged)
        pending = [d for d in complete if d.name not in loaded]
        if not pending:
            return
        newest_loaded = max((b for b, v in loaded.items() if v.get("status") == LOADED), default="")
        awaited = awaited_batches(incomplete, set(loaded), newest_loaded)
        self._con = self._connect()
        accepted: list[_AcceptedBatch] = []
        blocked_by: str | None = None
        file_no = 0
        for n, batch_dir in enumerate(pending):
            report = BatchReport(self.system, batch_dir.name, HELD)
            self.report.batches.append(report)
            # The manifest first, whatever turns the batch away after: its figures are logged.
            try:
                manifest, unreadable = parse_manifest(batch_dir, self.system), None
                report.mode, report.extracted_at = manifest.mode, manifest.extracted_at
                report.files = [FileReport(f.name, f.object, f.rows) for f in manifest.files]
            except BatchRejected as exc:
                manifest, unreadable = None, exc
            waiting = waiting_reason(batch_dir.name, awaited)
            if blocked_by is not None or waiting is not None:
                report.reason = waiting if blocked_by is None else f"held until rejected batch {blocked_by} is fixed"
                self._log_unfinished(report, logged)
                continue
            try:
                if unreadable is not None:
                    raise unreadable
                if batch_dir.name < newest_loaded:
                    # Applying it now would let older records overwrite newer ones.
                    raise BatchRejected(
                        f"arrived after the newer batch {newest_loaded} was loaded; remove it or re-extract"
                    )
                check_extraction_time(manifest, self.rules.now, self.rules.extracted_at_tolerance)
                verify_manifest_files(manifest)
                twin = fingerprints.get(manifest.fingerprint)
                if twin is not None and manifest.rows > 0:
                    report.status = SKIPPED
                    report.reason = f"same content as already loaded batch {twin}"
                    loaded[batch_dir.name] = {"status": SKIPPED, **accepted_content(manifest)}
                    self._log_rows.append(report.log_row())
                    continue
                files = []
                window = window_for(self.plausible, manifest.extracted_at)
                for i, mf in enumerate(manifest.files):
                    tag = f"b{n}_f{i}"
                    parsed = parse_file(self._con, mf, tag)
                    validation = validate_file(self._con, parsed, tag, window)
                    files.append(_AcceptedFile(tag, parsed, validation, file_no))
                    file_no += 1
            except BatchRejected as exc:
                report.status, report.reason = REJECTED, str(exc)
                for fr in report.files:
                    fr.rows_loaded = fr.rows_quarantined = 0
                blocked_by = batch_dir.name
                self._log_unfinished(report, logged)
                continue
            report.status = LOADED
            for fr, af in zip(report.files, files):
                fr.rows_loaded = af.validation.rows_valid
                fr.rows_quarantined = af.validation.rows_quarantined
                fr.new_columns = list(af.parsed.unknown)
                if af.parsed.unknown:
                    report.warnings.append(
                        f"{fr.file}: new field(s) {', '.join(af.parsed.unknown)} loaded as "
                        f"{', '.join(af.parsed.columns[-len(af.parsed.unknown) :])}"
                    )
                if af.validation.rows_quarantined:
                    self._quarantine.append(quarantine_rows(self._con, af.parsed, af.tag, self.system, batch_dir.name))
                    if manifest.mode == "full":
                        report.warnings.append(
                            f"{fr.file}: {af.validation.rows_quarantined} record(s) quarantined: records missing "
                            "from this full batch are not purged until a full batch loads cleanly"
                        )
            report.warnings += [
                f"{name}: not listed in the manifest, ignored" for name in unlisted_files(batch_dir, manifest)
            ]
            accepted.append(_AcceptedBatch(manifest, files))
            loaded[batch_dir.name] = {"status": LOADED, **accepted_content(manifest)}
            if manifest.rows > 0:
                fingerprints[manifest.fingerprint] = batch_dir.name
            logged.pop(batch_dir.name, None)
            self._log_rows.append(report.log_row())
        for spec in objects(self.system):
            self._plan_object(spec, accepted)

    def _check_redelivery(self, batch_dir: Path, entry: dict, loaded: dict, logged: dict) -> None:
        """An accepted batch's folder is never loaded again. Changed content in it is rejected
        under its own derived id (redelivery.py), holding nothing back and leaving the
        batch's own state and batch_log row alone, until that derived id is skipped."""
        rejected = changed_redelivery(self.system, batch_dir, entry)
        if rejected is None or rejected.batch_id in loaded:  # the accepted content, or skipped
            return
        self.report.batches.append(rejected)
        self._log_unfinished(rejected, logged)

    def _record_skip(self, skip: SkipRequest, loaded: dict, logged: dict) -> None:
        """Mark a rejected batch, or a folder that stays incomplete, skipped in the source state
        (so later batches of the system are no longer held and the folder never loads, even if
        it completes; for a rejected re-delivery's derived id, so that content is not reported
        again) and log it with its manifest's figures when it has one; dlt commits both with
        this run's load package."""
        previous = logged.get(skip.batch_id, "")
        if skip.batch_id in loaded:
            raise SkipRefused(
                f"{self.system} batch {skip.batch_id} is already {loaded[skip.batch_id].get('status')}: nothing to skip"
            )
        folder = self.landing_dir / self.system / skip.batch_id
        if previous.startswith(f"{REJECTED}:"):
            given_up = f"rejected: {previous.split(':', 1)[1]}"
        elif folder.is_dir() and not (folder / MANIFEST).is_file():
            given_up = f"incomplete: no {MANIFEST} yet"
        else:
            state = previous.split(":", 1)[0] or "not known to any landing run"
            raise SkipRefused(
                f"{self.system} batch {skip.batch_id} is {state}: only a rejected or incomplete batch can be skipped"
            )
        loaded[skip.batch_id] = {"status": SKIPPED, "reason": skip.reason}
        logged.pop(skip.batch_id, None)
        report = BatchReport(
            self.system, skip.batch_id, SKIPPED, reason=f"skipped by operator: {skip.reason} ({given_up})"
        )
        try:  # the figures the rejected row had, so the skipped one still accounts for its rows
            manifest = parse_manifest(folder, self.system)
            report.mode, report.extracted_at = manifest.mode, manifest.extracted_at
            report.files = [FileReport(f.name, f.object, f.rows) for f in manifest.files]
        except BatchRejected:
            pass
        self.report.batches.append(report)
        self._log_rows.append(report.log_row())

    def _log_unfinished(self, report: BatchReport, logged: dict) -> None:
        """Rejected/held batches are re-examined every run but logged only when their
        status or reason changes, so a rerun with nothing new writes nothing."""
        key = f"{report.status}:{report.reason}"
        if logged.get(report.batch_id) != key:
            logged[report.batch_id] = key
            self._log_rows.append(report.log_row())

    # -- planning ----------------------------------------------------------------------
    def _plan_object(self, spec: ObjectSpec, accepted: list[_AcceptedBatch]) -> None:
        """The rows each raw table of ``spec`` gets from the pending batches, and whether they
        replace it. A full batch purges only what it shows to be gone: only a full file with no
        quarantined record replaces the table (and supersedes the earlier pending batches). A
        quarantined record is no evidence of a purge, so a full file with any (an all-bad file
        too) merges like an incremental one: every record keeps its last loaded version."""
        files = [(b.manifest, af) for b in accepted for af in b.files if af.parsed.spec.object == spec.object]
        clean_fulls = [i for i, (m, af) in enumerate(files) if m.mode == "full" and af.validation.rows_quarantined == 0]
        replace = bool(clean_fulls)
        if clean_fulls:
            files = files[clean_fulls[-1] :]
        sources = [(m, af) for m, af in files if af.validation.rows_valid > 0]
        if not sources:
            if replace:  # a clean, empty full file: every record was purged
                self._plan_empty_replace(spec)
            return
        con = self._con
        columns: list[str] = []
        for _, af in sources:
            columns += [c for c in af.parsed.columns if c not in columns]
        selects = []
        for manifest, af in sources:
            have = set(af.parsed.columns)
            cols = ", ".join(ident(c) if c in have else f"NULL AS {ident(c)}" for c in columns)
            selects.append(
                f"SELECT {cols}, {sql_str(manifest.batch_id)} AS _q2c_batch_id, "
                f"md5({sql_str(manifest.batch_id + '/' + af.parsed.file.name + '/')} || _q2c_rn) AS _dlt_id, "
                f"TIMESTAMP {sql_str(manifest.extracted_at.isoformat(sep=' '))} AS _q2c_extracted_at, "
                f"{af.file_no} AS _q2c_file_no, _q2c_rn FROM {af.parsed.table} "
                f"WHERE _q2c_rn NOT IN (SELECT _q2c_rn FROM {af.validation.bad_table})"
            )
        union = " UNION ALL BY NAME ".join(selects)
        final = f"out_{spec.table}"
        if len(sources) > 1:  # latest batch wins per primary key
            pk = ", ".join(ident(c) for c in spec.primary_key)
            union = (
                f"SELECT * FROM ({union}) QUALIFY row_number() OVER (PARTITION BY {pk} ORDER BY _q2c_file_no DESC) = 1"
            )
        # Views, not copies: rows stream from the parsed files straight to dlt.
        con.execute(f"CREATE VIEW {final} AS {union}")
        self._outputs[spec.table] = TableOutput(final, replace)
        for child in spec.children:
            children = " UNION ALL BY NAME ".join(
                f"SELECT c.* EXCLUDE (_q2c_rn, _q2c_errors), p._q2c_batch_id, p._q2c_extracted_at, "
                f"md5(p._dlt_id || '/' || c.position) AS _dlt_id, "
                f"NULL::BOOLEAN AS _q2c_deleted, p._q2c_file_no, p._q2c_rn "
                f"FROM {final} p JOIN {af.parsed.children[child.table]} c "
                f"ON c._q2c_rn = p._q2c_rn AND p._q2c_file_no = {af.file_no}"
                for _, af in sources
            )
            if not replace:
                # Children merge by delete-insert on the parent id, which replaces a parent's
                # old children; a parent that now has none sends one tombstone instead.
                parent_id = ident(spec.primary_key[0])
                children = (
                    f"WITH c AS ({children}) SELECT * FROM c UNION ALL BY NAME "
                    f"SELECT p.{parent_id} AS {ident(child.parent_key)}, p._q2c_batch_id, "
                    f"p._q2c_extracted_at, md5(p._dlt_id || '/-') AS _dlt_id, true AS _q2c_deleted, "
                    f"p._q2c_file_no, p._q2c_rn FROM {final} p ANTI JOIN c "
                    f"ON c._q2c_file_no = p._q2c_file_no AND c._q2c_rn = p._q2c_rn"
                )
            child_final = f"out_{child.table}"
            con.execute(f"CREATE VIEW {child_final} AS {children}")
            self._outputs[child.table] = TableOutput(child_final, replace)

    def _plan_empty_replace(self, spec: ObjectSpec) -> None:
        """Empty outputs that replace the object's tables (declared columns, no rows)."""
        tables = declared_tables(self.system)
        for table in [spec.table, *(c.table for c in spec.children)]:
            cols = ", ".join(f"NULL::{t} AS {ident(c)}" for c, t in tables[table] if c != "_dlt_load_id")
            relation = f"out_{table}"
            self._con.execute(
                f"CREATE VIEW {relation} AS SELECT {cols}, 0 AS _q2c_file_no, 0::BIGINT AS _q2c_rn WHERE false"
            )
            self._outputs[table] = TableOutput(relation, True)

    # -- serving -----------------------------------------------------------------------
    def table_output(self, table: str) -> TableOutput | None:
        return self._outputs.get(table)

    def iter_table(self, table: str) -> Iterator[pa.Table]:
        out = self._outputs.get(table)
        if out is None:
            return
        total = 0
        cursor = self._con.cursor()
        try:
            reader = cursor.sql(f"SELECT * EXCLUDE (_q2c_file_no, _q2c_rn) FROM {out.relation}").to_arrow_reader(
                CHUNK_ROWS
            )
            for batch in reader:
                if batch.num_rows:
                    total += batch.num_rows
                    yield pa.Table.from_batches([batch])
            if not total and out.replace:  # dlt truncates a replaced table only when given an item
                yield reader.schema.empty_table()
        finally:
            cursor.close()
            self.report.rows_written[table] = total

    def log_rows(self) -> list[dict]:
        return list(self._log_rows)

    def quarantine_tables(self) -> list[pa.Table]:
        return list(self._quarantine)
