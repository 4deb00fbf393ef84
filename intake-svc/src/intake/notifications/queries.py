"""Reading the notification outbox: a person's own messages, or all of them for supervisors."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.errors import Conflict, Forbidden, NotFound
from yiwang_shared.orm import utcnow

from ..models.notifications import NotificationMessage
from .texts import render

#: Message states in Chinese (发送状态).
STATUS_NAMES = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已发送",
    "failed": "发送失败",
    "skipped": "未发送",
}

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
    m = NotificationMessage
    query = select(m)
    if is_overseer(actor):
        if person_id:
            query = query.where(m.person_id == person_id)
    elif actor.is_staff:
        raise Forbidden(
            "只有监督人员和管理员可以查看他人的短信通知。",
            en="Only supervisors and administrators may read other people's messages.",
            code="auth.role_required",
            required_roles=sorted(OVERSEER_ROLES),
        )
    else:
        query = query.where(m.person_id == actor.subject)
    if status:
        query = query.where(m.status == status)
    if kind:
        query = query.where(m.kind == kind)
    if application_id:
        query = query.where(m.application_id == application_id)
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = await session.scalars(query.order_by(m.created_at.desc(), m.id).limit(limit).offset(offset))
    return list(rows), total


def text_for(message: NotificationMessage, *, actor: Principal) -> str:
    """The text as the caller may read it: staff never see a locker pickup code."""
    if actor.is_staff and "pickup_code" in message.params:
        return render(message.kind, {**message.params, "pickup_code": "******"})
    return message.text


async def requeue_failed(session: AsyncSession, message_id: str, *, actor: Principal) -> NotificationMessage:
    """Send a failed message again from its first attempt (supervisors and administrators)."""
    if not is_overseer(actor):
        raise Forbidden(
            "只有监督人员和管理员可以重新发送短信通知。",
            en="Only supervisors and administrators may resend messages.",
            code="auth.role_required",
            required_roles=sorted(OVERSEER_ROLES),
        )
    m = NotificationMessage
    message = await session.get(m, message_id)
    if message is None:
        raise NotFound(
            f"未找到短信通知 {message_id}，请核对编号。",
            en=f"No notification {message_id}.",
            code="intake.notification_not_found",
        )
    result = await session.execute(
        update(m)
        .where(m.id == message_id, m.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            f"短信通知 {message_id} 当前状态为“{STATUS_NAMES.get(message.status, message.status)}”，"
            "只有发送失败的短信才能重新发送。",
            en=f"Notification {message_id} is {message.status}; only failed messages can be resent.",
            code="intake.notification_not_failed",
        )
    await session.refresh(message)
    return message
