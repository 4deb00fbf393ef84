"""Drill 5 — a service down: kill -9 hotline-svc under load; the gateway answers 503 naming the
service within its timeout, no request hangs, and traffic recovers by itself when it returns.

Clients keep calling the hotline through the gateway (the agent's ticket list) and, as a control,
the catalogue. While hotline-svc is dead every hotline answer must be a 503 problem naming it, and
every answer must come within the gateway's upstream timeout plus one second; the catalogue must
keep answering 200. Then hotline-svc starts again (the gateway is not touched) and the drill
measures how long until the first 2xx through the gateway.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import httpx

from .env import DrillEnv
from .result import DrillResult
from .support import gateway, kill_service, login, start_service

NUMBER = 5
NAME = "service down"
SERVICE = "hotline"
CLIENTS = 20
GATEWAY_TIMEOUT = 10.0  # the gateway's upstream_timeout_seconds (default; the drill platform keeps it)
QUICK_DOWN, FULL_DOWN = 5.0, 30.0
TARGET = "/api/hotline/v1/tickets?limit=5"
CONTROL = "/api/catalog/v1/items?limit=5"


async def run(env: DrillEnv) -> DrillResult:
    """Run the drill on the started platform."""
    start = time.monotonic()
    down_seconds = QUICK_DOWN if env.quick else FULL_DOWN
    statuses: Counter[str] = Counter()
    problems: list[str] = []
    slowest_down = 0.0
    async with gateway(env, timeout=GATEWAY_TIMEOUT + 5, connections=CLIENTS * 2 + 4) as gw:
        agent = await login(gw, "agent")
        warm = await gw.get(TARGET, headers=agent)
        if warm.status_code != 200:
            raise RuntimeError(f"hotline not answering before the drill: {warm.status_code}")

        await kill_service(env, SERVICE)
        killed_at = time.monotonic()
        phase = {"down": True}
        first_ok: list[float] = []

        async def client(path: str, kind: str, until: float | None) -> None:
            nonlocal slowest_down
            while (until is None and not first_ok) or (until is not None and time.monotonic() < until):
                down = phase["down"]
                t0 = time.monotonic()
                try:
                    resp = await gw.get(path, headers=agent)
                except httpx.HTTPError as exc:
                    statuses[f"{kind}:{type(exc).__name__}"] += 1
                    problems.append(f"{kind}: {type(exc).__name__} after {time.monotonic() - t0:.1f} s")
                    continue
                took = time.monotonic() - t0
                statuses[f"{kind}:{resp.status_code}"] += 1
                if took > GATEWAY_TIMEOUT + 1:
                    problems.append(f"{kind}: answered after {took:.1f} s")
                if kind == "control":
                    if resp.status_code != 200:
                        problems.append(f"control: {resp.status_code}")
                    continue
                if 200 <= resp.status_code < 300:
                    if down:
                        problems.append("2xx while the service was dead")
                    elif not first_ok:
                        first_ok.append(time.monotonic())
                    continue
                if down:
                    slowest_down = max(slowest_down, took)
                _check_unavailable(resp, problems)
                await asyncio.sleep(0.05)

        down_until = killed_at + down_seconds
        await asyncio.gather(
            *(client(TARGET, "target", down_until) for _ in range(CLIENTS)),
            client(CONTROL, "control", down_until),
        )
        phase["down"] = False
        restart = time.monotonic()
        starting = asyncio.create_task(start_service(env, SERVICE))
        pollers = asyncio.gather(*(client(TARGET, "target", None) for _ in range(4)))
        await starting
        ready = time.monotonic()
        try:
            await asyncio.wait_for(pollers, timeout=60)
        except TimeoutError:
            problems.append("no 2xx within 60 s of the service being ready")
        recovered = first_ok[0] if first_ok else None

    down_answers = sum(n for k, n in statuses.items() if k.startswith("target:") and not k.endswith(":200"))
    figures: dict[str, Any] = {
        "clients": CLIENTS,
        "down_s": down_seconds,
        "answers_while_down": down_answers,
        "max_answer_s": round(slowest_down, 3),
        "restart_to_healthy_s": round(ready - restart, 1),
        "healthy_to_first_2xx_s": round(recovered - ready, 2) if recovered else "never",
        **{k: n for k, n in sorted(statuses.items())},
    }
    unique = sorted(set(problems))
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not problems and recovered is not None and down_answers > 0,
        figures=figures,
        notes="; ".join(unique[:4]) + (f" (+{len(unique) - 4} more)" if len(unique) > 4 else ""),
        seconds=time.monotonic() - start,
    )


def _check_unavailable(resp: httpx.Response, problems: list[str]) -> None:
    """A dead service's answer: 503, a problem document that names the service."""
    if resp.status_code != 503:
        problems.append(f"target: {resp.status_code} instead of 503: {resp.text[:120]}")
        return
    if not resp.headers.get("content-type", "").startswith("application/problem+json"):
        problems.append("503 without a problem document")
        return
    body = resp.json()
    if body.get("service") != SERVICE and f"{SERVICE}-svc" not in str(body.get("detail", "")):
        problems.append(f"503 does not name {SERVICE}: {body}")
