"""hotline-svc settings (env prefix HOTLINE_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from yiwang_shared.migrations import service_dir
from yiwang_shared.settings import ServiceSettings

#: hotline-svc's folder (migrations, openapi.json).
SERVICE_DIR = service_dir("hotline")


class Settings(ServiceSettings):
    """Settings for hotline-svc."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore")

    service_name: str = "hotline"
    port: int = 8004
    district_code: str = Field(default="110105", description="The district (区) this hotline serves.")
    coordination_unit: str = Field(
        default="110105-ZWGLJ",
        description="Unit that coordinates tickets whose responsibility is unclear (区级协调).",
    )
    dispute_window_hours: float = Field(
        default=24, gt=0, description="How long after a dispatch the unit may dispute it (退单时限)."
    )
    response_limit_hours: float = Field(
        default=24,
        gt=0,
        description="First contact (响应) is due this long after dispatch, at most at the ticket's due time.",
    )
    rate_weights: tuple[float, float, float] = Field(
        default=(10, 45, 45),
        description="Composite score weights: response, resolution, satisfaction (default 10/45/45).",
    )
    scan_seconds: float = Field(
        default=30, gt=0, description="How often the overdue and knowledge-base expiry scan runs."
    )
    open311_jurisdiction_id: str = Field(
        default="bj-chaoyang.yiwang.dev", description="Open311 jurisdiction_id this endpoint serves."
    )
