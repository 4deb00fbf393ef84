"""Password hashing with argon2id (argon2-cffi), off the event loop."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from yiwang_shared.i18n import TextError

from ..config import Settings

MIN_LENGTH = 8
MAX_LENGTH = 128


def check_password_policy(password: str) -> str:
    """The password if it meets the policy; TextError says which rule it breaks."""
    if len(password) < MIN_LENGTH:
        raise TextError(
            f"密码至少需要 {MIN_LENGTH} 位，请设置更长的密码。",
            f"password must be at least {MIN_LENGTH} characters long",
        )
    if len(password) > MAX_LENGTH:
        raise TextError(
            f"密码最多 {MAX_LENGTH} 位，请设置更短的密码。",
            f"password must be at most {MAX_LENGTH} characters long",
        )
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise TextError(
            "密码须同时包含字母和数字，请重新设置。",
            "password must contain at least one letter and one digit",
        )
    return password


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a password: matched, and whether the hash should be renewed."""

    ok: bool
    needs_rehash: bool = False


class Passwords:
    """argon2id hashing with configurable cost; hashing runs in a worker thread."""

    def __init__(self, *, time_cost: int, memory_cost_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism
        )
        self._dummy: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Passwords:
        """A hasher with the costs from `settings`."""
        return cls(
            time_cost=settings.argon2_time_cost,
            memory_cost_kib=settings.argon2_memory_cost_kib,
            parallelism=settings.argon2_parallelism,
        )

    async def hash(self, password: str) -> str:
        """The argon2id hash of `password`."""
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> Verification:
        """Check `password` against `stored_hash`; an account without a password (a walk-in not
        yet claimed) matches nothing, after the time a real check takes."""
        if stored_hash is None:
            await self.burn(password)
            return Verification(ok=False)
        return await asyncio.to_thread(self._verify, stored_hash, password)

    async def burn(self, password: str) -> None:
        """Spend the time a real check takes, so an unknown user cannot be told apart by timing."""
        if self._dummy is None:
            self._dummy = await self.hash("not-a-real-password-0")
        await self.verify(self._dummy, password)

    def _verify(self, stored_hash: str, password: str) -> Verification:
        try:
            self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return Verification(ok=False)
        return Verification(ok=True, needs_rehash=self._hasher.check_needs_rehash(stored_hash))
