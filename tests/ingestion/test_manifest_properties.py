"""Property-based tests of manifest validation: whatever a manifest says, reading it either
rejects the batch with a clear BatchRejected or yields a manifest whose files all lie inside
the batch folder; a file outside the folder is never read.

A decoy outside the batch folder has exactly the bytes and checksum the manifest claims, so
a manifest that managed to point at it would pass every later check: only the path rules
stand between it and the warehouse.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ingestion.landing.manifest import MANIFEST, BatchRejected, Manifest, read_manifest
from tests.ingestion.batch_writer import account, csv_text

BATCH = "2026-11-22T02-00-00Z"
ACCOUNT_CSV = csv_text("crm", "Account", [account(1)]).encode()
ACCOUNT_SHA = hashlib.sha256(ACCOUNT_CSV).hexdigest()
_settings = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Landing:
    """<root>/outside/Account.csv (the decoy), <root>/landing/crm/<BATCH>/ (the batch)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="q2c_manifest_prop_"))
        self.outside = self.root / "outside"
        self.outside.mkdir()
        (self.outside / "Account.csv").write_bytes(ACCOUNT_CSV)
        self.batch = self.root / "landing" / "crm" / BATCH
        self.batch.mkdir(parents=True)

    def write_manifest(self, manifest: object) -> None:
        (self.batch / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    def __enter__(self) -> Landing:
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _read(landing: Landing) -> Manifest | None:
    """read_manifest, with BatchRejected meaning a clear refusal; anything else fails the test."""
    try:
        manifest = read_manifest(landing.batch, "crm")
    except BatchRejected as exc:
        assert str(exc).strip(), "a rejection must say why"
        return None
    batch = landing.batch.resolve()
    for f in manifest.files:
        assert f.path.resolve().parent == batch, f"{f.name!r} resolved outside the batch folder"
        assert f.path.resolve() != (landing.outside / "Account.csv").resolve()
    return manifest


def _manifest(name: str, **entry) -> dict:
    return {
        "system": "crm",
        "batch_id": BATCH,
        "mode": "full",
        "extracted_at": "2026-11-22T02:00:00Z",
        "files": [{"name": name, "object": "Account", "rows": 1, "sha256": ACCOUNT_SHA, **entry}],
    }


_segments = st.sampled_from(
    [
        "..",
        ".",
        "",
        "outside",
        "Account.csv",
        "crm",
        "landing",
        BATCH,
        "~",
        "%2e%2e",
        "..\\..",
        "C:",
        "\\\\server\\share",
        "\x00",
        " ",
        "Account.csv\x00",
    ]
)
_names = st.one_of(
    st.lists(_segments, min_size=1, max_size=6).flatmap(
        lambda parts: st.sampled_from(["/", "\\", "//"]).map(lambda sep: sep.join(parts))
    ),
    st.lists(_segments, min_size=1, max_size=6).map(lambda parts: "/" + "/".join(parts)),
    st.text(max_size=30),
    st.just("Account.csv"),
)


@_settings
@given(_names)
def test_no_file_name_escapes_the_batch_folder(name):
    with Landing() as landing:
        landing.write_manifest(_manifest(name))
        manifest = _read(landing)
        if manifest is not None:
            # the only acceptable name is the object's own file, inside the folder, which is absent
            raise AssertionError(f"accepted {name!r} although Account.csv is not in the batch folder")


def test_paths_that_would_reach_the_decoy_are_rejected_with_a_reason():
    with Landing() as landing:
        decoy = landing.outside / "Account.csv"
        for name, reason in [
            ("../../../outside/Account.csv", "escapes the batch folder"),
            (str(decoy), "is an absolute path"),
            ("..\\..\\..\\outside\\Account.csv", "escapes the batch folder"),
            ("Account.csv\x00", "control character"),
        ]:
            landing.write_manifest(_manifest(name))
            try:
                read_manifest(landing.batch, "crm")
            except BatchRejected as exc:
                assert reason in str(exc), (name, str(exc))
            else:
                raise AssertionError(f"{name!r} was accepted")


@_settings
@given(st.sampled_from(["outside_file", "outside_dir_chain", "inside", "dangling", "self"]))
def test_symlinks_may_only_point_inside_the_batch_folder(kind):
    with Landing() as landing:
        link = landing.batch / "Account.csv"
        if kind == "outside_file":
            link.symlink_to(landing.outside / "Account.csv")
        elif kind == "outside_dir_chain":  # a link to a link inside that leads outside
            (landing.batch / "hop.csv").symlink_to(landing.outside / "Account.csv")
            link.symlink_to(landing.batch / "hop.csv")
        elif kind == "inside":
            (landing.batch / "real.csv").write_bytes(ACCOUNT_CSV)
            link.symlink_to("real.csv")
        elif kind == "dangling":
            link.symlink_to(landing.batch / "missing.csv")
        else:
            link.symlink_to("Account.csv")
        landing.write_manifest(_manifest("Account.csv"))
        manifest = _read(landing)
        if kind == "inside":
            assert manifest is not None and manifest.files[0].path.resolve() == (landing.batch / "real.csv")
        else:
            assert manifest is None


# Arbitrary JSON where a manifest is expected, and well-formed manifests with arbitrary fields.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
_field_values = {
    "system": st.one_of(st.just("crm"), _json),
    "batch_id": st.one_of(st.just(BATCH), _json),
    "mode": st.one_of(st.sampled_from(["full", "incremental"]), _json),
    "extracted_at": st.one_of(st.sampled_from(["2026-11-22T02:00:00Z", "2026-11-22T02:00:00", "yesterday"]), _json),
}
_entries = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.sampled_from(["Account.csv", "Opportunity.csv", "../Account.csv"]), _json),
        "object": st.one_of(st.sampled_from(["Account", "Opportunity", "Invoice"]), _json),
        "rows": st.one_of(st.integers(-2, 3), _json),
        "sha256": st.one_of(st.just(ACCOUNT_SHA), st.text(alphabet="0123456789abcdefABCDEF", max_size=64), _json),
    },
)
_manifests = st.one_of(
    _json,
    st.fixed_dictionaries({}, optional={**_field_values, "files": st.one_of(st.lists(_entries, max_size=3), _json)}),
)


@_settings
@given(_manifests, st.booleans())
def test_any_manifest_gives_a_clear_rejection_or_a_valid_manifest(manifest, with_file):
    with Landing() as landing:
        if with_file:
            (landing.batch / "Account.csv").write_bytes(ACCOUNT_CSV)
        landing.write_manifest(manifest)
        result = _read(landing)
        if result is not None:
            assert result.system == "crm" and result.batch_id == BATCH and result.mode in ("full", "incremental")
            for f in result.files:
                assert f.path.read_bytes() == ACCOUNT_CSV and f.sha256 == ACCOUNT_SHA and f.rows >= 0


@_settings
@given(st.binary(max_size=64))
def test_a_manifest_that_is_not_json_text_is_rejected(raw):
    with Landing() as landing:
        (landing.batch / MANIFEST).write_bytes(raw)
        try:
            json.loads(raw.decode("utf-8"))
            assume(False)  # valid JSON is covered above
        except (UnicodeDecodeError, ValueError):
            pass
        assert _read(landing) is None


def test_symlinked_manifest_pointing_outside_is_not_followed():
    with Landing() as landing:
        (landing.outside / MANIFEST).write_text(json.dumps(_manifest("Account.csv")))
        (landing.batch / "Account.csv").write_bytes(ACCOUNT_CSV)
        os.symlink(landing.outside / MANIFEST, landing.batch / MANIFEST)
        assert _read(landing) is None
