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
from typing import cast

from sqlalchemy import Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.clients import address_key, forwarded_address

from .. import errors
from ..events import GuideViewed
from ..indicators import publish_counted
from ..models import GuideViewMark
from ..sources import month_of


def client_of(principal: Principal | None, request: Request) -> str:
    """Who reports the view: the account, else the (network of the) forwarded address."""
    if principal is not None:
        return f"account:{principal.subject}"
    return f"address:{address_key(forwarded_address(request))}"


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
    table = cast(Table, GuideViewMark.__table__)
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    stmt = (
        insert.values(day=day, client=client_hash(client, day, hash_key), item_code=item_code)
        .on_conflict_do_nothing()
        .returning(table.c.day)
    )
    counted = (await session.execute(stmt)).first() is not None
    view = GuideViewed(item_code=item_code, month=month_of(now), viewed_at=now)
    if counted:
        await publish_counted(session, view)
    return view, counted


async def forget_old_marks(session: AsyncSession, *, today: date) -> int:
    """Delete the marks of days before yesterday (only today's are needed; yesterday's for late ones)."""
    result = await session.execute(delete(GuideViewMark).where(GuideViewMark.day < today - timedelta(days=1)))
    return int(getattr(result, "rowcount", 0) or 0)
