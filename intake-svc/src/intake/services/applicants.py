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

import aiohttp

from yiwang_shared.auth import Principal

from .. import errors
from ..clients.identity import check_grant, own_account, person_contact
from ..schemas import ApplicantSubmit, Representation


@dataclass(frozen=True)
class ApplicantRecord:
    """The applicant as identity-svc records them, and how the application was filed."""

    id: str
    name: str
    phone: str | None
    representation: Representation
    # The resident ID identity-svc confirmed to the applicant's own account (online only; staff
    # read it masked): what 秒批 rules check the age on.
    resident_id: str | None = None


def representation_of(principal: Principal, enterprise_id: str | None) -> Representation:
    """How an application by `principal` is filed: assisted by staff, delegated by an enterprise's
    agent, or the person's own."""
    if principal.is_staff:
        return "assisted"
    return "delegated" if enterprise_id else "self"


def not_self(principal: Principal, declared: ApplicantSubmit | None) -> None:
    """403 when an online application names another person's account."""
    if declared is not None and declared.id and declared.id != principal.subject:
        raise errors.ApplicantNotSelf(
            "网上申请的申请人只能是登录账号本人。为他人申请，请由其本人登录申请；行动不便的，"
            "可到政务服务窗口由工作人员帮办代办；为企业办理，请由法定代表人授权后以经办人身份申请。",
            en="An online application is the logged-in person's own; filing for someone else is the "
            "assisted channel (at a window) or the delegated one (an enterprise's agent under a grant).",
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
    raise errors.applicant_mismatch(wrong)


def record_from(data: dict[str, Any], representation: Representation) -> ApplicantRecord:
    """An ApplicantRecord from identity's answer (an account or a contact); the resident ID only
    when identity gave it unmasked (the applicant's own account)."""
    rid = data.get("resident_id")
    return ApplicantRecord(
        id=str(data["id"]),
        name=str(data["name"]),
        phone=str(data["phone"]) if data.get("phone") else None,
        representation=representation,
        resident_id=str(rid) if rid and "*" not in str(rid) else None,
    )


async def resolve(
    client: aiohttp.ClientSession,
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


async def resolve_with_grant(
    client: aiohttp.ClientSession,
    principal: Principal,
    declared: ApplicantSubmit | None,
    *,
    person_id: str,
    enterprise_id: str | None,
    item_codes: list[str],
    base_url: str,
    bearer: str | None,
    timeout: float,
) -> tuple[ApplicantRecord, str | None]:
    """The applicant as identity-svc records them and, for an enterprise, the grant (法人授权) the
    acting person holds for every item applied for (403 when one is not covered)."""
    applicant = await resolve(
        client,
        principal,
        declared,
        enterprise_id=enterprise_id,
        item_code=item_codes[0],
        base_url=base_url,
        bearer=bearer,
        timeout=timeout,
    )
    grant_id = None
    if enterprise_id:
        for code in item_codes:
            grant_id = await check_grant(
                client,
                base_url=base_url,
                bearer=bearer,
                person_id=person_id,
                enterprise_id=enterprise_id,
                item_code=code,
                timeout=timeout,
            )
    return applicant, grant_id
