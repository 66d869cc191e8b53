"""Landing-zone batches: discovery, manifest verification and content fingerprints.

A batch is trusted only after its manifest is well formed, names files that stay inside
the batch folder, dates the extraction consistently with its batch id and the landing clock,
and every file's sha256 matches; the row count is checked once the file has been parsed
(readers.py), before anything of the batch is loaded. The manifest is read before its files
are verified, so a batch turned away for its files still reports the manifest's figures.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from ingestion.catalog import ObjectSpec, object_spec

MANIFEST = "_manifest.json"
BATCH_ID_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$")
BATCH_ID_FORMAT = "%Y-%m-%dT%H-%M-%SZ"
MODES = ("full", "incremental")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BatchRejected(Exception):
    """The batch cannot be loaded; the message says why and names the file."""


@dataclass(frozen=True)
class ManifestFile:
    name: str
    object: str
    rows: int
    sha256: str
    path: Path
    spec: ObjectSpec


@dataclass(frozen=True)
class Manifest:
    system: str
    batch_id: str
    mode: str
    extracted_at: datetime  # naive UTC
    files: tuple[ManifestFile, ...]

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def fingerprint(self) -> str:
        """Same objects with the same bytes give the same fingerprint, whatever the batch id."""
        parts = sorted(f"{f.object}:{f.sha256}" for f in self.files)
        return hashlib.sha256("|".join([self.system, self.mode, *parts]).encode()).hexdigest()


def discover_batches(landing_dir: Path, system: str) -> tuple[list[Path], list[str]]:
    """Complete batch folders of the system in batch-id order, and ids still being written."""
    root = Path(landing_dir) / system
    if not root.is_dir():
        return [], []
    complete, incomplete = [], []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        (complete if (entry / MANIFEST).is_file() else incomplete).append(entry)
    return complete, [p.name for p in incomplete]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _parse_extracted_at(value: object) -> datetime:
    if not isinstance(value, str):
        raise BatchRejected(f"{MANIFEST}: extracted_at must be an ISO 8601 string, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BatchRejected(f"{MANIFEST}: extracted_at {value!r} is not ISO 8601") from None
    if parsed.tzinfo is None:
        raise BatchRejected(f"{MANIFEST}: extracted_at {value!r} has no time zone")
    return parsed.astimezone(UTC).replace(tzinfo=None)


def _safe_file(batch_dir: Path, name: object) -> Path:
    if not isinstance(name, str) or not name:
        raise BatchRejected(f"{MANIFEST}: file name {name!r} is not a non-empty string")
    pure = PurePosixPath(name)
    if pure.is_absolute() or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise BatchRejected(f"{MANIFEST}: file {name!r} is an absolute path")
    if ".." in pure.parts or "\\" in name or len(pure.parts) != 1:
        raise BatchRejected(f"{MANIFEST}: file {name!r} escapes the batch folder")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise BatchRejected(f"{MANIFEST}: file {name!r} contains a control character")
    path = batch_dir / name
    root = batch_dir.resolve()
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # dangling, or a loop
            raise BatchRejected(f"{MANIFEST}: file {name!r} is a broken or looping symlink") from None
        if root not in target.parents:
            raise BatchRejected(f"{MANIFEST}: file {name!r} is a symlink pointing outside the batch folder")
    return path


def read_manifest(batch_dir: Path, system: str, verify_files: bool = True) -> Manifest:
    """Parse and verify a batch's manifest and the checksums of its files. Without
    ``verify_files`` the files are neither required nor hashed: the manifest's declared
    checksums are enough to compare a re-delivery with what was loaded (redelivery.py)."""
    manifest = parse_manifest(batch_dir, system)
    if verify_files:
        verify_manifest_files(manifest)
    return manifest


def parse_manifest(batch_dir: Path, system: str) -> Manifest:
    """The manifest, well formed and naming files inside the batch folder; the files
    themselves are not touched (see :func:`verify_manifest_files`)."""
    try:
        raw = json.loads(_safe_file(batch_dir, MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BatchRejected(f"{MANIFEST}: unreadable ({exc})") from None
    if not isinstance(raw, dict):
        raise BatchRejected(f"{MANIFEST}: must be a JSON object")
    missing = [k for k in ("system", "batch_id", "mode", "extracted_at", "files") if k not in raw]
    if missing:
        raise BatchRejected(f"{MANIFEST}: missing required field(s) {', '.join(missing)}")
    if raw["system"] != system:
        raise BatchRejected(f"{MANIFEST}: system {raw['system']!r} does not match folder {system!r}")
    if raw["batch_id"] != batch_dir.name:
        raise BatchRejected(f"{MANIFEST}: batch_id {raw['batch_id']!r} does not match folder {batch_dir.name!r}")
    if not BATCH_ID_PATTERN.match(batch_dir.name):
        raise BatchRejected(f"{MANIFEST}: batch_id {batch_dir.name!r} is not YYYY-MM-DDTHH-MM-SSZ")
    if raw["mode"] not in MODES:
        raise BatchRejected(f"{MANIFEST}: mode {raw['mode']!r} is not one of {MODES}")
    extracted_at = _parse_extracted_at(raw["extracted_at"])
    if not isinstance(raw["files"], list):
        raise BatchRejected(f"{MANIFEST}: files must be a list")

    files: list[ManifestFile] = []
    seen_objects: set[str] = set()
    for entry in raw["files"]:
        if not isinstance(entry, dict):
            raise BatchRejected(f"{MANIFEST}: files entry {entry!r} is not an object")
        lacking = [k for k in ("name", "object", "rows", "sha256") if k not in entry]
        if lacking:
            raise BatchRejected(f"{MANIFEST}: files entry {entry.get('name')!r} lacks {', '.join(lacking)}")
        name = entry["name"]
        path = _safe_file(batch_dir, name)
        spec = object_spec(system, entry["object"])
        if spec is None:
            raise BatchRejected(f"{name}: unknown {system} object {entry['object']!r}")
        if name != spec.file:
            raise BatchRejected(f"{name}: object {spec.object} must be delivered as {spec.file}")
        if spec.object in seen_objects:
            raise BatchRejected(f"{name}: object {spec.object} listed twice in {MANIFEST}")
        seen_objects.add(spec.object)
        rows = entry["rows"]
        if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
            raise BatchRejected(f"{name}: manifest rows {rows!r} is not a non-negative integer")
        sha = entry["sha256"]
        if not isinstance(sha, str) or not _SHA256.match(sha.lower()):
            raise BatchRejected(f"{name}: manifest sha256 {sha!r} is not 64 hex digits")
        files.append(ManifestFile(name, spec.object, rows, sha.lower(), path, spec))
    return Manifest(system, batch_dir.name, raw["mode"], extracted_at, tuple(files))


def verify_manifest_files(manifest: Manifest) -> None:
    """Every listed file is present with the manifest's checksum."""
    for f in manifest.files:
        if not f.path.is_file():
            raise BatchRejected(f"{f.name}: file listed in {MANIFEST} is missing")
        actual = file_sha256(f.path)
        if actual != f.sha256:
            raise BatchRejected(f"{f.name}: sha256 mismatch (manifest {f.sha256}, file {actual})")


def batch_id_time(batch_id: str) -> datetime | None:
    """The extraction timestamp a batch id names (naive UTC); None when it is not a batch id."""
    if not BATCH_ID_PATTERN.match(batch_id):
        return None
    try:
        return datetime.strptime(batch_id, BATCH_ID_FORMAT)
    except ValueError:  # e.g. month 13
        return None


def _utc_text(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_extraction_time(manifest: Manifest, now: datetime, tolerance: timedelta) -> None:
    """The contract makes the batch id the extraction timestamp: an ``extracted_at`` that
    disagrees with it, or lies ahead of the landing clock (``now``, naive UTC), by more than
    ``tolerance`` (clock skew) is a wrong stamp that would move the as-of date."""
    stated = _utc_text(manifest.extracted_at)
    allowed = f"{tolerance.total_seconds() / 60:g} minutes (Q2C_EXTRACTED_AT_TOLERANCE_MINUTES)"
    named = batch_id_time(manifest.batch_id)
    if named is None:
        raise BatchRejected(f"{MANIFEST}: batch_id {manifest.batch_id!r} is not a valid UTC timestamp")
    if abs(manifest.extracted_at - named) > tolerance:
        raise BatchRejected(
            f"{MANIFEST}: extracted_at {stated!r} disagrees with batch_id {manifest.batch_id!r} "
            f"({_utc_text(named)}) by more than {allowed}"
        )
    if manifest.extracted_at - now > tolerance:
        raise BatchRejected(
            f"{MANIFEST}: extracted_at {stated!r} lies in the future of the landing clock "
            f"({_utc_text(now)}) by more than {allowed}"
        )


def unlisted_files(batch_dir: Path, manifest: Manifest) -> list[str]:
    listed = {f.name for f in manifest.files} | {MANIFEST}
    return sorted(p.name for p in batch_dir.iterdir() if p.name not in listed)
