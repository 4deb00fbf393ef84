"""licence-svc's domain errors: one class per stable code, in Chinese with an English text (`en=`).

Each class's docstring is the meaning the OpenAPI document lists beside its code
(`x-problem-codes`); the functions below build the texts from the values at hand. A licence that
exists but is not the caller's is answered like one that does not exist (404): whether someone
holds a licence is personal data.
"""

from __future__ import annotations

from yiwang_shared.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    TooManyRequests,
    UnprocessableEntity,
)

from .lifecycles import STATUS_ZH

ACTION_ZH = {"suspend": "暂停使用", "reinstate": "恢复使用", "revoke": "吊销", "expire": "过期"}


class LicenceNotFound(NotFound):
    """No such licence, or not one the caller may see."""

    code = "licence.licence_not_found"


class LicenceTypeNotFound(NotFound):
    """No licence type with that code."""

    code = "licence.type_not_found"


class ShareNotFound(NotFound):
    """No such share of the caller's, or a share code that is unknown, expired or withdrawn."""

    code = "licence.share_not_found"


class LicenceNotHeld(NotFound):
    """The applicant holds no licence of that type in the library."""

    code = "licence.not_held"


class ApplicationNotFound(NotFound):
    """intake-svc knows no such application, or not one the staff member may see."""

    code = "licence.application_not_found"


class NotHolder(Forbidden):
    """Only the holder (or an agent acting for the holding enterprise) does this."""

    code = "licence.not_holder"


class StaffOnly(Forbidden):
    """Using a licence for a case is for staff."""

    code = "licence.staff_only"


class NotIssuingUnit(Forbidden):
    """Suspending, reinstating and revoking are for the issuing unit's staff."""

    code = "licence.not_issuing_unit"


class NotAdmin(Forbidden):
    """The licence-type catalogue is kept by administrators."""

    code = "licence.not_admin"


class NotAuthorisedByHolder(Forbidden):
    """The application named is not the licence holder's: no authorisation to use the licence."""

    code = "licence.not_authorised_by_holder"


class ActionNotAllowed(Conflict):
    """The licence's state does not allow this action."""

    code = "licence.transition_refused"


class TypeExists(Conflict):
    """A licence type with that code or name exists already."""

    code = "licence.type_exists"


class NumberTaken(Conflict):
    """A licence of that type and number exists already."""

    code = "licence.number_taken"


class TypeInactive(Conflict):
    """The licence type takes no new licences."""

    code = "licence.type_inactive"


class IssueInvalid(UnprocessableEntity):
    """A licence to issue that breaks a rule (holder kind, validity)."""

    code = "licence.issue_invalid"


class ShareNotAllowed(Conflict):
    """Only a valid licence can be shared."""

    code = "licence.share_not_allowed"


class ShareTooLong(UnprocessableEntity):
    """A share lasting longer than the service allows."""

    code = "licence.share_too_long"


class ReasonRequired(UnprocessableEntity):
    """Suspending or revoking needs a reason the holder can read."""

    code = "licence.reason_required"


class VerificationRateLimited(TooManyRequests):
    """More public verifications a minute than a person makes (Retry-After)."""

    code = "licence.verification_rate_limited"


class UpstreamUnavailable(ServiceUnavailable):
    """intake-svc or identity-svc did not answer."""

    code = "licence.upstream_unavailable"


# --- 404 ---


def licence_not_found(licence_id: str) -> LicenceNotFound:
    """No such licence, or not the caller's."""
    return LicenceNotFound(
        f"未找到电子证照 {licence_id}，或您无权查看。持证人只能查看本人（或所代理企业）的证照。",
        en=f"No licence {licence_id}, or not one you may see.",
    )


def type_not_found(code: str) -> LicenceTypeNotFound:
    """No licence type with that code."""
    return LicenceTypeNotFound(
        f"未找到证照类型 {code}。现有证照类型可通过 GET /v1/licence-types 查询。",
        en=f"No licence type {code!r}; GET /v1/licence-types lists them.",
        field="type_code",
    )


def share_not_found() -> ShareNotFound:
    """Unknown, expired or withdrawn share code (or not the caller's share)."""
    return ShareNotFound(
        "核验码无效、已过期或已被持证人撤回。请向持证人索取新的核验码。",
        en="The share code is unknown, expired or withdrawn; ask the holder for a new one.",
    )


def licence_not_held(application_no: str, type_name: str) -> LicenceNotHeld:
    """The applicant holds no such licence."""
    return LicenceNotHeld(
        f"办件 {application_no} 的申请人在电子证照库中没有{type_name}，请按申请材料要求由申请人提交。",
        en=f"The applicant of {application_no} holds no {type_name} in the library; ask them for it.",
        field="type_code",
    )


def application_not_found(application_id: str) -> ApplicationNotFound:
    """intake knows no such application the staff member may see."""
    return ApplicationNotFound(
        f"未找到办件 {application_id}，或您无权查看该办件。用证须以本单位经办或受理的办件为依据，"
        "请核对办件编号（application_id）。",
        en=f"No application {application_id} you may see; a licence is used for a case you handle.",
        field="application_id",
    )


# --- 403 ---


def not_holder() -> NotHolder:
    """Only the holder does this."""
    return NotHolder(
        "只有持证人本人（企业证照为经授权的经办人）可以进行此操作，请使用持证人账号登录。",
        en="Only the holder (or an agent acting for the holding enterprise) may do this.",
    )


def staff_only() -> StaffOnly:
    """Using a licence for a case is for staff."""
    return StaffOnly(
        "用证核验由工作人员为办件进行，请使用工作人员账号登录。持证人本人可在“我的证照”中查看和分享证照。",
        en="Using a licence for a case is for staff; holders see and share their licences themselves.",
    )


def not_issuing_unit(unit_code: str) -> NotIssuingUnit:
    """Only the issuing unit's staff suspend, reinstate or revoke."""
    return NotIssuingUnit(
        f"该证照由 {unit_code} 颁发，只有颁证单位的工作人员（审批、办件人员）可以暂停、恢复或吊销。",
        en=f"The licence was issued by {unit_code}; only that unit's approvers or handlers may change it.",
    )


def not_admin() -> NotAdmin:
    """The licence-type catalogue is the administrators'."""
    return NotAdmin(
        "证照类型目录由系统管理员（admin）维护，如需新增或修改证照类型请联系管理员。",
        en="Licence types are kept by administrators.",
    )


def not_authorised_by_holder(application_no: str) -> NotAuthorisedByHolder:
    """The application is not the holder's."""
    return NotAuthorisedByHolder(
        f"办件 {application_no} 的申请人不是该证照的持证人，不能凭此办件调用该证照。"
        "用证须以持证人本人（或其企业）提出的申请为授权依据。",
        en=f"Application {application_no} was not made by the licence's holder; it authorises no use.",
        field="application_id",
    )


# --- 409 ---


def transition_refused(action: str, status: str) -> ActionNotAllowed:
    """The state does not allow the action."""
    return ActionNotAllowed(
        f"证照当前状态为“{STATUS_ZH.get(status, status)}”，不能{ACTION_ZH.get(action, action)}。",
        en=f"A licence that is {status} cannot be {action}d.",
    )


def type_exists(code: str, name: str) -> TypeExists:
    """A type of that code or name exists."""
    return TypeExists(
        f"证照类型代码 {code} 或名称“{name}”已存在，请换一个代码或名称，或修改已有的证照类型。",
        en=f"A licence type with code {code!r} or name {name!r} exists already.",
        field="code",
    )


def share_not_allowed(status: str) -> ShareNotAllowed:
    """Only a valid licence is shared."""
    return ShareNotAllowed(
        f"证照当前状态为“{STATUS_ZH.get(status, status)}”，只有有效的证照可以分享。",
        en=f"Only a valid licence can be shared; this one is {status}.",
    )


def number_taken(type_name: str, number: str) -> NumberTaken:
    """The number is another licence's."""
    return NumberTaken(
        f"{type_name}编号 {number} 已存在，证照编号不能重复；请核对编号，或不填编号由证照库编号。",
        en=f"A {type_name} numbered {number} exists already; check the number, or leave it out.",
        field="number",
    )


def type_inactive(type_name: str) -> TypeInactive:
    """The type takes no new licences."""
    return TypeInactive(
        f"证照类型“{type_name}”已停用，不再颁发新证照；如需启用请联系系统管理员。",
        en=f"The licence type {type_name} is inactive: no new licences.",
        field="type_code",
    )


# --- 422 ---


def holder_kind_mismatch(type_name: str, kind: str) -> IssueInvalid:
    """The holder kind is not the type's."""
    kinds = {"person": "自然人", "enterprise": "法人"}
    return IssueInvalid(
        f"{type_name}的持证主体应为{kinds.get(kind, kind)}，请核对持证主体类型（holder_kind）。",
        en=f"A {type_name} is held by a {kind}; check holder_kind.",
        field="holder_kind",
    )


def validity_invalid() -> IssueInvalid:
    """Valid until before valid from."""
    return IssueInvalid(
        "有效期至（valid_until）早于有效期起（valid_from），请核对有效期。",
        en="valid_until is before valid_from.",
        field="valid_until",
    )


def share_too_long(hours: int, max_hours: int) -> ShareTooLong:
    """A share lasting too long."""
    return ShareTooLong(
        f"核验码有效期 {hours} 小时超过上限 {max_hours} 小时，请缩短有效期（valid_hours）。",
        en=f"A share may last at most {max_hours} hours, not {hours}.",
        field="valid_hours",
    )


def reason_required(action: str) -> ReasonRequired:
    """Suspending or revoking needs a reason."""
    return ReasonRequired(
        f"{ACTION_ZH.get(action, action)}证照须填写原因（reason），持证人会看到该原因。",
        en=f"Give the reason to {action} the licence; the holder reads it.",
        field="reason",
    )


# --- 429 ---


def verification_too_many(retry_after: int) -> VerificationRateLimited:
    """Too many public verifications from one client."""
    return VerificationRateLimited(
        f"核验请求过于频繁，请 {retry_after} 秒后再试。",
        en=f"Too many verifications; try again in {retry_after} s.",
        headers={"Retry-After": str(retry_after)},
    )


# --- 503 ---


def upstream_unavailable(service: str, what_zh: str, what_en: str) -> UpstreamUnavailable:
    """intake-svc or identity-svc did not answer."""
    return UpstreamUnavailable(
        f"暂时无法{what_zh}（{service} 未响应），请稍后再试。",
        en=f"Could not {what_en}: {service} did not answer; try again shortly.",
        headers={"Retry-After": "5"},
    )


def issuing_roles_required() -> NotIssuingUnit:
    """Changing a licence's state needs an approver's or handler's role."""
    return NotIssuingUnit(
        "暂停、恢复和吊销证照由颁证单位的审批或办件人员（approver、handler）办理，请使用相应账号登录。",
        en="Suspending, reinstating and revoking licences is for the issuing unit's approvers and handlers.",
    )
