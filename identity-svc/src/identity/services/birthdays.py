"""The birthday pass (生日核查) behind 免申即享 (proactive service): once a day every person with a
resident ID whose birthday it is is published as having reached their age
(identity.person.age_reached.v1), and services that offer something at an age (intake: 高龄老年人
津贴 at 80) take it from there, without the person applying.

- **Which day.** The day is Beijing's. The birth date is digits 7–14 of the resident ID; born on
  29 February, the birthday is 28 February in a year without one. Persons without a resident ID
  (passports) and disabled accounts are not passed.
- **Once a day, days missed caught up.** The days passed are kept (`birthday_passes`): the
  background job passes every day after the newest one up to today, each day in one transaction
  with its events (the outbox), so a day is passed exactly once even with several replicas, and a
  service down for days catches up when it starts again: every day of the latest
  `BIRTHDAY_CATCH_UP_DAYS` not passed yet (an administrator's run of one of them in the meantime
  leaves the others to catch up). On an empty table it starts with today.
- **Run again by hand.** An administrator may run any day up to today again
  (`POST /v1/birthday-passes`): its events are published once more, for a person registered
  late that day or a consumer that was repaired; consumers keep one effect per person and age.
- **No number on the bus.** Events carry masked numbers only; a consumer that must text the person
  gets a contact ticket instead (claim check), redeemed once for the mobile at
  `POST /v1/contact-tickets/redeem` until it expires.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.events.payloads import EventPayload
from yiwang_shared.pagination import PageParams
from yiwang_shared.periodic import PeriodicTask

from .. import events
from ..config import Settings
from ..errors import BirthdayPassFuture, ContactTicketInvalid
from ..models import BirthdayPass, ContactTicket, Person
from ..repositories.accounts import AccountRepository
from ..repositories.birthdays import BirthdayRepository
from .clock import as_utc, utcnow

log = logging.getLogger("identity.birthdays")

#: What an age_reached event's ticket is for (kept with the ticket).
AGE_REACHED = "age_reached"


def birth_date(resident_id: str | None) -> date | None:
    """The birth date in an 18-character resident ID (digits 7–14), or None."""
    if not resident_id or len(resident_id) != 18 or not resident_id[6:14].isdigit():
        return None
    try:
        return date(int(resident_id[6:10]), int(resident_id[10:12]), int(resident_id[12:14]))
    except ValueError:
        return None


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthday_in(born: date, year: int) -> date:
    """The day `born` has its birthday in `year` (29 February → 28 February when `year` has none)."""
    if (born.month, born.day) == (2, 29) and not _leap(year):
        return date(year, 2, 28)
    return born.replace(year=year)


def month_days(day: date) -> list[str]:
    """The birth months and days (MMDD) whose birthday falls on `day`."""
    out = [f"{day.month:02d}{day.day:02d}"]
    if (day.month, day.day) == (2, 28) and not _leap(day.year):
        out.append("0229")
    return out


def new_ticket() -> tuple[str, str]:
    """A new contact ticket (256 random bits) and its stored digest."""
    ticket = secrets.token_urlsafe(32)
    return ticket, ticket_digest(ticket)


def ticket_digest(ticket: str) -> str:
    """The stored form of a ticket: its SHA-256."""
    return hashlib.sha256(ticket.encode()).hexdigest()


async def _publish_day(session: AsyncSession, day: date, *, now: datetime, settings: Settings) -> int:
    """Publish age_reached for every person whose birthday is `day` (one outbox statement), each
    with a contact ticket; how many were published."""
    repo = BirthdayRepository(session)
    expires_at = now + timedelta(seconds=settings.contact_ticket_ttl_seconds)
    payloads: list[EventPayload] = []
    for person in await repo.born_on(month_days(day)):
        born = birth_date(person.resident_id)
        if born is None or birthday_in(born, day.year) != day or day.year <= born.year:
            continue  # not a birthday this year (or the day of birth itself)
        ticket, digest = new_ticket()
        repo.add_ticket(
            ContactTicket(
                digest=digest,
                person_id=person.id,
                purpose=AGE_REACHED,
                created_at=now,
                expires_at=expires_at,
                redemptions=0,
            )
        )
        payloads.append(_age_reached(person, day, born, ticket, expires_at))
    if payloads:
        await events.CATALOG.publish_all(session, payloads)
    return len(payloads)


def _age_reached(
    person: Person, day: date, born: date, ticket: str, expires_at: datetime
) -> events.PersonAgeReached:
    assert person.resident_id is not None  # born_on finds only persons with one
    return events.PersonAgeReached(
        account_id=person.id,
        name=person.name,
        age=day.year - born.year,
        reached_on=day,
        region_code=person.resident_id[:6],
        contact_ticket=ticket,
        contact_ticket_expires_at=expires_at,
    )


async def pass_day(
    session: AsyncSession, day: date, *, now: datetime, settings: Settings
) -> BirthdayPass | None:
    """The background pass of one day: its events, unless the day was passed already (None)."""
    repo = BirthdayRepository(session)
    if not await repo.claim_day(day, now, by="job"):
        return None
    published = await _publish_day(session, day, now=now, settings=settings)
    record = await repo.find(day)
    assert record is not None  # claimed just now, in this transaction
    record.persons = published
    await repo.purge_tickets(expired_before=now)
    return record


async def run_day(session: AsyncSession, day: date, *, now: datetime, settings: Settings) -> BirthdayPass:
    """Pass `day` now (an administrator): its events published (again, when it was passed before);
    422 for a day after today."""
    if day > local_date(now):
        raise BirthdayPassFuture.of(day)
    repo = BirthdayRepository(session)
    if await repo.claim_day(day, now, by="admin"):
        record = await repo.find(day)
        assert record is not None
    else:
        record = await repo.find(day, for_update=True)
        assert record is not None  # a passed day is never deleted
        record.runs += 1
        record.last_passed_at = now
    record.persons = await _publish_day(session, day, now=now, settings=settings)
    return record


def days_to_pass(first: date | None, passed: set[date], today: date, *, most: int) -> list[date]:
    """The days up to today the job still has to pass: of the latest `most` days, those after the
    first day it passed (`first`) that are not in `passed`; today alone before its first pass."""
    if first is None:
        return [today]
    start = max(first + timedelta(days=1), today - timedelta(days=most - 1))
    days = (start + timedelta(days=n) for n in range((today - start).days + 1))
    return [day for day in days if day not in passed]


async def catch_up(db: Database, settings: Settings, *, now: datetime | None = None) -> list[BirthdayPass]:
    """Pass every day not passed yet up to today, a transaction each; the passes made."""
    now = now or utcnow()
    today = local_date(now)
    most = settings.birthday_catch_up_days
    async with db.transaction(write=False) as session:
        repo = BirthdayRepository(session)
        first = await repo.first_job_day()
        passed = await repo.days_since(today - timedelta(days=most - 1))
    made = []
    for day in days_to_pass(first, passed, today, most=most):
        async with db.transaction() as session:
            record = await pass_day(session, day, now=now, settings=settings)
        if record is not None:
            made.append(record)
            log.info("birthday pass of %s: %d person(s) reached an age", day.isoformat(), record.persons)
    return made


async def page(session: AsyncSession, *, limit: int, offset: int) -> tuple[list[BirthdayPass], int]:
    """The days passed, newest first."""
    return await BirthdayRepository(session).page(PageParams(limit=limit, offset=offset))


#: How long after its first redemption a ticket still answers: its consumer asking again after a
#: failure of its own gets the number; after that the ticket is spent (ADR 0013).
REDEEM_AGAIN_WITHIN = timedelta(minutes=10)


async def redeem(session: AsyncSession, ticket: str, *, now: datetime) -> Person:
    """The person a contact ticket is for, while it has not expired and was not redeemed more than
    REDEEM_AGAIN_WITHIN ago (404 otherwise); each redemption is counted and logged (never the number)."""
    repo = BirthdayRepository(session)
    row = await repo.find_ticket(ticket_digest(ticket), for_update=True)
    if row is None or as_utc(row.expires_at) <= now:
        raise ContactTicketInvalid.unknown()
    if row.redeemed_at is not None and now - as_utc(row.redeemed_at) > REDEEM_AGAIN_WITHIN:
        # Its consumer had it long ago: another caller holding the ticket learns nothing, and it shows.
        log.warning("contact ticket (%s) of person %s presented again after use", row.purpose, row.person_id)
        raise ContactTicketInvalid.unknown()
    person = await AccountRepository(session).find_person(row.person_id)
    if person is None or person.status != "active":
        raise ContactTicketInvalid.unknown()
    row.redemptions += 1
    row.redeemed_at = now
    log.info(
        "contact ticket (%s) redeemed for person %s, %d time(s)", row.purpose, person.id, row.redemptions
    )
    return person


def birthday_task(db: Database, settings: Settings) -> PeriodicTask:
    """`catch_up` every `birthday_pass_seconds` (0: off), the first time `birthday_pass_delay_seconds`
    after start (a failed pass is logged and tried again next time)."""

    async def birthday_pass() -> None:
        await catch_up(db, settings)

    return PeriodicTask(
        "identity-birthday-pass",
        birthday_pass,
        seconds=settings.birthday_pass_seconds,
        first_after=settings.birthday_pass_delay_seconds,
        log=log,
    )
