"""Calls to licence-svc (the electronic licence library) over HTTP with the applicant's own bearer
token: the valid licences they hold, the verified data 秒批 rules are checked on. licence-svc not
answering is not an error here: without verified data a person decides, as for any application."""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp

log = logging.getLogger("intake.licences")


async def own_valid_licences(
    client: aiohttp.ClientSession, *, base_url: str, bearer: str | None, timeout: float
) -> list[dict[str, Any]] | None:
    """The caller's valid licences (type_code, number, valid_until, data …), or None when
    licence-svc cannot say (not reachable, or it refused)."""
    if not base_url or not bearer:
        return None
    url = base_url.rstrip("/") + "/v1/licences"
    try:
        async with client.get(
            url,
            params={"status": "valid", "limit": "100"},
            headers={"Authorization": f"Bearer {bearer}"},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as resp:
            body = await resp.read()
            if resp.status != 200:
                log.warning("licence-svc answered %s to the applicant's licences", resp.status)
                return None
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.warning("licence-svc not reachable for the applicant's licences: %s", exc)
        return None
    return list(json.loads(body)["items"])
