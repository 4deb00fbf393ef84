"""intake's events: committed schemas are current, what the outbox holds validates against them,
and the relay puts them on JetStream (stream INTAKE) with Nats-Msg-Id = event id."""

from __future__ import annotations

import asyncio
import json
import time

import nats
from intake_support import Env
from jsonschema import Draft202012Validator
from nats.errors import TimeoutError as NatsTimeout
from sqlalchemy import select

from intake import events
from yiwang_shared.tables import outbox
from yiwang_shared.testing.guards import stale_event_schemas
from yiwang_shared.testing.nats import NatsServer


def test_committed_schemas_are_current() -> None:
    """Regenerate with `python -m intake.events`."""
    assert stale_event_schemas(events.INTAKE) == []


async def test_published_events_validate_and_reach_jetstream(env: Env, nats_server: NatsServer) -> None:
    application = await env.to_review()
    await env.post(application["id"], "approve", env.approver)
    await env.post(application["id"], "complete", env.approver, {"result_name": "食品经营许可证"})
    await env.post(application["id"], "deliver", env.clerk, {"mode": "locker", "locker": "1号柜07格"})
    other = await env.submit(materials=[])
    await env.post(other["id"], "notice", env.clerk)
    withdrawn = await env.submit()
    await env.post(withdrawn["id"], "withdraw", env.clerk, {"reason": "申请人不再办理"})
    env.clock.set("2026-10-20")
    late = await env.to_review()
    env.clock.set("2026-12-01")
    await env.scan()
    async with env.db.transaction(write=False) as session:
        rows = (await session.execute(select(outbox.c.subject, outbox.c.payload, outbox.c.event_id))).all()
    validators = {
        p.subject(): Draft202012Validator(
            json.loads(events.schema_path(p).read_text(encoding="utf-8")),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        for p in events.APPLICATION_EVENTS
    }
    seen = set()
    for subject, payload, _ in rows:
        env_json = json.loads(payload)
        errors = [e.message for e in validators[subject].iter_errors(env_json)]
        assert not errors, (subject, errors)
        seen.add(subject)
    # A revoked decision needs a commitment found false: tests/test_commitments.py validates it.
    assert seen == set(validators) - {events.ApplicationRevoked.subject()}
    delivered = next(json.loads(p) for s, p, _ in rows if s.endswith("delivered.v1"))
    data = delivered["data"]
    assert data["delivery_mode"] == "locker" and data["channel"] == "window" and data["online"] is False
    assert data["item_code"] == "SCJ-0001" and data["version_no"] == 1
    # A locker takes no visit; the case's one visit was the window submission.
    assert data["visits"] == 0 and data["total_visits"] == 1
    assert data["promised_limit_days"] == 10 and data["legal_limit_days"] == 20
    closed = [json.loads(p)["data"] for s, p, _ in rows if s.endswith("closed.v1")]
    # Withdrawn, and — the clock moved past its correction deadline — the case left uncorrected.
    assert sorted((c["application_id"], c["closed_as"]) for c in closed) == sorted(
        [(withdrawn["id"], "withdrawn"), (other["id"], "correction_expired")]
    )
    overdue = [json.loads(p)["data"] for s, p, _ in rows if s.endswith("overdue.v1")]
    assert [o["application_id"] for o in overdue] == [late["id"]]

    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe("intake.application.>", stream="INTAKE")
        wanted = {eid for _, _, eid in rows}
        got: set[str] = set()
        deadline = time.monotonic() + 15
        while not wanted <= got and time.monotonic() < deadline:
            try:
                msgs = await sub.fetch(200, timeout=0.5)
            except (NatsTimeout, TimeoutError):
                await asyncio.sleep(0.1)
                continue
            for msg in msgs:
                await msg.ack()
                assert msg.headers and msg.headers["Nats-Msg-Id"] == json.loads(msg.data)["event_id"]
                got.add(json.loads(msg.data)["event_id"])
        assert wanted <= got
        await sub.unsubscribe()
    finally:
        await nc.close()
