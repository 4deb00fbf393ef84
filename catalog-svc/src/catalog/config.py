"""catalog-svc settings (env prefix CATALOG_)."""

from pydantic_settings import SettingsConfigDict

from yiwang_shared.migrations import service_dir
from yiwang_shared.settings import ServiceSettings

#: The service's folder (its migrations).
SERVICE_DIR = service_dir("catalog")


class Settings(ServiceSettings):
    """Settings for catalog-svc."""

    model_config = SettingsConfigDict(env_prefix="CATALOG_", extra="ignore")

    service_name: str = "catalog"
    port: int = 8002
