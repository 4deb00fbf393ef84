"""The birthday pass behind 免申即享: /v1/birthday-passes (administrators run a day again, see
the days passed), and /v1/contact-tickets/redeem (a consumer of age_reached reads the mobile
its event's ticket stands for)."""

from __future__ import annotations

from fastapi import APIRouter

from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from ..schemas.birthdays import BirthdayPassCreate, BirthdayPassPage, BirthdayPassRead, ContactTicketLookup
from ..schemas.lookups import PersonContactRead
from ..services import birthdays
from ..services.clock import utcnow
from .deps import Admin, SettingsDep

router = APIRouter(tags=["birthdays"])


@router.post(
    "/v1/birthday-passes",
    response_model=BirthdayPassRead,
    responses=problems(s422="The day is after today"),
)
async def birthday_passes_run(
    body: BirthdayPassCreate, admin: Admin, session: SessionDep, settings: SettingsDep
) -> BirthdayPassRead:
    """Run the birthday pass for a day now (admin): every person whose birthday it is is published
    as having reached their age (identity.person.age_reached.v1) — once more when the day was
    passed before (consumers keep one effect per person and age). The daily job passes each day
    once by itself."""
    record = await birthdays.run_day(session, body.day, now=utcnow(), settings=settings)
    return BirthdayPassRead.model_validate(record, from_attributes=True)


@router.get("/v1/birthday-passes", response_model=BirthdayPassPage)
async def birthday_passes_list(admin: Admin, session: SessionDep, page: PageQuery) -> BirthdayPassPage:
    """The days the birthday pass went through, newest first (admin)."""
    rows, total = await birthdays.page(session, limit=page.limit, offset=page.offset)
    return BirthdayPassPage(
        items=[BirthdayPassRead.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/v1/contact-tickets/redeem",
    response_model=PersonContactRead,
    responses=problems(s404="The ticket is unknown or expired (identity.contact_ticket_invalid)"),
    # Services only, directly at identity-svc: the gateway neither routes nor lists it (ADR 0013).
    openapi_extra={"x-internal": True},
)
async def contact_tickets_redeem(body: ContactTicketLookup, session: SessionDep) -> PersonContactRead:
    """The mobile a contact ticket stands for (no login: the ticket is the credential), while it
    has not expired: a service that must text the person an age_reached event is about reads it
    here, so no number travels on the event bus. Every redemption is counted."""
    person = await birthdays.redeem(session, body.ticket, now=utcnow())
    return PersonContactRead(id=person.id, name=person.name, phone=person.phone)
