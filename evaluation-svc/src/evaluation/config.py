"""evaluation-svc settings (env prefix EVALUATION_)."""

from pydantic_settings import SettingsConfigDict

from yiwang_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """Settings for evaluation-svc."""

    model_config = SettingsConfigDict(env_prefix="EVALUATION_", extra="ignore")

    service_name: str = "evaluation"
    port: int = 8005
