"""catalog-svc settings (env prefix CATALOG_)."""

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from yiwang_shared.settings import ServiceSettings

#: The service's folder (its migrations).
SERVICE_DIR = Path(__file__).resolve().parents[2]


class Settings(ServiceSettings):
    """Settings for catalog-svc."""

    model_config = SettingsConfigDict(env_prefix="CATALOG_", extra="ignore")

    service_name: str = "catalog"
    port: int = 8002
