"""What people read in the morning: the reconciliation report, the dbt docs, and the alert
digest when the night went wrong."""
