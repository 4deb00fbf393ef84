"""Third-party verification by number (第三方核验): valid or not, and nothing personal; throttled
per client like the other public endpoints."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date

from .. import errors
from ..repositories.licences import find_by_number
from ..repositories.types import find_type
from ..schemas import VerificationCreate, VerificationRead


class RateLimiter:
    """Token buckets per client, in this process: `per_minute` requests, refilled evenly."""

    def __init__(self, per_minute: int, *, max_clients: int = 100_000) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str, now: float | None = None) -> float:
        """Take one token: 0 when allowed, else the seconds until the next one."""
        now = time.monotonic() if now is None else now
        tokens, at = self._buckets.pop(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.refill)
        retry = 0.0 if tokens >= 1 else (1 - tokens) / self.refill
        self._buckets[client] = (tokens - 1 if tokens >= 1 else tokens, now)
        while len(self._buckets) > self.max_clients:  # forget the longest idle first
            self._buckets.popitem(last=False)
        return retry


def throttle(limiter: RateLimiter, client: str) -> None:
    """429 when `client` has used its verifications for now."""
    retry = limiter.take(client)
    if retry > 0:
        raise errors.verification_too_many(math.ceil(retry))


async def verify_number(
    session: AsyncSession, body: VerificationCreate, *, client: str, limiter: RateLimiter, now: datetime
) -> VerificationRead:
    """Is a licence of this number and type valid today?"""
    throttle(limiter, client)
    licence_type = await find_type(session, body.type_code)
    licence = await find_by_number(session, body.type_code, body.number) if licence_type else None
    today = local_date(now)
    if licence is None:
        return VerificationRead(
            valid=False,
            status=None,
            type_name=licence_type.name if licence_type else None,
            valid_until=None,
            checked_at=now,
        )
    in_time = licence.valid_from <= today and (licence.valid_until is None or today <= licence.valid_until)
    return VerificationRead(
        valid=licence.status == "valid" and in_time,
        status=licence.status,  # type: ignore[arg-type]
        type_name=licence_type.name if licence_type else None,
        valid_until=licence.valid_until,
        checked_at=now,
    )
