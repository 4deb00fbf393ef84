"""A step's events written to the outbox in one statement, in order."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from yiwang_shared.db import OUTBOX_DIRTY, Database
from yiwang_shared.events.outbox import add_events
from yiwang_shared.tables import outbox


@pytest.fixture
def db(infra_db: Database) -> Database:
    """The infrastructure-only database (conftest's `infra_db`)."""
    return infra_db


async def test_events_of_a_step_go_in_one_statement_in_order(db: Database) -> None:
    woken: list[bool] = []
    db.add_commit_hook(lambda: woken.append(True))
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "outbox" in statement:
            sent.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    events = [
        ("ticket.created", 1, {"n": 1}),
        ("ticket.dispatched", 1, {"n": 2}),
        ("ticket.sms", 1, {"n": 3}),
    ]
    async with db.transaction() as session:
        envelopes = await add_events(session, events, producer="hotline")
        assert session.info[OUTBOX_DIRTY] is True
    event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    assert len(sent) == 1
    assert woken == [True]
    async with db.transaction(write=False) as session:
        rows = (
            await session.execute(sa.select(outbox.c.event_id, outbox.c.subject).order_by(outbox.c.id))
        ).all()
    assert [r.event_id for r in rows] == [e.event_id for e in envelopes]
    assert [r.subject for r in rows] == [e.subject for e in envelopes]
    assert [e.type for e in envelopes] == ["ticket.created", "ticket.dispatched", "ticket.sms"]


async def test_no_events_write_nothing_and_wake_nobody(db: Database) -> None:
    woken: list[bool] = []
    db.add_commit_hook(lambda: woken.append(True))
    async with db.transaction() as session:
        assert await add_events(session, [], producer="hotline") == []
    assert woken == []


async def test_events_written_in_a_savepoint_wake_at_the_commit_not_at_its_release(db: Database) -> None:
    """A savepoint's release commits nothing: waking (or handing rows to) the relay then would
    publish events that may yet roll back, and the real commit would wake nobody."""
    woken: list[bool] = []
    handed: list[list[str]] = []
    db.add_commit_hook(lambda: woken.append(True))
    db.add_handoff_hook(lambda rows: handed.append([r.event_id for r in rows or []]))
    async with db.transaction() as session:
        async with session.begin_nested():
            envelopes = await add_events(session, [("ticket.created", 1, {"n": 1})], producer="hotline")
        assert (woken, handed) == ([], [])
    assert woken == [True]
    assert handed == [[e.event_id for e in envelopes]]
