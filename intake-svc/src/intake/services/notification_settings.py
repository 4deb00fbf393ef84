"""Notification settings (env prefix INTAKE_), kept apart from the service's core settings."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotificationSettings(BaseSettings):
    """How the SMS dispatcher sends, retries and gives up."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    sms_sender: str = Field(
        default="log",
        description=(
            "`log` (LoggingSender: logs the text with the phone masked) or an import path "
            "`package.module:Factory` of a Sender to use instead (a real SMS gateway)."
        ),
    )
    sms_dispatcher_enabled: bool = True
    sms_poll_seconds: float = Field(default=2.0, gt=0, le=300)
    sms_batch: int = Field(default=50, ge=1, le=1000)
    sms_mark_seconds: float = Field(
        default=0.25,
        ge=0,
        le=10,
        description="Messages sent are recorded together, at most this long after the first of them "
        "(one UPDATE for all); 0 records each pass's at its end.",
    )
    sms_max_attempts: int = Field(default=5, ge=1, le=50)
    sms_retry_base_seconds: float = Field(default=5.0, ge=0, le=3600)
    sms_retry_max_seconds: float = Field(default=900.0, ge=0, le=86400)
    sms_lease_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="How long a claimed row is reserved for a sender."
    )
    sms_send_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    appointment_reminders_enabled: bool = True
    appointment_reminder_hours: float = Field(
        default=24, gt=0, le=168, description="Remind this many hours before a booking starts."
    )
    appointment_reminder_scan_seconds: float = Field(default=300, gt=0, le=86400)

    @model_validator(mode="after")
    def _lease_outlasts_a_send(self) -> NotificationSettings:
        # A lease that ran out mid-send would let a second dispatcher send the message again.
        if self.sms_lease_seconds <= self.sms_send_timeout_seconds:
            # not user-facing: a start-up configuration check
            raise ValueError("INTAKE_SMS_LEASE_SECONDS must be longer than INTAKE_SMS_SEND_TIMEOUT_SECONDS")
        return self
