"""Drill 10 — rate limits: a second gateway process with a low configured rate, pointed at the same
services, takes a burst from one client; the admitted rate must be the configured one within
±10 %, every refusal a 429 problem with `Retry-After`, and another client unaffected."""

from __future__ import annotations

import asyncio
import subprocess
import time

import httpx

from .env import DrillEnv
from .result import DrillResult
from .security_support import Logins, bearer, devstack, problem_issue

NUMBER = 10
NAME = "rate limits"

RATE = 20.0  # tokens a second per client, for the drill's gateway
BURST = 10.0
TOLERANCE = 0.10
CONCURRENCY = 8


def _start_gateway(env: DrillEnv, port: int) -> subprocess.Popen[bytes]:
    gw_env = env.platform.gateway_env()
    gw_env.update(
        {
            "GATEWAY_PORT": str(port),
            "GATEWAY_RATE_LIMIT_PER_SECOND": str(RATE),
            "GATEWAY_RATE_LIMIT_BURST": str(BURST),
            "GATEWAY_WORKERS": "1",  # buckets are per worker process
        }
    )
    log_dir = env.platform.var_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / "gateway-drill10.log", "ab") as log:
        return subprocess.Popen(
            [devstack.PYTHON, "-m", "gateway"],
            env=gw_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=devstack.REPO,
        )


async def _burst(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], seconds: float
) -> list[httpx.Response]:
    """Send requests from CONCURRENCY tasks for `seconds`; every response."""
    out: list[httpx.Response] = []
    stop = time.monotonic() + seconds

    async def worker() -> None:
        while time.monotonic() < stop:
            out.append(await client.get(path, headers=headers))

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return out


async def run(env: DrillEnv) -> DrillResult:
    """Measure the admitted rate under a burst against the configured one."""
    start = time.monotonic()
    seconds = 5.0 if env.quick else 20.0
    failures: list[str] = []
    port = devstack.free_port()
    proc = _start_gateway(env, port)
    try:
        devstack.wait_http(f"http://127.0.0.1:{port}/healthz", timeout=30, proc=proc)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            logins = Logins(httpx.AsyncClient(base_url=env.gateway_url, timeout=30))
            token_a = await logins.token("citizen")
            token_b = await logins.token("admin")
            await logins.client.aclose()
            path = "/api/catalog/v1/basic-items?limit=1"
            t0 = time.monotonic()
            responses = await _burst(client, path, bearer(token_a), seconds)
            elapsed = time.monotonic() - t0
            other = await client.get(path, headers=bearer(token_b))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    admitted = sum(1 for r in responses if r.status_code == 200)
    limited = [r for r in responses if r.status_code == 429]
    others = [r.status_code for r in responses if r.status_code not in (200, 429)]
    expected = BURST + RATE * elapsed
    measured_rate = (admitted - BURST) / elapsed
    if abs(measured_rate - RATE) > TOLERANCE * RATE:
        failures.append(f"admitted {measured_rate:.1f}/s, configured {RATE:.0f}/s")
    if not limited:
        failures.append("no request was limited")
    bad_429 = [r for r in limited if not r.headers.get("retry-after", "").isdigit() or problem_issue(r)]
    if bad_429:
        failures.append(f"{len(bad_429)} 429s without Retry-After or problem body")
    if others:
        failures.append(f"unexpected statuses {sorted(set(others))}")
    if other.status_code != 200:
        failures.append(f"another client was refused ({other.status_code}) while the first was limited")
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not failures,
        figures={
            "cases tried": len(responses) + 1,
            "failed": len(bad_429) + len(others) + (other.status_code != 200),
            "configured/s": RATE,
            "admitted/s": round(measured_rate, 1),
            "admitted": admitted,
            "expected": round(expected),
            "429s": len(limited),
        },
        notes="; ".join(failures)
        or f"drill gateway at {RATE:.0f}/s burst {BURST:.0f}, {seconds:.0f} s burst",
        seconds=time.monotonic() - start,
    )
