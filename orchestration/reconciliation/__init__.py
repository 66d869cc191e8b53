"""The exception ledger and one asset check per reconciliation rule."""
