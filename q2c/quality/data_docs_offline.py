"""Make the GX Data Docs site work on a machine without internet.

GX 1.x's page templates load bootstrap, bootstrap-table, jQuery, popper, Font Awesome and vega
from CDNs and its logo from S3: offline the pages render unstyled and the index, a
bootstrap-table filled by jQuery, lists no validation results. After each build the site gets
a copy of the vendored files (``data_docs_vendor/``, copied from the npm packages in
:data:`PACKAGES`; ``scripts/vendor_data_docs_assets.py`` refreshes them) and every page's and
stylesheet's CDN URL is rewritten to the relative path of its copy. Rewriting is idempotent, so
pages of earlier nights are fixed too.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).with_name("data_docs_vendor")
SITE_VENDOR_DIR = "static/vendor"  # inside the Data Docs site
GX_PROJECT_DIRNAME = "_gx_project"


@dataclass(frozen=True)
class VendoredPackage:
    name: str
    version: str
    files: tuple[str, ...]  # paths inside the npm package that the pages need
    licence: str | None  # the package's licence file; None when the npm package ships none

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    def site_path(self, file: str) -> str:
        return f"{SITE_VENDOR_DIR}/{self.spec}/{file}"


# The versions GX 1.24's templates pin; for vega's floating majors (vega@5, vega-lite@5,
# vega-embed@6) the newest release of that major when vendored.
BOOTSTRAP = VendoredPackage("bootstrap", "4.3.1", ("dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js"), "LICENSE")
BOOTSTRAP_DARK = VendoredPackage(
    "@forevolve/bootstrap-dark", "1.1.0", ("dist/css/bootstrap-prefers-dark.css",), "LICENSE"
)
BOOTSTRAP_TABLE = VendoredPackage(
    "bootstrap-table",
    "1.19.1",
    (
        "dist/bootstrap-table.min.css",
        "dist/bootstrap-table.min.js",
        "dist/extensions/filter-control/bootstrap-table-filter-control.css",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    ),
    "LICENSE",
)
DATEPICKER = VendoredPackage(
    "bootstrap-datepicker",
    "1.9.0",
    ("dist/css/bootstrap-datepicker.min.css", "dist/js/bootstrap-datepicker.min.js"),
    "LICENSE",
)
# Browsers that run the pages all take woff2: the .ttf fallbacks of all.min.css are left out.
FONT_AWESOME = VendoredPackage(
    "@fortawesome/fontawesome-free",
    "6.6.0",
    (
        "css/all.min.css",
        "webfonts/fa-brands-400.woff2",
        "webfonts/fa-regular-400.woff2",
        "webfonts/fa-solid-900.woff2",
        "webfonts/fa-v4compatibility.woff2",
    ),
    "LICENSE.txt",
)
JQUERY = VendoredPackage("jquery", "3.7.1", ("dist/jquery.min.js",), "LICENSE.txt")
POPPER = VendoredPackage("popper.js", "1.12.9", ("dist/umd/popper.min.js",), None)  # MIT header in the file
VEGA = VendoredPackage("vega", "5.33.1", ("build/vega.min.js",), None)  # BSD-3-Clause (package.json)
VEGA_LITE = VendoredPackage("vega-lite", "5.23.0", ("build/vega-lite.min.js",), "LICENSE")
VEGA_EMBED = VendoredPackage("vega-embed", "6.29.0", ("build/vega-embed.min.js",), "LICENSE")

PACKAGES: tuple[VendoredPackage, ...] = (
    BOOTSTRAP,
    BOOTSTRAP_DARK,
    BOOTSTRAP_TABLE,
    DATEPICKER,
    FONT_AWESOME,
    JQUERY,
    POPPER,
    VEGA,
    VEGA_LITE,
    VEGA_EMBED,
)

_FILTER_CONTROL = "dist/extensions/filter-control/bootstrap-table-filter-control"

# Every CDN URL of GX 1.24's templates -> its copy, relative to the site root. GX asks for the
# filter-control CSS of bootstrap-table 1.19.0 next to the JS of 1.19.1: one version serves both.
CDN_COPIES: dict[str, str] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": BOOTSTRAP.site_path(
        "dist/css/bootstrap.min.css"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": BOOTSTRAP.site_path(
        "dist/js/bootstrap.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        BOOTSTRAP_DARK.site_path("dist/css/bootstrap-prefers-dark.css")
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": BOOTSTRAP_TABLE.site_path(
        "dist/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": BOOTSTRAP_TABLE.site_path(
        "dist/bootstrap-table.min.js"
    ),
    f"https://unpkg.com/bootstrap-table@1.19.1/{_FILTER_CONTROL}.min.js": BOOTSTRAP_TABLE.site_path(
        f"{_FILTER_CONTROL}.min.js"
    ),
    f"https://unpkg.com/bootstrap-table@1.19.0/{_FILTER_CONTROL}.css": BOOTSTRAP_TABLE.site_path(
        f"{_FILTER_CONTROL}.css"
    ),
    f"https://unpkg.com/bootstrap-table@1.19.0/{_FILTER_CONTROL}.min.css": BOOTSTRAP_TABLE.site_path(
        f"{_FILTER_CONTROL}.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        DATEPICKER.site_path("dist/css/bootstrap-datepicker.min.css")
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        DATEPICKER.site_path("dist/js/bootstrap-datepicker.min.js")
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": FONT_AWESOME.site_path(
        "css/all.min.css"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": JQUERY.site_path("dist/jquery.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": POPPER.site_path(
        "dist/umd/popper.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": VEGA.site_path("build/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": VEGA_LITE.site_path("build/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": VEGA_EMBED.site_path("build/vega-embed.min.js"),
    # GX's logo (the page appends a tracking query, dropped with the URL); GX ships no dark logo
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png": "static/images/logo-long.png",
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png": (
        "static/images/logo-long.png"
    ),
}

_URL = re.compile(r"""https?://[^\s"'()<>?]+(\?[^\s"'()<>]*)?""")
# GX counts the ../ to its own static/ folder from the suite name's dots, one short on the
# validation pages (their favicon 404s): every such reference is recomputed from the file's depth.
_GX_STATIC_REFERENCE = re.compile(r"""(?<=["'(])(?:\.\./)*static/(?=images/|styles/|fonts/)""")
_TAG = re.compile(r"<(?:script|link)\b[^>]*>", re.IGNORECASE)
# A local file:// copy must not be fetched in CORS mode (crossorigin) or the browser refuses it.
_CDN_ONLY_ATTRIBUTE = re.compile(r"""\s+(?:integrity|crossorigin)=("[^"]*"|'[^']*')""", re.IGNORECASE)
# a URL the browser fetches by itself (not a link a reader may follow)
_EXTERNAL_RESOURCE = re.compile(
    r"""<(?:script|img)\b[^>]*\bsrc=["'](https?://[^"']+)|<link\b[^>]*\bhref=["'](https?://[^"']+)|"""
    r"""url\(\s*["']?(https?://[^"')]+)""",
    re.IGNORECASE,
)


def make_site_offline(site_dir: Path) -> list[tuple[Path, str]]:
    """Copy the vendored assets into the Data Docs site and point its pages at them.

    Returns the external resources that are left (file, URL): empty unless a GX upgrade
    brought a CDN URL that :data:`CDN_COPIES` does not know.
    """
    site_dir = Path(site_dir)
    shutil.copytree(VENDOR_DIR, site_dir / SITE_VENDOR_DIR, dirs_exist_ok=True)
    left: list[tuple[Path, str]] = []
    for path in _site_files(site_dir):
        text = path.read_text(encoding="utf-8")
        offline = _rewrite(text, os.path.relpath(site_dir, path.parent))
        if offline != text:
            path.write_text(offline, encoding="utf-8")
        left += [(path, url) for url in external_resources(offline)]
    return left


def external_resources(text: str) -> list[str]:
    """The URLs in a page or stylesheet that a browser would fetch from the network."""
    return [next(g for g in m.groups() if g) for m in _EXTERNAL_RESOURCE.finditer(text)]


def _site_files(site_dir: Path) -> list[Path]:
    skip = (site_dir / GX_PROJECT_DIRNAME, site_dir / SITE_VENDOR_DIR)
    return [
        p
        for pattern in ("*.html", "*.css")
        for p in site_dir.rglob(pattern)
        if not any(p.is_relative_to(s) for s in skip)
    ]


def _rewrite(text: str, to_root: str) -> str:
    def local(match: re.Match[str]) -> str:
        url = match.group(0)
        target = CDN_COPIES.get(url.split("?", 1)[0])
        return url if target is None else Path(to_root, target).as_posix()

    def without_cdn_attributes(match: re.Match[str]) -> str:
        tag = match.group(0)
        return _CDN_ONLY_ATTRIBUTE.sub("", tag) if SITE_VENDOR_DIR in tag else tag

    text = _GX_STATIC_REFERENCE.sub("static/" if to_root == "." else f"{to_root}/static/", _URL.sub(local, text))
    return _TAG.sub(without_cdn_attributes, text)
