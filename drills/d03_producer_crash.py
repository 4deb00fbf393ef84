"""Drill 3 — producer crash between commit and publish: intake-svc commits events to its outbox and
dies before its relay publishes them; after restart the outbox delivers every event exactly once.

1. intake-svc is restarted with its NATS connection off (`INTAKE_NATS_ENABLED=false`: no relay),
   N applications run through it, so their events commit to the outbox and go nowhere;
2. intake-svc is killed with SIGKILL (the crash after commit, before publish);
3. it starts again normally; the moment its relay's first messages reach the stream it is killed
   again, catching rows that were published but not yet marked sent (they will be sent twice,
   and JetStream must drop the copy by its message id);
4. it starts once more; once everything settled, every outbox row is on the stream exactly once and
   evaluation-svc applied every event exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import nats

from .env import DrillEnv
from .result import DrillResult
from .support import (
    account_events,
    evaluation_counts,
    evaluation_snapshot,
    flow_kit,
    gateway,
    kill_service,
    marks,
    query,
    read_stream,
    run_flows,
    settle,
    start_service,
)

NUMBER = 3
NAME = "producer crash"
QUICK_FLOWS, FULL_FLOWS = 40, 1_000


async def _kill_when_relay_starts(env: DrillEnv, stream_mark: int) -> bool:
    """Start intake-svc and kill -9 it as soon as its relay has put something on the stream."""
    nc = await nats.connect(env.platform.nats_url)
    try:
        js = nc.jetstream()
        starting = asyncio.create_task(start_service(env, "intake"))
        caught = False
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if (await js.stream_info("INTAKE")).state.last_seq > stream_mark:
                caught = True
                break
            if starting.done():
                starting.result()  # raises if the service failed to start
            await asyncio.sleep(0.005)
        await kill_service(env, "intake")
        with contextlib.suppress(RuntimeError):  # killed before it answered /healthz: expected
            await starting
        return caught
    finally:
        await nc.close()


async def run(env: DrillEnv) -> DrillResult:
    """Run the drill on the started platform."""
    start = time.monotonic()
    n = QUICK_FLOWS if env.quick else FULL_FLOWS
    async with gateway(env) as gw:
        kit = await flow_kit(gw)
        await settle(env)
        since = await marks(env)
        before = await evaluation_snapshot(env, kit.item["code"])
        intake_mark = since.outboxes["intake"]
        stream_mark = since.streams["INTAKE"]

        await kill_service(env, "intake")
        await start_service(env, "intake", {"INTAKE_NATS_ENABLED": "false"})
        ids = await run_flows(gw, kit, n, concurrency=8)
        committed = len(await query(env, "intake", "SELECT id FROM outbox WHERE id > :m", m=intake_mark))
        unsent = len(
            await query(
                env, "intake", "SELECT id FROM outbox WHERE id > :m AND published_at IS NULL", m=intake_mark
            )
        )
        await kill_service(env, "intake")  # crash with every event committed and none published

        caught = await _kill_when_relay_starts(env, stream_mark)
        on_stream_at_kill = {m.event_id for m in await read_stream(env, "INTAKE", stream_mark)}
        unmarked = {
            r[0]
            for r in await query(
                env,
                "intake",
                "SELECT event_id FROM outbox WHERE id > :m AND published_at IS NULL",
                m=intake_mark,
            )
        }
        resent = len(on_stream_at_kill & unmarked)  # published, not marked: the relay sends them again

        restart = time.monotonic()
        await start_service(env, "intake")
        settle_seconds = await settle(env, timeout=300)
        recovery_seconds = time.monotonic() - restart
        account = await account_events(env, since)
        applied = await evaluation_counts(env, ids, kit.item["code"], before)

    figures: dict[str, Any] = {
        "applications": n,
        "committed_unpublished": unsent,
        "published_unmarked_at_kill": resent,
        **account.figures(),
        "applied_twice": applied["applied_twice"],
        "not_applied": applied["not_applied"],
        "recovery_s": round(recovery_seconds, 1),
        "settle_s": round(settle_seconds, 1),
    }
    problems = []
    if unsent != committed or committed == 0:
        problems.append(f"{unsent} of {committed} outbox rows were unpublished before the crash")
    if not account.exact:
        problems.append("event accounting not exact: " + "; ".join(account.missing_examples[:4]))
    if applied["applied_twice"] or applied["not_applied"] or applied["service_events"] != n:
        problems.append(f"evaluation applied: {applied}")
    notes = "; ".join(problems)
    if not problems:
        notes = ("" if caught else "the second kill came after the relay finished; ") + (
            f"quick: {n} applications (full: {FULL_FLOWS})" if env.quick else ""
        )
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not problems,
        figures=figures,
        notes=notes.strip("; "),
        seconds=time.monotonic() - start,
    )
