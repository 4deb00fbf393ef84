"""Staff use a licence for a case (用证), authorised by the holder's own application: intake-svc
confirms the staff member may see the application, and licence-svc that its applicant (or the
enterprise applied for) holds the licence. Every use is recorded; the holder reads them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..clients.intake import Application, visible_application
from ..models import Licence, LicenceUse
from ..repositories import licences as licence_repo
from ..repositories import uses as repo
from ..repositories.read_models import find_binding, find_person, unit_names
from ..schemas import CaseFetch, UseCreate, UseRead
from .holders import Holder
from .licences import get_own
from .types import get_type


@dataclass(frozen=True)
class IntakeCall:
    """How to ask intake-svc about an application: the client, its URL, the staff member's token."""

    client: aiohttp.ClientSession
    base_url: str
    bearer: str | None
    timeout: float


@dataclass(frozen=True)
class Applicant:
    """The application's applicant as licences name a holder: identity's id; the resident ID the
    person confirmed (a binding) or the enterprise's USCC; the resident ID's keyed hash identity
    published with the person (ADR 0014). Any of them may be unknown."""

    account_id: str | None
    identifier: str | None = None
    identifier_key: str | None = None

    @property
    def known(self) -> bool:
        """True when anything names the applicant."""
        return any((self.account_id, self.identifier, self.identifier_key))

    def holds(self, licence: Licence) -> bool:
        """True when `licence` names this applicant (by account, identifier or key)."""
        return any(
            mine is not None and mine == theirs
            for mine, theirs in (
                (self.account_id, licence.holder_account_id),
                (self.identifier, licence.holder_identifier),
                (self.identifier_key, licence.holder_identifier_key),
            )
        )


async def _applicant(session: AsyncSession, application: Application, kind: str) -> Applicant:
    """The application's applicant as a holder of `kind`: a person by account, by the resident ID
    they confirmed on opening the library, or by its keyed hash from identity's registration."""
    if kind == "enterprise":
        return Applicant(application.enterprise_id)
    binding = await find_binding(session, application.applicant_id)
    person = await find_person(session, application.applicant_id)
    return Applicant(
        application.applicant_id,
        binding.identifier if binding is not None else None,
        person.resident_id_key if person is not None else None,
    )


async def _authorises(session: AsyncSession, application: Application, licence: Licence) -> bool:
    """True when the application was made by the licence's holder (or for the holding enterprise)."""
    applicant = await _applicant(session, application, licence.holder_kind)
    return applicant.holds(licence)


async def _application(intake: IntakeCall, application_id: str) -> Application:
    # Asked before anything is written: intake not answering leaves nothing behind.
    return await visible_application(
        intake.client,
        base_url=intake.base_url,
        bearer=intake.bearer,
        application_id=application_id,
        timeout=intake.timeout,
    )


def _use(
    licence: Licence, application: Application, actor: Principal, purpose: str | None, now: datetime
) -> LicenceUse:
    return LicenceUse(
        licence_id=licence.id,
        staff_id=actor.subject,
        staff_unit_code=actor.org_unit_code,
        application_id=application.id,
        application_no=application.application_no,
        item_name=application.item_name or None,
        purpose=purpose,
        status_seen=licence.status,
        used_at=now,
    )


async def use_licence(
    session: AsyncSession,
    licence_id: str,
    body: UseCreate,
    actor: Principal,
    *,
    intake: IntakeCall,
    now: datetime,
) -> tuple[LicenceUse, Licence]:
    """Record a staff member's use of a licence for an application (403 unless the application is
    the holder's, 404 unless the staff member may see it at intake)."""
    if not actor.is_staff:
        raise errors.staff_only()
    licence = await licence_repo.find_licence(session, licence_id)
    if licence is None:
        raise errors.licence_not_found(licence_id)
    application = await _application(intake, body.application_id)
    use = await use_for(session, licence, application, actor, purpose=body.purpose, now=now)
    return use, licence


async def use_for(
    session: AsyncSession,
    licence: Licence,
    application: Application,
    actor: Principal,
    *,
    purpose: str | None,
    now: datetime,
) -> LicenceUse:
    """Record the use of `licence` for an application intake showed the staff member (403 unless
    the application is the holder's)."""
    if not await _authorises(session, application, licence):
        raise errors.not_authorised_by_holder(application.application_no)
    use = _use(licence, application, actor, purpose, now)
    session.add(use)
    await session.flush()
    return use


async def fetch_for_case(
    session: AsyncSession, body: CaseFetch, actor: Principal, *, intake: IntakeCall, now: datetime
) -> tuple[LicenceUse, Licence]:
    """The applicant's licence of a type, fetched for their case (免提交) and recorded: the newest
    valid one, else the newest in any state (the clerk sees it expired or revoked); 404 if none."""
    if not actor.is_staff:
        raise errors.staff_only()
    licence_type = await get_type(session, body.type_code)
    application = await _application(intake, body.application_id)
    return await fetch_of_applicant(
        session, application, licence_type.code, actor, purpose=body.purpose, now=now
    )


async def fetch_of_applicant(
    session: AsyncSession,
    application: Application,
    type_code: str,
    actor: Principal,
    *,
    purpose: str | None,
    now: datetime,
) -> tuple[LicenceUse, Licence]:
    """The applicant's licence of a type for an application intake showed the staff member, and
    its use recorded; 404 if the applicant holds none."""
    licence_type = await get_type(session, type_code)
    applicant = await _applicant(session, application, licence_type.holder_kind)
    licence = None
    if applicant.known:
        licence = await licence_repo.newest_of_type(
            session,
            licence_type.code,
            licence_type.holder_kind,
            account_id=applicant.account_id,
            identifier=applicant.identifier,
            identifier_key=applicant.identifier_key,
        )
    if licence is None:
        raise errors.licence_not_held(application.application_no, licence_type.name)
    use = _use(licence, application, actor, purpose, now)
    session.add(use)
    await session.flush()
    return use, licence


async def list_uses(
    session: AsyncSession, licence_id: str, holder: Holder, *, limit: int, offset: int
) -> tuple[Sequence[LicenceUse], int]:
    """A page of the uses of one of the holder's licences, newest first."""
    licence = await get_own(session, licence_id, holder)
    return await repo.list_for_licence(session, licence.id, limit=limit, offset=offset)


async def use_views(session: AsyncSession, uses: Sequence[LicenceUse]) -> list[UseRead]:
    """The uses as the API shows them, each with its unit's name."""
    names = await unit_names(session, (u.staff_unit_code for u in uses))
    return [
        UseRead.model_validate(u).model_copy(update={"staff_unit_name": names.get(u.staff_unit_code or "")})
        for u in uses
    ]
