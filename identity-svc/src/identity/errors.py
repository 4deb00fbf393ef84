"""identity-svc's errors: one class per code, each a subclass of the shared hierarchy
(yiwang_shared.errors) that declares its `code`.

The first line of each class's docstring is what the code means in the OpenAPI document's
`x-problem-codes` list. A class builds its Chinese and English texts (and any extra fields) from the
values it is given; a code said in more than one situation has a named constructor per situation.

`KeepsChanges` marks refusals whose bookkeeping must commit even though the request fails (a
failed-login count, a refresh-token family revoked on reuse, the record of a staff lookup
that found nobody or met an existing account): it sets the shared `commit_changes` flag, so the
request's session commits before the problem is answered.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from yiwang_shared.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    UnprocessableEntity,
)


class KeepsChanges:
    """Mixin: the request is refused, but what the service recorded must still commit."""

    commit_changes = True


def _retry_after(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


# --- Login, tokens and signing keys -------------------------------------------------------------


class InvalidCredentials(KeepsChanges, Unauthorized):
    """Wrong password or unknown user: one message for both, so neither is revealed."""

    code = "identity.invalid_credentials"

    def __init__(self) -> None:
        super().__init__(
            "账号或密码不正确，请核对后重新输入。连续输错多次后需稍候再试。",
            en="The username or password is wrong.",
        )


class LoginThrottled(TooManyRequests):
    """After several wrong passwords from one client each attempt from it must wait longer."""

    code = "identity.login_throttled"

    def __init__(self, *, retry_after_seconds: float) -> None:
        seconds = max(1, math.ceil(retry_after_seconds))
        super().__init__(
            f"密码已连续输错多次，为保护账号安全，请 {seconds} 秒后再试。",
            en=f"Several wrong passwords in a row: wait {seconds} second(s) before trying again.",
            headers=_retry_after(retry_after_seconds),
            retry_after_seconds=seconds,
        )


class AccountDisabled(Forbidden):
    """The account is disabled: it can neither log in nor act for an enterprise."""

    code = "identity.account_disabled"

    @classmethod
    def at_login(cls) -> AccountDisabled:
        """A disabled account gave the right password."""
        return cls(
            "该账号已停用，无法登录。如需恢复，请联系管理员。",
            en="This account is disabled; ask an administrator.",
        )

    @classmethod
    def to_act(cls) -> AccountDisabled:
        """A disabled (or vanished) account asked to act for an enterprise."""
        return cls(
            "该账号已停用，不能代表法人办事。如需恢复，请联系管理员。",
            en="This account can no longer act.",
        )


class RefreshTokenRejected(KeepsChanges, Unauthorized):
    """A refresh token that is unknown, expired, revoked or already used (one class per code below)."""


class RefreshTokenInvalid(RefreshTokenRejected):
    """The refresh token is unknown, its session has ended, or its account can no longer log in."""

    code = "identity.refresh_token_invalid"

    @classmethod
    def unknown(cls) -> RefreshTokenInvalid:
        """No such token, or its family is revoked."""
        return cls(
            "登录凭证（刷新令牌）无效或所在会话已结束，请重新登录。",
            en="This refresh token is not valid (unknown, or its session has ended); log in again.",
        )

    @classmethod
    def account_gone(cls) -> RefreshTokenInvalid:
        """The token's account is disabled or deleted."""
        return cls("该账号已无法登录。如有疑问，请联系管理员。", en="This account can no longer log in.")


class RefreshTokenReused(RefreshTokenRejected):
    """The refresh token was used before: its whole session is ended."""

    code = "identity.refresh_token_reused"

    def __init__(self) -> None:
        super().__init__(
            "该刷新令牌已使用过。为保护账号安全，本次登录会话已全部结束，请重新登录。",
            en="This refresh token was already used. For safety the whole session has been ended; "
            "log in again.",
        )


class RefreshTokenExpired(RefreshTokenRejected):
    """The refresh token has expired."""

    code = "identity.refresh_token_expired"

    def __init__(self) -> None:
        super().__init__("登录已过期，请重新登录。", en="This refresh token has expired; log in again.")


class NoSigningKey(ServiceUnavailable):
    """No signing key is ready yet, so no token can be issued."""

    code = "identity.no_signing_key"

    def __init__(self) -> None:
        super().__init__(
            "统一身份认证服务正在准备签名密钥，暂时无法签发令牌，请稍后再试。",
            en="identity-svc has no signing key yet; try again shortly.",
        )


class KeyNotFound(NotFound):
    """No signing key has this kid (it may have been dropped by a rotation)."""

    code = "identity.key_not_found"

    def __init__(self, kid: str) -> None:
        super().__init__(
            f"未找到标识为 {kid} 的签名密钥，它可能已在轮换中删除。",
            en=f"No signing key has kid {kid!r}; it may have been dropped by a rotation.",
        )


class NoValidGrant(Forbidden):
    """The caller holds no confirmed, current grant to act for the enterprise."""

    code = "identity.no_valid_grant"

    @classmethod
    def to_act_for(cls, *, grant_named: bool) -> NoValidGrant:
        """An act-for token was asked for without a current grant (or under one that is not)."""
        return cls(
            ("您指定的授权当前不能用于代表该企业办事" if grant_named else "您没有代表该企业办事的有效授权")
            + "（授权须经您确认且在有效期内）。请联系企业法定代表人授权，或先确认已收到的授权。",
            en="You hold no confirmed, current grant to act for this enterprise"
            + (" under that grant" if grant_named else "")
            + ".",
        )

    @classmethod
    def token_outlived(cls) -> NoValidGrant:
        """An act-for token whose grant was revoked or has expired since it was issued."""
        return cls(
            "该令牌所依据的法人授权已撤销或已过期，不能再代表该企业办事。请重新申请代办令牌，"
            "或联系企业法定代表人重新授权。",
            en="The authority this token acts under is no longer valid (grant revoked or expired); "
            "request a new act-for token.",
        )


class PersonsOnly(Forbidden):
    """Only a person's own account may do this, not a staff account."""

    code = "identity.persons_only"

    @classmethod
    def to_act_for(cls) -> PersonsOnly:
        """A staff account asked to act for an enterprise."""
        return cls(
            "工作人员账号不能代表法人办事，请使用个人账号登录后办理。",
            en="Only persons act for legal persons.",
        )

    @classmethod
    def to_grant(cls) -> PersonsOnly:
        """A staff account tried to grant authority."""
        return cls(
            "授权须由法定代表人或经办人使用个人账号办理，工作人员账号不能授权。",
            en="Grants are made by persons, not staff accounts.",
        )

    @classmethod
    def to_register_enterprise(cls) -> PersonsOnly:
        """A staff account tried to register an enterprise."""
        return cls(
            "企业须由法定代表人使用本人的个人账号登记，工作人员账号不能登记企业。",
            en="Enterprises are registered by their legal representative's own (person) account.",
        )

    @classmethod
    def not_a_person(cls) -> PersonsOnly:
        """The caller's account is not a person's (an enterprise is registered by one)."""
        return cls("请使用个人账号登录后再登记企业。", en="Log in with a person account.")


# --- Accounts ---------------------------------------------------------------------------------


class PersonNotFound(NotFound):
    """No such person, or not one the caller may see."""

    code = "identity.person_not_found"

    def __init__(self, key_type: str | None = None) -> None:
        if key_type == "resident_id":
            super().__init__(
                "未找到使用该居民身份证号的人员。请核对号码；如申请人尚无账号，可在窗口为其登记。",
                en="Nobody is registered with this resident ID. Check the number; a person without "
                "an account can be registered at the window (POST /v1/persons/walk-ins).",
            )
        elif key_type == "phone":
            super().__init__(
                "未找到使用该手机号的人员。请核对号码，或改用居民身份证号查询。",
                en="Nobody is registered with this mobile number. Check it, or look up by resident ID.",
            )
        else:
            super().__init__("未找到该人员信息。", en="No such person.")


class LookupNotFound(KeepsChanges, PersonNotFound):
    """A staff lookup found nobody; the lookup is recorded all the same (same code as PersonNotFound)."""


class StaffNotFound(NotFound):
    """No such staff account, or not one the caller may see."""

    code = "identity.staff_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该工作人员账号。", en="No such staff account.")


class AccountNotFound(NotFound):
    """No account (person or staff) has this id."""

    code = "identity.account_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该账号。", en="No such account.")


class WalkInDetailsDiffer(Conflict):
    """A window-registered person claiming their account online gave another name or mobile."""

    code = "identity.walk_in_details_differ"

    def __init__(self) -> None:
        # Never say which detail differs: the phone on file is not the caller's to learn.
        super().__init__(
            "该证件已在政务服务窗口登记，但您填写的姓名或手机号与登记信息不一致，无法在线注册。"
            "请携带本人有效身份证件到任一政务服务窗口核对信息。",
            en="This document was registered at a service window with a different name or mobile "
            "number, so the account cannot be claimed online. Bring your identity document to any "
            "service window to have the details checked.",
        )


class ResidentIdTaken(Conflict):
    """An account is already registered with this resident ID."""

    code = "identity.resident_id_taken"

    def __init__(self) -> None:
        super().__init__(
            "该居民身份证号已注册过账号，请直接登录；如忘记密码，请联系管理员重置。",
            en="An account is already registered with this resident ID; log in or reset the password.",
        )


class PassportTaken(Conflict):
    """An account is already registered with this passport number and nationality."""

    code = "identity.passport_taken"

    def __init__(self) -> None:
        super().__init__(
            "该护照号码和国籍已注册过账号，请直接登录。",
            en="An account is already registered with this passport number and nationality.",
        )


class PhoneTaken(Conflict):
    """Another account already uses this mobile number."""

    code = "identity.phone_taken"

    @classmethod
    def online(cls) -> PhoneTaken:
        """A person registering online gave a mobile number another account uses."""
        return cls(
            "该手机号已被其他账号使用，请换一个手机号注册；如是您本人的账号，请直接登录。",
            en="Another account already uses this mobile number.",
        )

    @classmethod
    def at_window(cls) -> PhoneTaken:
        """A clerk registering a walk-in gave someone else's mobile number (never named to them)."""
        return cls(
            "该手机号已登记在其他人的账号下。请向申请人确认本人的手机号后重新填写。",
            en="This mobile number belongs to another person's account. Ask the applicant for "
            "their own mobile number.",
        )


class PersonExists(KeepsChanges, Conflict):
    """A window registration of someone who already has an account: staff get its id to go on."""

    code = "identity.person_exists"

    def __init__(self, *, person_id: str) -> None:
        super().__init__(
            "该证件号码已有账号，无需重复登记。请使用返回的 person_id 继续为申请人办理。",
            en="This document is already registered: no second account is needed. Go on with the "
            "returned person_id.",
            person_id=person_id,
        )


class OrgUnitUnknown(UnprocessableEntity):
    """A staff account's org_unit_id names no organisation unit."""

    code = "identity.org_unit_unknown"

    def __init__(self, org_unit_id: str) -> None:
        super().__init__(
            f"所属机构 org_unit_id（{org_unit_id}）不存在，请从组织机构列表中选择。",
            en=f"org_unit_id {org_unit_id!r} is not an organisation unit.",
        )


class UsernameTaken(Conflict):
    """Another staff account has this username."""

    code = "identity.username_taken"

    def __init__(self, username: str) -> None:
        super().__init__(
            f"用户名 {username} 已被使用，请换一个用户名。",
            en=f"The username {username!r} is taken.",
        )


class UnmaskForbidden(Forbidden):
    """Only the person themselves or an administrator may see personal numbers unmasked."""

    code = "identity.unmask_forbidden"

    def __init__(self) -> None:
        super().__init__(
            "只有本人或管理员可以查看完整的证件号码和手机号。",
            en="Only the person themselves or an administrator may see personal numbers unmasked.",
        )


class PasswordWrong(Forbidden):
    """The current password given to change it is wrong."""

    code = "identity.password_wrong"

    def __init__(self) -> None:
        super().__init__("当前密码不正确，请核对后重新输入。", en="The current password is wrong.")


class PasswordUnchanged(UnprocessableEntity):
    """The new password is the current one."""

    code = "identity.password_unchanged"

    def __init__(self) -> None:
        super().__init__(
            "新密码不能与当前密码相同，请设置一个新密码。",
            en="The new password must differ from the current one.",
        )


class StaffOnly(Forbidden):
    """Only staff accounts look persons up."""

    code = "identity.staff_only"

    def __init__(self) -> None:
        super().__init__("只有工作人员可以查询人员信息。", en="Only staff accounts look persons up.")


class LookupThrottled(TooManyRequests):
    """A staff member looking people up faster than serving a queue allows."""

    code = "identity.lookup_throttled"

    def __init__(self, *, retry_after_seconds: float, limit: int, per: str) -> None:
        seconds = max(1, math.ceil(retry_after_seconds))
        per_zh = {"minute": "每分钟", "hour": "每小时"}.get(per, per)
        super().__init__(
            f"查询人员过于频繁：{per_zh}最多 {limit} 次。请 {seconds} 秒后再试；"
            "如确因工作需要，请联系监督人员。",
            en=f"Too many person lookups: at most {limit} per {per}. Try again in {seconds} second(s); "
            "if your work needs more, ask a supervisor.",
            headers=_retry_after(retry_after_seconds),
            retry_after_seconds=seconds,
        )


# --- Enterprises ------------------------------------------------------------------------------


class EnterpriseNotFound(NotFound):
    """No such enterprise, or not one the caller may see."""

    code = "identity.enterprise_not_found"

    @classmethod
    def unknown(cls) -> EnterpriseNotFound:
        """No enterprise has the id given."""
        return cls("未找到该企业，请核对企业编号。", en="No such enterprise.")

    @classmethod
    def hidden(cls) -> EnterpriseNotFound:
        """No such enterprise, or the caller may not see it (the two are answered alike)."""
        return cls("未找到该企业，或您无权查看。", en="No such enterprise.")


class EnterpriseNotVerified(Forbidden):
    """An enterprise claim not (yet) verified at a window cannot act, grant or be acted for."""

    code = "identity.enterprise_not_verified"

    def __init__(self, status: str) -> None:
        if status == "rejected":
            super().__init__(
                "该企业登记未通过核验，不能代表该企业办事或授权。如有疑问，请持营业执照和法定代表人身份证"
                "到政务服务窗口办理。",
                en="This enterprise's registration was rejected at verification: it cannot act or grant.",
                enterprise_status=status,
            )
        else:
            super().__init__(
                "该企业登记尚未核验，暂不能代表该企业办事或授权。请法定代表人持营业执照和本人身份证"
                "到政务服务窗口核验。",
                en="This enterprise is not verified yet: its legal representative must show the business "
                "licence and their ID at a service window first.",
                enterprise_status=status,
            )


class LoaTooLow(Forbidden):
    """The person's level of assurance is too low to register an enterprise."""

    code = "identity.loa_too_low"

    def __init__(self, *, required: int, actual: int) -> None:
        super().__init__(
            f"登记企业需要认证等级 {required} 级或以上，您当前为 {actual} 级。"
            "请先到政务服务窗口或通过更高等级的实名认证提升认证等级。",
            en=f"Registering an enterprise needs level of assurance {required} or higher; yours is {actual}.",
            required_loa=required,
        )


class EnterpriseExists(Conflict):
    """An enterprise with this unified social credit code is verified already."""

    code = "identity.enterprise_exists"

    @classmethod
    def at_registration(cls) -> EnterpriseExists:
        """A person claimed a credit code that is verified already."""
        return cls(
            "该统一社会信用代码的企业已核验登记，不能重复登记。如需代表该企业办事，请联系其法定代表人为您授权；"
            "如法定代表人已变更，请持营业执照和本人身份证到政务服务窗口办理。",
            en="An enterprise with this unified social credit code is already verified.",
        )

    @classmethod
    def at_verification(cls) -> EnterpriseExists:
        """A clerk verified a claim on a credit code another enterprise is verified with."""
        return cls(
            "该统一社会信用代码已有核验通过的企业，不能再核验另一登记。如法定代表人已变更，请联系管理员处理。",
            en="Another enterprise with this unified social credit code is verified already.",
        )


class EnterpriseClaimExists(Conflict):
    """The person has claimed this unified social credit code before; it awaits verification."""

    code = "identity.enterprise_claim_exists"

    def __init__(self) -> None:
        super().__init__(
            "您已提交过该统一社会信用代码的企业登记，正在等待核验。请持营业执照和本人身份证到政务服务窗口核验。",
            en="You have already claimed this unified social credit code; it awaits verification.",
        )


class EnterpriseNotPending(Conflict):
    """Only a pending enterprise claim is verified or rejected."""

    code = "identity.enterprise_not_pending"

    def __init__(self, status: str) -> None:
        state = {"verified": "已核验通过", "rejected": "已被驳回"}.get(status, status)
        super().__init__(
            f"该企业登记{state}，不能再次核验。",
            en=f"This enterprise claim is {status} already; only pending claims are reviewed.",
            enterprise_status=status,
        )


# --- Grants -----------------------------------------------------------------------------------


class GrantNotFound(NotFound):
    """No such grant, or not one the caller may see."""

    code = "identity.grant_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该授权，或您无权查看。", en="No such grant.")


class GranteeNotFound(UnprocessableEntity):
    """No registered person matches the grantee's name and ID."""

    code = "identity.grantee_not_found"

    def __init__(self) -> None:
        super().__init__(
            "未找到与该姓名和证件号码一致的已注册个人账号。请核对被授权人的姓名和证件号码；"
            "如其尚未注册，请其先注册后再授权。",
            en="No registered person matches this name and ID: check both, or ask the grantee to "
            "register first.",
        )


class NotAllowedToGrant(Forbidden):
    """Only the legal representative, or an agent whose grant allows delegation, grants authority."""

    code = "identity.not_allowed_to_grant"

    def __init__(self) -> None:
        super().__init__(
            "只有企业法定代表人，或持有已确认且允许转授权的授权的经办人，才能为该企业授权。",
            en="Only the legal representative, or an agent whose confirmed grant allows delegation, "
            "may grant authority for this enterprise.",
        )


class GrantExceedsAuthority(Forbidden):
    """A sub-grant must stay within the grantor's own grant (scope and window)."""

    code = "identity.grant_exceeds_authority"

    def __init__(self, *, scope: list[str], every_item: bool, valid_until: datetime) -> None:
        scope_zh = "全部事项" if every_item else "、".join(scope)
        scope_en = "all items" if every_item else str(scope)
        super().__init__(
            f"转授权不能超出您本人的授权：授权范围为 {scope_zh}，有效期至 "
            f"{valid_until.isoformat()}。请缩小授权范围或缩短有效期后重新提交。",
            en=f"A sub-grant must stay within your own grant: scope {scope_en}, valid until "
            f"{valid_until.isoformat()}.",
            your_scope=scope,
            your_valid_until=valid_until.isoformat(),
        )


class GrantWindowInvalid(UnprocessableEntity):
    """A new grant's validity window must end in the future and after it starts."""

    code = "identity.grant_window"

    @classmethod
    def ended(cls) -> GrantWindowInvalid:
        """valid_until is in the past."""
        return cls(
            "授权截止时间 valid_until 已经过去，请填写一个将来的时间。", en="valid_until is in the past."
        )

    @classmethod
    def before_start(cls) -> GrantWindowInvalid:
        """valid_until is not after valid_from."""
        return cls(
            "授权截止时间 valid_until 应晚于起始时间，请修改。", en="valid_until must be after valid_from."
        )


class GrantToSelf(UnprocessableEntity):
    """Nobody grants authority to themselves."""

    code = "identity.grant_to_self"

    def __init__(self) -> None:
        super().__init__("不能给自己授权，请选择其他被授权人。", en="You cannot grant authority to yourself.")


class GranteeIsLegalRepresentative(UnprocessableEntity):
    """The legal representative may always act for the enterprise and needs no grant."""

    code = "identity.grantee_is_legal_representative"

    def __init__(self) -> None:
        super().__init__(
            "法定代表人本身即可代表企业办事，无需授权。",
            en="The legal representative may always act for the enterprise and needs no grant.",
        )


class GrantNotPending(Conflict):
    """Only a pending grant can be confirmed."""

    code = "identity.grant_not_pending"

    def __init__(self, state: str, *, state_zh: str) -> None:
        super().__init__(
            f"只有待确认的授权才能确认，该授权当前为“{state_zh}”。",
            en=f"Only a pending grant can be confirmed; this one is {state}.",
            grant_status=state,
        )


class NotAllowedToRevoke(Forbidden):
    """Only the grantor or the legal representative may revoke a grant."""

    code = "identity.not_allowed_to_revoke"

    def __init__(self) -> None:
        super().__init__(
            "只有授权人或企业法定代表人可以撤销该授权。",
            en="Only the grantor or the legal representative may revoke this grant.",
        )


class CheckForbidden(Forbidden):
    """A person may check only their own authority; staff may check anyone's."""

    code = "identity.check_forbidden"

    def __init__(self) -> None:
        super().__init__(
            "您只能查询本人的授权情况。",
            en="You may check only your own authority; staff may check anyone's.",
        )


# --- Organisation units -----------------------------------------------------------------------


class OrgUnitNotFound(NotFound):
    """No organisation unit has this id (or code)."""

    code = "identity.org_unit_not_found"

    @classmethod
    def by_id(cls, unit_id: str) -> OrgUnitNotFound:
        """No unit has the id given."""
        return cls(
            f"未找到编号为 {unit_id} 的组织机构，请核对后重试。",
            en=f"No organisation unit has id {unit_id!r}.",
        )

    @classmethod
    def by_ref(cls, ref: str) -> OrgUnitNotFound:
        """No unit has the id or code given."""
        return cls(
            f"未找到编号或编码为 {ref} 的组织机构，请核对后重试。",
            en=f"No organisation unit has id or code {ref!r}.",
        )


class OrgUnitParentUnknown(UnprocessableEntity):
    """The parent_id names no organisation unit."""

    code = "identity.org_unit_parent_unknown"

    def __init__(self, parent_id: str) -> None:
        super().__init__(
            f"上级机构 parent_id（{parent_id}）不存在，请从组织机构列表中选择。",
            en=f"parent_id {parent_id!r} is not an organisation unit.",
        )


class OrgUnitParentKind(UnprocessableEntity):
    """A unit of this kind cannot be placed under a parent of that kind (or without one)."""

    code = "identity.org_unit_parent_kind"

    def __init__(self, *, placement_zh: str, kind: str, allowed: list[str], parent_kind: str | None) -> None:
        super().__init__(
            placement_zh,
            en=f"A {kind} must be placed under: {', '.join(allowed)}; "
            f"not under {parent_kind or 'no parent'}.",
        )


class OrgUnitLevelInvalid(UnprocessableEntity):
    """The unit's level (行使层级) does not fit its kind and parent."""

    code = "identity.org_unit_level"

    @classmethod
    def without_parent(cls, *, kind: str, kind_zh: str) -> OrgUnitLevelInvalid:
        """A non-territorial unit without a parent has no level to take."""
        return cls(
            f"{kind_zh}没有上级机构，无法确定其行使层级，请指定上级机构。",
            en=f"Cannot work out the level of a {kind} without a parent.",
        )

    @classmethod
    def mismatch(
        cls,
        *,
        kind: str,
        kind_zh: str,
        requested: int,
        expected: int,
        parent: tuple[int, str, str] | None,
    ) -> OrgUnitLevelInvalid:
        """The level asked for is not the one the kind and parent give; `parent` is (level, kind, kind_zh)."""
        return cls(
            (f"设在 {parent[0]} 级{parent[2]}之下的" if parent else "")
            + f"{kind_zh}，行使层级应为 {expected}，不能为 {requested}。"
            "可不填 level，由系统自动确定。",
            en=f"level {requested} does not fit a {kind}"
            + (f" under a level-{parent[0]} {parent[1]}" if parent else "")
            + f": it must be {expected}.",
        )

    @classmethod
    def with_children(cls, *, current: int, new: int) -> OrgUnitLevelInvalid:
        """A move would change the level of a unit that has child units."""
        return cls(
            f"此次调整会把该机构的行使层级从 {current} 改为 {new}，但它还有下级机构。"
            "请先调整或重建其下级机构。",
            en=f"This move would change the unit's level from {current} to {new}, "
            "but it has child units: move or re-create them first.",
        )


class OrgUnitUsccTaken(Conflict):
    """Another organisation unit is registered with this unified social credit code."""

    code = "identity.org_unit_uscc_taken"

    def __init__(self, *, other_code: str, other_name: str) -> None:
        super().__init__(
            f"该统一社会信用代码已登记在组织机构 {other_code}（{other_name}）名下，请核对代码。",
            en=f"Another organisation unit ({other_code}) is already registered with this USCC.",
        )


class OrgUnitCodeTaken(Conflict):
    """An organisation unit has this code already; codes are never reused."""

    code = "identity.org_unit_code_taken"

    def __init__(self, unit_code: str) -> None:
        super().__init__(
            f"机构编码 {unit_code} 已被使用。机构编码不能重复使用，请换一个编码。",
            en=f"An organisation unit with code {unit_code!r} exists already; codes are never reused.",
        )


class OrgUnitCycle(UnprocessableEntity):
    """A unit cannot be moved under itself or one of its own descendants."""

    code = "identity.org_unit_cycle"

    def __init__(self) -> None:
        super().__init__(
            "不能把机构移到它自己或它的下级机构之下，请重新选择上级机构。",
            en="A unit cannot be moved under itself or one of its own descendants.",
        )


class OrgUnitNameRequired(UnprocessableEntity):
    """A unit's name cannot be removed."""

    code = "identity.org_unit_name"

    def __init__(self) -> None:
        super().__init__("机构名称不能删除，请填写名称。", en="name cannot be removed.")


# --- Working calendar -------------------------------------------------------------------------


class CalendarFileInvalid(UnprocessableEntity):
    """The holiday arrangement file has problems, each listed in `errors`; nothing was changed."""

    code = "identity.calendar_file_invalid"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        fields = "、".join(e["field"] for e in errors[:10])
        super().__init__(
            f"放假安排文件有 {len(errors)} 处需要修改：{fields}。请按 errors 中列出的逐项改正后重新导入，"
            "本次未作任何更改。",
            en=f"The arrangement file has {len(errors)} problem(s): {fields}. Fix each one listed in "
            "'errors' and import again; nothing was changed.",
            errors=errors,
        )


# --- Birthday pass (免申即享) ----------------------------------------------------------------------


class BirthdayPassFuture(UnprocessableEntity):
    """A birthday pass can be run for today or a day before it, not a day still to come."""

    code = "identity.birthday_pass_future"

    @classmethod
    def of(cls, day: date) -> BirthdayPassFuture:
        """`day` is after today."""
        return cls(
            f"{day.year}年{day.month}月{day.day}日还未到，生日核查只能补办今天及以前的日期。",
            en=f"{day.isoformat()} has not come yet: a birthday pass runs for today or an earlier day.",
        )


class ContactTicketInvalid(NotFound):
    """No such contact ticket, or it expired: the mobile is not given."""

    code = "identity.contact_ticket_invalid"

    @classmethod
    def unknown(cls) -> ContactTicketInvalid:
        """Unknown, expired, or its person is no longer active (one answer for all)."""
        return cls(
            "联系方式凭据无效或已过期，无法提供联系方式。",
            en="The contact ticket is unknown or has expired: no contact details are given.",
        )
