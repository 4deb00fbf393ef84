"""Issue 19: a unit's figures read data kept per month, and lists find a unit's rows by its index.

- 响应率 reads its rollup (`hotline_response_months`, moved by the consumer with every change of a
  response obligation, backfilled by evaluation_0009) and counts only the obligations still ahead
  of their deadline: a past month's figures read no obligation at all. The figures are exactly the
  raw count's (`HotlineResponseRepository.counts`), whatever the events and their order.
- The bad-review list of a unit's staff names the codes of their unit and of the units below it
  (from the organisation read model), which the unit index serves; a "below my unit" LIKE could not.
- The bad-review list's order is its indexes' read backwards, so a page (of every case, of one
  state, overdue or not) stops at its limit instead of sorting every match.
"""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eval_support import org_units, ticket
from fastapi import FastAPI
from sqlalchemy import delete, event, text
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.models import HotlineResponseMonth
from evaluation.repositories.cases import BadReviewCaseRepository
from evaluation.repositories.hotline_responses import HotlineResponseRepository
from evaluation.repositories.scopes import UnitScope
from evaluation.services import hotline_responses
from evaluation.services.hotline_responses import (
    RESPONDED_ON_TIME,
    RESPONSE_DUE,
    month_bounds,
    response_counters,
)
from evaluation.services.indicator_reads import counters_for
from evaluation.services.read_models import codes_below
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.db import Database, is_sqlite
from yiwang_shared.pagination import PageParams

EVERYONE = UnitScope(everything=True)
MIGRATION = Path(__file__).parents[1] / "migrations/versions/2026-12-04-1900_hotline_response_months.py"
UNITS = ("110105-MZJ", "110105-MZJ-W01", "110105-MZJ-W02", "110105-MZJ2", "110105-ZJW")
START = datetime(2026, 9, 29, 12, tzinfo=SHANGHAI)  # deadlines from late September into December
MONTHS = ("2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01")
SCOPES: list[dict[str, str]] = [
    {},
    {"key": "110105-MZJ"},
    {"key": "110105-nowhere"},
    {"prefix": "110105-MZJ"},
    {"prefix": "110105-MZJ-W01"},
]


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL the database is sent meanwhile."""
    seen: list[str] = []

    def grab(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql)

    event.listen(database.engine.sync_engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", grab)


def _events(rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """Dispatches, re-dispatches to other units, reopened rounds and responses (on time, late,
    never), some delivered twice, all in a random order."""
    out: list[tuple[str, dict[str, Any]]] = []
    for i in range(60):
        for round_no in range(1, rng.choice((1, 1, 2)) + 1):
            at = START + timedelta(hours=rng.uniform(0, 24 * 75))
            unit, due = rng.choice(UNITS), at
            for again in range(rng.choice((1, 1, 2))):
                at += timedelta(minutes=rng.randint(0, 600))
                unit, due = rng.choice(UNITS), at + timedelta(hours=rng.choice((1, 2, 24, 48, 24 * 40)))
                sent = {"dispatched_at": at.isoformat(), "response_due_at": due.isoformat()}
                out.append(
                    ("dispatched", ticket("dispatched", unit=unit, ticket_id=f"t{i}", round=round_no) | sent)
                )
                out[-1][1]["redispatch"] = again > 0
            if rng.random() < 0.8:
                answered = at + timedelta(minutes=rng.randint(1, 60 * 72))
                made = {"responded_at": answered.isoformat(), "response_due_at": due.isoformat()}
                data = ticket("responded", unit=unit, ticket_id=f"t{i}", round=round_no) | made
                out.append(("responded", data | {"on_time": answered <= due}))
    out += rng.sample(out, 15)  # redelivered
    rng.shuffle(out)
    return out


def _raw(rows: list[tuple[str, int, int]]) -> dict[str, dict[str, int]]:
    return {unit: {RESPONSE_DUE: due, RESPONDED_ON_TIME: ok} for unit, due, ok in rows}


def _backfill_sql(dialect: str) -> str:
    spec = importlib.util.spec_from_file_location("evaluation_0009", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.BACKFILL.format(month=module.MONTH_OF_DUE[dialect]))


@pytest.mark.parametrize("seed", [1, 2])
async def test_the_rollup_gives_the_raw_counts_figures_whatever_the_events(db: Database, seed: int) -> None:
    for kind, data in _events(random.Random(seed)):
        async with db.transaction() as s:
            await hotline_responses.apply(s, f"hotline.ticket.{kind}.v1", data)
    instants = [START - timedelta(days=1), START + timedelta(days=3)]
    instants += [START + timedelta(days=d, hours=h) for d in (20, 33, 64) for h in (0, 7)]
    instants += [START + timedelta(days=200)]
    async with db.transaction(write=False) as s:
        repo = HotlineResponseRepository(s)
        compared = 0
        for now in instants:
            for month in MONTHS:
                start, end = month_bounds(month)
                for scope in SCOPES:
                    raw = _raw(await repo.counts(start=start, end=end, now=now, **scope))
                    assert await response_counters(s, month, now=now, **scope) == raw, (now, month, scope)
                    compared += bool(raw)
        assert compared > 50  # the figures compared are not all empty
        kept = await repo.all_months()
    # The migration's backfill, from the obligations alone, gives the rollup the consumer kept.
    async with db.transaction() as s:
        await s.execute(delete(HotlineResponseMonth))
        await s.execute(text(_backfill_sql(s.get_bind().dialect.name)))
    async with db.transaction(write=False) as s:
        assert await HotlineResponseRepository(s).all_months() == kept


def _last_month() -> datetime:
    """The 20th of the month before this one (Beijing), 09:00: a month that is over, whatever today is."""
    first = datetime.now(SHANGHAI).replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    return (first - timedelta(days=1)).replace(day=20)


async def test_a_past_months_figures_read_no_response_obligation(db: Database) -> None:
    due = _last_month()
    month = due.strftime("%Y-%m")
    sent = ticket("dispatched", unit=UNITS[0], ticket_id="old", response_due_at=due.isoformat())
    async with db.transaction() as s:
        await hotline_responses.apply(s, "hotline.ticket.dispatched.v1", sent)
    async with db.transaction(write=False) as s:
        with statements(db) as seen:
            units = await counters_for(s, dimension="unit", month=month)
            public = await counters_for(s, dimension="unit", month=month, prefix="110105-MZJ")
    assert units == public == {UNITS[0]: {RESPONSE_DUE: 1, RESPONDED_ON_TIME: 0}}
    assert not [sql for sql in seen if re.search(r"\bhotline_responses\b", sql)], seen


async def _plan(session: AsyncSession, sql: str, params: Any) -> str:
    conn = await session.connection()
    rows = (await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)).all()
    return "\n".join(str(r[-1]) for r in rows)


async def test_a_units_bad_review_list_finds_its_rows_by_the_unit_index(
    db: Database, database_url: str
) -> None:
    if not is_sqlite(database_url):
        pytest.skip("PostgreSQL plans by its statistics; SQLite's plan is fixed by the shape")
    scope = UnitScope(codes=("110105-MZJ", "110105-MZJ-W01"))
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    event.listen(db.engine.sync_engine, "before_cursor_execute", grab)
    try:
        async with db.transaction(write=False) as s:
            await BadReviewCaseRepository(s).page(scope=scope, status=None, overdue=None, page=PageParams())
            plans = [await _plan(s, sql, params) for sql, params in seen]
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", grab)
    assert len(plans) == 2 and all("ix_bad_review_cases_unit_code (unit_code=?)" in p for p in plans), plans


async def test_a_member_sees_the_codes_of_their_unit_and_of_the_units_below_it(
    app: FastAPI, client: Any, database_url: str
) -> None:
    await org_units(app, *UNITS)
    async with app.state.db.transaction(write=False) as s:
        assert await codes_below(s, "110105-MZJ") == ("110105-MZJ", "110105-MZJ-W01", "110105-MZJ-W02")
        assert await codes_below(s, "110105-MZJ-W01") == ("110105-MZJ-W01",)
        assert await codes_below(s, "110105-GONE") == ("110105-GONE",)


@pytest.mark.parametrize(("status", "overdue"), [(None, None), ("open", None), (None, True)])
async def test_a_bad_review_page_needs_no_sort(
    db: Database, database_url: str, status: str | None, overdue: bool | None
) -> None:
    if not is_sqlite(database_url):
        pytest.skip("PostgreSQL plans by its statistics; SQLite's plan is fixed by the shape")
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT") and "count(" not in sql.lower():
            seen.append((sql, params))

    event.listen(db.engine.sync_engine, "before_cursor_execute", grab)
    try:
        async with db.transaction(write=False) as s:
            cases = BadReviewCaseRepository(s)
            await cases.page(scope=EVERYONE, status=status, overdue=overdue, page=PageParams())
            [(sql, params)] = seen
            shown = await _plan(s, sql, params)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", grab)
    assert "_opened" in shown and "TEMP B-TREE" not in shown, shown
