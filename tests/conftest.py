"""Suite-wide defaults.

Most tests run the nightly job to check landing, the model, the rules or the ledger; the GX
Data Docs and dbt docs steps add tens of seconds to each of those runs and are checked by
their own tests (tests/report, tests/quality), which switch them back on with Q2C_DOCS=on.
Set here, at import, so subprocesses started by tests (`q2c run` in tests/faults) inherit it.
"""

import os

import pytest

os.environ.setdefault("Q2C_DOCS", "off")


# --- parallel runs (pytest-xdist, `--dist loadgroup` in pyproject) -------------------------
# A session fixture is built once per worker that needs it, so the tests sharing one stay on
# one worker: whole directories whose conftest builds a session world, and the fault files
# that share the reference nightly. Everything else is grouped per file (module fixtures).
_SESSION_WORLD_DIRS = {"api", "browser", "demo_data", "reconciliation", "report"}
_REFERENCE_RUN_FILES = {"test_kill_and_rerun.py", "test_kill_late_steps.py", "test_reader_during_nightly.py"}


def _xdist_group(item) -> str:
    path = item.path
    directory = path.parent.name
    if directory in _SESSION_WORLD_DIRS:
        return directory
    if directory == "faults" and path.name in _REFERENCE_RUN_FILES:
        return "faults-reference-run"
    return f"{directory}/{path.name}"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_xdist_group(item)))
