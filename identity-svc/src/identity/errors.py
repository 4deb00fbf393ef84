"""identity-svc's own errors beyond the shared hierarchy (yiwang_shared.errors).

Most refusals raise the shared classes with an `identity.*` code. Two things need more:

    ProblemError
    ├── Unauthorized
    │   └── InvalidCredentials      401 identity.invalid_credentials   (keeps changes)
    │   └── RefreshTokenRejected    401 identity.refresh_token_*       (keeps changes)
    ├── AccountLocked               423 identity.account_locked        (keeps changes)
    └── TooManyRequests
        └── LoginThrottled          429 identity.login_throttled

`KeepsChanges` marks refusals whose bookkeeping must commit even though the request fails (a
failed-login count, a lock, a refresh-token family revoked on reuse): it sets the shared
`commit_changes` flag, so the request's session commits before the problem is answered.
"""

from __future__ import annotations

import math
from typing import Any

from yiwang_shared.errors import ProblemError, TooManyRequests, Unauthorized


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
            "账号或密码不正确，请核对后重新输入。连续输错多次后需稍候再试，账号还可能被暂时锁定。",
            en="The username or password is wrong.",
        )


class AccountLocked(KeepsChanges, ProblemError):
    """Too many wrong passwords in a row: the account is locked for a while."""

    status = 423
    code = "identity.account_locked"

    def __init__(self, *, retry_after_seconds: float) -> None:
        minutes = max(1, math.ceil(retry_after_seconds / 60))
        super().__init__(
            f"密码连续输错次数过多，账号已暂时锁定。请约 {minutes} 分钟后再试，或联系管理员。",
            en="Too many wrong passwords in a row: this account is locked. "
            f"Try again in about {minutes} minute(s), or ask an administrator.",
            headers=_retry_after(retry_after_seconds),
            retry_after_seconds=max(1, math.ceil(retry_after_seconds)),
        )


class LoginThrottled(TooManyRequests):
    """After several wrong passwords each attempt must wait a little longer."""

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
