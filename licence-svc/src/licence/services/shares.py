"""Shares (亮证/分享): a time-limited verification code the holder makes and may withdraw. Only the
code's SHA-256 is stored; whoever has the code sees the licence while the share lasts."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date
from yiwang_shared.links import public_path
from yiwang_shared.orm import as_utc

from .. import errors
from ..config import Settings
from ..lifecycles import STATUS_ZH
from ..models import Licence, LicenceShare
from ..repositories import licences as licence_repo
from ..repositories import shares as repo
from ..repositories.types import find_type
from ..schemas import ShareCreate, ShareCreated, SharedLicenceRead, ShareRead
from .holders import Holder
from .licences import get_own, is_valid_on, signature_of
from .verification import RateLimiter, throttle


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def share_view(share: LicenceShare, *, now: datetime) -> ShareRead:
    """A share as its holder reads it."""
    active = share.withdrawn_at is None and as_utc(share.expires_at) > now
    return ShareRead(
        id=share.id,
        licence_id=share.licence_id,
        purpose=share.purpose,
        created_at=share.created_at,
        expires_at=share.expires_at,
        withdrawn_at=share.withdrawn_at,
        active=active,
        opened_count=share.opened_count,
    )


async def create_share(
    session: AsyncSession,
    licence_id: str,
    body: ShareCreate,
    holder: Holder,
    *,
    actor_id: str,
    now: datetime,
    settings: Settings,
) -> ShareCreated:
    """A new code for one of the holder's valid licences."""
    licence = await get_own(session, licence_id, holder)
    if not is_valid_on(licence, local_date(now)):
        raise errors.share_not_allowed(licence.status)
    hours = body.valid_hours or settings.share_default_hours
    if hours > settings.share_max_hours:
        raise errors.share_too_long(hours, settings.share_max_hours)
    code = secrets.token_urlsafe(16)
    share = LicenceShare(
        licence_id=licence.id,
        code_hash=_hash(code),
        purpose=body.purpose,
        created_by=actor_id,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
        opened_count=0,
    )
    session.add(share)
    await session.flush()
    return ShareCreated(
        **share_view(share, now=now).model_dump(), code=code, path=public_path(f"/v1/shared/{code}")
    )


async def list_shares(
    session: AsyncSession, licence_id: str, holder: Holder, *, limit: int, offset: int
) -> tuple[Sequence[LicenceShare], int]:
    """A page of the shares of one of the holder's licences."""
    licence = await get_own(session, licence_id, holder)
    return await repo.list_for_licence(session, licence.id, limit=limit, offset=offset)


async def withdraw_share(
    session: AsyncSession, licence_id: str, share_id: str, holder: Holder, *, now: datetime
) -> LicenceShare:
    """The holder withdraws a share (again: no change)."""
    licence = await get_own(session, licence_id, holder)
    share = await repo.find_share(session, share_id)
    if share is None or share.licence_id != licence.id:
        raise errors.share_not_found()
    if share.withdrawn_at is None:
        share.withdrawn_at = now
        await session.flush()
    return share


async def open_share(
    session: AsyncSession, code: str, *, client: str, limiter: RateLimiter, now: datetime
) -> tuple[SharedLicenceRead, str]:
    """The licence behind a live share code (404 for an unknown, expired or withdrawn one), and the
    share's id (to count the opening, `count_opening`)."""
    throttle(limiter, client)
    share = await repo.find_by_code_hash(session, _hash(code))
    if share is None or share.withdrawn_at is not None or as_utc(share.expires_at) <= now:
        raise errors.share_not_found()
    licence = await licence_repo.find_licence(session, share.licence_id)
    if licence is None:
        raise errors.share_not_found()
    return await _shared_view(session, licence, share, now=now), share.id


async def count_opening(session: AsyncSession, share_id: str) -> None:
    """One more opening of the share (the holder sees how often it was looked at)."""
    await repo.count_opening(session, share_id)


async def _shared_view(
    session: AsyncSession, licence: Licence, share: LicenceShare, *, now: datetime
) -> SharedLicenceRead:
    licence_type = await find_type(session, licence.type_code)
    return SharedLicenceRead(
        number=licence.number,
        type_code=licence.type_code,
        type_name=licence_type.name if licence_type else licence.type_code,
        holder_name=licence.holder_name,
        issuing_unit_name=licence.issuing_unit_name,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=licence.status,  # type: ignore[arg-type]
        status_name=STATUS_ZH[licence.status],
        valid=is_valid_on(licence, local_date(now)),
        data=licence.data,
        signature=signature_of(licence),
        share_expires_at=share.expires_at,
    )
