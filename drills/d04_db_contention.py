"""Drill 4 — database contention: 50 concurrent writers for 60 seconds (15 in quick mode) through the
gateway, a write-heavy mix over three services, and not one failed request.

Writers take turns at three writes: a hotline ticket filed by the agent (hotline-svc), an
application submitted at the window by the clerk (intake-svc, a fresh Idempotency-Key each), and a
rating (evaluation-svc: the clerk registers a window visit, the window's rating pad fetches its
one-time code, then the visitor rates with the code, no login). Every response must be 2xx; the
figures count responses by status and give the write rate and the slowest answer.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from typing import Any

import httpx

from .env import DrillEnv
from .result import DrillResult
from .support import INTAKE, flow_kit, gateway, login

NUMBER = 4
NAME = "database contention"
WRITERS = 50
QUICK_SECONDS, FULL_SECONDS = 15.0, 60.0

TICKET = {
    "request_type": "complaint",
    "channel": "phone",
    "category_code": "noise",
    "title": "夜间施工噪音",
    "description": "小区旁工地夜间施工，噪音扰民。",
    "caller_name": "王芳",
    "caller_phone": "13810000003",
    "street_code": "110105001",
    "attributes": {"noise_period": "night"},
}


async def run(env: DrillEnv) -> DrillResult:
    """Run the drill on the started platform."""
    start = time.monotonic()
    seconds = QUICK_SECONDS if env.quick else FULL_SECONDS
    statuses: Counter[str] = Counter()
    errors: list[str] = []
    slowest = 0.0
    async with gateway(env, timeout=30, connections=WRITERS + 10) as gw:
        kit = await flow_kit(gw)
        agent = await login(gw, "agent")

        async def call(kind: str, method: str, path: str, **kw: Any) -> httpx.Response | None:
            nonlocal slowest
            t0 = time.monotonic()
            try:
                resp = await gw.request(method, path, **kw)
            except httpx.HTTPError as exc:
                statuses[f"{kind}:{type(exc).__name__}"] += 1
                errors.append(f"{kind}: {type(exc).__name__}")
                return None
            slowest = max(slowest, time.monotonic() - t0)
            statuses[f"{kind}:{resp.status_code}"] += 1
            if not 200 <= resp.status_code < 300:
                errors.append(f"{kind}: {resp.status_code} {resp.text[:160]}")
                return None
            return resp

        async def ticket() -> None:
            await call("ticket", "POST", "/api/hotline/v1/tickets", headers=agent, json=TICKET)

        async def application() -> None:
            await call(
                "application",
                "POST",
                f"{INTAKE}/applications",
                headers={**kit.clerk, "Idempotency-Key": f"d4-{uuid.uuid4().hex}"},
                json={
                    "item_code": kit.item["code"],
                    "applicant": {"id": kit.applicant_id},
                    "materials": kit.materials,
                },
            )

        pads: dict[str, tuple[str, str]] = {}  # window → the rating pad the office registered there

        async def rating() -> None:
            visit = await call(
                "visit",
                "POST",
                "/api/evaluation/v1/window-visits",
                headers=kit.clerk,
                json={"item_code": kit.item["code"], "item_name": kit.item["name"]},
            )
            if visit is None:
                return
            event = visit.json()
            window = event["window_code"]
            if window not in pads:  # the clerk never gets a code: the window's pad fetches it
                pad = await call(
                    "pad",
                    "POST",
                    "/api/evaluation/v1/rating-devices",
                    headers=await login(gw, "evaluator"),
                    json={"window_code": window},
                )
                if pad is None:
                    return
                pads.setdefault(window, (pad.json()["device"]["id"], pad.json()["secret"]))
            device, secret = pads[window]
            shown = await call(
                "pad-code",
                "POST",
                f"/api/evaluation/v1/rating-devices/{device}/code",
                json={"secret": secret, "service_event_id": event["id"]},
            )
            if shown is None:
                return
            await call(
                "rating",
                "POST",
                f"/api/evaluation/v1/service-events/{event['id']}/rating",
                json={
                    "level": random.randint(1, 3),
                    "channel": "device",
                    "code": shown.json()["rating_code"],
                },
            )

        mix = (ticket, application, rating)
        deadline = time.monotonic() + seconds

        async def writer(i: int) -> None:
            turn = i
            while time.monotonic() < deadline:
                await mix[turn % len(mix)]()
                turn += 1

        t0 = time.monotonic()
        await asyncio.gather(*(writer(i) for i in range(WRITERS)))
        elapsed = time.monotonic() - t0

    total = sum(statuses.values())
    ok = sum(n for key, n in statuses.items() if key.rsplit(":", 1)[1].startswith("2"))
    failed = total - ok
    figures: dict[str, Any] = {
        "writers": WRITERS,
        "run_s": round(elapsed, 1),
        "requests": total,
        "writes_per_s": round(total / elapsed, 1) if elapsed else 0,
        "failed": failed,
        "slowest_s": round(slowest, 2),
        **{key: n for key, n in sorted(statuses.items())},
    }
    notes = "; ".join(sorted(set(errors))[:4])
    if not notes and env.quick:
        notes = f"quick: {seconds:g} s (full: {FULL_SECONDS:g} s)"
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=failed == 0 and total > 0,
        figures=figures,
        notes=notes,
        seconds=time.monotonic() - start,
    )
