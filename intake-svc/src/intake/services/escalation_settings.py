"""Escalation settings (env prefix INTAKE_), kept apart from the service's core settings."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EscalationSettings(BaseSettings):
    """When cases are reminded and escalated, and to which office."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    escalation_enabled: bool = Field(
        default=True,
        description="Run the 催办/督办 pass with every background supervision scan "
        "(INTAKE_SUPERVISION_SCAN_SECONDS); `POST /v1/escalations/scan` runs it on demand.",
    )
    reminder_working_days: int = Field(
        default=2,
        ge=0,
        le=30,
        description="催办: remind the person handling a case when this many working days or fewer are "
        "left before its due date (0: on the due date itself).",
    )
    district_escalation_working_days: int = Field(
        default=2,
        ge=0,
        le=60,
        description="督办: a case still red this many working days after it was escalated to its unit's "
        "supervisor goes to the district supervision office (0: both at once).",
    )
    supervision_office_unit: str = Field(
        default="110105-ZWGLJ",
        min_length=1,
        max_length=64,
        description="Code of the district supervision office (区政务服务管理局) whose supervisors "
        "receive level-2 escalations, and level-1 ones when a unit has no supervisor.",
    )


def escalation_settings(state: object) -> EscalationSettings:
    """The app's escalation settings: `state.escalation_settings` if a test put them there, else
    read from the environment once and kept on `state`."""
    settings = getattr(state, "escalation_settings", None)
    if not isinstance(settings, EscalationSettings):
        settings = EscalationSettings()
        setattr(state, "escalation_settings", settings)  # noqa: B010 - app.state takes any attribute
    return settings
