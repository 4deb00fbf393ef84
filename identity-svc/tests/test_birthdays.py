"""The birthday pass behind 免申即享: each day every person with a resident ID whose birthday it is
is published as having reached their age, with a contact ticket instead of a mobile; the daily
job catches up the days it missed and passes none twice; 29 February is 28 February in other
years; an administrator may run a day again; a ticket gives the mobile until it expires."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select, update
from support import Actor, create_staff, new_phone, problem, register_person

from identity import events
from identity.config import Settings
from identity.demo import TURNING_80, demo_resident_id, load_demo
from identity.models import ContactTicket
from identity.repositories.birthdays import BirthdayRepository
from identity.services.birthdays import (
    REDEEM_AGAIN_WITHIN,
    birthday_in,
    catch_up,
    days_to_pass,
    month_days,
    pass_day,
    ticket_digest,
)
from identity.services.clock import utcnow
from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.tables import outbox

AGE_REACHED = "identity.person.age_reached.v1"
_seq = itertools.count(100)


def _years_before(day: date, years: int) -> date:
    """The day `years` before `day` (29 February going to 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def _rid(born: date, region: str = "110105") -> str:
    return demo_resident_id(born.strftime("%Y%m%d"), f"{next(_seq) % 1000:03d}", region=region)


async def _born(client: httpx.AsyncClient, born: date, name: str = "孙桂英", region: str = "110105") -> Actor:
    return await register_person(client, name, resident_id=_rid(born, region))


@pytest.fixture
async def db(settings: Settings) -> Any:
    database = Database(settings.resolved_database_url())
    yield database
    await database.dispose()


async def _published(db: Database) -> list[dict[str, Any]]:
    """Every age_reached event in the outbox (the envelopes), oldest first."""
    async with db.transaction(write=False) as session:
        rows = await session.execute(
            select(outbox.c.payload).where(outbox.c.subject == AGE_REACHED).order_by(outbox.c.id)
        )
        return [json.loads(r) for r in rows.scalars()]


def _of(published: list[dict[str, Any]], person: Actor) -> list[dict[str, Any]]:
    return [e["data"] for e in published if e["data"]["account_id"] == person.id]


def test_a_birthday_on_29_february_is_28_february_in_other_years() -> None:
    leapling = date(1948, 2, 29)
    assert birthday_in(leapling, 2027) == date(2027, 2, 28)
    assert birthday_in(leapling, 2028) == date(2028, 2, 29)
    assert birthday_in(date(1946, 12, 31), 2026) == date(2026, 12, 31)
    assert month_days(date(2027, 2, 28)) == ["0228", "0229"]
    assert month_days(date(2028, 2, 28)) == ["0228"] and month_days(date(2028, 2, 29)) == ["0229"]
    assert month_days(date(2100, 2, 28)) == ["0228", "0229"]  # 2100 is not a leap year


def test_the_days_to_pass_are_those_of_the_latest_not_passed_since_the_first_pass() -> None:
    today = date(2027, 1, 2)
    assert days_to_pass(None, set(), today, most=31) == [today]
    last = date(2026, 12, 30)
    december = {date(2026, 12, d) for d in range(1, 31)}  # passed every day up to the 30th
    assert days_to_pass(date(2026, 12, 1), december, today, most=31) == [
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
    ]
    # An administrator ran today meanwhile: the days missed before it are still caught up.
    assert days_to_pass(last, {last, today}, today, most=31) == [date(2026, 12, 31), date(2027, 1, 1)]
    assert days_to_pass(today, {today}, today, most=31) == []
    assert days_to_pass(date(2026, 1, 1), set(), today, most=3) == [
        date(2026, 12, 31),
        date(2027, 1, 1),
        today,
    ]


async def test_the_job_catches_up_the_days_missed_and_passes_each_day_once(
    client: httpx.AsyncClient, settings: Settings, db: Database
) -> None:
    now = utcnow()
    today = local_date(now)
    # The job last went through three days ago; the service was down since.
    async with db.transaction() as session:
        assert await BirthdayRepository(session).claim_day(today - timedelta(days=3), now, by="job")
    people = {
        back: await _born(client, _years_before(today - timedelta(days=back), 60 + back), f"居民{back}")
        for back in (3, 2, 1, 0)
    }
    made = await catch_up(db, settings, now=now)
    assert [p.day for p in made] == [today - timedelta(days=n) for n in (2, 1, 0)]
    assert await catch_up(db, settings, now=now) == []  # idempotent: nothing left to pass

    published = await _published(db)
    assert _of(published, people[3]) == []  # its day was passed before the gap
    for back in (2, 1, 0):
        [reached] = _of(published, people[back])
        assert (
            reached["age"] == 60 + back
            and reached["reached_on"] == (today - timedelta(days=back)).isoformat()
        )
    async with db.transaction(write=False) as session:
        assert await BirthdayRepository(session).days_since(today - timedelta(days=3)) == {
            today - timedelta(days=n) for n in range(4)
        }


async def test_a_first_start_passes_today_only(
    client: httpx.AsyncClient, settings: Settings, db: Database
) -> None:
    now = utcnow()
    today = local_date(now)
    yesterday = await _born(client, _years_before(today - timedelta(days=1), 70))
    eighty = await _born(client, _years_before(today, 80))
    assert [p.day for p in await catch_up(db, settings, now=now)] == [today]
    published = await _published(db)
    assert _of(published, yesterday) == [] and len(_of(published, eighty)) == 1


async def test_a_day_run_by_hand_before_the_jobs_first_pass_starts_no_catch_up(
    client: httpx.AsyncClient, admin: Actor, settings: Settings, db: Database
) -> None:
    now = utcnow()
    today = local_date(now)
    earlier = today - timedelta(days=10)
    resp = await client.post("/v1/birthday-passes", headers=admin.headers, json={"day": earlier.isoformat()})
    assert resp.status_code == 200, resp.text
    assert [p.day for p in await catch_up(db, settings, now=now)] == [today]


async def test_born_on_29_february_the_age_is_reached_on_28_february_of_a_common_year(
    client: httpx.AsyncClient, settings: Settings, db: Database
) -> None:
    leapling = await _born(client, date(1948, 2, 29), "闰日生")
    feb28 = await _born(client, date(1948, 2, 28), "二月末")
    now = utcnow()
    for day in (date(2027, 2, 28), date(2028, 2, 28), date(2028, 2, 29)):
        async with db.transaction() as session:
            await pass_day(session, day, now=now, settings=settings)
    published = await _published(db)
    assert [(e["reached_on"], e["age"]) for e in _of(published, leapling)] == [
        ("2027-02-28", 79),
        ("2028-02-29", 80),
    ]
    assert [(e["reached_on"], e["age"]) for e in _of(published, feb28)] == [
        ("2027-02-28", 79),
        ("2028-02-28", 80),
    ]


async def test_persons_without_a_resident_id_and_disabled_accounts_are_not_passed(
    client: httpx.AsyncClient, admin: Actor, settings: Settings, db: Database
) -> None:
    today = local_date(utcnow())
    foreigner = await client.post(
        "/v1/persons",
        json={
            "name": "John Smith",
            "passport_number": f"E{next(_seq):08d}",
            "nationality": "GBR",
            "phone": new_phone(),
            "password": "Passw0rd!x",
        },
    )
    assert foreigner.status_code == 201, foreigner.text
    born = await _born(client, _years_before(today, 75))
    async with db.transaction() as session:
        await pass_day(session, today, now=utcnow(), settings=settings)
    published = await _published(db)
    assert {e["data"]["account_id"] for e in published} == {born.id}
    assert all(e["data"]["account_id"] != foreigner.json()["id"] for e in published)


async def test_an_administrator_runs_a_day_again_and_the_ticket_gives_the_mobile(
    client: httpx.AsyncClient, admin: Actor, settings: Settings, db: Database
) -> None:
    today = local_date(utcnow())
    eighty = await _born(client, _years_before(today, 80), region="110105")
    elsewhere = await _born(client, _years_before(today, 80), "外区居民", region="110101")
    first = await client.post("/v1/birthday-passes", headers=admin.headers, json={"day": today.isoformat()})
    assert first.status_code == 200, first.text
    assert first.json()["persons"] == 2 and first.json()["runs"] == 1 and first.json()["first_by"] == "admin"
    again = await client.post("/v1/birthday-passes", headers=admin.headers, json={"day": today.isoformat()})
    assert again.json()["runs"] == 2 and again.json()["persons"] == 2
    listed = (await client.get("/v1/birthday-passes", headers=admin.headers)).json()
    assert [p["day"] for p in listed["items"]] == [today.isoformat()] and listed["total"] == 1

    published = await _published(db)
    validator = Draft202012Validator(
        json.loads(events.schema_path(events.PersonAgeReached).read_text(encoding="utf-8")),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    for envelope in published:
        assert not [e.message for e in validator.iter_errors(envelope)]
        raw = json.dumps(envelope, ensure_ascii=False)
        for person in (eighty, elsewhere):  # never a clear number on the bus
            assert (person.resident_id or "-") not in raw and (person.phone or "-") not in raw
    mine = _of(published, eighty)
    assert len(mine) == 2 and mine[0]["contact_ticket"] != mine[1]["contact_ticket"]
    assert {(e["name"], e["age"], e["region_code"]) for e in mine} == {("孙桂英", 80, "110105")}
    assert _of(published, elsewhere)[0]["region_code"] == "110101"

    contact = await client.post("/v1/contact-tickets/redeem", json={"ticket": mine[0]["contact_ticket"]})
    assert contact.status_code == 200, contact.text
    assert contact.json() == {"id": eighty.id, "name": "孙桂英", "phone": eighty.phone}
    # Asked again soon (the consumer's retry): the same answer; long after its use: spent.
    again = await client.post("/v1/contact-tickets/redeem", json={"ticket": mine[0]["contact_ticket"]})
    assert again.status_code == 200 and again.json()["phone"] == eighty.phone
    async with db.transaction() as session:
        await session.execute(
            update(ContactTicket)
            .where(ContactTicket.digest == ticket_digest(mine[0]["contact_ticket"]))
            .values(redeemed_at=utcnow() - REDEEM_AGAIN_WITHIN - timedelta(seconds=1))
        )
    problem(
        await client.post("/v1/contact-tickets/redeem", json={"ticket": mine[0]["contact_ticket"]}),
        404,
        "identity.contact_ticket_invalid",
    )
    # The other ticket of hers is untouched by that.
    other = await client.post("/v1/contact-tickets/redeem", json={"ticket": mine[1]["contact_ticket"]})
    assert other.status_code == 200
    problem(
        await client.post("/v1/contact-tickets/redeem", json={"ticket": "x" * 43}),
        404,
        "identity.contact_ticket_invalid",
    )


async def test_a_ticket_expires_and_only_administrators_run_a_pass(
    client: httpx.AsyncClient, admin: Actor, make_settings: Any, db: Database
) -> None:
    today = local_date(utcnow())
    person = await _born(client, _years_before(today, 90))
    short = make_settings(contact_ticket_ttl_seconds=60)
    async with db.transaction() as session:
        await pass_day(session, today, now=utcnow() - timedelta(seconds=61), settings=short)
    [reached] = _of(await _published(db), person)
    assert datetime.fromisoformat(reached["contact_ticket_expires_at"]) < utcnow()
    problem(
        await client.post("/v1/contact-tickets/redeem", json={"ticket": reached["contact_ticket"]}),
        404,
        "identity.contact_ticket_invalid",
    )

    clerk = await create_staff(client, admin, "clerk_bd", ["window_clerk"])
    body = {"day": today.isoformat()}
    problem(await client.post("/v1/birthday-passes", headers=clerk.headers, json=body), 403)
    problem(await client.post("/v1/birthday-passes", headers=person.headers, json=body), 403)
    problem(await client.get("/v1/birthday-passes", headers=person.headers), 403)
    later = {"day": (today + timedelta(days=2)).isoformat()}  # after today even a second past midnight
    problem(
        await client.post("/v1/birthday-passes", headers=admin.headers, json=later),
        422,
        "identity.birthday_pass_future",
    )


async def test_the_demo_resident_turning_80_is_published_on_the_day_the_demo_is_loaded(
    settings: Settings, db: Database
) -> None:
    before = utcnow()
    await load_demo(settings.resolved_database_url(), settings=settings)
    now = utcnow()
    # The day the demo was loaded (either, should midnight have struck meanwhile).
    for day in sorted({local_date(before), local_date(now)}):
        async with db.transaction() as session:
            await pass_day(session, day, now=now, settings=settings)
    reached = [e["data"] for e in await _published(db) if e["data"]["name"] == TURNING_80[0]]
    assert [(e["age"], e["region_code"]) for e in reached] == [(80, "110105")]
