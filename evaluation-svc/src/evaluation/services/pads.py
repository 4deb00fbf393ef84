"""Rating pads (评价器): the one-time codes of window visits go to the person at the counter, never to
staff.

The evaluation office registers a pad per window and enters its secret (shown once; only its hash
is kept) into the pad. The pad fetches, with that secret, a fresh code for its window's latest visit
that is not yet rated (registered in the last `pad_visit_minutes`), shows it — or fills it in — and
the visitor rates with it. A clerk registers visits but never holds a code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from yiwang_shared.auth import Principal

from .. import errors
from ..models import Rating, RatingDevice, ServiceEvent
from .ratings import issue_code


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def register_device(
    session: AsyncSession, *, window_code: str, label: str | None, actor: Principal, now: datetime
) -> tuple[RatingDevice, str]:
    """A new pad for a window and its secret (returned once, stored as a hash)."""
    secret = secrets.token_urlsafe(24)
    device = RatingDevice(
        window_code=window_code,
        label=label,
        secret_hash=_hash(secret),
        registered_by=actor.subject,
        registered_at=now,
    )
    session.add(device)
    await session.flush()
    return device, secret


async def get_device(session: AsyncSession, device_id: str) -> RatingDevice:
    """The pad, or 404."""
    device = await session.get(RatingDevice, device_id)
    if device is None:
        raise errors.device_not_found(device_id)
    return device


async def code_for_pad(
    session: AsyncSession,
    *,
    device_id: str,
    secret: str,
    event_id: str | None,
    visit_minutes: int,
    now: datetime,
) -> tuple[ServiceEvent, str]:
    """A fresh one-time code for the window's latest visit still to rate (or the one named, if it is
    such a visit of the pad's window); a wrong secret or a retired pad is a 401."""
    device = await session.get(RatingDevice, device_id)
    if (
        device is None
        or device.retired_at is not None
        or not hmac.compare_digest(device.secret_hash, _hash(secret))
    ):
        raise errors.device_secret_invalid()
    device.last_used_at = now
    given = aliased(Rating)
    rated = (
        select(given.id)
        .where(given.service_event_id == ServiceEvent.id, given.superseded_at.is_(None))
        .exists()
    )
    stmt = select(ServiceEvent).where(
        ServiceEvent.kind == "visit",
        ServiceEvent.window_code == device.window_code,
        ServiceEvent.served_at >= now - timedelta(minutes=visit_minutes),
        ~rated,
    )
    if event_id is not None:
        stmt = stmt.where(ServiceEvent.id == event_id)
    event = (
        await session.execute(stmt.order_by(ServiceEvent.served_at.desc(), ServiceEvent.id.desc()).limit(1))
    ).scalar_one_or_none()
    if event is None:
        raise errors.no_visit_to_rate(device.window_code, visit_minutes)
    return event, await issue_code(session, event, issued_by=f"device:{device.id}")
