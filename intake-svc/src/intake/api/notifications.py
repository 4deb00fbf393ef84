"""Notifications (短信通知): /v1/notifications. A person reads their own messages; supervisors and
administrators read all (phones masked) and resend failed ones."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from yiwang_shared.auth import CurrentPrincipal, Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.validators import mask_mobile

from ..notification_models import NotificationMessage
from ..notifications.queries import list_messages, requeue_failed, text_for
from ..notifications.texts import TEMPLATES

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])

NotificationStatus = Literal["pending", "sending", "sent", "failed", "skipped"]


class NotificationRead(BaseModel):
    """One SMS message (短信) to an applicant."""

    id: str
    kind: str = Field(description="What it announces, e.g. accepted (受理), completed (办结).")
    phone: str | None = Field(description="Masked mobile number; null when none was known.")
    text: str = Field(description="The Chinese text as sent.")
    status: NotificationStatus = Field(
        description="pending, sending, sent, failed (gave up after the last attempt) or skipped "
        "(no phone number)."
    )
    attempts: int
    application_id: str | None
    appointment_id: str | None
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None = Field(description="Why the last attempt failed (staff only).")


class NotificationPage(BaseModel):
    """Messages, newest first."""

    notifications: list[NotificationRead]
    total: int
    limit: int
    offset: int


def _read(message: NotificationMessage, actor: Principal) -> NotificationRead:
    return NotificationRead(
        id=message.id,
        kind=message.kind,
        phone=mask_mobile(message.phone) if message.phone else None,
        text=text_for(message, actor=actor),
        status=message.status,  # type: ignore[arg-type]
        attempts=message.attempts,
        application_id=message.application_id,
        appointment_id=message.appointment_id,
        created_at=message.created_at,
        sent_at=message.sent_at,
        last_error=message.last_error if actor.is_staff else None,
    )


@router.get("", response_model=NotificationPage)
async def notifications_list(
    principal: CurrentPrincipal,
    session: SessionDep,
    status: NotificationStatus | None = None,
    kind: str | None = Query(default=None, max_length=40, description=f"One of {', '.join(TEMPLATES)}."),
    application_id: str | None = Query(default=None, max_length=36),
    person_id: str | None = Query(default=None, max_length=64, description="Staff only: one person's."),
    limit: int = Query(default=20, ge=1, le=100),
    offset: int = Query(default=0, ge=0, le=100_000),
) -> NotificationPage:
    """The caller's messages; supervisors and administrators see everyone's."""
    rows, total = await list_messages(
        session,
        actor=principal,
        status=status,
        kind=kind,
        application_id=application_id,
        person_id=person_id,
        limit=limit,
        offset=offset,
    )
    return NotificationPage(
        notifications=[_read(m, principal) for m in rows], total=total, limit=limit, offset=offset
    )


@router.post("/{notification_id}/resend", response_model=NotificationRead)
async def notifications_resend(
    notification_id: str, principal: CurrentPrincipal, session: SessionDep
) -> NotificationRead:
    """Send a failed message again (supervisors and administrators)."""
    return _read(await requeue_failed(session, notification_id, actor=principal), principal)
