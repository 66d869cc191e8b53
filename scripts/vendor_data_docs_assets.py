"""Refresh the vendored Data Docs assets (q2c/quality/data_docs_vendor/) from npm.

    uv run python scripts/vendor_data_docs_assets.py

For every package of ``q2c.quality.data_docs_offline.PACKAGES``: ``npm pack`` the pinned
version, copy the files the pages need and the package's licence. Needs ``npm`` and its
registry; the nightly build only copies the committed files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from q2c.quality.data_docs_offline import PACKAGES, VENDOR_DIR, VendoredPackage  # noqa: E402


def vendor(package: VendoredPackage, work: Path) -> None:
    tarball = subprocess.run(
        ["npm", "pack", package.spec, "--silent"], cwd=work, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    unpacked = work / package.spec.replace("/", "+")
    with tarfile.open(work / tarball) as tar:
        tar.extractall(unpacked, filter="data")
    source = unpacked / "package"  # npm tarballs hold one top folder, `package/`
    target = VENDOR_DIR / package.spec
    shutil.rmtree(target, ignore_errors=True)
    for file in (*package.files, *([package.licence] if package.licence else [])):
        (target / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / file, target / file)
    print(f"{package.spec}: {len(package.files)} file(s)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            vendor(package, Path(tmp))


if __name__ == "__main__":
    main()
