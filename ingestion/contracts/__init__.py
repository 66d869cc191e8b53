"""Pandera (polars) contracts per raw table, one module per source system."""

from __future__ import annotations

import pandera.polars as pa

from ingestion.contracts import billing, crm, erp, psa

_BY_SYSTEM = {"crm": crm.SCHEMAS, "psa": psa.SCHEMAS, "erp": erp.SCHEMAS, "billing": billing.SCHEMAS}


def schema_for(system: str, table: str) -> pa.DataFrameSchema:
    return _BY_SYSTEM[system][table]
