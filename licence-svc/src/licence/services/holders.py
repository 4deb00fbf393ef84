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
from ..models import HolderBinding, Licence
from ..repositories import licences as licence_repo
from ..repositories.read_models import find_binding


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


async def holder_of(session: AsyncSession, principal: Principal, identity: IdentityCall) -> Holder:
    """The holder the caller is (403 for staff: they use licences for a case instead)."""
    if principal.is_staff:
        raise errors.not_holder()
    acting = principal.acting_for
    if acting is not None and acting.entity_id:
        return Holder("enterprise", acting.entity_id, acting.uscc or None)
    binding = await find_binding(session, principal.subject)
    if binding is None:
        account = await own_account(
            identity.client, base_url=identity.base_url, bearer=identity.bearer, timeout=identity.timeout
        )
        if account.resident_id is None:
            return Holder("person", principal.subject, None)
        binding = HolderBinding(
            account_id=principal.subject, identifier=account.resident_id, name=account.name
        )
        session.add(binding)
        # Licences issued to the number before now name the account too (found by either later).
        await licence_repo.bind_account(session, "person", account.resident_id, principal.subject)
        await session.flush()
    return Holder("person", principal.subject, binding.identifier)
