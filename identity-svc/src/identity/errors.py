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
        super().__init__("The username or password is wrong.")


class AccountLocked(KeepsChanges, ProblemError):
    """Too many wrong passwords in a row: the account is locked for a while."""

    status = 423
    code = "identity.account_locked"
    title = "Locked"

    def __init__(self, retry_after_seconds: float) -> None:
        minutes = max(1, math.ceil(retry_after_seconds / 60))
        super().__init__(
            "Too many wrong passwords in a row: this account is locked. "
            f"Try again in about {minutes} minute(s), or ask an administrator.",
            headers=_retry_after(retry_after_seconds),
            retry_after_seconds=max(1, math.ceil(retry_after_seconds)),
        )


class LoginThrottled(TooManyRequests):
    """After several wrong passwords each attempt must wait a little longer."""

    code = "identity.login_throttled"

    def __init__(self, retry_after_seconds: float) -> None:
        super().__init__(
            "Several wrong passwords in a row: wait before trying again.",
            headers=_retry_after(retry_after_seconds),
            retry_after_seconds=max(1, math.ceil(retry_after_seconds)),
        )


class RefreshTokenRejected(KeepsChanges, Unauthorized):
    """A refresh token that is unknown, expired, revoked or already used."""

    def __init__(self, detail: str, *, code: str, **extra: Any) -> None:
        super().__init__(detail, code=code, **extra)
