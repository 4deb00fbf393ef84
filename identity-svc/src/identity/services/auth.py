"""Login, refresh-token rotation, logout and act-for tokens.

Wrong passwords: after `lockout_delay_after` failures in a row each further attempt must wait
(base delay, doubling with every failure; 429 with Retry-After); after `lockout_lock_after`
failures the account is locked for `lockout_duration_seconds` (423). A success resets the count.

Refresh tokens rotate: each use returns a new one of the same family and marks the old one used.
Presenting a used token again means it was stolen or copied: the whole family is revoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.db import Database
from yiwang_shared.errors import Forbidden, NotFound
from yiwang_shared.validators import (
    is_valid_mobile,
    is_valid_resident_id,
    validate_mobile,
    validate_resident_id,
)

from ..clock import utcnow
from ..config import Settings
from ..errors import (
    AccountLocked,
    InvalidCredentials,
    LoginThrottled,
    RefreshTokenRejected,
)
from ..models import Account, Grant, RefreshToken, new_id
from ..passwords import Passwords, Verification
from ..repositories.accounts import AccountRepository
from ..repositories.enterprises import EnterpriseRepository
from ..repositories.refresh_tokens import RefreshTokenRepository
from ..tokens import AccessToken, TokenIssuer, hash_refresh_token, new_refresh_token
from .grants import current_grants


@dataclass(frozen=True)
class TokenPair:
    """An access token and the refresh token that goes with it."""

    access: AccessToken
    refresh_token: str
    refresh_expires_at: datetime


@dataclass(frozen=True)
class LockoutPolicy:
    """Thresholds for repeated wrong passwords."""

    delay_after: int
    lock_after: int
    base_delay: timedelta
    lock_duration: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> LockoutPolicy:
        """The policy configured in `settings`."""
        return cls(
            delay_after=settings.lockout_delay_after,
            lock_after=settings.lockout_lock_after,
            base_delay=timedelta(seconds=settings.lockout_base_delay_seconds),
            lock_duration=timedelta(seconds=settings.lockout_duration_seconds),
        )

    def wait_after(self, failures: int) -> timedelta:
        """The forced wait after `failures` failures in a row (zero below the threshold)."""
        if failures < self.delay_after:
            return timedelta(0)
        return self.base_delay * (2 ** (failures - self.delay_after))

    def admit(self, account: Account, now: datetime) -> None:
        """Raise AccountLocked or LoginThrottled if the account may not try a password now."""
        if account.locked_until is not None:
            if now < account.locked_until:
                raise AccountLocked(retry_after_seconds=(account.locked_until - now).total_seconds())
            account.failed_logins = 0  # the lock has been served: start afresh
            account.locked_until = None
        if account.last_failed_at is not None:
            ready_at = account.last_failed_at + self.wait_after(account.failed_logins)
            if now < ready_at:
                raise LoginThrottled(retry_after_seconds=(ready_at - now).total_seconds())

    def record_failure(self, account: Account, now: datetime) -> None:
        """Count a wrong password, locking the account at the threshold (raises AccountLocked)."""
        account.failed_logins += 1
        account.last_failed_at = now
        if account.failed_logins >= self.lock_after:
            account.locked_until = now + self.lock_duration
            raise AccountLocked(retry_after_seconds=self.lock_duration.total_seconds())

    @staticmethod
    def record_success(account: Account) -> None:
        """A correct password clears the count."""
        account.failed_logins = 0
        account.last_failed_at = None
        account.locked_until = None


async def find_login_account(session: AsyncSession, username: str) -> Account | None:
    """The account a login name denotes: resident ID, mobile, staff username, or passport number."""
    repo = AccountRepository(session)
    name = username.strip()
    if is_valid_resident_id(name):
        return await repo.find_person_by_resident_id(validate_resident_id(name))
    if is_valid_mobile(name):
        return await repo.find_person_by_phone(validate_mobile(name))
    staff = await repo.find_staff_by_username(name)
    if staff is not None:
        return staff
    matches = await repo.find_persons_by_passport(name.upper())
    return matches[0] if len(matches) == 1 else None  # ambiguous across nationalities: no match


async def _issue_pair(
    session: AsyncSession,
    account: Account,
    *,
    issuer: TokenIssuer,
    settings: Settings,
    family_id: str,
    now: datetime,
) -> TokenPair:
    raw = new_refresh_token()
    expires_at = now + timedelta(seconds=settings.refresh_token_ttl_seconds)
    RefreshTokenRepository(session).add(
        RefreshToken(
            family_id=family_id,
            account_id=account.id,
            token_hash=hash_refresh_token(raw),
            issued_at=now,
            expires_at=expires_at,
        )
    )
    access = await issuer.access_token(session, account, session_id=family_id)
    return TokenPair(access=access, refresh_token=raw, refresh_expires_at=expires_at)


async def login(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    passwords: Passwords,
    issuer: TokenIssuer,
    settings: Settings,
    db: Database | None = None,
) -> TokenPair:
    """Check the password and start a session: an access token and a new refresh-token family.

    Raises InvalidCredentials (401), LoginThrottled (429), AccountLocked (423) or Forbidden
    (disabled account, after a correct password). The failure count must commit even though
    the request fails: see identity.errors.KeepsChanges.
    """
    policy = LockoutPolicy.from_settings(settings)
    checked: tuple[str | None, Verification] | None = None
    if db is not None and db.sqlite:
        # An SQLite write transaction holds the database-wide write lock, so check the password
        # (~100 ms of argon2) first in a read transaction: other writers are not held up.
        async with db.transaction(write=False) as reader:
            early = await find_login_account(reader, username)
            if early is not None:
                reader.expunge(early)  # admit() may reset an expired lock: not persisted here
        if early is None:
            await passwords.burn(password)
            raise InvalidCredentials()
        policy.admit(early, utcnow())
        checked = (early.password_hash, await passwords.verify(early.password_hash, password))
    found = await find_login_account(session, username)
    if found is None:
        await passwords.burn(password)
        raise InvalidCredentials()
    # Lock the row: concurrent guesses on one account are counted one after the other.
    account = await AccountRepository(session).find(found.id, for_update=True)
    assert account is not None
    now = utcnow()
    policy.admit(account, now)
    if checked is not None and checked[0] == account.password_hash:
        check = checked[1]
    else:
        check = await passwords.verify(account.password_hash, password)
    if not check.ok:
        policy.record_failure(account, now)
        raise InvalidCredentials()
    policy.record_success(account)
    if account.status != "active":
        raise Forbidden(
            "该账号已停用，无法登录。如需恢复，请联系管理员。",
            en="This account is disabled; ask an administrator.",
            code="identity.account_disabled",
        )
    if check.needs_rehash:
        account.password_hash = await passwords.hash(password)
    await RefreshTokenRepository(session).delete_expired(account.id, now=now)
    return await _issue_pair(session, account, issuer=issuer, settings=settings, family_id=new_id(), now=now)


async def refresh(
    session: AsyncSession, *, refresh_token: str, issuer: TokenIssuer, settings: Settings
) -> TokenPair:
    """Exchange a refresh token for a new pair; reusing a rotated token revokes its family."""
    repo = RefreshTokenRepository(session)
    stored = await repo.find_by_hash(hash_refresh_token(refresh_token))
    now = utcnow()
    if stored is None or stored.revoked_at is not None:
        raise RefreshTokenRejected(
            "登录凭证（刷新令牌）无效或所在会话已结束，请重新登录。",
            en="This refresh token is not valid (unknown, or its session has ended); log in again.",
            code="identity.refresh_token_invalid",
        )
    if stored.used_at is not None:
        await repo.revoke_family(stored.family_id, now=now)
        raise RefreshTokenRejected(
            "该刷新令牌已使用过。为保护账号安全，本次登录会话已全部结束，请重新登录。",
            en="This refresh token was already used. For safety the whole session has been ended; "
            "log in again.",
            code="identity.refresh_token_reused",
        )
    if stored.expires_at <= now:
        raise RefreshTokenRejected(
            "登录已过期，请重新登录。",
            en="This refresh token has expired; log in again.",
            code="identity.refresh_token_expired",
        )
    account = await AccountRepository(session).find(stored.account_id)
    if account is None or account.status != "active":
        await repo.revoke_family(stored.family_id, now=now)
        raise RefreshTokenRejected(
            "该账号已无法登录。如有疑问，请联系管理员。",
            en="This account can no longer log in.",
            code="identity.refresh_token_invalid",
        )
    stored.used_at = now
    return await _issue_pair(
        session, account, issuer=issuer, settings=settings, family_id=stored.family_id, now=now
    )


async def logout(session: AsyncSession, *, refresh_token: str) -> None:
    """End the session the refresh token belongs to (unknown tokens are ignored)."""
    repo = RefreshTokenRepository(session)
    stored = await repo.find_by_hash(hash_refresh_token(refresh_token))
    if stored is not None:
        await repo.revoke_family(stored.family_id, now=utcnow())


@dataclass(frozen=True)
class ActForToken:
    """An access token acting for a legal person, and its act claim."""

    access: AccessToken
    act: dict[str, Any]


async def act_for(
    session: AsyncSession,
    *,
    principal: Principal,
    enterprise_id: str,
    grant_id: str | None,
    issuer: TokenIssuer,
) -> ActForToken:
    """A token for acting for the enterprise: as its legal representative, or under a current
    grant (the one named, else the broadest); 403 identity.no_valid_grant otherwise."""
    if principal.is_staff:
        raise Forbidden(
            "工作人员账号不能代表法人办事，请使用个人账号登录后办理。",
            en="Only persons act for legal persons.",
            code="identity.persons_only",
        )
    enterprise = await EnterpriseRepository(session).find(enterprise_id)
    if enterprise is None:
        raise NotFound(
            "未找到该企业，请核对企业编号。",
            en="No such enterprise.",
            code="identity.enterprise_not_found",
        )
    account = await AccountRepository(session).find_person(principal.subject)
    if account is None or account.status != "active":
        raise Forbidden(
            "该账号已停用，不能代表法人办事。如需恢复，请联系管理员。",
            en="This account can no longer act.",
            code="identity.account_disabled",
        )
    now = utcnow()
    grant: Grant | None = None
    if enterprise.legal_rep_id != account.id:
        grants = await current_grants(session, account.id, enterprise.id, now=now)
        if grant_id is not None:
            grants = [g for g in grants if g.id == grant_id]
        if not grants:
            raise Forbidden(
                ("您指定的授权当前不能用于代表该企业办事" if grant_id else "您没有代表该企业办事的有效授权")
                + "（授权须经您确认且在有效期内）。请联系企业法定代表人授权，或先确认已收到的授权。",
                en="You hold no confirmed, current grant to act for this enterprise"
                + (" under that grant" if grant_id else "")
                + ".",
                code="identity.no_valid_grant",
            )
        grant = grants[0]
    act = {
        "entity_id": enterprise.id,
        "uscc": enterprise.uscc,
        "grant_id": grant.id if grant else "",
        "scope": list(grant.scope) if grant else ["*"],
    }
    access = await issuer.access_token(
        session,
        account,
        act=act,
        not_after=grant.valid_until if grant else None,
        session_id=principal.session_id,  # the act-for token ends with the session it came from
    )
    return ActForToken(access=access, act=act)
