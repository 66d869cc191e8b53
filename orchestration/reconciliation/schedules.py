"""The reconciliation runs inside the nightly job (see orchestration/jobs.py); it has no
schedule or sensor of its own."""

schedules: list = []
sensors: list = []
