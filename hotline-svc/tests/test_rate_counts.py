"""The rates' day counts (migration hotline_0005) give exactly the figures the month's raw rows give.

Random response obligations and call-backs of several units over three months — deadlines and calls
on Beijing's midnight and a microsecond before it, answered early, late or never — then moved to
another unit and day (a re-dispatch), answered later, deleted; the month's counts are compared with
the raw rows' aggregate for `now` inside the month, on its edges, before and after it, for every
unit and for one. Then the counts are rebuilt by the migration's backfill and compared again.
"""

from __future__ import annotations

import asyncio
import random
import re
from datetime import date, datetime, timedelta

import httpx
import sqlalchemy as sa
from alembic import command
from fastapi import FastAPI
from hotline_support import People, create
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.main import SERVICE_DIR
from hotline.models import Callback, ResponseDue
from hotline.repositories.rates import RatesRepository
from hotline.services.days import day_start, month_bounds
from hotline.services.rates import Tally, tallies
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.migrations import alembic_config
from yiwang_shared.testing.statements import counting_on, statements_sent

UNITS = ["U1", "U2", "U3", "U4"]


def _first_days() -> tuple[date, date, date]:
    """The first days of the month before last, last month and this month (Beijing)."""
    this = datetime.now(SHANGHAI).date().replace(day=1)
    last = (this - timedelta(days=1)).replace(day=1)
    return (last - timedelta(days=1)).replace(day=1), last, this


# The months are counted back from the day the test runs, so "last month" is over on any clock.
_BEFORE, _LAST, _THIS = _first_days()
MONTHS = [d.strftime("%Y-%m") for d in (_BEFORE, _LAST, _THIS)]
LAST_MONTH = MONTHS[1]
#: Deadlines and calls fall on these days (Beijing), across three months' edges.
FIRST_DAY = _LAST - timedelta(days=3)
DAYS = (_THIS - FIRST_DAY).days + 3


def _moment(rng: random.Random) -> datetime:
    """A random instant of the test's days, often right on or just before a Beijing midnight."""
    midnight = day_start(FIRST_DAY + timedelta(days=rng.randrange(DAYS)))
    pick = rng.random()
    if pick < 0.15:
        return midnight
    if pick < 0.25:
        return midnight - timedelta(microseconds=rng.choice([1, 400, 999_999]))
    return midnight + timedelta(seconds=rng.randrange(86_400), microseconds=rng.randrange(1_000_000))


def _answer(rng: random.Random, due: datetime) -> datetime | None:
    pick = rng.random()
    if pick < 0.3:
        return None
    if pick < 0.4:
        return due  # exactly on its deadline: on time
    return due + timedelta(hours=rng.uniform(-30, 30))


async def _fill(app: FastAPI, ticket_ids: list[str], rng: random.Random) -> None:
    """Random obligations and call-backs, then moves, later answers and deletions."""
    async with app.state.db.transaction() as session:
        for i in range(400):
            due = _moment(rng)
            session.add(
                ResponseDue(
                    ticket_id=rng.choice(ticket_ids),
                    round=100 + i,
                    unit_code=rng.choice(UNITS),
                    due_at=due,
                    responded_at=_answer(rng, due),
                )
            )
        for _ in range(300):
            session.add(
                Callback(
                    ticket_id=rng.choice(ticket_ids),
                    unit_code=rng.choice(UNITS),
                    round=1,
                    resolved=rng.random() < 0.6,
                    satisfaction=rng.choice(["satisfied", "basically", "not"]),
                    called_by="agent",
                    called_at=_moment(rng),
                )
            )
    async with app.state.db.transaction() as session:
        rows = list((await session.scalars(select(ResponseDue).where(ResponseDue.round >= 100))).all())
        for r in rng.sample(rows, 60):  # re-dispatched: another unit owes it, a new deadline
            await session.execute(
                update(ResponseDue)
                .where(ResponseDue.id == r.id)
                .values(unit_code=rng.choice(UNITS), due_at=_moment(rng), responded_at=None)
                .execution_options(synchronize_session=False)
            )
        for r in rng.sample(rows, 60):  # answered (again) now
            await session.execute(
                update(ResponseDue)
                .where(ResponseDue.id == r.id)
                .values(responded_at=_moment(rng))
                .execution_options(synchronize_session=False)
            )
        gone = [r.id for r in rng.sample(rows, 20)]
        await session.execute(delete(ResponseDue).where(ResponseDue.id.in_(gone)))
        calls = list((await session.scalars(select(Callback.id))).all())
        await session.execute(delete(Callback).where(Callback.id.in_(rng.sample(calls, 15))))
        for cid in rng.sample(calls, 30):
            await session.execute(
                update(Callback)
                .where(Callback.id == cid)
                .values(unit_code=rng.choice(UNITS), resolved=rng.random() < 0.5, satisfaction="basically")
                .execution_options(synchronize_session=False)
            )


async def _raw(session: AsyncSession, month: str, now: datetime, unit: str | None) -> dict[str, Tally]:
    """The month's counts from its raw rows (the rates' queries before the day counts)."""
    start, end = month_bounds(month)
    repo = RatesRepository(session)
    out: dict[str, Tally] = {}
    for code, due, on_time in await repo.due_counts(start, end, now=now, unit=unit):
        out.setdefault(code, Tally()).due, out[code].on_time = int(due), int(on_time)
    for code, called, resolved, satisfied, basically in await repo.callback_counts(start, end, unit=unit):
        t = out.setdefault(code, Tally())
        t.called_back, t.resolved, t.satisfied, t.basically = (
            int(called),
            int(resolved),
            int(satisfied),
            int(basically),
        )
    return out


def _nows(month: str, rng: random.Random) -> list[datetime]:
    start, end = month_bounds(month)
    inside = [start + (end - start) * rng.random() for _ in range(5)]
    midnight = day_start(date(int(month[:4]), int(month[5:7]), 1) + timedelta(days=rng.randrange(1, 28)))
    tiny = timedelta(microseconds=1)
    return [
        start - tiny,
        start,
        start + tiny,
        *inside,
        midnight - tiny,
        midnight,
        end - tiny,
        end,
        end + timedelta(days=3),
    ]


async def _compare(app: FastAPI, rng: random.Random) -> int:
    """Compare the counts with the raw rows for every month, `now` and unit; how many compared."""
    compared = 0
    async with app.state.db.transaction() as session:
        for month in MONTHS:
            for now in _nows(month, rng):
                for unit in [None, rng.choice(UNITS), "nobody"]:
                    got = await tallies(session, month, now=now, unit=unit)
                    want = await _raw(session, month, now, unit)
                    assert dict(got) == want, (month, now, unit)
                    compared += bool(want)
    return compared


async def _tickets(hl: httpx.AsyncClient, people: People) -> list[str]:
    return [(await create(hl, people.agent))["id"] for _ in range(3)]


async def test_day_counts_give_the_raw_rows_figures(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    rng = random.Random(19)
    await _fill(app, await _tickets(hl, people), rng)
    assert await _compare(app, rng) > 50


async def test_a_past_month_is_read_from_the_counts_not_the_raw_rows(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    """A month that is over costs what its units and days are, not what its tickets are."""
    await _fill(app, await _tickets(hl, people), random.Random(7))
    with counting_on(app.state.db.engine), statements_sent() as seen:
        rates = await hl.get("/v1/rates", params={"month": LAST_MONTH}, headers=people.supervisor)
        ranks = await hl.get(
            "/v1/rankings", params={"month": LAST_MONTH, "kind": "department"}, headers=people.supervisor
        )
    assert rates.status_code == 200 and ranks.status_code == 200, (rates.text, ranks.text)
    assert {r["unit_code"] for r in rates.json()["items"]} >= set(UNITS)
    raw = [s for s in seen if re.search(r"\b(response_dues|callbacks)\.", s)]
    assert raw == [], raw


async def test_backfill_counts_the_rows_already_there(
    app: FastAPI, hl: httpx.AsyncClient, people: People, database_url: str
) -> None:
    rng = random.Random(5)
    await _fill(app, await _tickets(hl, people), rng)
    cfg = alembic_config(SERVICE_DIR, database_url)
    await asyncio.to_thread(command.downgrade, cfg, "hotline_0004")  # counts and triggers gone
    async with app.state.db.transaction() as session:  # rows written while no trigger kept count
        await session.execute(
            update(ResponseDue)
            .where(ResponseDue.round >= 100, ResponseDue.round < 150)
            .values(unit_code="U9")
        )
    await asyncio.to_thread(command.upgrade, cfg, "head")
    async with app.state.db.transaction() as session:
        assert await session.scalar(sa.text("SELECT count(*) FROM response_day_counts")) > 0
    assert await _compare(app, rng) > 50
