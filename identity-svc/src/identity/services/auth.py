"""Login, refresh-token rotation, logout and act-for tokens.

Wrong passwords never lock an account (that would hand anyone who knows a phone number, a
resident ID or `admin` a button that locks its owner out). They are counted per login name and
client, the address the gateway forwards (yiwang_shared.clients):

- one client: after `lockout_delay_after` failures each further attempt from that client must
  wait (base delay, doubling per failure, at most `lockout_max_delay_seconds`; 429 with
  Retry-After). Other clients are not affected: the owner elsewhere still logs in.
- all clients (step-up): once a name has `login_step_up_after` failures, a client that has
  failed waits from its first failure, and every failing client also waits for one shared,
  growing delay since the name's last failure. A client with no failures of its own is
  always let in to try, so the owner with the right password is never locked out.

Names are counted whether or not an account has them, so unknown names are answered exactly
like known ones (same statuses, bodies and Retry-After; a dummy hash keeps the timing). A
success forgets that client's failures. Failures are forgotten after a quiet
`login_failure_memory_seconds`.

Refresh tokens rotate: each use returns a new one of the same family and marks the old one used.
Presenting a used token again means it was stolen or copied: the whole family is revoked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.db import Database
from yiwang_shared.orm import new_id
from yiwang_shared.validators import (
    is_valid_mobile,
    is_valid_resident_id,
    validate_mobile,
    validate_resident_id,
)

from ..config import Settings
from ..errors import (
    AccountDisabled,
    EnterpriseNotFound,
    EnterpriseNotVerified,
    InvalidCredentials,
    LoginThrottled,
    NoValidGrant,
    PersonsOnly,
    RefreshTokenExpired,
    RefreshTokenInvalid,
    RefreshTokenReused,
)
from ..models import Account, Grant, LoginFailure, RefreshToken
from ..repositories.accounts import AccountRepository
from ..repositories.enterprises import EnterpriseRepository
from ..repositories.login_failures import LoginFailureRepository
from ..repositories.refresh_tokens import RefreshTokenRepository
from .clock import utcnow
from .grants import current_grants
from .passwords import Passwords, Verification
from .tokens import AccessToken, TokenIssuer, hash_refresh_token, new_refresh_token


@dataclass(frozen=True)
class TokenPair:
    """An access token and the refresh token that goes with it."""

    access: AccessToken
    refresh_token: str
    refresh_expires_at: datetime


@dataclass(frozen=True)
class Counts:
    """Wrong passwords for one login name: from this client, and from all clients."""

    client: int = 0
    client_last: datetime | None = None
    name: int = 0
    name_last: datetime | None = None


@dataclass(frozen=True)
class LoginThrottle:
    """When a client may try a password for a login name again (see the module docstring)."""

    delay_after: int
    step_up_after: int
    base_delay: timedelta
    max_delay: timedelta
    memory: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        """The policy configured in `settings`."""
        return cls(
            delay_after=settings.lockout_delay_after,
            step_up_after=settings.login_step_up_after,
            base_delay=timedelta(seconds=settings.lockout_base_delay_seconds),
            max_delay=timedelta(seconds=settings.lockout_max_delay_seconds),
            memory=timedelta(seconds=settings.login_failure_memory_seconds),
        )

    def _delay(self, excess: int) -> timedelta:
        if excess < 0:
            return timedelta(0)
        if excess > 40:  # 2**40 base delays is past any cap
            return self.max_delay
        delay: timedelta = min(self.max_delay, self.base_delay * (2**excess))
        return delay

    def live(self, failures: int, last: datetime | None, now: datetime) -> int:
        """`failures`, or 0 once the last one is older than the memory."""
        return failures if last is not None and now - last < self.memory else 0

    def wait(self, counts: Counts, now: datetime) -> timedelta:
        """How long the client must still wait before its next attempt (zero: it may try)."""
        own = self.live(counts.client, counts.client_last, now)
        if own == 0 or counts.client_last is None:
            return timedelta(0)  # a client that has not failed may always try
        name = self.live(counts.name, counts.name_last, now)
        under_attack = name >= self.step_up_after
        first = 1 if under_attack else self.delay_after
        ready = counts.client_last + self._delay(own - first)  # no wait below `first`
        if under_attack and counts.name_last is not None:
            ready = max(ready, counts.name_last + self._delay(name - self.step_up_after))
        return max(timedelta(0), ready - now)

    def admit(self, counts: Counts, now: datetime) -> None:
        """Raise LoginThrottled if the client must wait before trying a password for the name."""
        wait = self.wait(counts, now)
        if wait > timedelta(0):
            raise LoginThrottled(retry_after_seconds=wait.total_seconds())


def login_keys(username: str, client: str) -> tuple[str, str]:
    """The counter keys of a login name from `client` and from all clients (SHA-256: neither the
    name nor the address is stored in clear)."""
    name = username.strip()
    if is_valid_resident_id(name):
        name = validate_resident_id(name)
    elif is_valid_mobile(name):
        name = validate_mobile(name)  # +86 13800000000 and 13800000000 are one name
    name = name.upper()
    return (
        hashlib.sha256(f"{name}\n{client}".encode()).hexdigest(),
        hashlib.sha256(f"{name}\n*".encode()).hexdigest(),
    )


def _counts(rows: dict[str, LoginFailure], client_key: str, name_key: str) -> Counts:
    mine, every = rows.get(client_key), rows.get(name_key)
    return Counts(
        client=mine.failures if mine else 0,
        client_last=mine.last_failed_at if mine else None,
        name=every.failures if every else 0,
        name_last=every.last_failed_at if every else None,
    )


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
    client: str = "unknown",
    db: Database | None = None,
) -> TokenPair:
    """Check the password and start a session: an access token and a new refresh-token family.

    Raises InvalidCredentials (401, known or unknown name alike), LoginThrottled (429, this client
    must wait) or AccountDisabled (403, disabled account, after a correct password). The failure counts must
    commit even though the request fails: see identity.errors.KeepsChanges.
    """
    throttle = LoginThrottle.from_settings(settings)
    client_key, name_key = login_keys(username, client)
    checked: tuple[bool, str | None, Verification] | None = None  # (found, hash, result)
    if db is not None and db.sqlite:
        # An SQLite write transaction holds the database-wide write lock, so check the password
        # (~100 ms of argon2) first in a read transaction: other writers are not held up.
        async with db.transaction(write=False) as reader:
            early = await find_login_account(reader, username)
            early_hash = early.password_hash if early is not None else None
            counts = _counts(
                await LoginFailureRepository(reader).read([client_key, name_key]), client_key, name_key
            )
        throttle.admit(counts, utcnow())
        if early is None:
            await passwords.burn(password)
            checked = (False, None, Verification(ok=False))
        else:
            checked = (True, early_hash, await passwords.verify(early_hash, password))
    # Lock the counters: concurrent guesses for one name are counted one after the other.
    failures = LoginFailureRepository(session)
    rows = await failures.lock([client_key, name_key])
    now = utcnow()
    throttle.admit(_counts(rows, client_key, name_key), now)
    account = await find_login_account(session, username)
    stored = account.password_hash if account is not None else None
    if checked is not None and checked[0] == (account is not None) and checked[1] == stored:
        check = checked[2]  # the same account (or none) as checked before: no second hash
    elif account is None:
        await passwords.burn(password)
        check = Verification(ok=False)
    else:
        check = await passwords.verify(stored, password)
    if account is None or not check.ok:
        for key in (client_key, name_key):
            row = rows[key]
            row.failures = throttle.live(row.failures, row.last_failed_at, now) + 1
            row.last_failed_at = now
        raise InvalidCredentials()
    await failures.forget(client_key)  # this client knows the password: its failures are forgiven
    if rows[name_key].last_failed_at is None:
        await failures.forget(name_key)
    await failures.prune(before=now - throttle.memory)
    if account.status != "active":
        raise AccountDisabled.at_login()
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
        raise RefreshTokenInvalid.unknown()
    if stored.used_at is not None:
        await repo.revoke_family(stored.family_id, now=now)
        raise RefreshTokenReused()
    if stored.expires_at <= now:
        raise RefreshTokenExpired()
    account = await AccountRepository(session).find(stored.account_id)
    if account is None or account.status != "active":
        await repo.revoke_family(stored.family_id, now=now)
        raise RefreshTokenInvalid.account_gone()
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
        raise PersonsOnly.to_act_for()
    enterprise = await EnterpriseRepository(session).find(enterprise_id)
    if enterprise is None:
        raise EnterpriseNotFound.unknown()
    account = await AccountRepository(session).find_person(principal.subject)
    if account is None or account.status != "active":
        raise AccountDisabled.to_act()
    now = utcnow()
    grant: Grant | None = None
    if enterprise.legal_rep_id != account.id:
        grants = await current_grants(session, account.id, enterprise.id, now=now)
        if grant_id is not None:
            grants = [g for g in grants if g.id == grant_id]
        if not grants:
            raise NoValidGrant.to_act_for(grant_named=bool(grant_id))
        grant = grants[0]
    if enterprise.status != "verified":  # a claim acts only once verified at a window
        raise EnterpriseNotVerified(enterprise.status)
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
