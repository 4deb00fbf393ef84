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
    topic_scan_seconds: float = Field(
        default=300,
        ge=0,
        description="How often the hot-topic pass (热点分析) groups new tickets and looks for rising "
        "topics; 0 turns it off (a supervisor can still run it).",
    )
    topic_similarity: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="A ticket joins the most alike topic when their cosine is at least this; else "
        "it founds a new topic.",
    )
    topic_baseline_weeks: int = Field(
        default=8, ge=2, le=52, description="Weeks before the last seven days that make a topic's baseline."
    )
    topic_rising_sd: float = Field(
        default=3.0,
        ge=0,
        description="A topic rises in a street when its last seven days exceed the baseline's mean "
        "plus this many standard deviations …",
    )
    topic_rising_min_count: int = Field(default=5, ge=1, description="… and hold at least this many tickets.")
    topic_merge_window_hours: float = Field(
        default=72,
        gt=0,
        description="Tickets of one topic and street this close in time are compared for a merge.",
    )
    topic_merge_score: float = Field(
        default=0.6,
        gt=0,
        le=1,
        description="Suggested for merging at this likely-duplicate score or more (services/duplicates).",
    )
