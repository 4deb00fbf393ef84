"""Intake flow benchmark: complete flows (submit → accept → hand over → approve → complete →
deliver) through the gateway, real processes, on SQLite and (with --postgres) on PostgreSQL.

One run per backend:
  1. starts the whole platform as processes (tools/devstack.Platform: a nats-server of its own,
     every service, the gateway) on fresh databases in a temp dir, with the identity and catalogue
     demo data loaded as `make run` does;
  2. waits until a demo item of 区民政局 reached intake-svc through NATS;
  3. logs in the demo window clerk and approver once, then runs `--flows` complete flows with
     `--concurrency` flows in flight, each step one HTTP call through the gateway;
  4. prints flows per second and p50 / p95 / max per step, and stops everything.

    .venv/bin/python bench/intake_flow/run.py [--flows 200] [--concurrency 8]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--json FILE] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools"))

from devstack import SERVICES, Platform, free_port  # noqa: E402

STEPS = ("submit", "accept", "hand_over", "approve", "complete", "deliver")
API = "/api/intake/v1"


async def _login(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
    resp = await gw.post("/api/identity/v1/auth/login", json={"username": username, "password": "Demo#2026"})
    resp.raise_for_status()
    return {"Authorization": "Bearer " + resp.json()["access_token"]}


async def _catalog_items(gw: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every item in intake's catalog read model, page by page (a page holds at most 200)."""
    items: list[dict[str, Any]] = []
    while True:
        resp = await gw.get(f"{API}/catalog-items", params={"limit": 200, "offset": len(items)})
        resp.raise_for_status()
        page = resp.json()
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


async def _demo_item(gw: httpx.AsyncClient) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for item in await _catalog_items(gw):
            if item["owner_unit_code"] != "110105-MZJ":
                continue
            full = (await gw.get(f"{API}/catalog-items/{item['code']}")).json()
            if full["elements"].get("handling_type") == "2":
                return dict(full)
        await asyncio.sleep(0.5)
    raise RuntimeError("no demo item of 区民政局 reached intake-svc")


def _materials(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]


async def citizen_id(gw: httpx.AsyncClient, clerk: dict[str, str], phone: str = "13810000003") -> str:
    """The demo citizen's account id, looked up at the window by phone as a clerk finds a walk-in."""
    body = {"phone": phone, "reason": "压测：窗口代办申请"}
    resp = await gw.post("/api/identity/v1/persons/lookup", headers=clerk, json=body)
    resp.raise_for_status()
    return str(resp.json()["id"])


async def _wait_org_units(
    gw: httpx.AsyncClient, clerk: dict[str, str], item: dict[str, Any], applicant: str
) -> None:
    """Org units reach intake by events too: wait until the clerk's window is known."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        resp = await gw.post(
            f"{API}/applications",
            headers=clerk,
            json={
                "item_code": item["code"],
                "applicant": {"id": applicant},
                "materials": _materials(item),
            },
        )
        resp.raise_for_status()
        app = resp.json()
        await gw.post(f"{API}/applications/{app['id']}/withdraw", headers=clerk, json={"reason": "预热"})
        if app["intake_unit_code"] == "110105-ZWFW-W01":
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("org units never reached intake-svc")


async def _flow(
    gw: httpx.AsyncClient,
    n: int,
    item: dict[str, Any],
    clerk: dict[str, str],
    approver: dict[str, str],
    timings: dict[str, list[float]],
    applicant: str,
) -> None:
    async def call(step: str, path: str, headers: dict[str, str], body: Any) -> dict[str, Any]:
        t0 = time.perf_counter()
        resp = await gw.post(path, json=body, headers=headers)
        timings[step].append(time.perf_counter() - t0)
        if resp.status_code >= 300:
            raise RuntimeError(f"{step}: {resp.status_code} {resp.text[:300]}")
        return dict(resp.json())

    app = await call(
        "submit",
        f"{API}/applications",
        {**clerk, "Idempotency-Key": f"bench-{n}"},
        {
            "item_code": item["code"],
            "applicant": {"id": applicant},
            "materials": _materials(item),
        },
    )
    base = f"{API}/applications/{app['id']}"
    await call("accept", f"{base}/accept", clerk, None)
    await call("hand_over", f"{base}/hand-over", clerk, None)
    await call("approve", f"{base}/approve", approver, {"reasons": "符合条件"})
    await call("complete", f"{base}/complete", approver, {"result_name": "审批结果通知书"})
    await call(
        "deliver",
        f"{base}/deliver",
        clerk,
        {"mode": "post", "carrier": "EMS", "tracking_no": f"EA{n:09d}CN", "address": "朝阳区"},
    )


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_backend(label: str, plat: Platform, flows: int, concurrency: int) -> dict[str, Any]:
    """Run the flows against a started platform; the figures."""
    async with httpx.AsyncClient(base_url=plat.gateway_url, timeout=60) as gw:
        item = await _demo_item(gw)
        clerk, approver = await _login(gw, "clerk"), await _login(gw, "approver")
        applicant = await citizen_id(gw, clerk)
        await _wait_org_units(gw, clerk, item, applicant)
        timings: dict[str, list[float]] = {s: [] for s in STEPS}
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(flows):
            queue.put_nowait(n)

        async def worker() -> None:
            while not queue.empty():
                await _flow(gw, queue.get_nowait(), item, clerk, approver, timings, applicant)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    result = {
        "backend": label,
        "flows": flows,
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "flows_per_second": round(flows / elapsed, 2),
        "steps_ms": {
            s: {
                "p50": round(statistics.median(v) * 1000, 1),
                "p95": round(_pct(v, 0.95) * 1000, 1),
                "max": round(max(v) * 1000, 1),
            }
            for s, v in timings.items()
        },
    }
    print(
        f"\n{label}: {flows} flows, concurrency {concurrency}: {elapsed:.1f} s, "
        f"{result['flows_per_second']} flows/s"
    )
    print(f"  {'step':<10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for s, f in result["steps_ms"].items():  # type: ignore[union-attr]
        print(f"  {s:<10} {f['p50']:>8} {f['p95']:>8} {f['max']:>8}")
    return result


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Run on SQLite, then PostgreSQL when given."""
    results = []
    backends = ["sqlite"] + (["postgres"] if args.postgres else [])
    for backend in backends:
        urls: dict[str, str] = {}
        if backend == "postgres":
            os.environ["TEST_POSTGRES_URL"] = args.postgres
            from yiwang_shared.testing.databases import create_postgres_database

            for svc in SERVICES:
                urls[svc.name] = await create_postgres_database(f"yiwang_bench_{svc.name}")
        var_dir = Path(tempfile.mkdtemp(prefix=f"intake-bench-{backend}-"))
        plat = Platform(
            var_dir=var_dir,
            nats_url=f"nats://127.0.0.1:{free_port()}",
            gateway_port=free_port(),
            ports={s.name: free_port() for s in SERVICES},
            database_urls=urls,
            extra_env={
                "GATEWAY_RATE_LIMIT_PER_SECOND": "100000",
                "GATEWAY_RATE_LIMIT_BURST": "100000",
                "IDENTITY_ARGON2_TIME_COST": "1",
                "IDENTITY_ARGON2_MEMORY_COST_KIB": "8192",
                "INTAKE_STORAGE_DIR": str(var_dir / "files"),
                # One clerk files every application: the per-clerk contact budget must not throttle.
                "IDENTITY_CONTACT_LIMIT_PER_MINUTE": "1000000",
                "IDENTITY_CONTACT_LIMIT_PER_HOUR": "1000000",
                "INTAKE_LOG_LEVEL": "WARNING",
                "CATALOG_LOG_LEVEL": "WARNING",
                "GATEWAY_LOG_LEVEL": "WARNING",
                "IDENTITY_LOG_LEVEL": "WARNING",
            },
        )
        try:
            plat.ensure_nats()
            plat.load_demo()
            plat.start()
            results.append(await run_backend(backend, plat, args.flows, args.concurrency))
        finally:
            plat.stop()
            if backend == "postgres":
                from yiwang_shared.testing.databases import drop_postgres_database

                for url in urls.values():
                    await drop_postgres_database(url)
            if args.keep:
                print(f"  kept {var_dir}")
    return results


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--flows", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--postgres", default=None, help="PostgreSQL server URL (a fresh database per service)"
    )
    parser.add_argument("--json", default=None, help="Write the figures here too")
    parser.add_argument("--keep", action="store_true", help="Keep the temp dir (logs)")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
