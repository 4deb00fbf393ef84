"""evaluation-svc settings (env prefix EVALUATION_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from yiwang_shared.migrations import service_dir
from yiwang_shared.settings import ServiceSettings

#: The service's folder (alembic.ini, migrations/, openapi.json, events/).
SERVICE_DIR = service_dir("evaluation")


class Settings(ServiceSettings):
    """Settings for evaluation-svc."""

    model_config = SettingsConfigDict(env_prefix="EVALUATION_", extra="ignore")

    service_name: str = "evaluation"
    port: int = 8005
    rating_window_days: int = Field(
        default=30, ge=1, le=365, description="Natural days after the service during which it may be rated."
    )
    case_deadline_working_days: int = Field(
        default=5, ge=1, le=60, description="Working days a unit has to handle a bad review (整改时限)."
    )
    overdue_scan_seconds: float = Field(
        default=60.0, gt=0, description="How often the overdue scan for bad-review cases runs."
    )
    guide_view_rate_per_minute: int = Field(
        default=30,
        ge=1,
        le=10_000,
        description="Guide views one client (account or address) may report a minute; more is a 429.",
    )
    guide_view_hash_key: str = Field(
        default="",
        max_length=200,
        description="Secret key of the hash that stands for a client in the guide-view marks "
        "(the address is never stored); set it in production.",
    )
    pad_visit_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="Minutes after a window visit during which the window's rating pad (评价器) can fetch "
        "its rating code.",
    )
    burst_ratings: int = Field(
        default=8,
        ge=2,
        le=10_000,
        description="Ratings given with a code on the visits one clerk registered, within burst_minutes, "
        "that flag them for the evaluation office (held out of rankings until cleared).",
    )
    burst_minutes: int = Field(
        default=20, ge=1, le=7 * 24 * 60, description="The time span burst_ratings is counted over."
    )
