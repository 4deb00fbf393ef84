"""The shape of the list, search, board, rates and Open311 queries (issue 19: their cost must not
grow with the tables): every count stops at the cap, an exact ticket number or phone is an index
lookup, a month's rates are counted by the database, the unit and handler filters still find what
they did. Timings are bench/scale's; here only the statements and (SQLite) their plans."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from hotline_support import D, People, act, create
from sqlalchemy import event

from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import COUNT_CAP


@contextmanager
def statements(app: FastAPI) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (whole, with its parameters) the app sends while the block runs."""
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((" ".join(statement.split()), parameters))

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", grab)


async def plans(app: FastAPI, sent: list[tuple[str, Any]], fragment: str) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of each sent SELECT holding `fragment` (empty on PostgreSQL)."""
    if not app.state.db.sqlite:
        return []
    out: list[str] = []
    async with app.state.db.engine.connect() as conn:
        for sql, params in sent:
            if sql.startswith("SELECT") and fragment in sql:
                rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)
                out.append(" / ".join(str(r[3]) for r in rows))
    return out


async def get(hl: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    resp = await hl.get(path, params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def test_every_list_count_stops_at_the_cap(app: FastAPI, hl: httpx.AsyncClient, people: People) -> None:
    await create(hl, people.agent)
    handler = people.handler(f"{D}001-FWZX")
    asks = [
        ("/v1/tickets", people.supervisor, {}),
        ("/v1/tickets", people.supervisor, {"unit": f"{D}001-FWZX", "status": "dispatched"}),
        ("/v1/tickets", people.supervisor, {"overdue": "true"}),
        ("/v1/tickets", people.agent, {"q": "噪声"}),
        ("/v1/tickets", handler, {}),
        ("/v1/escalations", people.supervisor, {}),
        ("/v1/escalations", handler, {}),
        ("/v1/escalations/mine", handler, {}),
    ]
    for path, headers, params in asks:
        with statements(app) as sent:
            page = await get(hl, path, headers, **params)
        counts = [(sql, p) for sql, p in sent if sql.startswith("SELECT count(")]
        assert len(counts) == 1, (path, params, sent)
        sql, p = counts[0]
        assert " LIMIT " in sql and COUNT_CAP + 1 in tuple(p.values() if isinstance(p, dict) else p), sql
        assert page["total_exact"] is True


async def test_a_whole_ticket_number_or_phone_is_looked_up_by_its_index(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    t = await create(hl, people.agent, caller_phone="13900004444")
    await create(hl, people.agent)
    for q, index in ((t["number"], "sqlite_autoindex_tickets"), ("13900004444", "ix_tickets_caller_phone")):
        with statements(app) as sent:
            page = await get(hl, "/v1/tickets", people.agent, q=q)
        assert [x["id"] for x in page["items"]] == [t["id"]] and page["total"] == 1
        listed = [sql for sql, _ in sent if sql.startswith("SELECT") and "FROM tickets" in sql]
        assert listed and not any(" LIKE " in sql for sql in listed), listed
        for plan in await plans(app, sent, "FROM tickets WHERE"):
            assert index in plan and "SCAN tickets" not in plan, plan


async def test_the_unit_and_handler_filters_find_first_receivers_and_past_dispatches(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    centre = f"{D}001-FWZX"
    moved = await create(hl, people.agent)
    await act(hl, moved["id"], "return", people.handler(centre), {"reason": "属于市场监管职责，非街道事权"})
    await act(hl, moved["id"], "dispatch", people.dispatcher, {"unit_code": f"{D}-SCJGJ"})
    stays = await create(hl, people.agent)
    await create(hl, people.agent, street_code=f"{D}002", address="朝阳区建外SOHO")
    by_unit = await get(hl, "/v1/tickets", people.supervisor, unit=centre)
    assert [x["id"] for x in by_unit["items"]] == [stays["id"], moved["id"]] and by_unit["total"] == 2
    # The centre was dispatched both (twice counted once each), newest first.
    mine = await get(hl, "/v1/tickets", people.handler(centre))
    assert [x["id"] for x in mine["items"]] == [stays["id"], moved["id"]] and mine["total"] == 2
    second = await get(hl, "/v1/tickets", people.handler(centre), offset=1, limit=1)
    assert [x["id"] for x in second["items"]] == [moved["id"]] and second["total"] == 2
    # With a condition on the ticket the count joins it; without, it reads the unit's dispatches only.
    assert (await get(hl, "/v1/tickets", people.handler(centre), status="dispatched"))["total"] == 2
    assert (await get(hl, "/v1/tickets", people.handler(centre), status="in_progress"))["total"] == 0


async def test_counts_join_no_ticket_they_do_not_filter_on(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    # A capped count that joins every match to its ticket reads 10,001 tickets (PostgreSQL 7–24× at
    # 1,000,000): the escalation board's and the handler's counts need the ticket for nothing.
    await create(hl, people.agent)
    handler = people.handler(f"{D}001-FWZX")
    for headers, path, params in [
        (handler, "/v1/tickets", {}),
        (people.supervisor, "/v1/escalations", {}),
        (people.supervisor, "/v1/escalations", {"level": 2}),
        (people.supervisor, "/v1/escalations", {"unit_code": f"{D}001-FWZX"}),
        (handler, "/v1/escalations", {}),
    ]:
        with statements(app) as sent:
            await get(hl, path, headers, **params)
        [count] = [sql for sql, _ in sent if sql.startswith("SELECT count(")]
        assert "tickets" not in count.replace("ticket_", ""), (path, params, count)


async def test_a_months_rates_are_counted_by_the_database(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    # A month that is over: its units' day counts (a range of their key), none of its raw rows.
    first = utcnow().astimezone(SHANGHAI).replace(day=1)
    last_month = (first - timedelta(days=1)).strftime("%Y-%m")  # over, whatever day the test runs
    with statements(app) as sent:
        await get(hl, "/v1/rates", people.supervisor, month=last_month)
    raw = [sql for sql, _ in sent if "FROM response_dues" in sql or "FROM callbacks" in sql]
    read = [sql for sql, _ in sent if "_day_counts" in sql]
    assert raw == [] and len(read) == 2 and all("GROUP BY" in sql for sql in read), sent
    for plan in await plans(app, sent, "_day_counts"):
        assert "SEARCH" in plan and "(day>? AND day<?)" in plan, plan
    # This month: the days before today from the counts, the rest from the raw rows' covering index.
    month = utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    with statements(app) as sent:
        await get(hl, "/v1/rates", people.supervisor, month=month)
    raw = [sql for sql, _ in sent if "FROM response_dues" in sql]
    assert len(raw) == 1 and "GROUP BY" in raw[0] and "count(" in raw[0], sent
    for plan in await plans(app, sent, "FROM response_dues"):
        assert "COVERING INDEX" in plan, plan


async def test_open311_updates_walk_the_history_by_time(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    with statements(app) as sent:
        resp = await hl.get("/open311/v2/servicerequestupdates.json")
    assert resp.status_code == 200, resp.text
    for plan in await plans(app, sent, "FROM ticket_history JOIN tickets"):
        assert "ix_ticket_history_at" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan


async def test_my_open_escalations_are_one_range_of_my_entries(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    # From the open tickets, each escalation checked for the person, "my open ones" read every open
    # ticket's escalations: 0.6–1.1 s at 1,000,000 tickets. Now the person's entries, newest first.
    await create(hl, people.agent)
    handler = people.handler(f"{D}001-FWZX")
    with statements(app) as sent:
        await get(hl, "/v1/escalations/mine", handler)
    [count] = [sql for sql, _ in sent if sql.startswith("SELECT count(")]
    assert "FROM ticket_escalation_recipients WHERE" in count and "JOIN" not in count, count
    for plan in await plans(app, sent, "ticket_escalation_recipients.ticket_open IS"):
        assert "ix_ticket_escalation_recipients_open" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
