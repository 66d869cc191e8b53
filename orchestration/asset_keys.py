"""The keys of the night's own Python assets, named once: the domains that define them, the
assets downstream of them and the night's record all refer to them here. (Raw tables and dbt
models are keyed by their dataset and model names, see orchestration.ingestion / transform.)"""

import dagster as dg

FINDINGS_KEY = dg.AssetKey(["recon", "findings"])  # the dbt union of the rule families
LEDGER_KEY = dg.AssetKey(["recon", "exception_ledger"])
REPORT_KEY = dg.AssetKey(["recon", "report"])
DBT_DOCS_KEY = dg.AssetKey(["docs", "dbt_docs"])
MART_EXPECTATIONS_KEY = dg.AssetKey(["quality", "mart_expectations"])
SNAPSHOT_KEY = dg.AssetKey(["published", "warehouse_snapshot"])
