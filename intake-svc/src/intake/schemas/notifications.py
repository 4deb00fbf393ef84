"""Response models of the notification API (短信通知), and the kinds of message."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from yiwang_shared.pagination import Page

#: Every kind of message (短信类型); the API's `kind` values.
NotificationKind = Literal[
    "notice_issued",
    "accepted",
    "acceptance_revoked",
    "special_procedure",
    "refused",
    "not_accepted",
    "correction_expired",
    "completed",
    "delivered",
    "locker_pickup",
    "decision_revoked",
    "payment_due",
    "appointment_booked",
    "appointment_cancelled",
    "appointment_reminder",
    "offer_made",
]

NotificationStatus = Literal["pending", "sending", "sent", "failed", "skipped"]


class NotificationRead(BaseModel):
    """One SMS message (短信) to an applicant."""

    id: str
    kind: NotificationKind = Field(
        description="What it announces (短信类型): notice_issued 补正告知, accepted 受理, acceptance_revoked "
        "撤销受理, special_procedure 特别程序, refused 不予许可, completed 办结, delivered 送达, "
        "locker_pickup 智能柜取件, decision_revoked 撤销决定（告知承诺不实）, payment_due 缴费通知, "
        "appointment_booked 预约成功, appointment_cancelled 预约取消, "
        "appointment_reminder 预约提醒, offer_made 免申即享待确认."
    )
    phone: str | None = Field(description="Masked mobile number; null when none was known.")
    text: str = Field(description="The Chinese text as sent.")
    status: NotificationStatus = Field(
        description="pending, sending, sent, failed (gave up after the last attempt) or skipped "
        "(no phone number)."
    )
    attempts: int = Field(description="Sending attempts so far.")
    application_id: str | None = Field(description="The application it is about, if any.")
    appointment_id: str | None = Field(description="The appointment it is about, if any.")
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None = Field(description="Why the last attempt failed (staff only).")


class NotificationPage(Page[NotificationRead]):
    """A page of messages, newest first."""
