"""Notifications (短信通知): /v1/notifications. A person reads their own messages; supervisors and
administrators read all (phones masked) and resend failed ones."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from yiwang_shared.auth import CurrentPrincipal, Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import Page, PageQuery
from yiwang_shared.validators import mask_mobile

from ..models.notifications import NotificationMessage
from ..notifications.queries import list_messages, requeue_failed, text_for
from ..notifications.texts import NotificationKind

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])

NotificationStatus = Literal["pending", "sending", "sent", "failed", "skipped"]


class NotificationRead(BaseModel):
    """One SMS message (短信) to an applicant."""

    id: str
    kind: NotificationKind = Field(
        description="What it announces (短信类型): notice_issued 补正告知, accepted 受理, acceptance_revoked "
        "撤销受理, special_procedure 特别程序, refused 不予许可, completed 办结, delivered 送达, "
        "locker_pickup 智能柜取件, appointment_booked 预约成功, appointment_cancelled 预约取消, "
        "appointment_reminder 预约提醒."
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


def _read(message: NotificationMessage, actor: Principal) -> NotificationRead:
    return NotificationRead.model_validate(
        {
            "id": message.id,
            "kind": message.kind,
            "phone": mask_mobile(message.phone) if message.phone else None,
            "text": text_for(message, actor=actor),
            "status": message.status,
            "attempts": message.attempts,
            "application_id": message.application_id,
            "appointment_id": message.appointment_id,
            "created_at": message.created_at,
            "sent_at": message.sent_at,
            "last_error": message.last_error if actor.is_staff else None,
        }
    )


@router.get("", response_model=NotificationPage)
async def notifications_list(
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageQuery,
    status: Annotated[NotificationStatus | None, Query(description="Only messages in this state.")] = None,
    kind: Annotated[NotificationKind | None, Query(description="Only messages of this kind.")] = None,
    application_id: Annotated[
        str | None, Query(max_length=36, description="Only messages about this application.")
    ] = None,
    person_id: Annotated[
        str | None, Query(max_length=64, description="Supervisors and administrators: one person's.")
    ] = None,
) -> NotificationPage:
    """The caller's messages; supervisors and administrators see everyone's."""
    rows, total = await list_messages(
        session,
        actor=principal,
        status=status,
        kind=kind,
        application_id=application_id,
        person_id=person_id,
        limit=page.limit,
        offset=page.offset,
    )
    return NotificationPage(
        items=[_read(m, principal) for m in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.post("/{notification_id}/resend", response_model=NotificationRead, responses=problems(409))
async def notifications_resend(
    notification_id: str, principal: CurrentPrincipal, session: SessionDep
) -> NotificationRead:
    """Send a failed message again (supervisors and administrators)."""
    return _read(await requeue_failed(session, notification_id, actor=principal), principal)
