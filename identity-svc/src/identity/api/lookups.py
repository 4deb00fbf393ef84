"""Staff finding a person (查询人员): /v1/persons/lookup, /v1/persons/{id}/contact, and the record
of every look at /v1/persons/lookups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from yiwang_shared.auth import Principal, require_roles
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import DateRangeQuery, PageQuery

from ..schemas.lookups import (
    REASON_DESCRIPTION,
    REASON_MAX,
    PersonContactRead,
    PersonLookup,
    PersonLookupRead,
    PersonLookupRecordPage,
)
from ..services import lookups as lookup_service
from .deps import SettingsDep, WriteSessionDep
from .responses import retry_after
from .views import lookup_record_view, person_contact_view, person_lookup_view

router = APIRouter(prefix="/v1/persons", tags=["accounts"])

#: Staff who serve the public in person or on the phone (and admins).
PublicServing = Annotated[
    Principal, Depends(require_roles("window_clerk", "approver", "hotline_agent", "handler"))
]
#: Staff who send a case's SMS or call the applicant back (and admins).
CaseStaff = Annotated[Principal, Depends(require_roles("window_clerk", "approver", "handler"))]
Supervising = Annotated[Principal, Depends(require_roles("supervisor"))]

THROTTLED = "Too many lookups by this staff member: wait for Retry-After seconds (查询过于频繁)"


@router.post(
    "/lookup",
    response_model=PersonLookupRead,
    responses=retry_after(
        problems(
            s404="Nobody has this resident ID or mobile (未找到该人员); the lookup is recorded",
            s429=THROTTLED,
        ),
        429,
    ),
)
async def persons_lookup(
    body: PersonLookup, caller: PublicServing, session: SessionDep, settings: SettingsDep
) -> PersonLookupRead:
    """Find a person by resident ID or mobile (window clerk, approver, hotline agent, handler,
    admin): the account id and masked numbers. Every lookup is recorded with its reason."""
    person = await lookup_service.find_person(
        session,
        caller,
        resident_id=body.resident_id,
        phone=body.phone,
        reason=body.reason,
        settings=settings,
    )
    return person_lookup_view(person)


@router.get("/lookups", response_model=PersonLookupRecordPage)
async def persons_lookups_list(
    _: Supervising,
    session: SessionDep,
    page: PageQuery,
    days: DateRangeQuery,
    staff_id: Annotated[str | None, Query(description="Only lookups by this staff member (查询人).")] = None,
    person_id: Annotated[str | None, Query(description="Only lookups that found this person.")] = None,
) -> PersonLookupRecordPage:
    """Recorded lookups, newest first: who looked whom up, why, when, found or not (supervisor,
    admin). `from`/`to` are days in Beijing time."""
    rows, total = await lookup_service.list_lookups(
        session, days=days, staff_id=staff_id, person_id=person_id, limit=page.limit, offset=page.offset
    )
    return PersonLookupRecordPage(
        items=[lookup_record_view(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get(
    "/{person_id}/contact",
    response_model=PersonContactRead,
    responses=retry_after(problems(s429=THROTTLED), 429),
)
async def persons_contact(
    person_id: str,
    caller: CaseStaff,
    session: WriteSessionDep,
    settings: SettingsDep,
    reason: Annotated[
        str,
        Query(min_length=1, max_length=REASON_MAX, pattern=r"\S", description=REASON_DESCRIPTION),
    ],
) -> PersonContactRead:
    """A person's mobile in clear, for a case's SMS or a call-back (window clerk, approver,
    handler, admin); recorded as a lookup with its reason."""
    person = await lookup_service.read_contact(
        session, caller, person_id, reason=reason.strip(), settings=settings
    )
    return person_contact_view(person)
