"""Asking identity-svc whether an agent may act for an enterprise on an item (法人授权), with the
caller's own bearer token (identity lets a person check their own authority), at submission; and
the grants identity revoked since (identity.grant.revoked.v1), which end an agent's access to the
enterprise's cases at once rather than when their token expires."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.errors import Forbidden, ServiceUnavailable
from yiwang_shared.i18n import current_language

from ..models.applications import RevokedGrant

#: identity-svc's refusal reasons in Chinese with what to do about them — read by the agent online
#: and by a window clerk alike, so they name the 经办人 rather than say 您.
REFUSALS_ZH = {
    "out_of_scope": "现有授权不包括该事项，请法定代表人扩大授权范围后再申请。",
    "grant_pending": "授权尚待经办人确认，请经办人在统一身份认证中确认授权后再申请。",
    "grant_not_yet_valid": "授权尚未到生效日期，请在生效后再申请。",
    "grant_expired": "授权已过期，请法定代表人重新授权后再申请。",
    "grant_revoked": "授权已被撤销，请法定代表人重新授权后再申请。",
    "no_grant": "尚未获得授权，请先由法定代表人授权、经办人确认后再申请。",
}


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
    # identity's problem texts come back in the language our client asked for.
    headers["Accept-Language"] = current_language()
    try:
        resp = await client.get(
            base_url.rstrip("/") + "/v1/grants/check",
            params={"person_id": person_id, "enterprise_id": enterprise_id, "item_code": item_code},
            headers=headers,
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise ServiceUnavailable(
            "统一身份认证服务暂时没有响应，无法核验法人授权，请稍后再试。",
            en="identity-svc did not answer the grant check (法人授权核验); try again shortly.",
            code="intake.identity_unavailable",
        ) from exc
    if resp.status_code >= 500:
        raise ServiceUnavailable(
            f"统一身份认证服务核验法人授权时出错（{resp.status_code}），请稍后再试。",
            en=f"identity-svc failed the grant check ({resp.status_code}); try again shortly.",
            code="intake.identity_unavailable",
        )
    if resp.status_code != 200:
        detail = _detail(resp)
        raise Forbidden(
            f"统一身份认证服务拒绝了法人授权核验（{resp.status_code}）：{detail}",
            en=f"The grant check was refused by identity-svc ({resp.status_code}): {detail}",
            code="intake.grant_missing",
        )
    body = resp.json()
    if not body.get("allowed"):
        reason = str(body.get("reason"))
        raise Forbidden(
            # Ids mean nothing to the person reading this: the case form names them already.
            "经办人没有代表该企业办理本事项的有效授权："
            + REFUSALS_ZH.get(reason, "请先由法定代表人授权，并由经办人确认后再申请。"),
            en=f"Person {person_id} holds no valid grant to act for enterprise {enterprise_id} on "
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


async def record_revoked(session: AsyncSession, data: dict[str, Any]) -> None:
    """Remember a revoked grant (a redelivery changes nothing)."""
    if await session.get(RevokedGrant, data["grant_id"]) is not None:
        return
    session.add(
        RevokedGrant(
            grant_id=data["grant_id"],
            enterprise_id=data["enterprise_id"],
            grantee_id=data["grantee_id"],
            revoked_at=datetime.fromisoformat(str(data["revoked_at"])),
        )
    )
