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
from ..repositories.read_models import find_binding
from ..schemas import UseCreate
from .holders import Holder
from .licences import get_own


@dataclass(frozen=True)
class IntakeCall:
    """How to ask intake-svc about an application: the client, its URL, the staff member's token."""

    client: aiohttp.ClientSession
    base_url: str
    bearer: str | None
    timeout: float


async def _authorises(session: AsyncSession, application: Application, licence: Licence) -> bool:
    """True when the application was made by the licence's holder (or for the holding enterprise)."""
    if licence.holder_kind == "enterprise":
        return (
            application.enterprise_id is not None and application.enterprise_id == licence.holder_account_id
        )
    if licence.holder_account_id == application.applicant_id:
        return True
    binding = await find_binding(session, application.applicant_id)
    return binding is not None and binding.identifier == licence.holder_identifier


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
    # Asked before anything is written: intake not answering leaves nothing behind.
    application = await visible_application(
        intake.client,
        base_url=intake.base_url,
        bearer=intake.bearer,
        application_id=body.application_id,
        timeout=intake.timeout,
    )
    if not await _authorises(session, application, licence):
        raise errors.not_authorised_by_holder(application.application_no)
    use = LicenceUse(
        licence_id=licence.id,
        staff_id=actor.subject,
        staff_unit_code=actor.org_unit_code,
        application_id=application.id,
        application_no=application.application_no,
        item_name=application.item_name or None,
        purpose=body.purpose,
        status_seen=licence.status,
        used_at=now,
    )
    session.add(use)
    await session.flush()
    return use, licence


async def list_uses(
    session: AsyncSession, licence_id: str, holder: Holder, *, limit: int, offset: int
) -> tuple[Sequence[LicenceUse], int]:
    """A page of the uses of one of the holder's licences, newest first."""
    licence = await get_own(session, licence_id, holder)
    return await repo.list_for_licence(session, licence.id, limit=limit, offset=offset)
