"""What a service call is handed besides the session: who acts (a person, or None where the system
acts) and the working-day calendar, loaded once per unit of work and kept on its session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from intake_support import Env
from sqlalchemy import event

from intake.services.access import SYSTEM_ACTOR, actor_id, staff_id
from intake.services.read_models import working_calendar
from yiwang_shared.auth import Principal
from yiwang_shared.calendar import import_calendar_year

CLERK = Principal(subject="clerk-1", kind="staff", roles=frozenset({"window_clerk"}))
CITIZEN = Principal(subject="person-1", kind="person")


def test_the_trace_names_the_person_or_the_system_and_events_name_only_staff() -> None:
    assert (actor_id(CLERK), actor_id(CITIZEN), actor_id(None)) == ("clerk-1", "person-1", SYSTEM_ACTOR)
    assert (staff_id(CLERK), staff_id(CITIZEN), staff_id(None)) == ("clerk-1", None, None)


@contextmanager
def calendar_queries(env: Env) -> Iterator[list[str]]:
    """The statements on the calendar table, or on the read models' versions, while the block runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "calendar_days" in statement or "read_model_versions" in statement:
            seen.append(statement)

    engine = env.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_the_calendar_is_read_once_per_unit_of_work_and_the_next_sees_an_edit(env: Env) -> None:
    new_year = date(2027, 1, 1)  # a Friday; 2027's arrangement is not known yet
    with calendar_queries(env) as queries:
        async with env.db.transaction() as session:
            first = await working_calendar(session)
            read = len(queries)
            assert read >= 1 and first.is_working_day(new_year)
            assert await working_calendar(session) is first
            assert len(queries) == read  # kept on the session: not even the fingerprint again
        async with env.db.transaction() as session:
            await import_calendar_year(
                session, 2027, {new_year: (False, "元旦（测试数据）")}, at=datetime.now(UTC)
            )
        edited = len(queries)
        async with env.db.transaction() as session:
            again = await working_calendar(session)
            assert len(queries) > edited  # a new unit of work reads the table again
            assert again is not first and not again.is_working_day(new_year)
