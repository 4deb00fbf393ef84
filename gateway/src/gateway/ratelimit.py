"""Per-client token buckets (client = token subject when authenticated, else client IP)."""

from __future__ import annotations

import math
import time

__all__ = ["RateLimiter"]


class RateLimiter:
    """`rate` tokens a second up to `burst`; each request takes one.

    Idle full buckets are dropped now and then, and the table is bounded, so a flood of new
    client keys cannot grow memory without limit. Each worker process keeps its own table.
    """

    def __init__(self, rate: float, burst: float, *, max_clients: int = 100_000) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self.enabled = rate > 0
        self.max_clients = max_clients
        self._buckets: dict[str, list[float]] = {}
        self._next_sweep = 0.0

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token for `key`: 0.0 if allowed, else the seconds until one is available."""
        if not self.enabled:
            return 0.0
        if now is None:
            now = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_clients or now >= self._next_sweep:
                self._sweep(now)
            self._buckets[key] = [self.burst - 1.0, now]
            return 0.0
        tokens = bucket[0] + (now - bucket[1]) * self.rate
        if tokens > self.burst:
            tokens = self.burst
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self.rate

    @staticmethod
    def retry_after(wait: float) -> int:
        """Whole seconds for a Retry-After header (at least 1)."""
        return max(1, math.ceil(wait))

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + 60.0
        full_after = self.burst / self.rate
        stale = [k for k, (_, last) in self._buckets.items() if now - last >= full_after]
        for key in stale:
            del self._buckets[key]
        if len(self._buckets) >= self.max_clients:
            # Still full of active clients: forget the least recently seen half.
            keep = sorted(self._buckets.items(), key=lambda kv: kv[1][1])[len(self._buckets) // 2 :]
            self._buckets = dict(keep)

    def __len__(self) -> int:
        return len(self._buckets)
