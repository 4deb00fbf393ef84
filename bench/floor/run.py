"""Every step of every flow as a multiple of the floor (issue 19): SQL statements, CPU and latency of
each write step, on SQLite and (with --postgres) PostgreSQL — the figure each later change is
judged by.

One run per database:
  1. a fresh database per service (SQLite files in a temp dir, or fresh PostgreSQL databases,
     dropped at the end), a nats-server of its own, the demo data loaded as `make run` does, and
     the platform started as processes (tools/devstack.Platform) with `YIWANG_COUNT_SQL=1`, so
     every answer carries `X-SQL-Statements`; beside it **the floor** (bench/floor/floor_app.py: a
     minimal FastAPI app under uvicorn, one INSERT and one SELECT per request on the same kind of
     database) as a process of its own;
  2. waits for the demo catalogue and org units (bench/capacity's `prepare`, through the gateway),
     warms every step up, and measures what each process burns idle (CPU, statements);
  3. measures the floor, then each step `--n` times, one request at a time, straight to the
     service's own port (not the gateway, see bench/gateway): the intake flow (submit, accept,
     hand-over, approve, complete, deliver), the hotline round (create, respond, reply, call-back,
     close), evaluation (window visit, the pad's code, rating); then the floor again;
  4. per step: the request's SQL statements (its header), the statements run in the background
     because of it (outbox relays, consumers in every service: the growth of every process's
     `X-SQL-Statements-Total` less the requests' and the idle polls'), the serving process's CPU per
     request (/proc/<pid>/stat utime+stime over the step and a settling pause, less its idle rate)
     and p50 / p95 latency, each beside the floor's as a multiple, and issue 19's targets
     (≤ 8 statements per write step, ≤ 3× the floor's CPU) marked met / not met.

    .venv/bin/python bench/floor/run.py [--n 100] [--floor-n 400]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--json FILE] [--keep]
    .venv/bin/python bench/floor/run.py --from-json FILE     # the tables again, nothing run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools"))

from devstack import SERVICES, Platform, free_port, wait_http  # noqa: E402

from yiwang_shared.db import COUNT_SQL_ENV  # noqa: E402
from yiwang_shared.testing.nats import NatsServer  # noqa: E402

#: Issue 19's targets for every write step.
TARGET_STATEMENTS = 8
TARGET_CPU_X = 3.0
LABEL = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
FLOOR = "floor"


sys.path.insert(0, str(REPO / "bench"))
from capacity_module import load_capacity, measuring_env  # noqa: E402

cap = load_capacity()


# --- the steps ----------------------------------------------------------------------------------


class StepError(RuntimeError):
    """A request of a step did not answer as expected."""


@dataclass
class Step:
    """One write step: the process that serves it and its i-th request."""

    name: str
    service: str
    call: Callable[[int], Awaitable[httpx.Response]]


@dataclass
class Ctx:
    """What the steps need: a client per process, the demo users' tokens, the demo data."""

    clients: dict[str, httpx.AsyncClient]
    tokens: dict[str, dict[str, str]]
    item: dict[str, Any]
    applicant_id: str
    #: The rating pad of the clerk's window: id and secret (registered once, at the warm-up).
    pad: tuple[str, str] | None = None
    seq: int = 0

    async def post(
        self, service: str, path: str, headers: dict[str, str] | None, body: Any
    ) -> httpx.Response:
        """POST `body` to a process; a StepError unless it answers 2xx."""
        resp = await self.clients[service].post(path, json=body, headers=headers or {})
        if resp.status_code >= 300:
            raise StepError(f"{service} POST {path}: {resp.status_code} {resp.text[:300]}")
        return resp


def floor_steps(ctx: Ctx) -> list[Step]:
    """The floor's one request."""

    async def floor(i: int) -> httpx.Response:
        return await ctx.post(FLOOR, "/floor", None, {"text": f"floor {i}"})

    return [Step("floor (INSERT + SELECT)", FLOOR, floor)]


def intake_steps(ctx: Ctx) -> list[Step]:
    """submit → accept → hand-over → approve → complete → deliver; step k works on what k-1 made."""
    t, apps = ctx.tokens, list[str]()

    def base(i: int) -> str:
        return f"/v1/applications/{apps[i]}"

    async def submit(_i: int) -> httpx.Response:
        ctx.seq += 1
        body = {
            "item_code": ctx.item["code"],
            "applicant": {"id": ctx.applicant_id},
            "materials": cap.materials(ctx.item),
        }
        key = {"Idempotency-Key": f"floor-{os.getpid()}-{ctx.seq}"}
        resp = await ctx.post("intake", "/v1/applications", {**t["clerk"], **key}, body)
        apps.append(resp.json()["id"])
        return resp

    async def accept(i: int) -> httpx.Response:
        return await ctx.post("intake", f"{base(i)}/accept", t["clerk"], {})

    async def hand_over(i: int) -> httpx.Response:
        return await ctx.post("intake", f"{base(i)}/hand-over", t["clerk"], {})

    async def approve(i: int) -> httpx.Response:
        return await ctx.post("intake", f"{base(i)}/approve", t["approver"], {"reasons": "符合条件"})

    async def complete(i: int) -> httpx.Response:
        body = {"result_name": "审批结果通知书"}
        return await ctx.post("intake", f"{base(i)}/complete", t["approver"], body)

    async def deliver(i: int) -> httpx.Response:
        body = {
            "mode": "post",
            "carrier": "EMS",
            "tracking_no": f"EA{ctx.seq + i:09d}CN",
            "address": "朝阳区",
        }
        return await ctx.post("intake", f"{base(i)}/deliver", t["clerk"], body)

    pairs = [
        ("submit", submit),
        ("accept", accept),
        ("hand-over", hand_over),
        ("approve", approve),
        ("complete", complete),
        ("deliver", deliver),
    ]
    return [Step(f"intake {name}", "intake", fn) for name, fn in pairs]


def hotline_steps(ctx: Ctx) -> list[Step]:
    """create (dispatched by the rules) → respond → reply → call-back → close."""
    t, tickets = ctx.tokens, list[str]()

    async def create(_i: int) -> httpx.Response:
        resp = await ctx.post("hotline", "/v1/tickets", t["agent"], cap.NOISE)
        tickets.append(resp.json()["id"])
        return resp

    def act(action: str, user: str, body: dict[str, Any]) -> Callable[[int], Awaitable[httpx.Response]]:
        async def call(i: int) -> httpx.Response:
            return await ctx.post("hotline", f"/v1/tickets/{tickets[i]}/{action}", t[user], body)

        return call

    return [
        Step("hotline create", "hotline", create),
        Step("hotline respond", "hotline", act("respond", "handler", {})),
        Step("hotline reply", "hotline", act("reply", "handler", {"reply": "已约谈施工方。"})),
        Step(
            "hotline call-back",
            "hotline",
            act("call-back", "agent", {"resolved": True, "satisfaction": "satisfied"}),
        ),
        Step("hotline close", "hotline", act("close", "supervisor", {})),
    ]


def evaluation_steps(ctx: Ctx) -> list[Step]:
    """A window visit, the pad's one-time code for it, the rating with that code (one in ten bad,
    which opens a bad-review case, as bench/capacity does)."""
    visits: list[str] = []
    codes: list[str] = []

    async def visit(_i: int) -> httpx.Response:
        body = {"item_code": ctx.item["code"], "item_name": ctx.item["name"]}
        resp = await ctx.post("evaluation", "/v1/window-visits", ctx.tokens["clerk"], body)
        visits.append(resp.json()["id"])
        if ctx.pad is None:  # the evaluation office registers the window's rating pad once
            window = {"window_code": resp.json()["window_code"]}
            pad = (await ctx.post("evaluation", "/v1/rating-devices", ctx.tokens["evaluator"], window)).json()
            ctx.pad = (pad["device"]["id"], pad["secret"])
        return resp

    async def code(i: int) -> httpx.Response:
        assert ctx.pad is not None
        body = {"secret": ctx.pad[1], "service_event_id": visits[i]}
        resp = await ctx.post("evaluation", f"/v1/rating-devices/{ctx.pad[0]}/code", None, body)
        codes.append(resp.json()["rating_code"])
        return resp

    async def rating(i: int) -> httpx.Response:
        body = {"level": 4 if i % 10 == 0 else 1, "channel": "device", "code": codes[i]}
        return await ctx.post("evaluation", f"/v1/service-events/{visits[i]}/rating", None, body)

    return [
        Step("evaluation window visit", "evaluation", visit),
        Step("evaluation pad code", "evaluation", code),
        Step("evaluation rating", "evaluation", rating),
    ]


FLOWS: dict[str, Callable[[Ctx], list[Step]]] = {
    "intake": intake_steps,
    "hotline": hotline_steps,
    "evaluation": evaluation_steps,
}
#: Steps the issue names as write steps of a flow (the pad's code is measured, not judged).
JUDGED_OUT = frozenset({"floor (INSERT + SELECT)", "evaluation pad code"})


# --- measuring ----------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads) in seconds."""
    ticks: int = cap.cpu_ticks(pid)
    return ticks / float(cap.TICK)


@dataclass
class Meter:
    """CPU and SQL statement counts of the counted processes (services and the floor)."""

    ctx: Ctx
    pids: dict[str, int]
    #: CPU seconds and statements per second each process spends with no traffic.
    idle_cpu: dict[str, float] = field(default_factory=dict)
    idle_sql: dict[str, float] = field(default_factory=dict)

    async def totals(self) -> dict[str, int]:
        """Every process's statements so far (its /healthz answer says, and costs none)."""
        out = {}
        for name in self.pids:
            resp = await self.ctx.clients[name].get("/healthz")
            out[name] = int(resp.headers["x-sql-statements-total"])
        return out

    def cpu(self) -> dict[str, float]:
        return {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    async def measure_idle(self, seconds: float) -> None:
        sql0, cpu0, t0 = await self.totals(), self.cpu(), time.monotonic()
        await asyncio.sleep(seconds)
        cpu1, elapsed = self.cpu(), time.monotonic() - t0
        sql1 = await self.totals()
        self.idle_cpu = {n: (cpu1[n] - cpu0[n]) / elapsed for n in self.pids}
        self.idle_sql = {n: (sql1[n] - sql0[n]) / elapsed for n in self.pids}

    async def step(self, step: Step, n: int, settle: float) -> dict[str, Any]:
        """Run `step` n times one at a time; its figures per request."""
        sql0, cpu0, t0 = await self.totals(), self.cpu(), time.monotonic()
        latencies: list[float] = []
        statements: list[int] = []
        for i in range(n):
            start = time.perf_counter()
            resp = await step.call(i)
            latencies.append(time.perf_counter() - start)
            statements.append(int(resp.headers["x-sql-statements"]))
        # What the step set off after answering (the relay, consumers) belongs to it too.
        await asyncio.sleep(settle)
        cpu1, elapsed = self.cpu(), time.monotonic() - t0
        sql1 = await self.totals()
        load = os.getloadavg()[0]

        def used(name: str) -> float:
            return max(cpu1[name] - cpu0[name] - self.idle_cpu[name] * elapsed, 0.0)

        others = [p for p in self.pids if p not in (step.service, FLOOR)]
        grown = sum(sql1[p] - sql0[p] - self.idle_sql[p] * elapsed for p in self.pids)
        return {
            "n": n,
            "service": step.service,
            "statements": round(statistics.mean(statements), 2),
            "statements_min": min(statements),
            "statements_max": max(statements),
            "background_statements": round(max(grown - sum(statements), 0.0) / n, 2),
            "cpu_ms": round(used(step.service) / n * 1000, 3),
            "cpu_ms_other_services": round(sum(used(p) for p in others) / n * 1000, 3),
            "p50_ms": round(statistics.median(latencies) * 1000, 2),
            "p95_ms": round(cap.pct(latencies, 0.95) * 1000, 2),
            "seconds": round(elapsed, 2),
            "load_average": round(load, 2),
        }


# --- the run ------------------------------------------------------------------------------------


def platform(var_dir: Path, nats_url: str, urls: dict[str, str]) -> Platform:
    """The platform on `urls` (SQLite files under var_dir where none is given), counting SQL."""
    return Platform(
        var_dir=var_dir,
        nats_url=nats_url,
        gateway_port=free_port(),
        ports={s.name: free_port() for s in SERVICES},
        database_urls=urls,
        extra_env={
            **measuring_env(var_dir, [s.prefix for s in SERVICES]),
            COUNT_SQL_ENV: "1",
            # One clerk's visits rated back to back would all be flagged as a burst (held for the
            # evaluation office): a clerk's ratings come minutes apart, so measure the usual path.
            "EVALUATION_BURST_RATINGS": "10000",
        },
    )


def start_floor(var_dir: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    """bench/floor/floor_app.py as a process of its own, counting SQL like the services."""
    log = open(var_dir / "logs" / "floor.log", "ab")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "floor_app.py"), "--database-url", url, "--port", str(port)],
        env={**os.environ, COUNT_SQL_ENV: "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=REPO,
    )
    wait_http(f"http://127.0.0.1:{port}/healthz", proc=proc)
    return proc


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def setup(plat: Platform, clients: dict[str, httpx.AsyncClient]) -> Ctx:
    """Wait for the demo data through the gateway (as bench/capacity does); log the users in."""
    async with httpx.AsyncClient(base_url=plat.gateway_url, timeout=60) as gw:
        item = await cap.prepare(gw)
        users = ("clerk", "approver", "agent", "handler", "supervisor", "evaluator")
        tokens = {u: await cap.login(gw, u) for u in users}
        applicant = await cap.citizen_id(gw, tokens["clerk"])
    return Ctx(clients, tokens, item, applicant)


async def warm_up(ctx: Ctx, n: int, flows: list[str]) -> None:
    """Every step n times, unmeasured (first imports, statement caches, pools); the first window
    visit waits until evaluation knows the clerk's window (org units arrive as events)."""
    first = evaluation_steps(ctx)[0]
    await cap.until(lambda: _succeeds(first.call(0)), "the clerk's window in evaluation-svc", 120)
    for flow in (floor_steps, *(FLOWS[name] for name in flows)):
        for step in flow(ctx):
            for i in range(n):
                await step.call(i)


async def _succeeds(call: Awaitable[httpx.Response]) -> bool:
    try:
        await call
    except StepError:
        return False
    return True


async def measure(meter: Meter, args: argparse.Namespace) -> dict[str, Any]:
    """The floor, every step, the floor again; the figures with the ratios to the floor."""
    floor = floor_steps(meter.ctx)[0]
    before = await meter.step(floor, args.floor_n, args.settle)
    print(f"  floor: {before['cpu_ms']} ms CPU, p50 {before['p50_ms']} ms", flush=True)
    steps: dict[str, dict[str, Any]] = {}
    for name in args.flows:
        for step in FLOWS[name](meter.ctx):
            steps[step.name] = await meter.step(step, args.n, args.settle)
            s = steps[step.name]
            print(
                f"  {step.name}: {s['statements']} statements (+{s['background_statements']} background), "
                f"{s['cpu_ms']} ms CPU, p50 {s['p50_ms']} ms, load {s['load_average']}",
                flush=True,
            )
    after = await meter.step(floor, args.floor_n, args.settle)
    print(f"  floor again: {after['cpu_ms']} ms CPU, p50 {after['p50_ms']} ms", flush=True)
    ref = {k: statistics.mean([before[k], after[k]]) for k in ("cpu_ms", "p50_ms", "p95_ms", "statements")}
    the_floor = {**before, **{k: round(v, 3) for k, v in ref.items()}, "before": before, "after": after}
    for s in steps.values():
        s["cpu_x"] = round(s["cpu_ms"] / ref["cpu_ms"], 2) if ref["cpu_ms"] else None
        s["p50_x"] = round(s["p50_ms"] / ref["p50_ms"], 2) if ref["p50_ms"] else None
        s["p95_x"] = round(s["p95_ms"] / ref["p95_ms"], 2) if ref["p95_ms"] else None
    return {"floor": the_floor, "steps": steps}


async def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    """Start the platform and the floor on one database, measure, stop and clean up."""
    from yiwang_shared.testing import databases

    urls: dict[str, str] = {}
    var_dir = Path(tempfile.mkdtemp(prefix=f"floor-bench-{backend}-"))
    floor_url = f"sqlite+aiosqlite:///{var_dir / 'floor.db'}"
    if backend == "postgres":
        os.environ[databases.TEST_POSTGRES_URL_ENV] = args.postgres
        for svc in SERVICES:
            urls[svc.name] = await databases.create_postgres_database(f"yiwang_floor_{svc.name}")
        floor_url = await databases.create_postgres_database("yiwang_floor_floor")
    server = NatsServer(store_dir=str(var_dir / "nats"))
    plat = platform(var_dir, server.url, urls)
    floor_proc: subprocess.Popen[bytes] | None = None
    clients: dict[str, httpx.AsyncClient] = {}
    try:
        (var_dir / "nats").mkdir()
        (var_dir / "logs").mkdir()
        server.start()
        print(f"\n{LABEL[backend]}: loading the demo data and starting the platform …", flush=True)
        plat.load_demo()
        plat.start()
        floor_port = free_port()
        floor_proc = start_floor(var_dir, floor_url, floor_port)
        bases = {s.name: plat.service_url(s.name) for s in SERVICES}
        bases[FLOOR] = f"http://127.0.0.1:{floor_port}"
        clients = {name: httpx.AsyncClient(base_url=url, timeout=60) for name, url in bases.items()}
        ctx = await setup(plat, clients)
        await warm_up(ctx, args.warmup, args.flows)
        pids = {s.name: plat.procs[s.name].pid for s in SERVICES}
        pids[FLOOR] = floor_proc.pid
        meter = Meter(ctx, pids)
        await asyncio.sleep(args.settle)
        await meter.measure_idle(args.idle)
        print(
            "  idle CPU (ms/s): "
            + ", ".join(f"{n} {v * 1000:.1f}" for n, v in meter.idle_cpu.items())
            + "; idle statements/s: "
            + ", ".join(f"{n} {v:.1f}" for n, v in meter.idle_sql.items()),
            flush=True,
        )
        figures = await measure(meter, args)
        figures["idle_cpu_ms_per_s"] = {n: round(v * 1000, 2) for n, v in meter.idle_cpu.items()}
        figures["idle_statements_per_s"] = {n: round(v, 2) for n, v in meter.idle_sql.items()}
        return figures
    finally:
        for client in clients.values():
            await client.aclose()
        stop(floor_proc)
        plat.stop()
        server.stop()
        if backend == "postgres":
            for url in [*urls.values(), floor_url]:
                await databases.drop_postgres_database(url)
        if args.keep:
            print(f"  kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


# --- the report ---------------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "not met")


def table(backend: str, figures: dict[str, Any]) -> str:
    """Markdown: one row per step, the floor first."""
    f = figures["floor"]
    head = [
        "step",
        "SQL statements",
        "+ background",
        f"≤ {TARGET_STATEMENTS}",
        "CPU ms",
        "× floor",
        f"≤ {TARGET_CPU_X:g}×",
        "p50 ms",
        "× floor",
        "p95 ms",
        "× floor",
    ]
    lines = [
        f"{LABEL[backend]} — floor {f['cpu_ms']:.2f} ms CPU (before {f['before']['cpu_ms']:.2f}, after "
        f"{f['after']['cpu_ms']:.2f}), p50 {f['p50_ms']:.2f} ms; n = {f['n']} floor requests, "
        f"{next(iter(figures['steps'].values()))['n']} per step",
        "",
        "| " + " | ".join(head) + " |",
        "|" + " --- |" * len(head),
        f"| floor (INSERT + SELECT) | {f['statements']:g} | — | — | {f['cpu_ms']:.2f} | 1.0 | — | "
        f"{f['p50_ms']:.2f} | 1.0 | {f['p95_ms']:.2f} | 1.0 |",
    ]
    for name, s in figures["steps"].items():
        judged = name not in JUDGED_OUT
        stmts = f"{s['statements']:g}" + (
            f" ({s['statements_min']}–{s['statements_max']})"
            if s["statements_min"] != s["statements_max"]
            else ""
        )
        lines.append(
            f"| {name} | {stmts} | {s['background_statements']:g} | "
            f"{verdict(s['statements'] <= TARGET_STATEMENTS if judged else None)} | "
            f"{s['cpu_ms']:.2f} | {s['cpu_x']} | "
            f"{verdict(s['cpu_x'] <= TARGET_CPU_X if judged and s['cpu_x'] is not None else None)} | "
            f"{s['p50_ms']:.2f} | {s['p50_x']} | {s['p95_ms']:.2f} | {s['p95_x']} |"
        )
    judged_steps = [s for n, s in figures["steps"].items() if n not in JUDGED_OUT]
    met_sql = sum(1 for s in judged_steps if s["statements"] <= TARGET_STATEMENTS)
    met_cpu = sum(1 for s in judged_steps if s["cpu_x"] is not None and s["cpu_x"] <= TARGET_CPU_X)
    lines += [
        "",
        f"Targets (issue 19): ≤ {TARGET_STATEMENTS} statements met by {met_sql} of {len(judged_steps)} "
        f"write steps; ≤ {TARGET_CPU_X:g}× the floor's CPU met by {met_cpu} of {len(judged_steps)}.",
    ]
    return "\n".join(lines)


def side_by_side(results: dict[str, Any]) -> str:
    """Markdown: every database in one table, each figure as `value (× floor)`."""
    backends = list(results)
    labels = "/".join(LABEL[b] for b in backends)
    head = [
        "step",
        f"statements {labels}",
        f"+ background {labels}",
        *[f"CPU ms {LABEL[b]} (× floor)" for b in backends],
        *[f"p50 ms {LABEL[b]} (× floor)" for b in backends],
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    floors = [results[b]["floor"] for b in backends]
    lines.append(
        "| floor (INSERT + SELECT) | "
        + "/".join(f"{f['statements']:g}" for f in floors)
        + " | — | "
        + " | ".join(f"{f['cpu_ms']:.2f}" for f in floors)
        + " | "
        + " | ".join(f"{f['p50_ms']:.2f}" for f in floors)
        + " |"
    )
    for name in results[backends[0]]["steps"]:
        rows = [results[b]["steps"][name] for b in backends]
        lines.append(
            f"| {name} | "
            + "/".join(f"{r['statements']:g}" for r in rows)
            + " | "
            + "/".join(f"{r['background_statements']:g}" for r in rows)
            + " | "
            + " | ".join(f"{r['cpu_ms']:.2f} ({r['cpu_x']}×)" for r in rows)
            + " | "
            + " | ".join(f"{r['p50_ms']:.2f} ({r['p50_x']}×)" for r in rows)
            + " |"
        )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    """SQLite, then PostgreSQL when given."""
    results: dict[str, Any] = {}
    for backend in ["sqlite"] + (["postgres"] if args.postgres else []):
        results[backend] = await run_backend(backend, args)
        print("\n" + table(backend, results[backend]), flush=True)
    return results


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100, help="requests per step (default 100)")
    parser.add_argument("--floor-n", type=int, default=0, help="requests per floor measurement (4 × n)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured requests per step first")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measurement (default 10)")
    parser.add_argument("--settle", type=float, default=1.5, help="seconds after each step, counted in it")
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL: run there too")
    parser.add_argument("--json", default=None, help="write the figures here too")
    parser.add_argument("--from-json", default=None, help="run nothing: print the tables of a --json file")
    parser.add_argument(
        "--flows", default=",".join(FLOWS), help="the flows to measure, comma-separated (default: all)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dirs (logs, SQLite files)")
    args = parser.parse_args()
    if args.n < 1 or args.warmup < 1:
        parser.error("--n and --warmup take at least 1")
    args.floor_n = args.floor_n or 4 * args.n
    args.flows = [f.strip() for f in args.flows.split(",") if f.strip()]
    if unknown := set(args.flows) - set(FLOWS):
        parser.error(f"--flows: unknown {', '.join(sorted(unknown))}; known: {', '.join(FLOWS)}")
    if args.from_json:
        results = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        print("\n\n".join(table(b, f) for b, f in results.items()))
    else:
        results = asyncio.run(main_async(args))
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    if len(results) > 1:
        print("\n" + side_by_side(results))


if __name__ == "__main__":
    main()
