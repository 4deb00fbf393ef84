"""Whose application it is (申请人): the applicant's name and mobile come from identity-svc, never
from what a request body says.

- Online (a citizen's own token, or an enterprise's agent acting for it), the applicant is the
  caller: `GET /v1/me?unmask=true` with the caller's token gives their name and mobile.
- Staff (a window clerk receiving a walk-in, a helper 帮办代办) name the person served by
  `applicant.id`, found with identity's staff lookup; `GET /v1/persons/{id}/contact?reason=…`
  with the staff member's token gives the name and mobile, and identity records the read.

A body may still carry `applicant.name` and `applicant.phone`; they must then match the record,
so a case can never show one person and text another. Filing for someone else online is refused:
that is the assisted channel (staff) or the delegated one (an enterprise's agent under a grant).
Every call is made before any database work, with the configured timeout; identity-svc not
answering is a clear 503, as for grant checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from yiwang_shared.auth import Principal
from yiwang_shared.errors import Forbidden, ServiceUnavailable, TooManyRequests, UnprocessableEntity
from yiwang_shared.i18n import current_language

from ..schemas import ApplicantSubmit, Representation


@dataclass(frozen=True)
class ApplicantRecord:
    """The applicant as identity-svc records them, and how the application was filed."""

    id: str
    name: str
    phone: str | None
    representation: Representation


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


def representation_of(principal: Principal, enterprise_id: str | None) -> Representation:
    """How an application by `principal` is filed: assisted by staff, delegated by an enterprise's
    agent, or the person's own."""
    if principal.is_staff:
        return "assisted"
    return "delegated" if enterprise_id else "self"


def not_self(principal: Principal, declared: ApplicantSubmit | None) -> None:
    """403 when an online application names another person's account."""
    if declared is not None and declared.id and declared.id != principal.subject:
        raise Forbidden(
            "网上申请的申请人只能是登录账号本人。为他人申请，请由其本人登录申请；行动不便的，"
            "可到政务服务窗口由工作人员帮办代办；为企业办理，请由法定代表人授权后以经办人身份申请。",
            en="An online application is the logged-in person's own; filing for someone else is the "
            "assisted channel (at a window) or the delegated one (an enterprise's agent under a grant).",
            code="intake.applicant_not_self",
            field="applicant.id",
        )


def matches(declared: ApplicantSubmit | None, record: ApplicantRecord) -> None:
    """422 when a declared name or mobile differs from identity-svc's record."""
    if declared is None:
        return
    wrong = []
    if declared.name is not None and declared.name != record.name:
        wrong.append(("applicant.name", "姓名", "name"))
    if declared.phone is not None and declared.phone != record.phone:
        wrong.append(("applicant.phone", "手机号", "mobile"))
    if not wrong:
        return
    zh = "、".join(w[1] for w in wrong)
    en = " and ".join(w[2] for w in wrong)
    raise UnprocessableEntity(
        f"填写的申请人{zh}与统一身份认证登记的不一致。申请人信息以统一身份认证登记为准，无需填写；"
        "如信息有变，请申请人先在统一身份认证中更新。",
        en=f"The applicant's {en} differ from identity-svc's record; leave them out (the record "
        "applies) or have the person update their account first.",
        code="intake.applicant_mismatch",
        field=wrong[0][0],
        fields=[w[0] for w in wrong],
    )


def record_from(data: dict[str, Any], representation: Representation) -> ApplicantRecord:
    """An ApplicantRecord from identity's answer (an account or a contact)."""
    return ApplicantRecord(
        id=str(data["id"]),
        name=str(data["name"]),
        phone=str(data["phone"]) if data.get("phone") else None,
        representation=representation,
    )


async def resolve(
    client: httpx.AsyncClient,
    principal: Principal,
    declared: ApplicantSubmit | None,
    *,
    enterprise_id: str | None,
    item_code: str,
    base_url: str,
    bearer: str | None,
    timeout: float,
) -> ApplicantRecord:
    """The applicant of a new application as identity-svc records them (see the module)."""
    representation = representation_of(principal, enterprise_id)
    if principal.is_staff:
        assert declared is not None and declared.id  # checked by submission.acting_person
        channel = (
            "帮办代办" if "handler" in principal.roles and "window_clerk" not in principal.roles else "窗口"
        )
        data = await person_contact(
            client,
            base_url=base_url,
            bearer=bearer,
            person_id=declared.id,
            reason=f"{channel}代为申请事项（事项编码 {item_code}），用于办件登记和短信通知",
            timeout=timeout,
        )
    else:
        not_self(principal, declared)
        data = await own_account(client, base_url=base_url, bearer=bearer, timeout=timeout)
    record = record_from(data, representation)
    matches(declared, record)
    return record
