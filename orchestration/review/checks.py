"""The report and the docs have no checks of their own: the rule checks sit on the ledger."""

asset_checks: list = []
