"""Asking identity-svc whether an agent may act for an enterprise on an item (法人授权), with the
caller's own bearer token (identity lets a person check their own authority)."""

from __future__ import annotations

import httpx

from yiwang_shared.errors import Forbidden, ServiceUnavailable


async def check_grant(
    client: httpx.AsyncClient,
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
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    try:
        resp = await client.get(
            base_url.rstrip("/") + "/v1/grants/check",
            params={"person_id": person_id, "enterprise_id": enterprise_id, "item_code": item_code},
            headers=headers,
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise ServiceUnavailable(
            "identity-svc did not answer the grant check (法人授权核验); try again shortly.",
            code="intake.identity_unavailable",
        ) from exc
    if resp.status_code >= 500:
        raise ServiceUnavailable(
            f"identity-svc failed the grant check ({resp.status_code}); try again shortly.",
            code="intake.identity_unavailable",
        )
    if resp.status_code != 200:
        raise Forbidden(
            f"The grant check was refused by identity-svc ({resp.status_code}): " + _detail(resp),
            code="intake.grant_missing",
        )
    body = resp.json()
    if not body.get("allowed"):
        raise Forbidden(
            f"Person {person_id} holds no valid grant to act for enterprise {enterprise_id} on "
            f"item {item_code} ({body.get('reason')}); the legal representative must grant it "
            "first (法人授权).",
            code="intake.grant_missing",
            reason=body.get("reason"),
        )
    return body.get("grant_id")


def _detail(resp: httpx.Response) -> str:
    try:
        return str(resp.json().get("detail", resp.text[:200]))
    except ValueError:
        return resp.text[:200]
