"""API mode: read the source systems' APIs into landing-zone batches (see extract.py)."""

from ingestion.api.config import ApiConfig, ApiConfigError, api_systems, load_api_config, system_mode
from ingestion.api.extract import extract_if_api_mode, extract_to_landing
from ingestion.api.transport import ApiAuthError, ApiError

__all__ = [
    "ApiAuthError",
    "ApiConfig",
    "ApiConfigError",
    "ApiError",
    "api_systems",
    "extract_if_api_mode",
    "extract_to_landing",
    "load_api_config",
    "system_mode",
]
