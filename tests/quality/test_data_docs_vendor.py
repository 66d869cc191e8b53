"""The vendored Data Docs assets are complete: every CDN URL that the site rewrites has its
copy, and every copied package carries its licence."""

from __future__ import annotations

from pathlib import Path

import great_expectations

from q2c.quality.data_docs_offline import CDN_COPIES, PACKAGES, SITE_VENDOR_DIR, VENDOR_DIR

GX_STATIC = Path(great_expectations.__file__).parent / "render" / "view" / "static"
GX_TEMPLATES = GX_STATIC.with_name("templates")


def _source(site_path: str) -> Path:
    """Where a file of the site comes from: the vendored folder or GX's own static folder."""
    if site_path.startswith(f"{SITE_VENDOR_DIR}/"):
        return VENDOR_DIR / site_path.removeprefix(f"{SITE_VENDOR_DIR}/")
    return GX_STATIC / site_path.removeprefix("static/")


def test_every_cdn_url_has_a_copy():
    missing = {url: path for url, path in CDN_COPIES.items() if not _source(path).is_file()}
    assert not missing


def test_every_vendored_package_has_its_files_and_licence():
    for package in PACKAGES:
        for file in (*package.files, *([package.licence] if package.licence else [])):
            assert (VENDOR_DIR / package.spec / file).is_file(), (package.spec, file)
    assert (VENDOR_DIR / "README.md").is_file()


def test_every_cdn_url_in_the_installed_gx_templates_is_known():
    """A GX upgrade that brings a new CDN URL fails here, before a page goes out unstyled."""
    import re

    cdn = re.compile(r"""(?:src|href)="(https://[^"]+)\"""")
    urls = {
        url
        for template in GX_TEMPLATES.glob("*.j2")
        for url in cdn.findall(template.read_text(encoding="utf-8"))
        if "greatexpectations.io" not in url  # links a reader may follow, not resources
    }
    assert urls, GX_TEMPLATES
    assert urls <= set(CDN_COPIES), sorted(urls - set(CDN_COPIES))
