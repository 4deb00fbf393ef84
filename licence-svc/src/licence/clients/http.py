"""The process's HTTP client for calls to other services, and one GET through it.

aiohttp, as intake's identity client (docs/adr/0011: far less CPU per call than httpx)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from yiwang_shared.i18n import current_language

#: What a call may fail with before an answer: refused, reset, timed out, bad URL.
CALL_FAILED = (aiohttp.ClientError, asyncio.TimeoutError, ValueError)


def http_client() -> aiohttp.ClientSession:
    """The process's client (made inside the running loop, closed at shutdown)."""
    return aiohttp.ClientSession(trust_env=False, cookie_jar=aiohttp.DummyCookieJar())


@dataclass(frozen=True)
class Answer:
    """Another service's answer: its status and body, read whole."""

    status_code: int
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON (ValueError when it is not)."""
        return json.loads(self.body)


async def get(
    client: aiohttp.ClientSession, url: str, *, bearer: str | None, params: dict[str, str], timeout: float
) -> Answer:
    """GET `url` (already quoted) with the caller's bearer token; aiohttp's errors pass through."""
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    headers["Accept-Language"] = current_language()
    target = URL(url, encoded=True).with_query(params)
    async with client.get(target, headers=headers, timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
        return Answer(resp.status, await resp.read())
