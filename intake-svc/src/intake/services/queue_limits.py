"""Bounds on the anonymous kiosk: token buckets per client, in this process.

The client is the logged-in account, else the address the gateway forwards (an IPv6 address by
its /64): the route names it (`api.queue.client_of`). The gateway's own per-client limit comes
first; this one is tighter and about numbers: a flood of tickets would push real people back. A
hall's kiosk is one address, so the default (`INTAKE_QUEUE_TAKE_RATE_PER_MINUTE`, 30) is what a
busy kiosk gives, and the hall's `max_waiting` and 999 numbers per category a day bound the rest.
N replicas allow N times the rate.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict

from .. import errors


class RateLimiter:
    """`per_minute` tokens per client, refilled evenly; the longest idle clients are forgotten first."""

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
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            retry = 0.0
        else:
            self._buckets[client] = (tokens, now)
            retry = (1 - tokens) / self.refill
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return retry

    def check(self, client: str) -> None:
        """429 with Retry-After when the client has no token left."""
        retry = self.take(client)
        if retry > 0:
            raise errors.queue_rate_limited(max(1, math.ceil(retry)))
