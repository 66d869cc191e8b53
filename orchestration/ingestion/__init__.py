"""dlt: one multi-asset per source system, landing the extract batches into raw_<system>."""
