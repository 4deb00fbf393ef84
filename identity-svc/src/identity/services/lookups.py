"""Staff finding the person in front of them (查询人员), and the record of every look.

A window clerk, an approver, a hotline agent or a handler may find a person by resident ID or
mobile (masked numbers back, the account id to act with) and read a person's mobile in clear for
a case's SMS and call-backs. Each look is recorded — who, whom (or the masked key when nobody was
found), why, when, found or not — and listed to supervisors. A staff member looking people up
faster than a queue can be served is refused for a while (429 with Retry-After).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.logging import mask_text
from yiwang_shared.pagination import DateRange

from ..config import Settings
from ..errors import LookupNotFound, LookupThrottled, StaffOnly
from ..models import Person, PersonLookup, Staff
from ..repositories.accounts import AccountRepository
from ..repositories.lookups import LookupRepository
from .clock import utcnow
from .privacy import mask_mobile, mask_passport, mask_resident_id

log = logging.getLogger("identity.lookups")

#: Searches by a number, and window registrations that met an account, share one budget.
SEARCHES = ("search", "walk_in")
CONTACTS = ("contact",)


@dataclass(frozen=True)
class Limit:
    """At most `count` lookups in `window`."""

    count: int
    window: timedelta
    per: str


def _limits(settings: Settings, purposes: tuple[str, ...]) -> list[Limit]:
    if purposes == CONTACTS:
        return [
            Limit(settings.contact_limit_per_minute, timedelta(minutes=1), "minute"),
            Limit(settings.contact_limit_per_hour, timedelta(hours=1), "hour"),
        ]
    return [
        Limit(settings.lookup_limit_per_minute, timedelta(minutes=1), "minute"),
        Limit(settings.lookup_limit_per_hour, timedelta(hours=1), "hour"),
    ]


async def admit(
    session: AsyncSession, caller: Principal, purposes: tuple[str, ...], settings: Settings
) -> Staff:
    """The calling staff member's account; LookupThrottled when they have used up a window's
    lookups for these purposes."""
    # Lock the staff row: parallel lookups by one person are counted one after the other.
    staff = await AccountRepository(session).find(caller.subject, for_update=True)
    if not isinstance(staff, Staff):
        raise StaffOnly()
    now = utcnow()
    limits = _limits(settings, purposes)
    times = await LookupRepository(session).times_since(
        staff.id, purposes, now - max(limit.window for limit in limits)
    )
    refusals = []
    for limit in limits:
        recent = [t for t in times if t > now - limit.window]
        if len(recent) >= limit.count:
            # Room again once enough of the window's oldest lookups have aged out of it.
            free_at = recent[len(recent) - limit.count] + limit.window
            refusals.append(((free_at - now).total_seconds(), limit))
    if refusals:
        wait, limit = max(refusals, key=lambda r: r[0])
        log.warning("lookups by staff %s throttled: %d per %s reached", staff.id, limit.count, limit.per)
        raise LookupThrottled(retry_after_seconds=wait, limit=limit.count, per=limit.per)
    return staff


def record(
    session: AsyncSession,
    staff: Staff,
    *,
    purpose: str,
    key_type: str,
    key_masked: str,
    reason: str,
    person: Person | None,
    at: datetime | None = None,
) -> PersonLookup:
    """Record one lookup in the session's transaction."""
    entry = PersonLookup(
        staff_id=staff.id,
        org_unit_id=staff.org_unit_id,
        purpose=purpose,
        key_type=key_type,
        key_masked=key_masked,
        # Supervisors read the reasons: a number typed into one is kept masked like the key.
        reason=mask_text(reason),
        person_id=person.id if person else None,
        found=person is not None,
        looked_up_at=at or utcnow(),
    )
    LookupRepository(session).add(entry)
    return entry


async def find_person(
    session: AsyncSession,
    caller: Principal,
    *,
    resident_id: str | None,
    phone: str | None,
    reason: str,
    settings: Settings,
) -> Person:
    """The person with this resident ID or mobile; the lookup is recorded, found or not."""
    staff = await admit(session, caller, SEARCHES, settings)
    repo = AccountRepository(session)
    if resident_id is not None:
        key_type, key_masked = "resident_id", mask_resident_id(resident_id)
        person = await repo.find_person_by_resident_id(resident_id)
    else:
        assert phone is not None
        key_type, key_masked = "phone", mask_mobile(phone)
        person = await repo.find_person_by_phone(phone)
    record(
        session,
        staff,
        purpose="search",
        key_type=key_type,
        key_masked=key_masked,
        reason=reason,
        person=person,
    )
    if person is None:
        raise LookupNotFound(key_type)  # keeps the record: see identity.errors
    return person


async def read_contact(
    session: AsyncSession, caller: Principal, person_id: str, *, reason: str, settings: Settings
) -> Person:
    """The person whose mobile `caller` reads in clear; the read is recorded, found or not."""
    staff = await admit(session, caller, CONTACTS, settings)
    person = await AccountRepository(session).find_person(person_id)
    record(
        session,
        staff,
        purpose="contact",
        key_type="person_id",
        key_masked=person_id[:40],
        reason=reason,
        person=person,
    )
    if person is None:
        raise LookupNotFound("person_id")
    return person


def document_key(person: Person) -> tuple[str, str]:
    """The key type and masked number of a person's identity document."""
    if person.resident_id:
        return "resident_id", mask_resident_id(person.resident_id)
    return "passport", mask_passport(person.passport_number or "")


async def list_lookups(
    session: AsyncSession,
    *,
    days: DateRange,
    staff_id: str | None,
    person_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[PersonLookup], int]:
    """A page of recorded lookups, newest first."""
    return await LookupRepository(session).page(
        days=days, staff_id=staff_id, person_id=person_id, limit=limit, offset=offset
    )
