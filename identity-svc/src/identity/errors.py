"""identity-svc's own errors beyond the shared hierarchy (yiwang_shared.errors).

Most refusals raise the shared classes with an `identity.*` code. Two things need more:

    ProblemError
    ├── Unauthorized
    │   └── InvalidCredentials      401 identity.invalid_credentials   (keeps changes)
    │   └── RefreshTokenRejected    401 identity.refresh_token_*       (keeps changes)
    ├── Forbidden
    │   └── EnterpriseNotVerified   403 identity.enterprise_not_verified
    ├── NotFound
    │   └── LookupNotFound          404 identity.person_not_found      (keeps changes)
    ├── Conflict
    │   └── PersonExists            409 identity.person_exists         (keeps changes)
    └── TooManyRequests
        ├── LoginThrottled          429 identity.login_throttled
        └── LookupThrottled         429 identity.lookup_throttled

`KeepsChanges` marks refusals whose bookkeeping must commit even though the request fails (a
failed-login count, a refresh-token family revoked on reuse, the record of a staff lookup
that found nobody or met an existing account): it sets the shared `commit_changes` flag, so the
request's session commits before the problem is answered.
"""

from __future__ import annotations

import math
from typing import Any

from yiwang_shared.errors import Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized


class KeepsChanges:
    """Mixin: the request is refused, but what the service recorded must still commit."""

    commit_changes = True


def _retry_after(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


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


class RefreshTokenRejected(KeepsChanges, Unauthorized):
    """A refresh token that is unknown, expired, revoked or already used."""

    def __init__(self, detail: str, *, en: str, code: str, **extra: Any) -> None:
        super().__init__(detail, en=en, code=code, **extra)


class LookupNotFound(KeepsChanges, NotFound):
    """A staff lookup found nobody; the lookup is recorded all the same."""

    code = "identity.person_not_found"

    def __init__(self, key_type: str) -> None:
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
