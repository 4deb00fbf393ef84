"""Drill 2 — consumer crash: kill -9 evaluation-svc in the middle of a stream of application events,
restart it, and check every event was applied exactly once.

N flows run while evaluation-svc is up; once it has recorded some but not all of the drill's events
(so it dies mid-stream, with fetched but unacknowledged messages), it is killed with SIGKILL. The
flows go on while it is down; then it starts again on the same database. Afterwards the event
accounting is exact and evaluation holds one submitted fact, one completed fact and one service
event per application (a redelivered event finds its id in processed_events and changes nothing).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .env import DrillEnv
from .result import DrillResult
from .support import (
    QUICK_ACK_WAIT,
    account_events,
    evaluation_counts,
    evaluation_snapshot,
    flow_kit,
    gateway,
    kill_service,
    marks,
    run_flows,
    scalar,
    set_ack_wait,
    settle,
    start_service,
    wait_until,
)

NUMBER = 2
NAME = "consumer crash"
QUICK_FLOWS, FULL_FLOWS = 100, 2_000
CONSUMER = "evaluation__intake_application"


async def _handled(env: DrillEnv) -> int:
    return int(await scalar(env, "evaluation", "SELECT count(*) FROM processed_events") or 0)


async def run(env: DrillEnv) -> DrillResult:
    """Run the drill on the started platform."""
    start = time.monotonic()
    n = QUICK_FLOWS if env.quick else FULL_FLOWS
    async with gateway(env) as gw:
        kit = await flow_kit(gw)
        await settle(env)
        if env.quick:
            await set_ack_wait(env, QUICK_ACK_WAIT)
        since = await marks(env)
        before = await evaluation_snapshot(env, kit.item["code"])
        handled_before = await _handled(env)
        flows = asyncio.create_task(run_flows(gw, kit, n, concurrency=8))

        async def mid_stream() -> bool:
            return await _handled(env) - handled_before >= max(10, n // 2)

        await wait_until(mid_stream, timeout=300, interval=0.1, what="evaluation to be mid-stream")
        handled_at_kill = await _handled(env) - handled_before
        await kill_service(env, "evaluation")
        await asyncio.sleep(2.0)  # events keep arriving while it is down
        restart = time.monotonic()
        await start_service(env, "evaluation")
        restart_seconds = time.monotonic() - restart
        ids = await flows
        settle_seconds = await settle(env, timeout=300)
        account = await account_events(env, since)
        applied = await evaluation_counts(env, ids, kit.item["code"], before)

    figures: dict[str, Any] = {
        "applications": n,
        "handled_before_kill": handled_at_kill,
        **account.figures(),
        "applied_twice": applied["applied_twice"],
        "not_applied": applied["not_applied"],
        "restart_s": round(restart_seconds, 1),
        "settle_s": round(settle_seconds, 1),
    }
    problems = []
    if not account.exact:
        problems.append("event accounting not exact: " + "; ".join(account.missing_examples[:4]))
    if applied["applied_twice"] or applied["not_applied"] or applied["service_events"] != n:
        problems.append(f"evaluation applied: {applied}")
    notes = "; ".join(problems) or (
        f"quick: {n} applications (full: {FULL_FLOWS}), ack wait {QUICK_ACK_WAIT:g} s (full: 60 s)"
        if env.quick
        else ""
    )
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not problems,
        figures=figures,
        notes=notes,
        seconds=time.monotonic() - start,
    )
