"""A batch id the platform already accepted (loaded, or skipped as a copy of a loaded batch)
arriving again in the landing zone.

It is never loaded twice. The same content (the manifest's declared checksums) is a no-op.
Other content cannot be applied under an id already taken (latest batch wins by id), so it
is rejected with the files that differ, and the data loaded first stay exactly as they were,
batch_log row included: the rejection is recorded as a batch of its own, under a derived id
(``<batch id>~redelivered-<8 hex of the new content's fingerprint>``), so the batch_log
keeps saying the batch is loaded and with what (the as-of date and the accounting check
read those rows). Each different content gets its own derived id; the same one seen again
is reported on every run but logged once. Unlike a rejected pending batch it holds back no
later batch: its content can never land under this id, so holding them would protect no
ordering and only stall the system. It stays rejected until the operator skips its derived
id (``q2c batches skip``), which acknowledges that content only.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingestion.landing.manifest import MANIFEST, BatchRejected, Manifest, file_sha256, read_manifest
from ingestion.landing.report import LOADED, REJECTED, BatchReport, FileReport

REDELIVERED = "~redelivered-"  # "~" never occurs in a batch id (YYYY-MM-DDTHH-MM-SSZ)
_ADVICE = "the data already loaded are kept: re-deliver corrections under a new batch id"


def accepted_content(manifest: Manifest) -> dict:
    """What the source state keeps of an accepted batch to recognise a re-delivery of it."""
    return {
        "fingerprint": manifest.fingerprint,
        "mode": manifest.mode,
        "files": {f.name: f.sha256 for f in manifest.files},
    }


def redelivery_id(batch_id: str, digest: str) -> str:
    """The derived id a re-delivery of ``batch_id`` with content ``digest`` is logged under."""
    return f"{batch_id}{REDELIVERED}{digest[:8]}"


def redelivered_batch(batch_id: str) -> str | None:
    """The batch a derived re-delivery id belongs to; None for an ordinary batch id."""
    original, found, _ = batch_id.partition(REDELIVERED)
    return original if found else None


def _differences(entry: dict, manifest: Manifest) -> list[str]:
    loaded = entry.get("files")
    if loaded is None:  # accepted before per-file checksums were kept
        return ["the manifest's checksums differ from the ones loaded"]
    found = []
    if entry.get("mode") != manifest.mode:
        found.append(f"mode differs (loaded {entry.get('mode')}, now {manifest.mode})")
    now = {f.name: f.sha256 for f in manifest.files}
    for name in sorted(loaded.keys() | now.keys()):
        if name not in now:
            found.append(f"{name} no longer listed")
        elif name not in loaded:
            found.append(f"{name} not in the loaded batch")
        elif loaded[name] != now[name]:
            found.append(f"{name} sha256 differs")
    return found


def _manifest_digest(batch_dir: Path) -> str:
    try:
        return file_sha256(batch_dir / MANIFEST)
    except OSError:
        return hashlib.sha256(b"unreadable manifest").hexdigest()


def changed_redelivery(system: str, batch_dir: Path, entry: dict) -> BatchReport | None:
    """The rejection (under its derived id, nothing loaded) of what the folder of an accepted
    batch now declares; None while it still declares the accepted content (``entry``: the
    batch's source-state record)."""
    batch_id = batch_dir.name
    accepted = "loaded" if entry.get("status") == LOADED else "received"
    try:
        # declared checksums only: hashing every loaded batch's files on every run would
        # cost as much as landing them, and the contract makes the manifest the content's name
        manifest = read_manifest(batch_dir, system, verify_files=False)
    except BatchRejected as exc:
        return BatchReport(
            system,
            redelivery_id(batch_id, _manifest_digest(batch_dir)),
            REJECTED,
            reason=(
                f"batch {system}/{batch_id} was already {accepted}; its re-delivered "
                f"manifest cannot be compared ({exc}); {_ADVICE}"
            ),
        )
    if manifest.fingerprint == entry["fingerprint"]:
        return None
    return BatchReport(
        system,
        redelivery_id(batch_id, manifest.fingerprint),
        REJECTED,
        mode=manifest.mode,
        extracted_at=manifest.extracted_at,
        files=[FileReport(f.name, f.object, f.rows) for f in manifest.files],
        reason=(
            f"batch {system}/{batch_id} was already {accepted} with different content: "
            f"{'; '.join(_differences(entry, manifest))}; {_ADVICE}"
        ),
    )
