"""hotline-svc settings (env prefix HOTLINE_)."""

from pydantic_settings import SettingsConfigDict

from yiwang_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """Settings for hotline-svc."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore")

    service_name: str = "hotline"
    port: int = 8004
