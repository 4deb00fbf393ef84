"""The SQL statements of each write step (issue 19: at most 8 per request, the view it answers with
included, SQLite's BEGIN counted as bench/floor counts it), driven through the app on the test
database: submit, accept, hand-over, approve, complete, deliver, and the one-time notice with its
resubmission and a refusal to accept beside the main path.

Statement counts are deterministic, so they are asserted here; what a step costs in time is
bench/floor's to measure. `INTAKE_LOG_SQL=1` prints each request's statements."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from intake_support import Env, complete_materials
from sqlalchemy import event
from test_notifications import RecordingSender

from intake.config import SERVICE_DIR
from intake.services.notification_dispatcher import NotificationDispatcher
from intake.services.notification_outbox import MESSAGES_DIRTY, queue_message
from intake.services.notification_settings import NotificationSettings
from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate
from yiwang_shared.testing.statements import STATEMENTS, counting_on, record_statement

#: At most this many statements per write request (issue 19), BEGIN included on SQLite.
BUDGET = 8


@contextmanager
def counting(env: Env) -> Iterator[None]:
    """Record the statements every request of the block sends (in its own task)."""
    with counting_on(env.db.engine):
        yield


class Steps:
    """Posts each step and keeps the statements it sent."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.counts: dict[str, int] = {}

    async def post(
        self, name: str, path: str, headers: dict[str, str], body: Any, *, expect: int = 200
    ) -> dict[str, Any]:
        seen: list[str] = []
        token = STATEMENTS.set(seen)
        try:
            resp: httpx.Response = await self.env.client.post(path, json=body, headers=headers)
        finally:
            STATEMENTS.reset(token)
        assert resp.status_code == expect, resp.text
        self.counts[name] = len(seen)
        if os.environ.get("INTAKE_LOG_SQL") == "1":
            print(f"\n--- {name}: {len(seen)} statements")
            for s in seen:
                print("   ", s)
        return resp.json()  # type: ignore[no-any-return]

    def over_budget(self) -> dict[str, int]:
        return {name: n for name, n in self.counts.items() if n > BUDGET}


def _submission(env: Env, materials: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "item_code": "SCJ-0001",
        "applicant": {"id": env.citizen_id},
        "materials": complete_materials() if materials is None else materials,
    }


async def _flow(steps: Steps, key: str) -> list[dict[str, Any]]:
    """submit → accept → hand-over → approve → complete → deliver, as bench/floor runs them."""
    env = steps.env
    submitted = await steps.post(
        "submit", "/v1/applications", {**env.clerk, "Idempotency-Key": key}, _submission(env), expect=201
    )
    path = f"/v1/applications/{submitted['id']}"
    return [
        submitted,
        await steps.post("accept", path + "/accept", env.clerk, {}),
        await steps.post("hand-over", path + "/hand-over", env.clerk, {}),
        await steps.post("approve", path + "/approve", env.approver, {"reasons": "符合条件"}),
        await steps.post("complete", path + "/complete", env.approver, {"result_name": "审批结果通知书"}),
        await steps.post(
            "deliver",
            path + "/deliver",
            env.clerk,
            {"mode": "post", "carrier": "EMS", "tracking_no": "EA000000001CN", "address": "朝阳区"},
        ),
    ]


async def test_every_step_of_the_flow_stays_within_the_statement_budget(env: Env) -> None:
    steps = Steps(env)
    with counting(env):
        # Once to warm the process's read-model caches, as a running service has them.
        await _flow(steps, "budget-warm-up")
        flow = await _flow(steps, "budget-1")
    assert [a["status"] for a in flow] == [
        "submitted",
        "accepted",
        "under_review",
        "approved",
        "completed",
        "delivered",
    ]
    # The view each step answers with is the whole case, built from what the step has in memory.
    delivered = flow[-1]
    assert [n["kind"] for n in delivered["notices"]] == ["acceptance", "approval"]
    assert [s["kind"] for s in delivered["steps"]] == ["decide"]
    assert steps.over_budget() == {}, steps.counts


async def test_the_notice_loop_and_a_refusal_to_accept_stay_within_the_budget(env: Env) -> None:
    steps = Steps(env)
    case = "/v1/applications/{}"
    incomplete = [{"name": "申请书", "media": ["original"], "originals": 1}]
    with counting(env):
        await _flow(steps, "budget-warm-up")
        steps.counts.clear()
        first = await steps.post(
            "submit incomplete", "/v1/applications", env.clerk, _submission(env, incomplete), expect=201
        )
        path = case.format(first["id"])
        noticed = await steps.post("notice", path + "/notice", env.clerk, {})
        resubmitted = await steps.post(
            "resubmit", path + "/resubmit", env.clerk, {"materials": complete_materials()}
        )
        second = await steps.post("submit 2", "/v1/applications", env.clerk, _submission(env), expect=201)
        refused = await steps.post(
            "refuse-acceptance",
            case.format(second["id"]) + "/refuse-acceptance",
            env.clerk,
            {"reasons": "不属于本机关职权范围"},
        )
    assert noticed["status"] == "correction_requested" and noticed["problems"]
    assert resubmitted["status"] == "submitted" and resubmitted["problems"] == []
    assert refused["status"] == "not_accepted"
    assert steps.over_budget() == {}, steps.counts


async def test_an_sms_a_step_queued_is_sent_with_one_update(database_url: str) -> None:
    """The message is claimed for the running dispatcher as it is written and handed to it on
    commit: sending it costs one transaction, the UPDATE that records it sent (BEGIN counted on
    SQLite), with no claim and no probe read (issue 19: a claiming transaction came first)."""
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record_statement)
    sender = RecordingSender()
    dispatcher = NotificationDispatcher(db, sender, NotificationSettings(sms_poll_seconds=30))
    db.add_commit_hook(dispatcher.wake, flag=MESSAGES_DIRTY)
    background: list[str] = []
    token = STATEMENTS.set(background)  # the dispatcher's task inherits the list
    await dispatcher.start()
    STATEMENTS.reset(token)
    try:
        for _ in range(100):  # the first pass at start (a probe of an empty outbox) is over
            await asyncio.sleep(0.02)
            if background:
                break
        await asyncio.sleep(0.1)
        background.clear()
        async with db.transaction() as session:
            await queue_message(
                session,
                kind="completed",
                phone="13812345678",
                person_id="p1",
                application_id="app-1",
                params={
                    "application_no": "SQ202600000001",
                    "item_name": "事项",
                    "result_name": "证",
                    "delivery_hint": "领取",
                },
            )
        for _ in range(100):
            if sender.sent:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)
    finally:
        await dispatcher.stop()
        event.remove(engine, "before_cursor_execute", record_statement)
        await db.dispose()
    assert len(sender.sent) == 1
    begins = 1 if db.sqlite else 0
    assert len(background) == 1 + begins, background
