"""Cost as data grows (issue 19): every list, supervision, indicator and ranking GET of intake-svc,
hotline-svc and evaluation-svc timed with 10,000 and with 1,000,000 applications, tickets and
ratings in the databases; the target is each within 2× of its time at 10,000.

Per database (SQLite files in a temp dir; PostgreSQL too with --postgres, fresh databases made and
dropped) and per size (--sizes):
  1. fresh databases per service, a nats-server of its own, the demo data loaded as `make run`
     does, the platform started once so the read models fill (catalogue, org units, staff) and
     stopped again;
  2. the history generated straight into intake's, hotline's and evaluation's databases
     (bench/scale/generate.py: bulk INSERTs / COPY, one process per service), timed;
  3. the platform started on it; the on-demand background passes run once (they must find
     nothing left to do: the data is what a platform that kept up holds) and timed; the demo users
     logged in; every query of bench/scale/queries.py timed `--n` times after `--warmup`, one
     request at a time, straight to the service's port: p50 / p95 ms and the answer's size;
  4. one table per database: query | p50 at the smallest size | p50 at the largest | ratio |
     ≤ 2× met / not met (and `--json FILE`; `--from-json FILE` prints the tables again).

    .venv/bin/python bench/scale/run.py [--sizes 10000,1000000] [--n 20]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--json FILE]
    .venv/bin/python bench/scale/run.py --sizes 2000,20000 --n 5      # quick (ratio per 10×)
    .venv/bin/python bench/scale/run.py --from-json FILE
    .venv/bin/python bench/scale/run.py --reuse DIR,DIR    # the data of earlier --keep runs, again
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(HERE))

from capacity_module import load_capacity, measuring_env  # noqa: E402
from devstack import SERVICES, Platform, free_port  # noqa: E402
from generate import (  # noqa: E402
    Item,
    Person,
    Plans,
    Staff,
    World,
    generate,
    local_day,
    make_plans,
    synthetic_persons,
    synthetic_staff,
)
from queries import Query, queries  # noqa: E402

from yiwang_shared.tables import outbox  # noqa: E402
from yiwang_shared.testing.nats import NatsServer  # noqa: E402

cap = load_capacity()
LABEL = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
#: What a --keep run leaves beside its databases for --reuse.
STATE_FILE = "scale-state.json"
TARGET_X = 2.0
GROWN = ("intake", "hotline", "evaluation")
#: The demo citizens (identity's demo): phone (their login) and name.
CITIZENS = (("13810000001", "张伟"), ("13810000002", "李娜"), ("13810000003", "王芳"))
USERS = ("supervisor", "clerk", "approver", "agent", "handler", "evaluator")


# --- the platform -----------------------------------------------------------------------------------


def platform(var_dir: Path, nats_url: str, urls: dict[str, str]) -> Platform:
    """The platform on `urls` (SQLite files under var_dir where none is given)."""
    return Platform(
        var_dir=var_dir,
        nats_url=nats_url,
        gateway_port=free_port(),
        ports={s.name: free_port() for s in SERVICES},
        database_urls=urls,
        extra_env=measuring_env(var_dir, [s.prefix for s in SERVICES]),
    )


async def drain(plat: Platform, timeout: float = 180) -> None:
    """Wait until every outbox row is relayed and no durable consumer has anything pending."""
    engines = {s.name: create_async_engine(plat.database_url(s)) for s in SERVICES}
    query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            unpublished = 0
            for engine in engines.values():
                async with engine.connect() as conn:
                    unpublished += int((await conn.execute(query)).scalar_one())
            nc = await nats.connect(plat.nats_url)
            try:
                js = nc.jetstream()
                backlog = 0
                for stream in await js.streams_info():
                    for info in await js.consumers_info(stream.config.name or ""):
                        backlog += (info.num_pending or 0) + (info.num_ack_pending or 0)
            finally:
                await nc.close()
            if unpublished == 0 and backlog == 0:
                return
            await asyncio.sleep(0.5)
        print("  warning: events still pending", file=sys.stderr)
    finally:
        for engine in engines.values():
            await engine.dispose()


async def prime(plat: Platform) -> dict[str, str]:
    """First start: wait until the read models hold the demo catalogue, org units and staff (as
    bench/capacity does, through the gateway); the demo citizens' account ids by phone."""
    async with httpx.AsyncClient(base_url=plat.gateway_url, timeout=60) as gw:
        await cap.prepare(gw)
        clerk = await cap.login(gw, "clerk")
        ids = {phone: await cap.citizen_id(gw, clerk, phone) for phone, _ in CITIZENS}
    await drain(plat)
    return ids


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def load_world(plat: Platform, citizen_ids: dict[str, str], size: int, seed: int) -> World:
    """The demo data as the services' read models hold it, and the synthetic staff and citizens."""
    import random

    by = {s.name: s for s in SERVICES}
    intake = create_async_engine(plat.database_url(by["intake"]))
    hotline = create_async_engine(plat.database_url(by["hotline"]))
    try:
        async with intake.connect() as c:
            units = {
                code: (uid, name, parent)
                for uid, code, name, parent in (
                    await c.execute(text("SELECT id, code, name, parent_id FROM org_units"))
                ).all()
            }
            items = []
            rows = await c.execute(
                text(
                    "SELECT i.code, i.name, i.owner_unit_code, i.owner_unit_name, v.version_no, v.elements "
                    "FROM catalogue_items i JOIN catalogue_versions v "
                    "ON v.item_code = i.code AND v.version_no = i.current_version_no "
                    "WHERE i.status = 'published'"
                )
            )
            for code, name, owner, owner_name, version, elements in rows.all():
                el = _json(elements)
                items.append(
                    Item(
                        code,
                        name,
                        owner,
                        owner_name,
                        int(version),
                        int((el.get("legal_limit") or {}).get("value") or 20),
                        int((el.get("promised_limit") or {}).get("value") or 10),
                        str((el.get("promised_limit") or {}).get("unit") or "working_day"),
                        el.get("community_kind"),
                        str(el.get("item_type") or "01"),
                    )
                )
            entrust = {
                (a, b): i
                for i, a, b in (
                    await c.execute(
                        text("SELECT id, entrusting_unit_code, entrusted_unit_code FROM entrustments")
                    )
                ).all()
            }
            demo_staff = [
                Staff(i, u, n, code, _json(roles)[0], demo=True)
                for i, u, n, code, roles in (
                    await c.execute(
                        text("SELECT id, username, name, org_unit_code, roles FROM staff_members")
                    )
                ).all()
            ]
            places = [
                p for (p,) in (await c.execute(text("SELECT id FROM service_places ORDER BY code"))).all()
            ]
        async with hotline.connect() as c:
            categories: dict[str, str | None] = {
                code: rule
                for code, rule in (
                    await c.execute(text("SELECT code, time_limit_rule FROM categories"))
                ).all()
            }
            limits = {
                code: (int(a), u)
                for code, a, u in (
                    await c.execute(text("SELECT code, amount, unit FROM time_limit_rules"))
                ).all()
            }
            dispatch = {
                (cat, area): (i, lead, list(_json(co) or []))
                for i, cat, area, lead, co in (
                    await c.execute(
                        text(
                            "SELECT id, category_code, area_code, lead_unit_code, co_unit_codes "
                            "FROM dispatch_rules"
                        )
                    )
                ).all()
            }
            rules = [
                {
                    "id": r.id,
                    "name": r.name,
                    "kind": r.kind,
                    "basis": r.basis,
                    "statuses": list(_json(r.statuses)),
                    "after_share": float(r.after_share),
                    "plus_hours": float(r.plus_hours),
                    "target": r.target,
                    "request_type": r.request_type,
                    "category_code": r.category_code,
                    "active": bool(r.active),
                }
                for r in (await c.execute(text("SELECT * FROM escalation_rules"))).all()
            ]
            kb = [
                (i, int(v))
                for i, v in (
                    await c.execute(
                        text("SELECT id, published_version_no FROM kb_entries WHERE status = 'published'")
                    )
                ).all()
            ]
    finally:
        await intake.dispose()
        await hotline.dispose()
    rng = random.Random(seed)
    staff = synthetic_staff(sorted(units), [s for s in demo_staff if s.role], rng)
    citizens = [Person(citizen_ids[phone], name, phone) for phone, name in CITIZENS]
    return World(
        units=units,
        items=items,
        entrustments=entrust,
        staff=staff,
        citizens=citizens,
        persons=synthetic_persons(max(500, size // 3), rng),
        categories=categories,
        limits=limits,
        dispatch=dispatch,
        escalation_rules=rules,
        kb_entries=kb,
        places=places,
    )


# --- generation -------------------------------------------------------------------------------------

#: What the forked generator processes share (set before forking).
_SHARED: dict[str, Any] = {}


def _child(service: str, url: str, out: Any) -> None:
    s = _SHARED
    try:
        counts, seconds = generate(service, url, s["plans"], s["clock"], s["world"], s["n"], s["seed"])
        out.put((service, counts, seconds, None))
    except BaseException as exc:  # reported to the parent, which fails the run
        out.put((service, {}, 0.0, repr(exc)))
        raise


def generate_all(
    plat: Platform, world: World, size: int, args: argparse.Namespace
) -> tuple[Plans, dict[str, Any]]:
    """Plan every lifecycle, then write intake's, hotline's and evaluation's rows side by side (one
    forked process per service, sharing the plans); the figures of the generation."""
    t0 = time.monotonic()
    now = datetime.now(UTC).replace(tzinfo=None)
    plans, clock = make_plans(size, world, now, args.months, args.seed)
    planned = time.monotonic() - t0
    print(f"  planned {size:,} applications and {size:,} tickets in {planned:.1f} s", flush=True)
    _SHARED.update(plans=plans, clock=clock, world=world, n=size, seed=args.seed)
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    by = {s.name: s for s in SERVICES}
    procs = [ctx.Process(target=_child, args=(svc, plat.database_url(by[svc]), out)) for svc in GROWN]
    for p in procs:
        p.start()
    results = {}
    for _ in procs:
        service, counts, seconds, error = out.get()
        if error:
            for p in procs:
                p.kill()
            raise RuntimeError(f"generating {service}'s data failed: {error}")
        results[service] = {"rows": counts, "seconds": round(seconds, 1), "total_rows": sum(counts.values())}
        print(
            f"  {service}: {sum(counts.values()):,} rows in {seconds:.1f} s "
            f"({', '.join(f'{t} {c:,}' for t, c in sorted(counts.items(), key=lambda kv: -kv[1])[:6])} …)",
            flush=True,
        )
    for p in procs:
        p.join()
    wall = time.monotonic() - t0
    print(f"  generated in {wall:.1f} s wall (planning {planned:.1f} s)", flush=True)
    return plans, {"services": results, "planning_seconds": round(planned, 1), "wall_seconds": round(wall, 1)}


def samples_of(plans: Plans, world: World) -> dict[str, str]:
    """Ids of the generated data for the single reads and filters."""
    apps, tickets = plans.apps, plans.tickets
    app = next(a for a in reversed(apps) if a.status == "delivered" and a.person not in world.citizens)
    stuck = next(
        (a for a in apps if a.status == "under_review" and a.due_on and a.due_on < local_day(plans.now)), app
    )
    closed = next(t for t in reversed(tickets) if t.close_reason == "completed" and len(t.rounds) == 1)
    escalated = next((t for t in tickets if t.overdue_at is not None and t.lead), closed)
    o311 = next(t for t in reversed(tickets) if t.channel == "open311")
    wang = world.citizens[-1]
    return {
        "application": app.id,
        "stuck_application": stuck.id,
        "ticket": closed.id,
        "ticket_number": closed.number,
        "escalated_ticket": escalated.id,
        "open311_ticket": o311.id,
        "open311_token": o311.token,
        "rated_source": app.id,
        "citizen_id": wang.id,
        "citizen_phone": wang.phone,
        "place": world.places[0],
    }


# --- measuring ----------------------------------------------------------------------------------------


def answer_size(resp: httpx.Response) -> int | None:
    """How many entries the answer holds in all (`total`), else how many it lists."""
    if "json" not in resp.headers.get("content-type", ""):
        return None
    body = resp.json()
    if isinstance(body, dict):
        if isinstance(body.get("total"), int):
            return int(body["total"])
        for key in ("items", "rows", "units", "entries"):
            if isinstance(body.get(key), list):
                return len(body[key])
        return None
    return len(body) if isinstance(body, list) else None


async def time_query(
    client: httpx.AsyncClient, q: Query, headers: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    """`q` warmed up then timed; p50 / p95 ms, the answer's size (a slow query gets fewer runs, at
    least 3, so that it takes about --budget seconds)."""
    t0 = time.perf_counter()
    resp = await client.get(q.path, params=q.params, headers=headers)
    first = time.perf_counter() - t0
    if resp.status_code != 200:
        return {"status": resp.status_code, "error": resp.text[:300]}
    for _ in range(args.warmup - 1):
        await client.get(q.path, params=q.params, headers=headers)
    n = args.n if first * args.n <= args.budget else max(3, int(args.budget / first))
    latencies = []
    for _ in range(n):
        t0 = time.perf_counter()
        resp = await client.get(q.path, params=q.params, headers=headers)
        latencies.append(time.perf_counter() - t0)
        if resp.status_code != 200:
            return {"status": resp.status_code, "error": resp.text[:300]}
    return {
        "status": 200,
        "n": n,
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(cap.pct(latencies, 0.95) * 1000, 2),
        "size": answer_size(resp),
        "bytes": len(resp.content),
        "load_average": round(os.getloadavg()[0], 2),
    }


APP_STATES = (
    "submitted",
    "correction_requested",
    "accepted",
    "under_review",
    "suspended",
    "approved",
    "refused",
    "completed",
    "delivered",
    "withdrawn",
    "not_accepted",
    "correction_expired",
)
TICKET_STATES = (
    "registered",
    "dispatched",
    "returned",
    "in_progress",
    "replied",
    "called_back",
    "closed",
    "merged",
)


async def check(clients: dict[str, httpx.AsyncClient], tokens: dict[str, dict[str, str]]) -> list[str]:
    """Read a few generated cases of every state through the API, as the services show them: every
    answer must be a 200 (the services validate what they answer) and every trace chain valid."""
    problems: list[str] = []
    sup, agent = tokens["supervisor"], tokens["agent"]

    async def get(service: str, path: str, headers: dict[str, str], **params: Any) -> Any:
        resp = await clients[service].get(path, params=params, headers=headers)
        if resp.status_code != 200:
            problems.append(f"{service} GET {path}: {resp.status_code} {resp.text[:200]}")
            return None
        return resp.json()

    for status in APP_STATES:
        page = await get("intake", "/v1/applications", sup, status=status, limit=3)
        for a in (page or {}).get("items", []):
            await get("intake", f"/v1/applications/{a['id']}", sup)
            await get("intake", f"/v1/applications/{a['id']}/escalations", sup)
            verified = await get("intake", f"/v1/applications/{a['id']}/trace/verify", sup)
            if verified is not None and not verified.get("valid"):
                problems.append(f"intake trace of {a['id']} ({status}) does not verify: {verified}")
    for status in TICKET_STATES:
        page = await get("hotline", "/v1/tickets", sup, status=status, limit=3)
        for t in (page or {}).get("items", []):
            await get("hotline", f"/v1/tickets/{t['id']}", agent)
            await get("hotline", f"/v1/tickets/{t['id']}/history", agent)
            await get("hotline", f"/v1/tickets/{t['id']}/escalations", sup)
    for path in ("/v1/bad-reviews", "/v1/rating-flags"):
        await get("evaluation", path, tokens["evaluator"], limit=200)
    await get("intake", "/v1/escalations", sup, limit=200)
    await get("hotline", "/v1/escalations", sup, limit=200)
    await get("intake", "/v1/notifications", sup, limit=200)
    return problems


async def passes(clients: dict[str, httpx.AsyncClient], tokens: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The on-demand background passes once each: on this data they must find nothing to do."""
    out: dict[str, Any] = {}
    for name, service, path in (
        ("intake supervision scan", "intake", "/v1/supervision/scan"),
        ("intake 催办/督办 pass", "intake", "/v1/escalations/scan"),
        ("hotline 催办/督办 pass", "hotline", "/v1/escalations/scan"),
    ):
        t0 = time.perf_counter()
        resp = await clients[service].post(path, headers=tokens["supervisor"], json={})
        ms = (time.perf_counter() - t0) * 1000
        out[name] = {
            "ms": round(ms, 1),
            "status": resp.status_code,
            "did": resp.json() if resp.status_code == 200 else resp.text[:200],
        }
        print(f"  {name}: {ms:.0f} ms, did {out[name]['did']}", flush=True)
    return out


async def measure(
    plat: Platform, samples: dict[str, str], today: Any, args: argparse.Namespace
) -> dict[str, Any]:
    """Log the users in, run the passes, time every query."""
    clients = {s: httpx.AsyncClient(base_url=plat.service_url(s), timeout=900) for s in GROWN}
    tokens: dict[str, dict[str, str]] = {}
    logged_in = 0.0

    async def login() -> None:
        # Access tokens live minutes; a run at 1,000,000 takes longer: log in again every 4 minutes.
        nonlocal logged_in
        if time.monotonic() - logged_in < 240:
            return
        async with httpx.AsyncClient(base_url=plat.gateway_url, timeout=120) as gw:
            tokens.update({u: await cap.login(gw, u) for u in USERS})
            tokens["citizen"] = await cap.login(gw, samples["citizen_phone"])
        tokens["anonymous"] = {}
        logged_in = time.monotonic()

    try:
        await login()
        result: dict[str, Any] = {"passes": await passes(clients, tokens), "queries": {}}
        result["problems"] = await check(clients, tokens)
        print(f"  data as the API shows it: {len(result['problems'])} problem(s)", flush=True)
        for problem in result["problems"][:10]:
            print(f"    {problem}", flush=True)
        await drain(plat)
        chosen = [q for q in queries(samples, today) if not args.only or any(s in q.name for s in args.only)]
        for q in chosen:
            await login()
            r = await time_query(clients[q.service], q, tokens[q.user], args)
            r.update(service=q.service, user=q.user, path=q.path, params=q.params, grows=q.grows)
            result["queries"][q.name] = r
            if r["status"] == 200:
                print(
                    f"  {q.name}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, size {r['size']} (n={r['n']})",
                    flush=True,
                )
            else:
                print(f"  {q.name}: HTTP {r['status']} {r.get('error', '')[:160]}", flush=True)
        return result
    finally:
        for c in clients.values():
            await c.aclose()


# --- one run ------------------------------------------------------------------------------------------


def tree_state() -> dict[str, Any]:
    """The commit measured and the services' files changed on top of it (others may be editing)."""
    import subprocess

    def git(*cmd: str) -> str:
        return subprocess.run(
            ["git", *cmd], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()

    dirty = git("status", "--short", "--", *(f"{s}-svc" for s in GROWN), "shared").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "changed_files": dirty}


def run_size(backend: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Fresh databases, the demo data, the history of `size`, the measurements; everything removed."""
    from yiwang_shared.testing import databases

    var_dir = Path(tempfile.mkdtemp(prefix=f"scale-bench-{backend}-{size}-"))
    urls: dict[str, str] = {}
    if backend == "postgres":
        os.environ[databases.TEST_POSTGRES_URL_ENV] = args.postgres

        async def create() -> dict[str, str]:
            return {
                s.name: await databases.create_postgres_database(f"yiwang_scale_{os.getpid()}_{s.name}")
                for s in SERVICES
            }

        urls = asyncio.run(create())
    (var_dir / "nats").mkdir()
    (var_dir / "logs").mkdir()
    server = NatsServer(store_dir=str(var_dir / "nats"))
    plat = platform(var_dir, server.url, urls)
    try:
        server.start()
        print(f"\n{LABEL[backend]}, {size:,}: demo data, first start …", flush=True)
        plat.load_demo()
        plat.start()
        citizen_ids = asyncio.run(prime(plat))
        plat.stop()
        world = asyncio.run(load_world(plat, citizen_ids, size, args.seed))
        plans, gen = generate_all(plat, world, size, args)
        samples = samples_of(plans, world)
        today = local_day(plans.now)
        open_apps = sum(1 for a in plans.apps if a.status in ("accepted", "under_review", "suspended"))
        open_tickets = sum(
            1 for t in plans.tickets if t.status in ("registered", "dispatched", "returned", "in_progress")
        )
        gen["open_applications"], gen["open_tickets"] = open_apps, open_tickets
        del plans
        print(
            f"  open: {open_apps:,} applications, {open_tickets:,} tickets; starting the platform …",
            flush=True,
        )
        if args.keep:  # what --reuse needs to measure this data again
            state = {"backend": backend, "size": size, "urls": urls, "samples": samples}
            state.update(today=today.isoformat(), generation=gen)
            (var_dir / STATE_FILE).write_text(
                json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        t0 = time.monotonic()
        plat.start()
        gen["start_seconds"] = round(time.monotonic() - t0, 1)
        figures = asyncio.run(measure(plat, samples, today, args))
        figures["generation"] = gen
        figures["size"] = size
        figures["tree"] = tree_state()
        return figures
    finally:
        plat.stop()
        server.stop()
        if backend == "postgres" and args.keep:
            print(f"  kept the databases: {', '.join(urls.values())}")
        elif backend == "postgres":

            async def drop() -> None:
                for url in urls.values():
                    await databases.drop_postgres_database(url)

            asyncio.run(drop())
        if args.keep:
            print(f"  kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def reuse_size(var_dir: Path, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """Measure again on the databases a `--keep` run left in `var_dir` (no generation): the
    migrations added since run first, timed; kept as they are afterwards."""
    from datetime import date

    state = json.loads((var_dir / STATE_FILE).read_text(encoding="utf-8"))
    backend, size, urls = state["backend"], int(state["size"]), state["urls"]
    server = NatsServer(store_dir=str(var_dir / "nats"))
    plat = platform(var_dir, server.url, urls)
    gen = dict(state["generation"], reused=str(var_dir))
    try:
        server.start()
        print(f"\n{LABEL[backend]}, {size:,}: the kept data in {var_dir}; pending migrations …", flush=True)
        t0 = time.monotonic()
        for svc in SERVICES:  # in a process of its own: bench/ on sys.path shadows service packages
            code = (
                "import sys, pathlib; from yiwang_shared.migrations import upgrade_to_head as up; "
                "up(pathlib.Path(sys.argv[1]), sys.argv[2])"
            )
            subprocess.run(
                [sys.executable, "-c", code, str(REPO / f"{svc.name}-svc"), plat.database_url(svc)],
                check=True,
                cwd=REPO,
            )
        gen["migrate_seconds"] = round(time.monotonic() - t0, 1)
        print(f"  migrated in {gen['migrate_seconds']} s; starting the platform …", flush=True)
        t0 = time.monotonic()
        plat.start()
        gen["start_seconds"] = round(time.monotonic() - t0, 1)
        figures = asyncio.run(measure(plat, state["samples"], date.fromisoformat(state["today"]), args))
        figures.update(generation=gen, size=size, tree=tree_state())
        return backend, figures
    finally:
        plat.stop()
        server.stop()


# --- the report -----------------------------------------------------------------------------------------


def verdict(ratio: float | None) -> str:
    return "—" if ratio is None else ("met" if ratio <= TARGET_X else "not met")


def table(backend: str, runs: dict[str, Any]) -> str:
    """Markdown: one row per query, the smallest size against the largest."""
    sizes = sorted(runs, key=int)
    lo, hi = runs[sizes[0]], runs[sizes[-1]]
    a, b = int(sizes[0]), int(sizes[-1])
    head = [
        "query",
        f"p50 ms at {a:,}",
        f"p50 ms at {b:,}",
        "ratio",
        f"≤ {TARGET_X:g}×",
        f"p95 ms at {a:,} / {b:,}",
        f"answer size at {a:,} / {b:,}",
    ]
    lines = [f"{LABEL[backend]} — {a:,} vs {b:,} applications, tickets and ratings ({b // a}× the rows)", ""]
    lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    met = judged = 0
    for name, r1 in lo["queries"].items():
        r2 = hi["queries"].get(name, {})
        if r1.get("status") != 200 or r2.get("status") != 200:
            lines.append(f"| {name} | HTTP {r1.get('status')} | HTTP {r2.get('status')} | — | — | — | — |")
            continue
        ratio = round(r2["p50_ms"] / r1["p50_ms"], 2) if r1["p50_ms"] else None
        judged += 1
        met += ratio is not None and ratio <= TARGET_X
        mark = "" if r1.get("grows", True) else " (control)"
        lines.append(
            f"| {name}{mark} | {r1['p50_ms']:.1f} | {r2['p50_ms']:.1f} | {ratio}× | {verdict(ratio)} | "
            f"{r1['p95_ms']:.1f} / {r2['p95_ms']:.1f} | {r1.get('size')} / {r2.get('size')} |"
        )
    lines += ["", f"Within {TARGET_X:g}×: {met} of {judged} queries."]
    for size in sizes:
        passes = runs[size].get("passes", {})
        gen = runs[size].get("generation", {})
        if passes:
            lines.append(
                f"At {int(size):,}: background passes on demand: "
                + "; ".join(f"{k} {v['ms']:.0f} ms, did {v['did']}" for k, v in passes.items())
            )
        loads = [q["load_average"] for q in runs[size]["queries"].values() if "load_average" in q]
        if loads:
            lines.append(
                f"At {int(size):,}: load average while timing {min(loads):.1f}–{max(loads):.1f} "
                f"(median {statistics.median(loads):.1f}) on {os.cpu_count()} cores."
            )
        if gen:
            rows = ", ".join(
                f"{s} {g['total_rows']:,} rows in {g['seconds']} s" for s, g in gen["services"].items()
            )
            lines.append(
                f"At {int(size):,}: generated {rows} ({gen['wall_seconds']} s wall); open: "
                f"{gen.get('open_applications', 0):,} applications, {gen.get('open_tickets', 0):,} tickets."
            )
    return "\n".join(lines)


def side_by_side(results: dict[str, Any]) -> str:
    """Markdown: every database's p50 at both sizes and the ratio, one row per query."""
    backends = [b for b, runs in results.items() if len(runs) >= 2]
    if not backends:
        return ""
    ends = {b: sorted(results[b], key=int) for b in backends}
    head = ["query"]
    for b in backends:
        a, z = ends[b][0], ends[b][-1]
        head += [f"{LABEL[b]} p50 ms {int(a):,} → {int(z):,}", "ratio"]
    b0 = backends[0]
    head.append(f"answer size {int(ends[b0][0]):,} → {int(ends[b0][-1]):,}")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name, first in results[b0][ends[b0][0]]["queries"].items():
        cells = [name + ("" if first.get("grows", True) else " (control)")]
        for b in backends:
            lo = results[b][ends[b][0]]["queries"].get(name, {})
            hi = results[b][ends[b][-1]]["queries"].get(name, {})
            if lo.get("status") != 200 or hi.get("status") != 200:
                cells += ["—", "—"]
                continue
            ratio = hi["p50_ms"] / lo["p50_ms"] if lo["p50_ms"] else float("nan")
            mark = "" if ratio <= TARGET_X else " ✗"
            cells += [f"{lo['p50_ms']:.1f} → {hi['p50_ms']:.1f}", f"{ratio:.2f}×{mark}"]
        hi0 = results[b0][ends[b0][-1]]["queries"].get(name, {})
        cells.append(f"{first.get('size')} → {hi0.get('size')}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,1000000", help="rows per service, comma-separated")
    parser.add_argument("--n", type=int, default=20, help="timed requests per query (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests per query first")
    parser.add_argument("--budget", type=float, default=45.0, help="seconds a slow query may take in all")
    parser.add_argument("--months", type=int, default=24, help="the history's length (default 24 months)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL: run there too")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True, help="run on SQLite")
    parser.add_argument(
        "--only", default="", help="only queries whose name holds one of these (comma-separated)"
    )
    parser.add_argument("--json", default=None, help="write the figures here too")
    parser.add_argument("--from-json", default=None, help="run nothing: print the tables of a --json file")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temp dirs (logs, SQLite files) and the PostgreSQL databases",
    )
    parser.add_argument(
        "--reuse",
        default="",
        help="comma-separated temp dirs of earlier --keep runs: measure their data again (no generation)",
    )
    args = parser.parse_args()
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    if args.from_json:
        results = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
    elif args.reuse:
        results = {}
        for kept in (Path(d.strip()) for d in args.reuse.split(",") if d.strip()):
            backend, figures = reuse_size(kept, args)
            results.setdefault(backend, {})[str(figures["size"])] = figures
            if args.json:
                Path(args.json).write_text(
                    json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
                )
    else:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        backends = (["sqlite"] if args.sqlite else []) + (["postgres"] if args.postgres else [])
        results = {}
        for backend in backends:
            results[backend] = {}
            for size in sizes:
                results[backend][str(size)] = run_size(backend, size, args)
                if args.json:  # after every size: a long run keeps what it measured
                    Path(args.json).write_text(
                        json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
                    )
    for backend, runs in results.items():
        if len(runs) >= 2:
            print("\n" + table(backend, runs), flush=True)
    if len(results) > 1:
        print("\n" + side_by_side(results), flush=True)


if __name__ == "__main__":
    main()
