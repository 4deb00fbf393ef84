"""intake-svc settings (env prefix INTAKE_)."""

from pydantic_settings import SettingsConfigDict

from yiwang_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """Settings for intake-svc."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    service_name: str = "intake"
    port: int = 8003
