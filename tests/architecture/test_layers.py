"""The code's three layers, checked on its imports: a core without Dagster (q2c.*, ingestion),
orchestration adapting it, the application (the CLI, the benchmark) on top; the demo package
beside the core. Imports only run downward. Also: one place reads the environment, one
function opens DuckDB."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from q2c.settings import PROJECT_ROOT

PACKAGES = ("q2c", "ingestion", "orchestration", "q2c_demo")
APP = ("q2c.cli", "q2c.bench")
# layer -> layers it may import (itself included)
ALLOWED = {
    "core": {"core"},
    "demo": {"core", "demo"},
    "orchestration": {"core", "orchestration"},
    "app": {"core", "demo", "orchestration", "app"},
}
DAGSTER = ("dagster", "dagster_dbt", "dagster_dlt", "dagster_webserver")


def _is(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    if any(_is(module, p) for p in APP):
        return "app"
    if _is(module, "orchestration"):
        return "orchestration"
    if _is(module, "q2c_demo"):
        return "demo"
    if _is(module, "q2c") or _is(module, "ingestion"):
        return "core"
    return None  # stdlib or a third-party package


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str) -> list[tuple[int, str]]:
    """(line, imported module) of every import statement, relative ones resolved."""
    found = []
    package = module.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + (1 if _is_package(module) else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def _is_package(module: str) -> bool:
    return (PROJECT_ROOT / Path(*module.split(".")) / "__init__.py").exists()


def violations(source: str, module: str) -> list[str]:
    own = layer_of(module)
    problems = []
    for line, target in imports_of(source, module):
        theirs = layer_of(target)
        if theirs is not None and theirs not in ALLOWED[own]:
            problems.append(f"{module}:{line} ({own}) imports {target} ({theirs})")
        if own in ("core", "demo") and any(_is(target, d) for d in DAGSTER):
            problems.append(f"{module}:{line} ({own}) imports {target}: the core works without Dagster")
    return problems


def _sources() -> list[tuple[str, str, Path]]:
    files = []
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            files.append((module_name(path), path.read_text(encoding="utf-8"), path))
    return files


def test_every_package_of_the_layers_exists():
    for package in PACKAGES:
        assert (PROJECT_ROOT / package / "__init__.py").exists(), package


def test_imports_only_run_downward():
    problems = [p for module, source, _ in _sources() for p in violations(source, module)]
    assert problems == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("q2c.ledger.update", "from orchestration.resources import SETTINGS\n"),  # core -> orchestration
        ("ingestion.catalog", "import dagster as dg\n"),  # the core needs no Dagster
        ("orchestration.automation", "from q2c.cli.run import run_nightly\n"),  # orchestration -> app
        ("q2c.night", "from q2c.bench import runner\n"),  # core -> app
        ("ingestion.landing", "from q2c_demo.data import generate\n"),  # core -> demo
    ],
)
def test_an_upward_import_is_caught(module, source):
    assert violations(source, module), f"{module}: {source!r} should be refused"


def test_downward_imports_pass():
    assert violations("from q2c.settings import Settings\nimport dagster\n", "orchestration.automation") == []
    assert violations("from orchestration.launch import execute_nightly\n", "q2c.cli.run") == []


def _calls(source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every attribute access like ``os.environ`` or ``duckdb.connect``."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            names.append((node.lineno, f"{node.value.id}.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            names += [(node.lineno, f"os.{alias.name}") for alias in node.names]
    return names


def test_only_the_settings_module_reads_the_environment():
    readers = [
        f"{module}:{line} {name}"
        for module, source, _ in _sources()
        if module != "q2c.settings"
        for line, name in _calls(source)
        if name in ("os.environ", "os.getenv", "os.putenv", "os.unsetenv")
    ]
    assert readers == []


def test_one_function_opens_duckdb():
    openers = [
        f"{module}:{line}"
        for module, source, _ in _sources()
        for line, name in _calls(source)
        if name == "duckdb.connect"
    ]
    assert len(openers) == 1 and openers[0].startswith("q2c.warehouse:"), openers
