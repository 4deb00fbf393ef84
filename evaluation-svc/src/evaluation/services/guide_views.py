"""Guide views (办事指南浏览), the base of the guide → application conversion, counted so that nobody
can set the indicator by posting views.

- The time is the server's: a view counts in the month it is received (the body has no time).
- One counted view per client and item per day (Asia/Shanghai). The client is the logged-in
  account, else the address the gateway forwards (an IPv6 address by its /64, what one household
  or phone is given). Only a keyed hash of (day, client) is stored, never the address, and marks
  older than yesterday are deleted.
- Each client may report at most `guide_view_rate_per_minute` views a minute (counted or not);
  beyond it the answer is 429 with Retry-After. The buckets are per process: N replicas allow N
  times the rate, which the per-day dedup already bounds.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections import OrderedDict
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date

from .. import errors
from ..clients import month_of
from ..events import GuideViewed
from ..repositories.guide_views import GuideViewMarkRepository
from .indicators import publish_counted


def client_hash(client: str, day: date, key: str) -> str:
    """The stored form of a client on a day: HMAC-SHA256, so marks of two days cannot be linked."""
    return hmac.new(key.encode(), f"{day.isoformat()}|{client}".encode(), hashlib.sha256).hexdigest()


class RateLimiter:
    """Token buckets per client, in this process: `per_minute` reports, refilled evenly."""

    def __init__(self, per_minute: int, *, max_clients: int = 100_000) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0  # tokens per second
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client → (tokens, at)

    def take(self, client: str, now: float | None = None) -> float:
        """Take one token: 0 when allowed, else the seconds until the next one."""
        now = time.monotonic() if now is None else now
        tokens, at = self._buckets.pop(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.refill)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            retry = 0.0
        else:
            self._buckets[client] = (tokens, now)
            retry = (1 - tokens) / self.refill
        while len(self._buckets) > self.max_clients:  # forget the longest idle first
            self._buckets.popitem(last=False)
        return retry


async def record_view(
    session: AsyncSession,
    *,
    item_code: str,
    client: str,
    hash_key: str,
    limiter: RateLimiter,
    now: datetime,
) -> tuple[GuideViewed, bool]:
    """(the view, whether it was counted): counted and published once per client, item and day."""
    retry = limiter.take(client)
    if retry > 0:
        raise errors.guide_views_too_many(math.ceil(retry))
    day = local_date(now)
    counted = await GuideViewMarkRepository(session).mark(
        day=day, client=client_hash(client, day, hash_key), item_code=item_code
    )
    view = GuideViewed(item_code=item_code, month=month_of(now), viewed_at=now)
    if counted:
        await publish_counted(session, view)
    return view, counted


async def forget_old_marks(session: AsyncSession, *, today: date) -> int:
    """Delete the marks of days before yesterday (only today's are needed; yesterday's for late ones)."""
    return await GuideViewMarkRepository(session).delete_before(today - timedelta(days=1))
