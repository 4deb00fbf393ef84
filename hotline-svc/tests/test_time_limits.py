"""Time-limit rules: editable by supervisors, counted in hours, natural days or working days."""

from __future__ import annotations

from datetime import datetime

import httpx
from fastapi import FastAPI
from hotline_support import People, create

from yiwang_shared.calendar import SHANGHAI, WorkingCalendar


async def test_rules_are_listed_and_editable_by_supervisors(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    rules = {r["code"]: r for r in (await hl.get("/v1/time-limit-rules")).json()["items"]}
    assert (rules["urgent"]["amount"], rules["urgent"]["unit"]) == (2, "hours")
    assert (rules["utilities"]["amount"], rules["general"]["amount"], rules["complex"]["amount"]) == (
        24,
        7,
        15,
    )
    change = {"amount": 5, "unit": "working_days"}
    assert (
        await hl.put("/v1/time-limit-rules/general", json=change, headers=people.agent)
    ).status_code == 403
    bad = await hl.put(
        "/v1/time-limit-rules/general", json={"amount": 0, "unit": "moons"}, headers=people.supervisor
    )
    assert bad.status_code == 422 and len(bad.json()["errors"]) == 2
    assert (
        await hl.put("/v1/time-limit-rules/nope", json=change, headers=people.supervisor)
    ).status_code == 404
    done = await hl.put("/v1/time-limit-rules/general", json=change, headers=people.supervisor)
    assert done.json()["unit"] == "working_days"
    t = await create(hl, people.agent)
    due = datetime.fromisoformat(t["due_at"]).astimezone(SHANGHAI)
    created = datetime.fromisoformat(t["created_at"]).astimezone(SHANGHAI)
    # The end of the 5th working day after registration: at least a week later, at 23:59 local.
    assert (due - created).days >= 5 and (due.hour, due.minute) == (23, 59)
    async with app.state.db.transaction(write=False) as session:
        calendar = await WorkingCalendar.load(session)
    assert due.date() == calendar.add_working_days(created, 5)


async def test_complex_tickets_get_fifteen_days(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent, complex=True)
    span = datetime.fromisoformat(t["due_at"]) - datetime.fromisoformat(t["created_at"])
    assert t["time_limit_rule"] == "complex" and span.days == 15
