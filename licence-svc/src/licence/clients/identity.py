"""Calls to identity-svc over HTTP: a citizen's own resident ID (`GET /v1/me?unmask=true` with their
token), the key that finds the licences issued to them before they had an account here."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp

from .. import errors
from .http import CALL_FAILED, get


@dataclass(frozen=True)
class OwnAccount:
    """The caller's account as identity shows it to its owner."""

    account_id: str
    name: str
    resident_id: str | None


async def own_account(
    client: aiohttp.ClientSession, *, base_url: str, bearer: str | None, timeout: float
) -> OwnAccount:
    """The caller's own person account; 503 when identity-svc does not answer."""
    what = ("核对您的身份信息", "confirm your identity")
    try:
        resp = await get(
            client, base_url.rstrip("/") + "/v1/me", bearer=bearer, params={"unmask": "true"}, timeout=timeout
        )
    except CALL_FAILED as exc:
        raise errors.upstream_unavailable("identity-svc", *what) from exc
    if resp.status_code != 200:
        raise errors.upstream_unavailable("identity-svc", *what)
    try:
        account = resp.json()["account"]
        resident_id = account.get("resident_id")
        return OwnAccount(
            account_id=str(account["id"]),
            name=str(account.get("name") or ""),
            # A masked number (no unmask right) is no key: only a whole one finds licences.
            resident_id=str(resident_id) if resident_id and "*" not in str(resident_id) else None,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise errors.upstream_unavailable("identity-svc", *what) from exc
