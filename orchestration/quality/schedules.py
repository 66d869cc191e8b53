"""The GX suite runs inside the nightly job; no schedule or sensor of its own."""

schedules: list = []
sensors: list = []
