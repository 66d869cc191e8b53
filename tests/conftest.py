"""Suite-wide defaults.

Most tests run the nightly job to check landing, the model, the rules or the ledger; the GX
Data Docs and dbt docs steps add tens of seconds to each of those runs and are checked by
their own tests (tests/report, tests/quality), which switch them back on with Q2C_DOCS=on.
Set here, at import, so subprocesses started by tests (`q2c run` in tests/faults) inherit it.
"""

import os

os.environ.setdefault("Q2C_DOCS", "off")
