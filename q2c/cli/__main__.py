"""``python -m q2c.cli``: the same command line as ``q2c``."""

from q2c.cli import app

app()
