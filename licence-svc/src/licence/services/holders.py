"""Who holds what: the holder a caller is, and whether a licence is theirs.

A citizen holds the licences issued to their account and those issued to their resident ID (the
demo library's, and any issued before they had an account), which identity-svc confirms to them
once (`GET /v1/me`); the binding is kept so later calls need no call. An agent acting for an
enterprise (the token's `act`) holds the enterprise's, by its id or USCC.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..clients.identity import own_account
from ..models import Licence
from ..repositories import licences as licence_repo
from ..repositories.read_models import add_binding, find_binding


@dataclass(frozen=True)
class Holder:
    """A holder as licences name them: kind, identity's id, resident ID or USCC."""

    kind: str
    account_id: str | None
    identifier: str | None

    def owns(self, licence: Licence) -> bool:
        """True when `licence` is this holder's."""
        if licence.holder_kind != self.kind:
            return False
        by_account = self.account_id is not None and licence.holder_account_id == self.account_id
        by_identifier = self.identifier is not None and licence.holder_identifier == self.identifier
        return by_account or by_identifier


@dataclass(frozen=True)
class IdentityCall:
    """How to ask identity-svc about the caller: the client, its URL, the caller's token."""

    client: aiohttp.ClientSession
    base_url: str
    bearer: str | None
    timeout: float


@dataclass(frozen=True)
class Learned:
    """A resident ID identity-svc just confirmed to its owner, to be remembered."""

    account_id: str
    identifier: str
    name: str


async def holder_of(
    session: AsyncSession, principal: Principal, identity: IdentityCall
) -> tuple[Holder, Learned | None]:
    """The holder the caller is (403 for staff: they use licences for a case instead), and what
    identity-svc confirmed on this call, if it was asked (`remember` keeps it). Writes nothing: a
    GET reads in a read-only transaction."""
    if principal.is_staff:
        raise errors.not_holder()
    acting = principal.acting_for
    if acting is not None and acting.entity_id:
        return Holder("enterprise", acting.entity_id, acting.uscc or None), None
    binding = await find_binding(session, principal.subject)
    if binding is not None:
        return Holder("person", principal.subject, binding.identifier), None
    account = await own_account(
        identity.client, base_url=identity.base_url, bearer=identity.bearer, timeout=identity.timeout
    )
    if account.resident_id is None:
        return Holder("person", principal.subject, None), None
    learned = Learned(principal.subject, account.resident_id, account.name)
    return Holder("person", principal.subject, account.resident_id), learned


async def remember(session: AsyncSession, learned: Learned) -> None:
    """Keep a confirmed resident ID, and name the account on the licences issued to it before, so
    later calls (and staff checking an application's applicant) need not ask identity-svc."""
    await add_binding(session, learned.account_id, learned.identifier, learned.name)
    await licence_repo.bind_account(session, "person", learned.identifier, learned.account_id)
