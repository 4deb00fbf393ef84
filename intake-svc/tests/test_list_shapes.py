"""Cost as data grows (issue 19): every list counts its matches only up to the cap and reads one
page in SQL, in an order an index gives (the supervision board too: a colour is a range of due
dates, paused cases aside), and the lights stay what they were."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from intake_support import Env
from sqlalchemy import event, text

from intake.lifecycles import OPEN_STATES
from intake.models.applications import OPEN_STATUS_SQL, OPEN_STATUSES
from intake.repositories.escalations import EscalationRepository
from intake.services.read_models import working_calendar
from intake.services.supervision import RUNNING, light, yellow_until


@contextmanager
def _recording(env: Env) -> Iterator[list[str]]:
    """Every statement sent while the block runs, whole (the shared recorder keeps 160 characters)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    engine = env.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _sent(env: Env, path: str, headers: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    with _recording(env) as seen:
        resp = await env.client.get(path, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json(), seen


def _counts(statements: list[str]) -> list[str]:
    """The counts of a list's matches (not the read models' fingerprints)."""
    return [s for s in statements if re.match(r"SELECT count\(\*\) AS \w+ FROM \(SELECT", s)]


async def test_lists_count_up_to_the_cap_only(env: Env) -> None:
    await env.to_review()
    for path, who in (
        ("/v1/applications", env.supervisor),
        ("/v1/applications?status=under_review", env.clerk),
        ("/v1/escalations", env.supervisor),
        ("/v1/escalations/mine?open_only=false", env.supervisor),
        ("/v1/notifications", env.supervisor),
        ("/v1/supervision/cases", env.supervisor),
    ):
        _, statements = await _sent(env, path, who)
        counts = _counts(statements)
        assert counts, f"{path}: no count"
        assert all(re.search(r"LIMIT", s) for s in counts), f"{path} counts every match: {counts}"


async def test_the_supervision_board_reads_one_page_in_sql(env: Env) -> None:
    first, second, third = [await env.to_review() for _ in range(3)]
    board, statements = await _sent(env, "/v1/supervision/cases?limit=1&offset=1", env.supervisor)
    assert board["total"] == 3 and [c["id"] for c in board["items"]] == [
        sorted([first["id"], second["id"], third["id"]])[1]  # one due date: by id
    ]
    pages = [s for s in statements if "FROM applications" in s and "ORDER BY applications.due_on" in s]
    assert pages and all("LIMIT" in s for s in pages), pages


async def test_colours_filtered_in_sql_match_the_lights(env: Env) -> None:
    running = await env.to_review()
    paused = await env.to_review()
    await env.post(paused["id"], "pause", env.approver, {"procedure": "hearing", "reason": "依申请举行听证"})
    for day in ("2026-10-09", "2026-10-12", "2026-10-13", "2026-10-30"):
        env.clock.set(day)
        everything = (await env.client.get("/v1/supervision/cases", headers=env.supervisor)).json()
        assert everything["total"] == 2
        for colour in ("green", "yellow", "red"):
            got = (
                await env.client.get(f"/v1/supervision/cases?colour={colour}", headers=env.supervisor)
            ).json()
            expected = [c for c in everything["items"] if c["colour"] == colour]
            assert got["items"] == expected and got["total"] == len(expected), (day, colour)
    lights = {
        c["id"]: c["colour"]
        for c in (await env.client.get("/v1/supervision/cases", headers=env.supervisor)).json()["items"]
    }
    assert lights == {running["id"]: "red", paused["id"]: "green"}


async def test_yellow_until_bounds_the_yellow_due_dates(env: Env) -> None:
    async with env.db.transaction(write=False) as session:
        calendar = await working_calendar(session)
    for today in (date(2026, 9, 25), date(2026, 9, 30), date(2026, 10, 8), date(2026, 12, 31)):
        for yellow_days in (0, 1, 3):
            last = yellow_until(calendar, today, yellow_days)
            for offset in range(-5, 40):
                due = today + timedelta(days=offset)
                colour = "red" if due < today else "yellow" if due <= last else "green"
                assert light(calendar, today, due, yellow_days).colour == colour, (today, yellow_days, due)


def test_the_open_index_names_the_open_states() -> None:
    assert OPEN_STATUSES == OPEN_STATES
    assert "coalesce(status, '') IN ({})".format(", ".join(f"'{s}'" for s in OPEN_STATES)) == OPEN_STATUS_SQL


async def test_sqlite_walks_the_indexes_in_list_order(env: Env) -> None:
    if env.db.engine.dialect.name != "sqlite":
        return
    plans = {
        "SELECT id FROM applications ORDER BY received_at DESC, id LIMIT 50": "ix_applications_received",
        "SELECT id FROM applications WHERE status = 'delivered' ORDER BY received_at DESC, id LIMIT 50": (
            "ix_applications_status_received"
        ),
        f"SELECT id FROM applications WHERE {OPEN_STATUS_SQL} ORDER BY due_on, id LIMIT 50": (
            "ix_applications_open_due"
        ),
        "SELECT id FROM case_escalations WHERE kind = 'reminder' "
        "ORDER BY raised_at DESC, level DESC, id LIMIT 50": "ix_case_escalations_kind_order",
        "SELECT id FROM notification_messages ORDER BY created_at DESC, id LIMIT 50": (
            "ix_notification_messages_created"
        ),
    }
    async with env.db.transaction(write=False) as session:
        for sql, index in plans.items():
            rows = (await session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))).all()
            plan = " ".join(str(r[-1]) for r in rows)
            assert index in plan and "USE TEMP B-TREE FOR ORDER BY" not in plan, (sql, plan)


async def test_the_escalation_pass_skips_cases_already_reminded_until_they_are_overdue(env: Env) -> None:
    app = await env.to_review()
    due = date.fromisoformat(app["due_on"])
    async with env.db.transaction(write=False) as session:
        calendar = await working_calendar(session)

    async def candidates(today: date) -> list[str]:
        horizon = calendar.add_working_days(today, 3)
        async with env.db.transaction(write=False) as session:
            return await EscalationRepository(session).candidate_ids(RUNNING, horizon, today=today)

    reminder_day = calendar.add_working_days(due, -2)
    env.clock.set(reminder_day.isoformat())
    assert await candidates(reminder_day) == [app["id"]]
    resp = await env.client.post("/v1/escalations/scan", headers=env.supervisor)
    assert resp.json()["reminded"] == 1
    assert await candidates(reminder_day) == []  # reminded: nothing more until it is overdue
    assert await candidates(due) == []
    overdue = calendar.add_working_days(due, 1)
    assert await candidates(overdue) == [app["id"]]


async def _count_plans(env: Env, path: str, headers: dict[str, str]) -> list[str]:
    """The counts a list sends (SQLite's plan of each, with the values they were sent with)."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((" ".join(statement.split()), parameters))

    engine = env.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        resp = await env.client.get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert resp.status_code == 200, resp.text
    counts = [(s, p) for s, p in seen if s in _counts([s])]
    assert counts, f"{path}: no count"
    plans = []
    async with env.db.transaction(write=False) as session:
        conn = await session.connection()
        for statement, parameters in counts:
            rows = (await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)).all()
            plans.append(" | ".join(str(r[-1]) for r in rows))
    return plans


async def test_staff_visibility_is_lists_of_unit_codes_that_indexes_serve(env: Env) -> None:
    await env.to_review()
    centre = env.staff("window_clerk", "110105-ZWFW")  # sees its windows' cases: the units under it
    for path, who in (
        ("/v1/applications", env.clerk),
        ("/v1/applications?status=under_review", centre),
        ("/v1/supervision/cases", env.approver),
        ("/v1/escalations", env.approver),
    ):
        body, statements = await _sent(env, path, who)
        assert body["total"] == (0 if "escalations" in path else 1), path  # none raised yet
        assert not [s for s in statements if " LIKE " in s], f"{path}: a LIKE no index serves"
    if env.db.engine.dialect.name != "sqlite":
        return
    for path, who in (
        ("/v1/applications", env.clerk),
        ("/v1/applications?status=under_review", centre),
        ("/v1/supervision/cases", env.approver),
    ):
        [plan] = await _count_plans(env, path, who)
        # Each unit column's branch is read from its own index (and the status in it) alone.
        assert plan.count("COVERING INDEX ix_applications_") == 5 and "SCAN applications" not in plan, plan


async def test_counts_for_supervisors_read_no_more_than_their_filter_needs(env: Env) -> None:
    await env.to_review()
    _, statements = await _sent(env, "/v1/escalations?kind=reminder", env.supervisor)
    assert not [s for s in _counts(statements) if "JOIN applications" in s], "the count joins every case"
    if env.db.engine.dialect.name != "sqlite":
        return
    # Every open case: the open states' entries of the status index, not a scan of every case.
    [plan] = await _count_plans(env, "/v1/supervision/cases", env.supervisor)
    assert "SCAN applications" not in plan and "SEARCH applications" in plan, plan
