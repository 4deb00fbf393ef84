"""Calls to identity-svc over HTTP, made with the caller's own bearer token before any database
work: the caller's account, a person's contact details (read by staff, and recorded by identity),
and whether an agent may act for an enterprise on an item (法人授权). identity-svc not answering
is a clear 503.

The calls go through aiohttp's client, not httpx: a GET cost 1.0 ms of CPU through httpx against
0.15–0.19 ms through aiohttp on this machine (docs/adr/0011), and a window's submission makes one.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from yiwang_shared.i18n import current_language

from .. import errors


def identity_client() -> aiohttp.ClientSession:
    """The process's client for identity-svc (make it inside the running event loop; close it at
    shutdown). Timeouts are given per call."""
    # The service reads nothing from the environment's proxies, and sends no cookies.
    return aiohttp.ClientSession(trust_env=False, cookie_jar=aiohttp.DummyCookieJar())


@dataclass(frozen=True)
class Answer:
    """identity-svc's answer: its status, headers and body, read whole."""

    status_code: int
    headers: CIMultiDictProxy[str]
    body: bytes

    @property
    def text(self) -> str:
        """The body as text (UTF-8, undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON (ValueError when it is not)."""
        return json.loads(self.body)


async def _fetch(
    client: aiohttp.ClientSession, url: str, *, bearer: str | None, params: dict[str, str], timeout: float
) -> Answer:
    """GET `url` (already quoted) with `params`; aiohttp's or the timeout's errors pass through."""
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    # identity's problem texts come back in the language our client asked for.
    headers["Accept-Language"] = current_language()
    target = URL(url, encoded=True).with_query(params)
    async with client.get(target, headers=headers, timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
        return Answer(resp.status, resp.headers, await resp.read())


#: What a call to identity-svc may fail with before an answer: refused, reset, timed out, bad URL.
CALL_FAILED = (aiohttp.ClientError, asyncio.TimeoutError, ValueError)


async def _get(
    client: aiohttp.ClientSession,
    url: str,
    *,
    bearer: str | None,
    params: dict[str, str],
    timeout: float,
    what: tuple[str, str],
) -> Answer:
    try:
        resp = await _fetch(client, url, bearer=bearer, params=params, timeout=timeout)
    except CALL_FAILED as exc:
        raise errors.identity_unavailable(*what) from exc
    if resp.status_code >= 500:
        raise errors.identity_unavailable(*what, status=resp.status_code)
    return resp


def _detail(resp: Answer) -> str:
    try:
        return str(resp.json().get("detail", resp.text[:200]))
    except ValueError:
        return resp.text[:200]


async def own_account(
    client: aiohttp.ClientSession, *, base_url: str, bearer: str | None, timeout: float
) -> dict[str, Any]:
    """The caller's own account from identity-svc (`GET /v1/me?unmask=true`)."""
    resp = await _get(
        client,
        base_url.rstrip("/") + "/v1/me",
        bearer=bearer,
        params={"unmask": "true"},
        timeout=timeout,
        what=("核对您的账号信息", "confirm the caller's account"),
    )
    if resp.status_code != 200:
        detail = _detail(resp)
        raise errors.account_unconfirmed(resp.status_code, detail)
    account = dict(resp.json()["account"])
    if account.get("kind") != "person":
        raise errors.ApplicantUnverified(
            "网上申请须以自然人账号登录办理。工作人员为群众办理，请填写申请人的统一身份账号（applicant.id）。",
            en="Online applications are made from a person's account; staff apply for someone with "
            "applicant.id.",
        )
    return account


async def person_contact(
    client: aiohttp.ClientSession,
    *,
    base_url: str,
    bearer: str | None,
    person_id: str,
    reason: str,
    timeout: float,
) -> dict[str, Any]:
    """The person's name and mobile in clear, read with the staff member's token (identity
    records who read it and why); 422 when there is no such person."""
    resp = await _get(
        client,
        # Quoted: the id is the caller's, and a "/", ".." or control character must stay inside
        # its path segment (a control character made httpx raise, a 500; found by drill 6).
        base_url.rstrip("/") + f"/v1/persons/{quote(person_id, safe='')}/contact",
        bearer=bearer,
        params={"reason": reason},
        timeout=timeout,
        what=("查询申请人的联系方式", "read the applicant's contact details"),
    )
    if resp.status_code == 404:
        raise errors.applicant_unknown(person_id)
    if resp.status_code == 429:
        wait = resp.headers.get("Retry-After", "60")
        raise errors.identity_throttled(wait)
    if resp.status_code != 200:
        detail = _detail(resp)
        raise errors.contact_refused(resp.status_code, detail)
    return dict(resp.json())


async def check_grant(
    client: aiohttp.ClientSession,
    *,
    base_url: str,
    bearer: str | None,
    person_id: str,
    enterprise_id: str,
    item_code: str,
    timeout: float,
) -> str | None:
    """The grant id that lets `person_id` act for `enterprise_id` on `item_code`; 403 if none,
    503 when identity-svc does not answer."""
    try:
        resp = await _fetch(
            client,
            base_url.rstrip("/") + "/v1/grants/check",
            bearer=bearer,
            params={"person_id": person_id, "enterprise_id": enterprise_id, "item_code": item_code},
            timeout=timeout,
        )
    except CALL_FAILED as exc:
        raise errors.grant_check_unanswered() from exc
    if resp.status_code >= 500:
        raise errors.grant_check_failed(resp.status_code)
    if resp.status_code != 200:
        raise errors.grant_check_refused(resp.status_code, _detail(resp))
    body = resp.json()
    if not body.get("allowed"):
        raise errors.grant_missing(person_id, enterprise_id, item_code, body.get("reason"))
    grant_id = body.get("grant_id")
    return str(grant_id) if grant_id is not None else None
