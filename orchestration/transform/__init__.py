"""dbt: staging, intermediate, marts and the reconciliation rule models, one `dbt build`."""
