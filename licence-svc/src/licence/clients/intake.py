"""Calls to intake-svc over HTTP: the application a staff member names when using a licence, read
with the staff member's own token, so intake's rule of who may see a case applies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp

from .. import errors
from .http import CALL_FAILED, get


@dataclass(frozen=True)
class Application:
    """What licence-svc reads of an application (intake's ApplicationRead)."""

    id: str
    application_no: str
    item_name: str
    applicant_id: str
    enterprise_id: str | None


def _application(body: dict[str, Any]) -> Application:
    return Application(
        id=str(body["id"]),
        application_no=str(body["application_no"]),
        item_name=str(body.get("item_name") or ""),
        applicant_id=str(body["applicant_id"]),
        enterprise_id=str(body["enterprise_id"]) if body.get("enterprise_id") else None,
    )


async def visible_application(
    client: aiohttp.ClientSession, *, base_url: str, bearer: str | None, application_id: str, timeout: float
) -> Application:
    """The application if the caller may see it at intake (`GET /v1/applications/{id}`); 404 if
    not, 503 when intake does not answer."""
    url = base_url.rstrip("/") + f"/v1/applications/{quote(application_id, safe='')}"
    what = ("核对办件", "check the application")
    try:
        resp = await get(client, url, bearer=bearer, params={}, timeout=timeout)
    except CALL_FAILED as exc:
        raise errors.upstream_unavailable("intake-svc", *what) from exc
    if resp.status_code in (403, 404, 422):
        raise errors.application_not_found(application_id)
    if resp.status_code != 200:
        raise errors.upstream_unavailable("intake-svc", *what)
    try:
        return _application(resp.json())
    except (ValueError, KeyError, TypeError) as exc:
        raise errors.upstream_unavailable("intake-svc", *what) from exc
