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

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.pagination import PageParams

from .. import errors
from ..models import RatingDevice, ServiceEvent
from ..repositories.rating_devices import RatingDeviceRepository
from ..repositories.ratings import RatingCodeRepository
from ..repositories.service_events import ServiceEventRepository
from .ratings import hash_code, issue_code


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
    RatingDeviceRepository(session).add(device)
    await session.flush()
    return device, secret


async def get_device(session: AsyncSession, device_id: str) -> RatingDevice:
    """The pad, or 404."""
    device = await RatingDeviceRepository(session).find(device_id)
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
    device = await RatingDeviceRepository(session).find(device_id)
    if (
        device is None
        or device.retired_at is not None
        or not hmac.compare_digest(device.secret_hash, _hash(secret))
    ):
        raise errors.device_secret_invalid()
    device.last_used_at = now
    event = await ServiceEventRepository(session).latest_visit_to_rate(
        device.window_code, since=now - timedelta(minutes=visit_minutes), event_id=event_id
    )
    if event is None:
        raise errors.no_visit_to_rate(device.window_code, visit_minutes)
    return event, await issue_code(session, event, issued_by=f"device:{device.id}")


async def list_devices(
    session: AsyncSession, *, window_code: str | None, page: PageParams
) -> tuple[list[RatingDevice], int]:
    """A page of the pads (of one window, if given), by window, and how many there are."""
    return await RatingDeviceRepository(session).page(window_code=window_code, page=page)


async def retire_device(session: AsyncSession, device_id: str, *, now: datetime) -> RatingDevice:
    """Retire a pad (停用): it gets no code any more; retiring it again changes nothing."""
    device = await get_device(session, device_id)
    if device.retired_at is None:
        device.retired_at = now
    return device


async def service_of_code(session: AsyncSession, code: str) -> ServiceEvent:
    """The service a one-time rating code rates; an unknown or used code is a 404."""
    row = await RatingCodeRepository(session).find(hash_code(code))
    event = await ServiceEventRepository(session).find(row.service_event_id) if row is not None else None
    if row is None or row.used_at is not None or event is None:
        raise errors.rating_code_not_found()
    return event
