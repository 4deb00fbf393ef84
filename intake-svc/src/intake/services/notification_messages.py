"""Reading the notification outbox: a person's own messages, or all of them for supervisors."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageParams

from .. import errors
from ..models.notifications import NotificationMessage
from ..repositories.notifications import NotificationRepository
from .notification_texts import render

#: Staff roles that see every message (phones masked, pickup codes hidden).
OVERSEER_ROLES = frozenset({"supervisor", "admin"})


def is_overseer(principal: Principal) -> bool:
    """True for supervisors and administrators."""
    return (principal.is_staff and bool(principal.roles & OVERSEER_ROLES)) or principal.is_admin


async def list_messages(
    session: AsyncSession,
    *,
    actor: Principal,
    status: str | None,
    kind: str | None,
    application_id: str | None,
    person_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[NotificationMessage], int]:
    """Messages the caller may see, newest first."""
    if is_overseer(actor):
        whose = person_id or None
    elif actor.is_staff:
        raise errors.overseers_only(
            "只有监督人员和管理员可以查看他人的短信通知。",
            "Only supervisors and administrators may read other people's messages.",
            sorted(OVERSEER_ROLES),
        )
    else:
        whose = actor.subject
    return await NotificationRepository(session).page(
        person_id=whose,
        status=status,
        kind=kind,
        application_id=application_id,
        page=PageParams(limit=limit, offset=offset),
    )


def text_for(message: NotificationMessage, *, actor: Principal) -> str:
    """The text as the caller may read it: staff never see a locker pickup code."""
    if actor.is_staff and "pickup_code" in message.params:
        return render(message.kind, {**message.params, "pickup_code": "******"})
    return message.text


async def requeue_failed(session: AsyncSession, message_id: str, *, actor: Principal) -> NotificationMessage:
    """Send a failed message again from its first attempt (supervisors and administrators)."""
    if not is_overseer(actor):
        raise errors.overseers_only(
            "只有监督人员和管理员可以重新发送短信通知。",
            "Only supervisors and administrators may resend messages.",
            sorted(OVERSEER_ROLES),
        )
    repo = NotificationRepository(session)
    message = await repo.find(message_id)
    if message is None:
        raise errors.notification_not_found(message_id)
    if not await repo.requeue_failed(message_id, utcnow()):
        raise errors.notification_not_failed(message_id, message.status)
    await session.refresh(message)
    return message
