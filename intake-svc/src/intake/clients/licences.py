"""Calls to licence-svc (the electronic licence library) over HTTP with the applicant's own bearer
token: the valid licences they hold (materials fetched, not uploaded; the verified data 秒批 rules are
checked on) — licence-svc not answering is not an error there: without verified data the materials
are asked for and a person decides, as for any application — and, with a clerk's token, the
applicant's licence fetched for their case at the window."""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp

from .. import errors

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


async def fetch_for_case(
    client: aiohttp.ClientSession,
    *,
    base_url: str,
    bearer: str | None,
    application_id: str,
    type_code: str,
    purpose: str,
    timeout: float,
) -> dict[str, Any] | None:
    """The applicant's licence of `type_code` fetched for their case with a staff member's token
    (licence-svc checks the case with intake and records the use); None when the library holds none.
    Raises the 503 problem when licence-svc does not answer or fails."""
    if not base_url:
        raise errors.licence_library_unavailable()
    url = base_url.rstrip("/") + "/v1/case-fetches"
    try:
        async with client.post(
            url,
            json={"application_id": application_id, "type_code": type_code, "purpose": purpose},
            headers={"Authorization": f"Bearer {bearer}"} if bearer else {},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as resp:
            body = await resp.read()
            if resp.status == 404:
                return None  # the library holds no licence of the type for the applicant
            if resp.status != 201:
                log.warning("licence-svc answered %s to a case fetch: %s", resp.status, body[:300])
                raise errors.licence_library_unavailable(resp.status)
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.warning("licence-svc not reachable for a case fetch: %s", exc)
        raise errors.licence_library_unavailable() from exc
    return dict(json.loads(body)["licence"])
