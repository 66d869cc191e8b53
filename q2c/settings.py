"""Everything q2c is configured with, read from the environment in one place.

``get_settings()`` reads the ``Q2C_*`` variables (and ``DAGSTER_HOME``) once and returns a
frozen :class:`Settings`; every caller (the CLI, the Dagster resources, landing, dbt's
profile, the alert sinks, the API connectors) takes its values from that object; the console's
``NO_COLOR`` is read here too (:func:`colour_switched_off`). No other module reads
``os.environ``. dbt and dlt read a few variables themselves inside their own processes:
:meth:`Settings.process_environment` is what they are given, so one ``export`` still moves
the whole platform.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
RECON_CONFIG_DEFAULT = PROJECT_ROOT / "config" / "reconciliation.yml"
DUCKDB_MEMORY_LIMIT_DEFAULT = "1GB"
EXTRACTED_AT_TOLERANCE_MINUTES_DEFAULT = 60.0
INCOMPLETE_BATCH_TIMEOUT_HOURS_DEFAULT = 6.0
REVIEW_HOLD_WAIT_SECONDS_DEFAULT = 300.0

_MEMORY_LIMIT = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
# the variables the API connectors and alert sinks parse themselves (ingestion.api.config, q2c.alerts)
_PASSED_THROUGH = re.compile(r"Q2C_(CRM|PSA|ERP|BILLING|API|ALERT)_[A-Z0-9_]+")


class SettingsError(ValueError):
    """A variable holds a value q2c cannot use; the message names the variable."""


class AsOfError(SettingsError):
    """No usable as-of date: malformed where given, or nothing loaded to derive it from."""


# Ceilings the canonical types can hold: hours are DECIMAL(12,4), money DECIMAL(18,4).
_MAX_LINE_QUANTITY_CAP = Decimal(10**8)
_MAX_RATE_CAP = Decimal(10**14)


@dataclass(frozen=True)
class PlausibleBounds:
    """What landing accepts as possibly true (``Q2C_PLAUSIBLE_*``); a value outside is
    quarantined (ingestion.landing.plausibility, per-field classes in each system's contract)."""

    # no event or planned date before this day
    earliest_date: date = date(2000, 1, 1)
    # an event (created, spent, paid, modified...) at most this long after the batch's extracted_at (clock skew)
    future_margin_days: int = 1
    # a planned date (due, end, rate end, close...) at most this long after extracted_at
    planned_horizon_years: int = 10
    # hourly, billable and cost rates, in the currency's major unit
    max_rate: Decimal = Decimal(1_000_000)
    # hours (or units) on one line: invoice, rate-card and ERP transaction lines, PSA expenses
    max_line_quantity: Decimal = Decimal(10_000)

    def environment(self) -> dict[str, str]:
        return {
            "Q2C_PLAUSIBLE_EARLIEST_DATE": self.earliest_date.isoformat(),
            "Q2C_PLAUSIBLE_FUTURE_MARGIN_DAYS": str(self.future_margin_days),
            "Q2C_PLAUSIBLE_PLANNED_HORIZON_YEARS": str(self.planned_horizon_years),
            "Q2C_PLAUSIBLE_MAX_RATE": str(self.max_rate),
            "Q2C_PLAUSIBLE_MAX_LINE_QUANTITY": str(self.max_line_quantity),
        }


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    duckdb_path: Path
    ground_truth_dir: Path
    reports_dir: Path
    recon_config_path: Path
    docs_dir: Path
    published_path: Path
    dagster_home: Path
    # GX Data Docs and dbt docs each night (Q2C_DOCS=off skips both, e.g. for quick reruns)
    build_docs: bool = True
    # cap of every DuckDB connection to the warehouse; DuckDB spills to disk beyond it
    duckdb_memory_limit: str = DUCKDB_MEMORY_LIMIT_DEFAULT
    # Q2C_AS_OF: the as-of date of every run until unset (a run's own tag still wins)
    as_of: date | None = None
    schedule_timezone: str = "UTC"
    # how long a nightly waits for another one to finish before it is refused (0: refuse at once)
    nightly_lock_wait_seconds: float = 0.0
    # how long a nightly (or another review) waits for a review action that holds the warehouse
    # (q2c exceptions ack|waive|reopen: the ledger write, the snapshot and the reports take seconds)
    review_hold_wait_seconds: float = REVIEW_HOLD_WAIT_SECONDS_DEFAULT
    # where `q2c demo --api` keeps the stand-in APIs' own demo data
    api_standin_dir: Path | None = None
    # how far a manifest's extracted_at may be from its batch id's timestamp (and ahead of the
    # landing clock): the batch id is the extraction timestamp, so only clock skew is allowed
    extracted_at_tolerance_minutes: float = EXTRACTED_AT_TOLERANCE_MINUTES_DEFAULT
    # how long a batch folder may stay without _manifest.json (from its batch id's timestamp)
    # before the night warns that it holds its system's newer batches
    incomplete_batch_timeout_hours: float = INCOMPLETE_BATCH_TIMEOUT_HOURS_DEFAULT
    # the landing clock (naive UTC); None: the machine's clock. For replays and tests.
    landing_now: datetime | None = None
    # bounds of dates, rates and quantities that can be true (Q2C_PLAUSIBLE_*)
    plausible: PlausibleBounds = field(default_factory=PlausibleBounds)
    # Q2C_<SYSTEM>_* / Q2C_API_* / Q2C_ALERT_* as read: parsed by the API and alert modules
    passed_through: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.duckdb_path.parent

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target folder for the nightly build, beside the warehouse it builds: one fixed
        folder per warehouse keeps partial parsing and nothing accumulates."""
        return self.data_dir / "dbt_target"

    @property
    def review_queue_dir(self) -> Path:
        """Review actions taken while a nightly held the warehouse, until its ledger step applies them."""
        return self.data_dir / "review_queue"

    @property
    def standin_source_dir(self) -> Path:
        return self.api_standin_dir or self.data_dir / "api_standin" / "source"

    def process_environment(self) -> dict[str, str]:
        """The variables a child process (dbt, a `q2c run` subprocess) must see to act on the
        same folders, as absolute paths."""
        env = {
            "Q2C_LANDING_DIR": str(self.landing_dir),
            "Q2C_DUCKDB_PATH": str(self.duckdb_path),
            "Q2C_GROUND_TRUTH_DIR": str(self.ground_truth_dir),
            "Q2C_REPORTS_DIR": str(self.reports_dir),
            "Q2C_RECON_CONFIG": str(self.recon_config_path),
            "Q2C_DOCS_DIR": str(self.docs_dir),
            "Q2C_PUBLISHED_PATH": str(self.published_path),
            "Q2C_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "Q2C_DOCS": "on" if self.build_docs else "off",
            "Q2C_NIGHTLY_LOCK_WAIT_SECONDS": str(self.nightly_lock_wait_seconds),
            "Q2C_REVIEW_HOLD_WAIT_SECONDS": str(self.review_hold_wait_seconds),
            "Q2C_EXTRACTED_AT_TOLERANCE_MINUTES": str(self.extracted_at_tolerance_minutes),
            "Q2C_INCOMPLETE_BATCH_TIMEOUT_HOURS": str(self.incomplete_batch_timeout_hours),
            "DAGSTER_HOME": str(self.dagster_home),
            **self.plausible.environment(),
        }
        if self.landing_now is not None:
            env["Q2C_LANDING_NOW"] = self.landing_now.isoformat() + "Z"
        return {**self.passed_through, **env}

    def landing_clock(self) -> datetime:
        """Now for the landing checks, naive UTC: ``landing_now`` when set, else the machine's clock."""
        return self.landing_now if self.landing_now is not None else datetime.now(UTC).replace(tzinfo=None)


def _path(environ: Mapping[str, str], var: str, default: Path) -> Path:
    value = environ.get(var)
    return Path(value).expanduser().resolve() if value else default


def _switch(environ: Mapping[str, str], var: str, *, default: bool) -> bool:
    value = environ.get(var, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("0", "false", "off", "no"):
        return False
    raise SettingsError(f"{var}={value!r}: expected on or off")


def _memory_limit(environ: Mapping[str, str]) -> str:
    value = environ.get("Q2C_DUCKDB_MEMORY_LIMIT", "").strip() or DUCKDB_MEMORY_LIMIT_DEFAULT
    if not _MEMORY_LIMIT.fullmatch(value):
        raise SettingsError(f"Q2C_DUCKDB_MEMORY_LIMIT={value!r}: expected a size such as 1GB or 768MB")
    return value


def _number(environ: Mapping[str, str], var: str, default: float, unit: str, maximum: float) -> float:
    value = environ.get(var, "").strip()
    try:
        number = float(value) if value else default
    except ValueError:
        raise SettingsError(f"{var}={value!r}: expected a number of {unit}") from None
    if not 0 <= number <= maximum:
        raise SettingsError(f"{var}={value!r}: expected 0 to {maximum:g} {unit}")
    return number


def _instant(environ: Mapping[str, str], var: str) -> datetime | None:
    value = environ.get(var, "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise SettingsError(f"{var}={value!r}: expected an ISO 8601 instant with its zone, e.g. 2026-11-23T03:00:00Z")
    return parsed.astimezone(UTC).replace(tzinfo=None)


def _whole_number(environ: Mapping[str, str], var: str, default: int, low: int, high: int) -> int:
    value = environ.get(var, "").strip()
    if not value:
        return default
    if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
        raise SettingsError(f"{var}={value!r}: expected a whole number from {low} to {high}")
    return int(value)


def _ceiling(environ: Mapping[str, str], var: str, default: Decimal, cap: Decimal) -> Decimal:
    value = environ.get(var, "").strip()
    if not value:
        return default
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 < number < cap:
        raise SettingsError(f"{var}={value!r}: expected a number above 0 and below {cap:,}")
    return number


def _plausible_bounds(environ: Mapping[str, str]) -> PlausibleBounds:
    defaults = PlausibleBounds()
    earliest = environ.get("Q2C_PLAUSIBLE_EARLIEST_DATE", "").strip()
    try:
        earliest_date = date.fromisoformat(earliest) if earliest else defaults.earliest_date
    except ValueError:
        raise SettingsError(f"Q2C_PLAUSIBLE_EARLIEST_DATE={earliest!r}: expected a date YYYY-MM-DD") from None
    return PlausibleBounds(
        earliest_date=earliest_date,
        future_margin_days=_whole_number(
            environ, "Q2C_PLAUSIBLE_FUTURE_MARGIN_DAYS", defaults.future_margin_days, 0, 366
        ),
        planned_horizon_years=_whole_number(
            environ, "Q2C_PLAUSIBLE_PLANNED_HORIZON_YEARS", defaults.planned_horizon_years, 1, 100
        ),
        max_rate=_ceiling(environ, "Q2C_PLAUSIBLE_MAX_RATE", defaults.max_rate, _MAX_RATE_CAP),
        max_line_quantity=_ceiling(
            environ, "Q2C_PLAUSIBLE_MAX_LINE_QUANTITY", defaults.max_line_quantity, _MAX_LINE_QUANTITY_CAP
        ),
    )


def parse_as_of(text: str, source: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise AsOfError(f"as-of date from {source} must be YYYY-MM-DD, got {text!r}") from exc


def get_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``environ`` (default: this process's environment), defaults under ``data/``."""
    env = os.environ if environ is None else environ
    data = PROJECT_ROOT / "data"
    duckdb_path = _path(env, "Q2C_DUCKDB_PATH", data / "warehouse.duckdb")
    data_dir = duckdb_path.parent
    as_of_text = env.get("Q2C_AS_OF", "").strip()
    standin = env.get("Q2C_API_STANDIN_DIR")
    return Settings(
        landing_dir=_path(env, "Q2C_LANDING_DIR", data / "landing"),
        duckdb_path=duckdb_path,
        ground_truth_dir=_path(env, "Q2C_GROUND_TRUTH_DIR", data / "ground_truth"),
        reports_dir=_path(env, "Q2C_REPORTS_DIR", data / "reports"),
        recon_config_path=_path(env, "Q2C_RECON_CONFIG", RECON_CONFIG_DEFAULT),
        # beside the warehouse by default, so a temporary warehouse documents itself there
        docs_dir=_path(env, "Q2C_DOCS_DIR", data_dir / "docs"),
        published_path=_path(env, "Q2C_PUBLISHED_PATH", data_dir / "published" / "warehouse.duckdb"),
        dagster_home=_path(env, "DAGSTER_HOME", data_dir / "dagster_home"),
        build_docs=_switch(env, "Q2C_DOCS", default=True),
        duckdb_memory_limit=_memory_limit(env),
        as_of=parse_as_of(as_of_text, "environment variable Q2C_AS_OF") if as_of_text else None,
        schedule_timezone=env.get("Q2C_SCHEDULE_TIMEZONE", "").strip() or "UTC",
        nightly_lock_wait_seconds=_number(env, "Q2C_NIGHTLY_LOCK_WAIT_SECONDS", 0.0, "seconds", 24 * 3600),
        review_hold_wait_seconds=_number(
            env, "Q2C_REVIEW_HOLD_WAIT_SECONDS", REVIEW_HOLD_WAIT_SECONDS_DEFAULT, "seconds", 24 * 3600
        ),
        api_standin_dir=Path(standin).expanduser().resolve() if standin else None,
        extracted_at_tolerance_minutes=_number(
            env, "Q2C_EXTRACTED_AT_TOLERANCE_MINUTES", EXTRACTED_AT_TOLERANCE_MINUTES_DEFAULT, "minutes", 7 * 24 * 60
        ),
        incomplete_batch_timeout_hours=_number(
            env, "Q2C_INCOMPLETE_BATCH_TIMEOUT_HOURS", INCOMPLETE_BATCH_TIMEOUT_HOURS_DEFAULT, "hours", 30 * 24
        ),
        landing_now=_instant(env, "Q2C_LANDING_NOW"),
        plausible=_plausible_bounds(env),
        passed_through=MappingProxyType({k: v for k, v in env.items() if _PASSED_THROUGH.fullmatch(k)}),
    )


def settings_for(landing_dir: Path, duckdb_path: Path, environ: Mapping[str, str] | None = None, **fields) -> Settings:
    """Settings for one landing zone and warehouse (tests, the benchmark, a second firm):
    everything else as ``environ`` (default: this process's) says, ``fields`` replaced."""
    env = {
        **(os.environ if environ is None else environ),
        "Q2C_LANDING_DIR": str(landing_dir),
        "Q2C_DUCKDB_PATH": str(duckdb_path),
    }
    return replace(get_settings(env), **fields)


def settings_in(root: Path, environ: Mapping[str, str] | None = None, **fields) -> Settings:
    """Settings that keep everything of one firm under ``root`` (a test's or the benchmark's
    folder): landing zone, warehouse, reports, docs, snapshot and Dagster instance. The as-of
    follows the landed batches; config, memory cap and switches as ``environ`` says."""
    root = Path(root)
    layout = {
        "ground_truth_dir": root / "ground_truth",
        "reports_dir": root / "reports",
        "docs_dir": root / "docs",
        "published_path": root / "published" / "warehouse.duckdb",
        "dagster_home": root / "dagster_home",
        "as_of": None,
    }
    return settings_for(root / "landing", root / "data" / "warehouse.duckdb", environ, **{**layout, **fields})


@contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, unset) environment variables inside the block; restore them after.
    The one way q2c hands values to libraries that read the environment themselves (dbt, dlt)."""
    saved = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def colour_switched_off(environ: Mapping[str, str] | None = None) -> bool:
    """``NO_COLOR`` (no-color.org): any non-empty value asks for output without colour codes,
    even on a terminal. Read apart from :func:`get_settings` so that printing never fails on
    another variable's bad value."""
    env = os.environ if environ is None else environ
    return bool(env.get("NO_COLOR", ""))


def export_environment(settings: Settings) -> None:
    """Write the resolved settings into this process's environment for good (``q2c run``:
    dbt subprocesses and dlt then act on exactly these folders)."""
    os.environ.update(settings.process_environment())


def set_library_defaults(defaults: Mapping[str, str]) -> None:
    """Library switches read from the environment (dlt's), unless the user has set them."""
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
