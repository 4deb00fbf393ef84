"""Notifications (短信通知): /v1/notifications. A person reads their own messages; supervisors and
administrators read all (phones masked) and resend failed ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from yiwang_shared.auth import CurrentPrincipal, Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery
from yiwang_shared.validators import mask_mobile

from ..models.notifications import NotificationMessage
from ..schemas.notifications import NotificationKind, NotificationPage, NotificationRead, NotificationStatus
from ..services.notification_messages import list_messages, requeue_failed, text_for

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])


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
