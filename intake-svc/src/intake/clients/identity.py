"""Calls to identity-svc over HTTP, made with the caller's own bearer token before any database
work: the caller's account, a person's contact details (read by staff, and recorded by identity),
and whether an agent may act for an enterprise on an item (法人授权). identity-svc not answering
is a clear 503."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from yiwang_shared.errors import Forbidden, ServiceUnavailable, TooManyRequests, UnprocessableEntity
from yiwang_shared.i18n import current_language


def _unavailable(what_zh: str, what_en: str, status: int | None = None) -> ServiceUnavailable:
    code = f"（{status}）" if status else ""
    return ServiceUnavailable(
        f"统一身份认证服务暂时无法{what_zh}{code}，请稍后再试。",
        en=f"identity-svc could not {what_en}" + (f" ({status})" if status else "") + "; try again shortly.",
        code="intake.identity_unavailable",
    )


async def _get(
    client: httpx.AsyncClient,
    url: str,
    *,
    bearer: str | None,
    params: dict[str, str],
    timeout: float,
    what: tuple[str, str],
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    # identity's problem texts come back in the language our client asked for.
    headers["Accept-Language"] = current_language()
    try:
        resp = await client.get(url, params=params, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise _unavailable(*what) from exc
    if resp.status_code >= 500:
        raise _unavailable(*what, status=resp.status_code)
    return resp


def _detail(resp: httpx.Response) -> str:
    try:
        return str(resp.json().get("detail", resp.text[:200]))
    except ValueError:
        return resp.text[:200]


async def own_account(
    client: httpx.AsyncClient, *, base_url: str, bearer: str | None, timeout: float
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
        raise Forbidden(
            f"统一身份认证服务未能确认您的账号（{resp.status_code}）：{detail}请重新登录后再申请。",
            en=f"identity-svc did not confirm the caller's account ({resp.status_code}): {detail}",
            code="intake.applicant_unverified",
        )
    account = dict(resp.json()["account"])
    if account.get("kind") != "person":
        raise Forbidden(
            "网上申请须以自然人账号登录办理。工作人员为群众办理，请填写申请人的统一身份账号（applicant.id）。",
            en="Online applications are made from a person's account; staff apply for someone with "
            "applicant.id.",
            code="intake.applicant_unverified",
        )
    return account


async def person_contact(
    client: httpx.AsyncClient,
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
        raise UnprocessableEntity(
            f"统一身份认证中没有账号 {person_id}。请先用居民身份证号或手机号查找申请人"
            "（POST /api/identity/v1/persons/lookup）；没有账号的，请在窗口为其登记"
            "（POST /api/identity/v1/persons/walk-ins）后再申请。",
            en=f"identity-svc has no person {person_id}: find the applicant by resident ID or mobile "
            "(POST /api/identity/v1/persons/lookup), or register a walk-in "
            "(POST /api/identity/v1/persons/walk-ins) first.",
            code="intake.applicant_unknown",
            field="applicant.id",
        )
    if resp.status_code == 429:
        wait = resp.headers.get("Retry-After", "60")
        raise TooManyRequests(
            f"您查询申请人联系方式过于频繁，统一身份认证服务暂停受理，请于 {wait} 秒后再试。",
            en=f"identity-svc limits how often a staff member reads contact details; retry in {wait} s.",
            code="intake.identity_throttled",
            headers={"Retry-After": wait},
        )
    if resp.status_code != 200:
        detail = _detail(resp)
        raise Forbidden(
            f"统一身份认证服务拒绝提供申请人的联系方式（{resp.status_code}）：{detail}",
            en=f"identity-svc refused the applicant's contact details ({resp.status_code}): {detail}",
            code="intake.applicant_unverified",
        )
    return dict(resp.json())


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
