"""Clerks calling at the same moment never get the same ticket, kiosks taking numbers at the same
moment never get the same number, and one clerk's double click calls one number (SQLite, and
PostgreSQL when TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import asyncio

from queue_support import CENTRE, QueueEnv
from sqlalchemy import func, select

from intake.models.queue import QueueTicket

WINDOWS = 4
CONFIG = {
    "categories": [{"code": "A", "name": "综合受理", "item_codes": ["*"]}],
    "windows": [
        {"unit_code": f"{CENTRE}-W0{n}", "number": str(n), "category_codes": ["A"]}
        for n in range(1, WINDOWS + 1)
    ],
}


async def test_concurrent_calls_never_share_a_ticket(qenv: QueueEnv) -> None:
    place_id = await qenv.hall(config=CONFIG)
    taken = await asyncio.gather(
        *(
            qenv.client.post(f"/v1/places/{place_id}/queue/tickets", json={"category_code": "A"})
            for _ in range(12)
        )
    )
    assert all(r.status_code == 201 for r in taken), [r.text for r in taken if r.status_code != 201]
    numbers = [r.json()["ticket_no"] for r in taken]
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 13)], "each number given once"

    clerks = [qenv.clerk(f"clerk-{n}", f"{CENTRE}-W0{n}") for n in range(1, WINDOWS + 1)]
    called: list[str] = []
    for _ in range(3):  # three rounds of four clerks calling at once
        answers = await asyncio.gather(*(qenv.call(c) for c in clerks))
        assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
        called += [a.json()["id"] for a in answers]
        windows = {a.json()["window_number"] for a in answers}
        assert windows == {str(n) for n in range(1, WINDOWS + 1)}
        done = await asyncio.gather(
            *(qenv.act(a.json()["id"], "complete", c) for a, c in zip(answers, clerks, strict=True))
        )
        assert all(d.status_code == 200 for d in done), [d.text for d in done]
    assert len(called) == len(set(called)) == 12
    async with qenv.db.transaction(write=False) as session:
        completed = await session.scalar(
            select(func.count()).select_from(QueueTicket).where(QueueTicket.status == "completed")
        )
    assert completed == 12
    empty = await asyncio.gather(*(qenv.call(c) for c in clerks))
    assert {e.json()["code"] for e in empty} == {"intake.queue_empty"}


async def test_a_double_click_calls_one_number(qenv: QueueEnv) -> None:
    place_id = await qenv.hall(config=CONFIG)
    for _ in range(3):
        await qenv.take(place_id=place_id)
    answers = await asyncio.gather(qenv.call(qenv.clerk1), qenv.call(qenv.clerk1))
    assert sorted(a.status_code for a in answers) == [200, 409]
    busy = next(a for a in answers if a.status_code == 409)
    assert busy.json()["code"] == "intake.queue_window_busy"
    async with qenv.db.transaction(write=False) as session:
        called = await session.scalar(
            select(func.count()).select_from(QueueTicket).where(QueueTicket.status == "called")
        )
    assert called == 1
