"""Drill 1 — broker crash: kill -9 the NATS server twice while applications flow, restart it on the
same port and store, and account for every event from outbox to stream to each consumer.

While N applications go submit → accept → hand over → approve → complete through the gateway
(intake's events feed evaluation), the admin creates organisation units (identity's events feed
catalog, intake, hotline and evaluation) and the hotline agent files tickets (hotline's events feed
evaluation). NATS is killed at one third and two thirds of the flows and started again a second
later. Afterwards: every outbox row is on its stream once, every durable consumer recorded every
event of its subjects once, evaluation holds exactly one submitted and one completed fact and one
service event per application, and every read model holds every new unit once.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx

from .env import DrillEnv
from .result import DrillResult
from .support import (
    QUICK_ACK_WAIT,
    account_events,
    evaluation_counts,
    evaluation_snapshot,
    flow_kit,
    gateway,
    login,
    marks,
    nats_server,
    query,
    run_flows,
    set_ack_wait,
    settle,
)

NUMBER = 1
NAME = "broker crash"
QUICK_FLOWS, FULL_FLOWS = 300, 10_000
SIDE_WRITES = 6  # org units and tickets, spread over the flows
ORG_READ_MODELS = ("catalog", "intake", "hotline", "evaluation")


async def crash_broker(env: DrillEnv, down_seconds: float = 1.0) -> None:
    """kill -9 nats-server, leave it down a moment, start it on the same port and store."""
    server = nats_server(env)
    await asyncio.to_thread(server.kill)
    await asyncio.sleep(down_seconds)
    await asyncio.to_thread(server.start)


async def _district_id(gw: httpx.AsyncClient) -> str:
    tree = (await gw.get("/api/identity/v1/org-units/tree")).json()["roots"]
    return str(next(n["id"] for n in tree if n["kind"] == "district"))


async def _side_writes(gw: httpx.AsyncClient, parent: str, tag: str, i: int) -> tuple[str, int]:
    """One new org unit (identity → every org read model) and one ticket (hotline → evaluation)."""
    admin, agent = await login(gw, "admin"), await login(gw, "agent")  # fresh: runs can outlast a token
    code = f"DRL{tag}{i}"
    unit = await gw.post(
        "/api/identity/v1/org-units",
        headers=admin,
        json={"code": code, "name": f"演练单位{i}", "kind": "department", "parent_id": parent},
    )
    if unit.status_code != 201:
        raise RuntimeError(f"org unit: {unit.status_code} {unit.text[:200]}")
    ticket = await gw.post(
        "/api/hotline/v1/tickets",
        headers=agent,
        json={
            "request_type": "complaint",
            "channel": "phone",
            "category_code": "noise",
            "title": f"夜间施工噪音{i}",
            "description": "小区旁工地夜间施工，噪音扰民。",
            "caller_name": "王芳",
            "caller_phone": "13810000003",
            "street_code": "110105001",
            "attributes": {"noise_period": "night"},
        },
    )
    return code, ticket.status_code


async def run(env: DrillEnv) -> DrillResult:
    """Run the drill on the started platform."""
    start = time.monotonic()
    n = QUICK_FLOWS if env.quick else FULL_FLOWS
    tag = uuid.uuid4().hex[:6].upper()
    async with gateway(env) as gw:
        kit = await flow_kit(gw)
        parent = await _district_id(gw)
        await settle(env)
        if env.quick:
            await set_ack_wait(env, QUICK_ACK_WAIT)
        since = await marks(env)
        before = await evaluation_snapshot(env, kit.item["code"])

        crashes: list[asyncio.Task[None]] = []
        side: list[asyncio.Task[tuple[str, int]]] = []
        crash_at = {n // 3, 2 * n // 3}
        side_at = {max(1, n * k // (SIDE_WRITES + 1)) for k in range(1, SIDE_WRITES + 1)}

        async def progress(done: int) -> None:
            if done in crash_at:
                crash_at.discard(done)
                crashes.append(asyncio.create_task(crash_broker(env)))
            if done in side_at:
                side_at.discard(done)
                side.append(asyncio.create_task(_side_writes(gw, parent, tag, len(side))))

        flows_start = time.monotonic()
        ids = await run_flows(gw, kit, n, concurrency=8, on_progress=progress)
        flow_seconds = time.monotonic() - flows_start
        await asyncio.gather(*crashes)
        written = await asyncio.gather(*side)
        settle_seconds = await settle(env, timeout=300 if env.quick else 1200)

        account = await account_events(env, since)
        applied = await evaluation_counts(env, ids, kit.item["code"], before)
        codes = [code for code, _ in written]
        org_rows: dict[str, int] = {}
        for svc in ORG_READ_MODELS:
            rows = await query(env, svc, f"SELECT code FROM org_units WHERE code LIKE 'DRL{tag}%'")
            org_rows[svc] = len(rows)
        tickets_ok = sum(1 for _, status in written if status == 201)

    figures: dict[str, Any] = {
        "applications": n,
        "broker_kills": len(crashes),
        **account.figures(),
        "applied_twice": applied["applied_twice"],
        "not_applied": applied["not_applied"],
        "org_units": len(codes),
        "tickets": tickets_ok,
        "flows_s": round(flow_seconds, 1),
        "settle_s": round(settle_seconds, 1),
    }
    problems = []
    if not account.exact:
        problems.append("event accounting not exact: " + "; ".join(account.missing_examples[:4]))
    if applied["applied_twice"] or applied["not_applied"] or applied["service_events"] != n:
        problems.append(f"evaluation applied: {applied}")
    wrong_orgs = {s: c for s, c in org_rows.items() if c != len(codes)}
    if wrong_orgs:
        problems.append(f"org read models hold {wrong_orgs} of {len(codes)} new units")
    if tickets_ok != len(written):
        problems.append(f"only {tickets_ok} of {len(written)} tickets were created")
    bounded = (
        f"quick: {n} applications (full: {FULL_FLOWS}), ack wait {QUICK_ACK_WAIT:g} s (full: 60 s)"
        if env.quick
        else ""
    )
    notes = "; ".join(problems) or bounded
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not problems,
        figures=figures,
        notes=notes,
        seconds=time.monotonic() - start,
    )
