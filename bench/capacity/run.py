"""Capacity benchmark: sustained throughput of the main flows, one process of each service on
PostgreSQL, with the CPU seconds each process spends per flow — the figures sizing is made from.

One run:
  1. a fresh PostgreSQL database per service, a nats-server of its own, the demo data loaded as
     `make run` does, and the platform started as processes (tools/devstack.Platform) with the
     production argon2 cost (logins cost what they cost in production);
  2. waits until the demo catalogue and org units reached intake and hotline through NATS;
  3. for each flow, `--concurrency` clients repeat it through the gateway for `--duration`
     seconds (after a short warm-up); the flows:
       intake      submit → accept → hand over → approve → complete → deliver   (6 calls)
       hotline     create (dispatched by the rules) → respond → reply → call-back → close (5)
       evaluation  window visit (clerk) → the pad's one-time code → rating with it (3)
       search      catalogue search GET /items?q=… (the demo catalogue)           (1)
       login       POST /auth/login of the demo staff                              (1)
  4. prints flows/s, p50 / p95 of a whole flow, the CPU seconds per flow of every process
     (gateway, each service, nats-server, the PostgreSQL backends serving our databases; read
     from /proc), what the run added to PostgreSQL and JetStream per flow, and the earlier
     single-flow bench figures beside them.

    .venv/bin/python bench/capacity/run.py [--duration 60] [--concurrency 8] [--quick]
        [--flows intake,hotline,evaluation,search,login] [--postgres URL] [--json FILE] [--sizing]
    .venv/bin/python bench/capacity/run.py --sqlite --flows intake,hotline --duration 30

`--sqlite`: SQLite files in a temp dir instead of PostgreSQL (the database's CPU is then inside the
services' processes; the sizing table assumes PostgreSQL).
`--quick`: 10 s per flow. `--sizing` also prints the sizing table of RESULTS.md computed from the
figures just measured (or from `--from-json FILE` without running anything).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import nats

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools"))

from devstack import SERVICES, Platform, free_port  # noqa: E402

DEMO_PASSWORD = "Demo#2026"
MZJ = "110105-MZJ"
TICK = os.sysconf("SC_CLK_TCK")
FLOWS = ("intake", "hotline", "evaluation", "search", "login")
QUERIES = ["高龄津贴", "低保", "老年人", "残疾人", "护理补贴", "临时救助", "养老", "出生", "就业", "营业执照"]
NOISE = {
    "request_type": "complaint",
    "channel": "phone",
    "category_code": "noise",
    "title": "夜间施工噪声",
    "description": "工地每晚23点后仍施工。",
    "caller_name": "王女士",
    "caller_phone": "13812345678",
    "street_code": "110105001",
    "attributes": {"noise_period": "night"},
}
#: What earlier benches measured for the same work (bench/*/README.md, PostgreSQL, this machine).
REFERENCE = {
    "intake": "bench/intake_flow: 4.6–7.7 flows/s (200 flows, concurrency 8)",
    "hotline": "bench/hotline: 15 ticket creations/s (concurrency 8; creation only)",
    "evaluation": "bench/evaluation: 130 ratings/s in-process (submit_rating only, no HTTP)",
    "search": "bench/catalog_search: p95 17.9 ms over 10,000 items (one client)",
    "login": "no earlier figure; argon2id 2 passes × 19 MiB × 1 lane per login (ADR 0009)",
}


# --- CPU accounting from /proc -------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    """utime + stime of one process in clock ticks (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def descendants(root: int) -> list[int]:
    """root and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


@dataclass
class CpuMeter:
    """CPU seconds of the platform's processes and of PostgreSQL's backends for our databases."""

    plat: Platform
    pg_url: str | None  # None on SQLite: the database runs inside the services' processes
    databases: list[str]
    start: dict[str, dict[int, int]] = field(default_factory=dict)
    started_at: float = 0.0
    #: CPU seconds per second each group burns with no traffic (polls, pull loops, timers).
    idle: dict[str, float] = field(default_factory=dict)

    def groups(self) -> dict[str, list[int]]:
        groups = {name: descendants(p.pid) for name, p in self.plat.procs.items()}
        if self.plat.nats_proc is not None:
            groups["nats"] = [self.plat.nats_proc.pid]
        return groups

    async def pg_backends(self) -> list[int]:
        if self.pg_url is None:
            return []
        conn = await asyncpg.connect(self.pg_url)
        try:
            rows = await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[])", self.databases
            )
        finally:
            await conn.close()
        return [r["pid"] for r in rows]

    async def begin(self) -> None:
        self.start = {g: {p: cpu_ticks(p) for p in pids} for g, pids in self.groups().items()}
        self.start["postgres"] = {p: cpu_ticks(p) for p in await self.pg_backends()}
        self.start["load generator"] = {os.getpid(): cpu_ticks(os.getpid())}
        self.started_at = time.monotonic()

    async def measure_idle(self, seconds: float) -> None:
        """Record what each group burns with no traffic, to subtract it from the flows'."""
        await self.begin()
        await asyncio.sleep(seconds)
        raw = await self.end(subtract_idle=False)
        self.idle = {g: v / seconds for g, v in raw.items()}

    async def end(self, *, subtract_idle: bool = True) -> dict[str, float]:
        """CPU seconds per group since begin(), less the idle rate over that time."""
        elapsed = time.monotonic() - self.started_at
        now = self.groups()
        now["postgres"] = await self.pg_backends()
        now["load generator"] = [os.getpid()]
        out = {}
        for g, pids in now.items():
            before = self.start.get(g, {})
            used = sum(max(cpu_ticks(p) - before.get(p, 0), 0) for p in pids) / TICK
            idle = self.idle.get(g, 0.0) * elapsed if subtract_idle else 0.0
            out[g] = max(used - idle, 0.0)
        return out


# --- what a run adds to storage ------------------------------------------------------------------


def sqlite_bytes(var_dir: Path) -> int:
    """The SQLite databases' size on disk, write-ahead logs included."""
    return sum(f.stat().st_size for f in var_dir.glob("*.db*") if f.is_file())


async def pg_bytes(pg_url: str, databases: list[str]) -> int:
    conn = await asyncpg.connect(pg_url)
    try:
        rows = await conn.fetch(
            "SELECT sum(pg_database_size(datname)) AS b FROM pg_database WHERE datname = ANY($1::text[])",
            databases,
        )
    finally:
        await conn.close()
    return int(rows[0]["b"] or 0)


async def nats_bytes(url: str) -> tuple[int, int]:
    """(bytes, messages) over every stream."""
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        total_b = total_m = 0
        for info in await js.streams_info():
            total_b += info.state.bytes
            total_m += info.state.messages
        return total_b, total_m
    finally:
        await nc.close()


# --- the flows ----------------------------------------------------------------------------------


@dataclass
class Ctx:
    """Tokens and demo data every flow needs."""

    gw: httpx.AsyncClient
    tokens: dict[str, dict[str, str]]
    item: dict[str, Any]
    seq: int = 0
    #: The demo citizen every window application is filed for.
    applicant_id: str = ""
    #: The rating pad (评价器) of the clerk's window: id and secret (the office registers it once).
    pad: tuple[str, str] | None = None

    def next(self) -> int:
        self.seq += 1
        return self.seq


class FlowError(RuntimeError):
    """A call of a flow did not answer as expected."""


async def call(
    ctx: Ctx, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None
) -> Any:
    resp = await ctx.gw.request(method, path, json=body, headers=headers or {})
    if resp.status_code >= 300:
        raise FlowError(f"{method} {path}: {resp.status_code} {resp.text[:300]}")
    return resp.json()


def materials(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]


async def intake_flow(ctx: Ctx) -> None:
    n, t = ctx.next(), ctx.tokens
    app = await call(
        ctx,
        "POST",
        "/api/intake/v1/applications",
        {**t["clerk"], "Idempotency-Key": f"cap-{uuid.uuid4().hex}"},
        {
            "item_code": ctx.item["code"],
            "applicant": {"id": ctx.applicant_id},
            "materials": materials(ctx.item),
        },
    )
    base = f"/api/intake/v1/applications/{app['id']}"
    await call(ctx, "POST", f"{base}/accept", t["clerk"], {})
    await call(ctx, "POST", f"{base}/hand-over", t["clerk"], {})
    await call(ctx, "POST", f"{base}/approve", t["approver"], {"reasons": "符合条件"})
    await call(ctx, "POST", f"{base}/complete", t["approver"], {"result_name": "审批结果通知书"})
    await call(
        ctx,
        "POST",
        f"{base}/deliver",
        t["clerk"],
        {"mode": "post", "carrier": "EMS", "tracking_no": f"EA{n:09d}CN", "address": "朝阳区"},
    )


async def hotline_flow(ctx: Ctx) -> None:
    t = ctx.tokens
    ticket = await call(ctx, "POST", "/api/hotline/v1/tickets", t["agent"], NOISE)
    base = f"/api/hotline/v1/tickets/{ticket['id']}"
    await call(ctx, "POST", f"{base}/respond", t["handler"], {})
    await call(ctx, "POST", f"{base}/reply", t["handler"], {"reply": "已约谈施工方。"})
    await call(ctx, "POST", f"{base}/call-back", t["agent"], {"resolved": True, "satisfaction": "satisfied"})
    await call(ctx, "POST", f"{base}/close", t["supervisor"], {})


async def evaluation_flow(ctx: Ctx) -> None:
    n = ctx.next()
    visit = await call(
        ctx,
        "POST",
        "/api/evaluation/v1/window-visits",
        ctx.tokens["clerk"],
        {"item_code": ctx.item["code"], "item_name": ctx.item["name"]},
    )
    if ctx.pad is None:  # the evaluation office registers the window's rating pad once
        pad = await call(
            ctx,
            "POST",
            "/api/evaluation/v1/rating-devices",
            ctx.tokens["evaluator"],
            {"window_code": visit["window_code"]},
        )
        ctx.pad = (pad["device"]["id"], pad["secret"])
    # The code goes to the pad, never to the clerk; the window's terminal names the visit.
    shown = await call(
        ctx,
        "POST",
        f"/api/evaluation/v1/rating-devices/{ctx.pad[0]}/code",
        None,
        {"secret": ctx.pad[1], "service_event_id": visit["id"]},
    )
    # One rating in ten is bad (不满意), which opens a bad-review case, as in real traffic.
    await call(
        ctx,
        "POST",
        f"/api/evaluation/v1/service-events/{visit['id']}/rating",
        None,
        {"level": 4 if n % 10 == 0 else 1, "channel": "device", "code": shown["rating_code"]},
    )


async def search_flow(ctx: Ctx) -> None:
    q = QUERIES[ctx.next() % len(QUERIES)]
    resp = await ctx.gw.get("/api/catalog/v1/items", params={"q": q, "limit": 20})
    if resp.status_code != 200:
        raise FlowError(f"search {q}: {resp.status_code} {resp.text[:200]}")


LOGINS = ("clerk", "approver", "agent", "handler", "supervisor", "evaluator", "dispatcher", "editor")


async def login_flow(ctx: Ctx) -> None:
    user = LOGINS[ctx.next() % len(LOGINS)]
    await call(
        ctx, "POST", "/api/identity/v1/auth/login", None, {"username": user, "password": DEMO_PASSWORD}
    )


FLOW_FUNCS: dict[str, Callable[[Ctx], Awaitable[None]]] = {
    "intake": intake_flow,
    "hotline": hotline_flow,
    "evaluation": evaluation_flow,
    "search": search_flow,
    "login": login_flow,
}
CALLS = {"intake": 6, "hotline": 5, "evaluation": 3, "search": 1, "login": 1}


# --- running ------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


async def sustain(ctx: Ctx, flow: str, seconds: float, concurrency: int) -> tuple[list[float], int, float]:
    """Repeat `flow` with `concurrency` clients for `seconds`; (latencies, errors, wall seconds)."""
    fn = FLOW_FUNCS[flow]
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds

    async def client() -> None:
        nonlocal errors
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                await fn(ctx)
            except (FlowError, httpx.HTTPError) as exc:
                errors += 1
                if errors <= 3:
                    print(f"    {flow}: {exc}", file=sys.stderr)
                continue
            latencies.append(time.perf_counter() - t0)

    t0 = time.monotonic()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies, errors, time.monotonic() - t0


async def login(gw: httpx.AsyncClient, user: str) -> dict[str, str]:
    data = await call(
        Ctx(gw, {}, {}),
        "POST",
        "/api/identity/v1/auth/login",
        None,
        {"username": user, "password": DEMO_PASSWORD},
    )
    return {"Authorization": "Bearer " + data["access_token"]}


async def until(check: Callable[[], Awaitable[Any]], what: str, timeout: float = 180) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = await check()
        if got:
            return got
        await asyncio.sleep(0.5)
    raise RuntimeError(f"timed out: {what}")


async def citizen_id(gw: httpx.AsyncClient, clerk: dict[str, str], phone: str = "13810000003") -> str:
    """The demo citizen's account id, looked up at the window by phone as a clerk finds a walk-in."""
    body = {"phone": phone, "reason": "压测：窗口代办申请"}
    resp = await gw.post("/api/identity/v1/persons/lookup", headers=clerk, json=body)
    resp.raise_for_status()
    return str(resp.json()["id"])


async def prepare(gw: httpx.AsyncClient) -> dict[str, Any]:
    """Wait until the demo catalogue and org units reached intake and hotline; the demo item."""

    async def find_item() -> dict[str, Any] | None:
        for item in (await gw.get("/api/intake/v1/catalog-items", params={"limit": 200})).json()["items"]:
            if item["owner_unit_code"] == MZJ:
                full = (await gw.get(f"/api/intake/v1/catalog-items/{item['code']}")).json()
                if full["elements"].get("handling_type") == "2":
                    return dict(full)
        return None

    item = await until(find_item, "demo item in intake")
    clerk, agent = await login(gw, "clerk"), await login(gw, "agent")

    async def window_known() -> bool:
        app = await call(
            Ctx(gw, {}, {}),
            "POST",
            "/api/intake/v1/applications",
            clerk,
            {
                "item_code": item["code"],
                "applicant": {"id": await citizen_id(gw, clerk)},
                "materials": materials(item),
            },
        )
        await gw.post(
            f"/api/intake/v1/applications/{app['id']}/withdraw", headers=clerk, json={"reason": "预热"}
        )
        return bool(app["intake_unit_code"] == "110105-ZWFW-W01")

    async def street_known() -> bool:
        resp = await gw.post("/api/hotline/v1/tickets", json=NOISE, headers=agent)
        return resp.status_code == 201

    await until(window_known, "org units in intake")
    await until(street_known, "org units in hotline")
    return dict(item)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start the platform, measure every flow, stop."""
    from yiwang_shared.testing.databases import create_postgres_database, drop_postgres_database

    var_dir = Path(tempfile.mkdtemp(prefix="capacity-"))
    pg_url = None if args.sqlite else args.postgres
    if pg_url is None:
        urls = {s.name: f"sqlite+aiosqlite:///{var_dir / s.name}.db" for s in SERVICES}
    else:
        os.environ["TEST_POSTGRES_URL"] = pg_url
        urls = {s.name: await create_postgres_database(f"yiwang_cap_{s.name}") for s in SERVICES}
    databases = [u.rsplit("/", 1)[1] for u in urls.values()]

    async def db_bytes() -> int:
        return sqlite_bytes(var_dir) if pg_url is None else await pg_bytes(pg_url, databases)

    plat = Platform(
        var_dir=var_dir,
        nats_url=f"nats://127.0.0.1:{free_port()}",
        gateway_port=free_port(),
        ports={s.name: free_port() for s in SERVICES},
        database_urls=urls,
        extra_env={
            "GATEWAY_RATE_LIMIT_PER_SECOND": "100000",
            "GATEWAY_RATE_LIMIT_BURST": "100000",
            "INTAKE_STORAGE_DIR": str(var_dir / "files"),
            # One clerk files every application: the per-clerk contact budget must not throttle.
            "IDENTITY_CONTACT_LIMIT_PER_MINUTE": "1000000",
            "IDENTITY_CONTACT_LIMIT_PER_HOUR": "1000000",
            **{f"{s.prefix}LOG_LEVEL": "WARNING" for s in SERVICES},
            "GATEWAY_LOG_LEVEL": "WARNING",
        },
    )
    results: dict[str, Any] = {
        "duration": args.duration,
        "concurrency": args.concurrency,
        "database": "sqlite" if pg_url is None else "postgres",
        "flows": {},
    }
    try:
        plat.ensure_nats()
        print("loading the demo data and starting the platform …", flush=True)
        plat.load_demo()
        plat.start()
        meter = CpuMeter(plat, pg_url, databases)
        async with httpx.AsyncClient(base_url=plat.gateway_url, timeout=60) as gw:
            item = await prepare(gw)
            await asyncio.sleep(2.0)
            await meter.measure_idle(5.0 if args.quick else 15.0)
            results["idle_cores"] = {g: round(v, 4) for g, v in sorted(meter.idle.items())}
            print("idle CPU (cores): " + ", ".join(f"{g} {v:.3f}" for g, v in sorted(meter.idle.items())))
            for flow in args.flows:
                tokens = {
                    u: await login(gw, u)
                    for u in ("clerk", "approver", "agent", "handler", "supervisor", "evaluator")
                }
                ctx = Ctx(gw, tokens, item, applicant_id=await citizen_id(gw, tokens["clerk"]))
                await sustain(ctx, flow, min(5.0, args.duration / 4), args.concurrency)  # warm-up
                await asyncio.sleep(1.0)  # let the relays and consumers drain the warm-up
                db0, (nb0, nm0) = await db_bytes(), await nats_bytes(plat.nats_url)
                await meter.begin()
                latencies, errors, wall = await sustain(ctx, flow, args.duration, args.concurrency)
                # Events are consumed asynchronously: give consumers time to finish this flow's.
                await asyncio.sleep(3.0)
                cpu = await meter.end()
                db1, (nb1, nm1) = await db_bytes(), await nats_bytes(plat.nats_url)
                done = len(latencies)
                results["flows"][flow] = {
                    "flows": done,
                    "errors": errors,
                    "seconds": round(wall, 1),
                    "flows_per_second": round(done / wall, 2),
                    "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
                    "p95_ms": round(pct(latencies, 0.95) * 1000, 1) if latencies else None,
                    "cpu_seconds_per_flow": {g: round(s / max(done, 1), 5) for g, s in sorted(cpu.items())},
                    "cpu_seconds_total": {g: round(s, 2) for g, s in sorted(cpu.items())},
                    "pg_bytes_per_flow": round((db1 - db0) / max(done, 1)),
                    "nats_bytes_per_flow": round((nb1 - nb0) / max(done, 1)),
                    "nats_messages_per_flow": round((nm1 - nm0) / max(done, 1), 2),
                    "load_average": os.getloadavg()[0],
                }
                report_flow(flow, results["flows"][flow])
    finally:
        plat.stop()
        if pg_url is not None:
            for url in urls.values():
                await drop_postgres_database(url)
        shutil.rmtree(var_dir, ignore_errors=True)  # logs, files and (--sqlite) the databases
    return results


SERVICE_OF = {
    "intake": "intake",
    "hotline": "hotline",
    "evaluation": "evaluation",
    "search": "catalog",
    "login": "identity",
}


def report_flow(flow: str, r: dict[str, Any]) -> None:
    print(
        f"\n{flow}: {r['flows']} flows in {r['seconds']} s = {r['flows_per_second']} flows/s "
        f"(p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, {r['errors']} errors, load {r['load_average']:.1f})"
    )
    print(f"  reference: {REFERENCE[flow]}")
    cpu = r["cpu_seconds_per_flow"]
    print("  CPU ms per flow: " + ", ".join(f"{g} {v * 1000:.1f}" for g, v in cpu.items() if v >= 0.0001))
    print(
        f"  per flow: database +{r['pg_bytes_per_flow']} B, JetStream +{r['nats_bytes_per_flow']} B "
        f"in {r['nats_messages_per_flow']} messages"
    )


def summary(results: dict[str, Any]) -> str:
    """The figures as a markdown table."""
    lines = [
        "| flow | calls | flows/s | p50 ms | p95 ms | CPU ms/flow: service | gateway | PostgreSQL | NATS | "
        "other services | ceiling flows/s per service core | PG bytes/flow | JetStream bytes/flow |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for flow, r in results["flows"].items():
        cpu = r["cpu_seconds_per_flow"]
        svc = SERVICE_OF[flow]
        others = sum(
            v for g, v in cpu.items() if g not in (svc, "gateway", "postgres", "nats", "load generator")
        )
        ms = {g: cpu.get(g, 0) * 1000 for g in (svc, "gateway", "postgres", "nats")}
        lines.append(
            f"| {flow} | {CALLS[flow]} | {r['flows_per_second']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{ms[svc]:.1f} | {ms['gateway']:.1f} | {ms['postgres']:.1f} | {ms['nats']:.2f} | "
            f"{others * 1000:.1f} | {1000 / ms[svc] if ms[svc] else float('inf'):.0f} | "
            f"{r['pg_bytes_per_flow']} | {r['nats_bytes_per_flow']} |"
        )
    return "\n".join(lines)


# --- sizing -------------------------------------------------------------------------------------

#: Load per 1 million residents: (flows per day, hours the day's load is spread over).
LOAD_PER_MILLION = {
    "intake": (4_800, 8),  # 1.2 applications per resident a year over 250 working days, office hours
    "hotline": (1_650, 16),  # 0.6 tickets per resident a year, every day, 16 busy hours of 24
    "evaluation": (6_000, 8),  # ratings: most applications and tickets, plus window visits
    "search": (100_000, 14),  # catalogue searches (portal, app, windows)
    "login": (40_000, 14),  # logins: citizens following cases, staff starting shifts
}
PEAK_FACTOR = 3.0  # peak hour over the average busy hour (Monday mornings, month ends)
TARGET_UTILISATION = 0.6  # size CPU so the peak uses 60 %: head-room for bursts and one replica lost
MIN_REPLICAS = 2  # never fewer, so a node or a rollout never takes a service away
SERVICE_FLOWS = {
    "gateway": list(FLOWS),
    "identity": ["login"],
    "catalog": ["search"],
    "intake": ["intake"],
    "hotline": ["hotline"],
    "evaluation": ["evaluation"],
}


def sizing(results: dict[str, Any], residents_millions: float) -> dict[str, Any]:
    """Peak rates, CPU cores and replicas per process type, PostgreSQL and NATS figures."""
    flows = results["flows"]
    peak = {
        f: LOAD_PER_MILLION[f][0] * residents_millions / (LOAD_PER_MILLION[f][1] * 3600) * PEAK_FACTOR
        for f in flows
    }
    cores: dict[str, float] = {}
    for group in ("gateway", "identity", "catalog", "intake", "hotline", "evaluation", "postgres", "nats"):
        # Every flow's CPU in every process counts (consumers of other services' events too).
        cores[group] = sum(peak[f] * flows[f]["cpu_seconds_per_flow"].get(group, 0.0) for f in flows)
        # Plus what the processes burn with no traffic (polls, pull loops), for the minimum replicas.
        cores[group] += results.get("idle_cores", {}).get(group, 0.0) * (
            MIN_REPLICAS if group in SERVICE_FLOWS else 1
        )
    replicas = {
        g: max(MIN_REPLICAS, math.ceil(cores[g] / TARGET_UTILISATION))  # one Python process ≈ one core
        for g in SERVICE_FLOWS
    }
    daily = {f: LOAD_PER_MILLION[f][0] * residents_millions for f in flows}
    pg_year = sum(daily[f] * flows[f]["pg_bytes_per_flow"] for f in flows) * 365
    nats_day = sum(daily[f] * flows[f]["nats_bytes_per_flow"] for f in flows)
    return {
        "peak_flows_per_second": {f: round(v, 2) for f, v in peak.items()},
        "cores_at_peak": {g: round(v, 2) for g, v in cores.items()},
        "replicas": replicas,
        "postgres_cores": math.ceil(cores["postgres"] / TARGET_UTILISATION),
        "postgres_gb_per_year": round(pg_year / 1e9, 1),
        "nats_gb_per_day": round(nats_day / 1e9, 2),
        "nats_messages_per_second_peak": round(
            sum(peak[f] * flows[f]["nats_messages_per_flow"] for f in flows), 1
        ),
    }


def sizing_table(results: dict[str, Any]) -> str:
    """Markdown: the sizing of a district (1 M) and a city (20 M) from the measured figures."""
    d, c = sizing(results, 1.0), sizing(results, 20.0)
    lines = [
        "| | district, 1 M residents | city, 20 M residents |",
        "| --- | --- | --- |",
    ]
    for f in results["flows"]:
        lines.append(
            f"| peak {f} flows/s | {d['peak_flows_per_second'][f]} | {c['peak_flows_per_second'][f]} |"
        )
    for g in SERVICE_FLOWS:
        lines.append(
            f"| {g}: replicas (cores at peak) | {d['replicas'][g]} ({d['cores_at_peak'][g]}) | "
            f"{c['replicas'][g]} ({c['cores_at_peak'][g]}) |"
        )
    pg_d, pg_c = d["cores_at_peak"]["postgres"], c["cores_at_peak"]["postgres"]
    msg_d, msg_c = d["nats_messages_per_second_peak"], c["nats_messages_per_second_peak"]
    lines += [
        f"| PostgreSQL cores at 60 % (cores at peak) | {d['postgres_cores']} ({pg_d}) | "
        f"{c['postgres_cores']} ({pg_c}) |",
        f"| PostgreSQL growth, GB/year | {d['postgres_gb_per_year']} | {c['postgres_gb_per_year']} |",
        f"| NATS cores at peak | {d['cores_at_peak']['nats']} | {c['cores_at_peak']['nats']} |",
        f"| NATS messages/s at peak | {msg_d} | {msg_c} |",
        f"| JetStream growth, GB/day | {d['nats_gb_per_day']} | {c['nats_gb_per_day']} |",
    ]
    return "\n".join(lines)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per flow (default 60)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients per flow (default 8)")
    parser.add_argument("--quick", action="store_true", help="10 s per flow")
    parser.add_argument(
        "--flows", default=",".join(FLOWS), help="comma-separated subset of " + ",".join(FLOWS)
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server URL (a fresh database per service is created and dropped)",
    )
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="SQLite files in a temp dir instead of PostgreSQL (the database's CPU is then in the services')",
    )
    parser.add_argument("--json", default=None, help="write the figures here too")
    parser.add_argument("--sizing", action="store_true", help="print the sizing table too")
    parser.add_argument("--from-json", default=None, help="skip the run; use figures written by --json")
    args = parser.parse_args()
    args.flows = [f.strip() for f in args.flows.split(",") if f.strip()]
    unknown = [f for f in args.flows if f not in FLOWS]
    if unknown:
        parser.error(f"unknown flows {unknown}; choose from {', '.join(FLOWS)}")
    if args.quick:
        args.duration = 10.0
    if args.from_json:
        results = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
    else:
        results = asyncio.run(run(args))
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print("\n" + summary(results))
    if args.sizing:
        print("\n" + sizing_table(results))


if __name__ == "__main__":
    main()
