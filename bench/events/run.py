"""Event latency benchmark (issue 19): from an event's outbox row to a consumer applying it, p50 /
p99 / max per event type and consumer, at 1 and 8 clients, on SQLite and PostgreSQL.

One run per database:
  1. a fresh database per service (SQLite files in a temp dir, or with `--postgres URL` fresh
     PostgreSQL databases, dropped at the end), a nats-server of its own
     (yiwang_shared.testing.nats.NatsServer), the demo data loaded as `make run` does, and the whole
     platform started as processes (tools/devstack.Platform);
  2. waits until the demo catalogue and org units reached intake and hotline through NATS, runs a
     short warm-up, and waits until every durable consumer has caught up;
  3. for each `--clients` setting, that many clients drive real flows through the gateway for
     `--seconds`, each client alternating the two flows of bench/capacity (imported from there):
       intake   submit → accept → hand over → approve → complete → deliver   (intake.application.*)
       hotline  create → respond → reply → call-back → close                 (hotline.ticket.*)
     then waits until every outbox row is published and every consumer has nothing pending;
  4. reads every service's `outbox` (event_id, subject, created_at) and `processed_events`
     (consumer, event_id, handled_at) and reports, for the events created in each setting's window,
     handled_at − created_at per (event subject, consumer); and splits it at the time JetStream
     stored each message (read back from the streams): created → stored (the rest of the
     producer's transaction, its commit, the relay) and stored → handled (delivery, the consumer's
     pull, the start of its transaction).

Nothing in the services is instrumented: both timestamps are the services' own. `created_at` is
taken when the event is added to the transaction (a little before its commit) and `handled_at`
when the consumer's transaction records the event (before its handler runs and commits), so the
figure is commit → consumer start, plus the rest of the producer's transaction.

    .venv/bin/python bench/events/run.py [--clients 1,8] [--seconds 20]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--json FILE] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
import orjson
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools"))

from devstack import SERVICES, Platform, free_port  # noqa: E402
from nats.js.errors import NotFoundError  # noqa: E402

from yiwang_shared.events.consumer import DEADLETTER_STREAM  # noqa: E402
from yiwang_shared.tables import outbox, processed_events  # noqa: E402
from yiwang_shared.testing.nats import NatsServer  # noqa: E402

#: Issue 19's targets: p99 in ms by number of clients.
TARGET_P99_MS = {1: 50.0, 8: 100.0}
LABEL = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


sys.path.insert(0, str(REPO / "bench"))
from capacity_module import load_capacity, measuring_env  # noqa: E402

cap = load_capacity()


# --- figures ------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (p99 of fewer than 100 values is their maximum)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def stats(values: list[float]) -> dict[str, Any]:
    """count, p50, p99, max of latencies in ms."""
    if not values:
        return {"n": 0, "p50": None, "p99": None, "max": None}
    return {
        "n": len(values),
        "p50": round(pct(values, 0.50), 1),
        "p99": round(pct(values, 0.99), 1),
        "max": round(max(values), 1),
    }


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every service writes UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: `*` one token, `>` the rest."""
    want, got = pattern.split("."), subject.split(".")
    for i, token in enumerate(want):
        if token == ">":
            return len(got) > i
        if i >= len(got) or (token != "*" and token != got[i]):
            return False
    return len(want) == len(got)


# --- the platform's state -----------------------------------------------------------------------


@dataclass
class Event:
    """One outbox row."""

    subject: str
    created_at: datetime


@dataclass
class Stores:
    """Read access to every service's database and to JetStream's consumer state."""

    engines: dict[str, AsyncEngine]
    nats_url: str
    #: durable consumer name → its filter subjects (from JetStream)
    filters: dict[str, list[str]] = field(default_factory=dict)

    async def outbox(self) -> dict[str, Event]:
        """Every outbox row of every service, by event id."""
        rows: dict[str, Event] = {}
        query = select(outbox.c.event_id, outbox.c.subject, outbox.c.created_at)
        for engine in self.engines.values():
            async with engine.connect() as conn:
                for event_id, subject, created in (await conn.execute(query)).all():
                    rows[event_id] = Event(subject, aware(created))
        return rows

    async def stored(self, since: datetime) -> dict[str, datetime]:
        """Event id → when JetStream stored it, for every message stored since `since`."""
        out: dict[str, datetime] = {}
        nc = await nats.connect(self.nats_url)
        try:
            js = nc.jetstream()
            for stream in await js.streams_info():
                name, state = stream.config.name, stream.state
                if not name or name == DEADLETTER_STREAM:
                    continue
                for seq in range(state.last_seq, max(state.first_seq, 1) - 1, -1):  # newest first
                    try:
                        msg = await js.get_msg(name, seq)
                    except NotFoundError:  # a gap: the stream's limits removed it
                        continue
                    if msg.time is None or msg.time < since:
                        break
                    headers = msg.headers or {}
                    event_id = headers.get("Nats-Msg-Id") or orjson.loads(msg.data or b"{}").get("event_id")
                    if event_id:
                        out[str(event_id)] = msg.time
        finally:
            await nc.close()
        return out

    async def handled(self) -> dict[str, dict[str, datetime]]:
        """consumer → event id → handled_at, over every service."""
        out: dict[str, dict[str, datetime]] = {}
        pe = processed_events.c
        query = select(pe.consumer, pe.event_id, pe.handled_at)
        for engine in self.engines.values():
            async with engine.connect() as conn:
                for consumer, event_id, handled_at in (await conn.execute(query)).all():
                    out.setdefault(consumer, {})[event_id] = aware(handled_at)
        return out

    async def unpublished(self) -> int:
        """Outbox rows not yet relayed, over every service."""
        total = 0
        query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        for engine in self.engines.values():
            async with engine.connect() as conn:
                total += int((await conn.execute(query)).scalar_one())
        return total

    async def consumer_backlog(self) -> int:
        """Messages pending or awaiting an ack over every durable consumer; records their filters."""
        nc = await nats.connect(self.nats_url)
        try:
            js = nc.jetstream()
            total = 0
            for stream in await js.streams_info():
                if not stream.config.name:
                    continue
                for info in await js.consumers_info(stream.config.name):
                    cfg = info.config
                    subjects = list(cfg.filter_subjects or []) or (
                        [cfg.filter_subject] if cfg.filter_subject else list(stream.config.subjects or [])
                    )
                    self.filters[cfg.durable_name or info.name] = subjects
                    total += (info.num_pending or 0) + (info.num_ack_pending or 0)
            return total
        finally:
            await nc.close()

    async def drain(self, timeout: float) -> float:
        """Wait until everything is relayed and consumed; seconds waited (warns on time-out)."""
        t0 = time.monotonic()
        while True:
            if await self.unpublished() == 0 and await self.consumer_backlog() == 0:
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                print(f"  warning: events still pending after {timeout:.0f} s", file=sys.stderr)
                return time.monotonic() - t0
            await asyncio.sleep(0.5)

    async def dispose(self) -> None:
        """Close every engine."""
        for engine in self.engines.values():
            await engine.dispose()


def ms(later: datetime, earlier: datetime) -> float:
    """later − earlier in milliseconds."""
    return (later - earlier).total_seconds() * 1000


def latencies(
    events: dict[str, Event],
    handled: dict[str, dict[str, datetime]],
    filters: dict[str, list[str]],
    stored: dict[str, datetime],
    window: tuple[datetime, datetime],
) -> dict[str, Any]:
    """For the events created in `window`: latency samples per (subject, consumer), the two halves
    split at JetStream's stored time, events no consumer subscribes to, and deliveries a consumer
    subscribed to never recorded."""
    start, end = window
    chosen = {eid: e for eid, e in events.items() if start <= e.created_at <= end}
    samples: dict[tuple[str, str], list[float]] = {}
    #: per (subject, consumer): created → stored, stored → handled
    halves: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for consumer, seen in handled.items():
        for eid, at in seen.items():
            if eid in chosen:
                key = (chosen[eid].subject, consumer)
                samples.setdefault(key, []).append(ms(at, chosen[eid].created_at))
                if eid in stored:
                    to, fro = halves.setdefault(key, ([], []))
                    to.append(ms(stored[eid], chosen[eid].created_at))
                    fro.append(ms(at, stored[eid]))
    missing: dict[str, int] = {}
    unsubscribed: dict[str, int] = {}
    for eid, event in chosen.items():
        wanted = [c for c, subs in filters.items() if any(subject_matches(s, event.subject) for s in subs)]
        if not wanted:
            unsubscribed[event.subject] = unsubscribed.get(event.subject, 0) + 1
        for consumer in wanted:
            if eid not in handled.get(consumer, {}):
                name = f"{event.subject}|{consumer}"
                missing[name] = missing.get(name, 0) + 1
    return {
        "events": len(chosen),
        "rows": {
            f"{s}|{c}": {
                **stats(v),
                "to_stream": stats(halves.get((s, c), ([], []))[0]),
                "from_stream": stats(halves.get((s, c), ([], []))[1]),
            }
            for (s, c), v in sorted(samples.items())
        },
        "all": stats([x for v in samples.values() for x in v]),
        "to_stream": stats([ms(stored[eid], e.created_at) for eid, e in chosen.items() if eid in stored]),
        "from_stream": stats([x for _to, fro in halves.values() for x in fro]),
        "missing": dict(sorted(missing.items())),
        "unsubscribed": dict(sorted(unsubscribed.items())),
    }


# --- the load -----------------------------------------------------------------------------------


async def drive(ctx: Any, clients: int, seconds: float) -> dict[str, int]:
    """`clients` clients alternate the intake and the hotline flow for `seconds`; counts."""
    flows = (("intake", cap.intake_flow), ("hotline", cap.hotline_flow))
    done = {"intake": 0, "hotline": 0, "errors": 0}
    stop_at = time.monotonic() + seconds

    async def client(index: int) -> None:
        turn = index
        while time.monotonic() < stop_at:
            name, flow = flows[turn % 2]
            turn += 1
            try:
                await flow(ctx)
            except (cap.FlowError, httpx.HTTPError) as exc:
                done["errors"] += 1
                if done["errors"] <= 3:
                    print(f"    {name}: {exc}", file=sys.stderr)
                continue
            done[name] += 1

    await asyncio.gather(*(client(i) for i in range(clients)))
    return done


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


async def measure(plat: Platform, stores: Stores, args: argparse.Namespace) -> dict[int, dict[str, Any]]:
    """Warm up, then one window per clients setting; the figures of each."""
    windows: dict[int, dict[str, Any]] = {}
    async with httpx.AsyncClient(base_url=plat.gateway_url, timeout=60) as gw:
        item = await cap.prepare(gw)
        users = ("clerk", "approver", "agent", "handler", "supervisor")
        tokens = {u: await cap.login(gw, u) for u in users}
        ctx = cap.Ctx(gw, tokens, item, applicant_id=await cap.citizen_id(gw, tokens["clerk"]))
        await drive(ctx, max(args.clients), args.warmup)
        await stores.drain(args.drain_timeout)
        for clients in args.clients:
            await asyncio.sleep(1.0)
            start = datetime.now(UTC)
            counts = await drive(ctx, clients, args.seconds)
            end = datetime.now(UTC)
            load = os.getloadavg()[0]
            waited = await stores.drain(args.drain_timeout)
            windows[clients] = {
                "start": start,
                "end": end,
                "flows": counts,
                "load": round(load, 1),
                "drain_s": round(waited, 1),
            }
            print(
                f"  {clients} client(s): {counts['intake']} intake + {counts['hotline']} hotline flows, "
                f"{counts['errors']} errors, load {load:.1f}, drained in {waited:.1f} s",
                flush=True,
            )
    first = min(w["start"] for w in windows.values())
    events, handled, stored = await stores.outbox(), await stores.handled(), await stores.stored(first)
    for w in windows.values():
        w.update(latencies(events, handled, stores.filters, stored, (w.pop("start"), w.pop("end"))))
    return windows


async def run_backend(backend: str, args: argparse.Namespace) -> dict[int, dict[str, Any]]:
    """Start the platform on one database, measure, stop and clean up."""
    from yiwang_shared.testing import databases

    urls: dict[str, str] = {}
    if backend == "postgres":
        os.environ[databases.TEST_POSTGRES_URL_ENV] = args.postgres
        for svc in SERVICES:
            urls[svc.name] = await databases.create_postgres_database(f"yiwang_events_{svc.name}")
    var_dir = Path(tempfile.mkdtemp(prefix=f"events-bench-{backend}-"))
    server = NatsServer(store_dir=str(var_dir / "nats"))
    plat = platform(var_dir, server.url, urls)
    stores: Stores | None = None
    try:
        (var_dir / "nats").mkdir()
        server.start()
        print(f"\n{LABEL[backend]}: loading the demo data and starting the platform …", flush=True)
        plat.load_demo()
        plat.start()
        engines = {s.name: create_async_engine(plat.database_url(s)) for s in SERVICES}
        stores = Stores(engines, server.url)
        return await measure(plat, stores, args)
    finally:
        if stores is not None:
            await stores.dispose()
        plat.stop()
        server.stop()
        for url in urls.values():
            await databases.drop_postgres_database(url)
        if args.keep:
            print(f"  kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


# --- the report ---------------------------------------------------------------------------------


def verdict(p99: float | None, clients: int) -> str:
    """met / not met against issue 19's target for this many clients ('—' where it sets none)."""
    target = TARGET_P99_MS.get(clients)
    if target is None or p99 is None:
        return "—"
    return "met" if p99 <= target else "not met"


def table(results: dict[str, dict[int, dict[str, Any]]]) -> str:
    """Markdown: one row per (event subject, consumer), a column group per database and clients."""
    groups = [(b, c) for b, by_clients in results.items() for c in by_clients]
    head = ["event subject", "consumer"]
    for b, c in groups:
        target = TARGET_P99_MS.get(c)
        mark = f"p99 ≤ {target:g}" if target is not None else "target"
        head += [f"{LABEL[b]} ×{c} n", "p50 ms", "p99 ms", "max ms", mark]
    keys = sorted({k for b, c in groups for k in results[b][c]["rows"]})
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]

    def cells(figures: dict[str, Any], clients: int) -> list[str]:
        if not figures or not figures["n"]:
            return ["0", "", "", "", ""]
        return [
            str(figures["n"]),
            f"{figures['p50']:.1f}",
            f"{figures['p99']:.1f}",
            f"{figures['max']:.1f}",
            verdict(figures["p99"], clients),
        ]

    for key in keys:
        subject, consumer = key.split("|", 1)
        row = [subject, consumer]
        for b, c in groups:
            row += cells(results[b][c]["rows"].get(key, {}), c)
        lines.append("| " + " | ".join(row) + " |")
    row = ["**all events**", ""]
    for b, c in groups:
        row += cells(results[b][c]["all"], c)
    lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def split_table(results: dict[str, dict[int, dict[str, Any]]]) -> str:
    """Markdown: where the time goes, per row and column group: created → stored in JetStream
    (the rest of the producer's transaction, its commit, the relay) and stored → handled."""
    groups = [(b, c) for b, by_clients in results.items() for c in by_clients]
    head = ["event subject", "consumer"]
    for b, c in groups:
        head += [f"{LABEL[b]} ×{c}: created → stored p50 / p99 ms", "stored → handled p50 / p99 ms"]
    keys = sorted({k for b, c in groups for k in results[b][c]["rows"]})
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]

    def cell(figures: dict[str, Any] | None) -> str:
        return f"{figures['p50']:.1f} / {figures['p99']:.1f}" if figures and figures["n"] else ""

    for key in keys:
        row = key.split("|", 1)
        for b, c in groups:
            figures = results[b][c]["rows"].get(key, {})
            row += [cell(figures.get("to_stream")), cell(figures.get("from_stream"))]
        lines.append("| " + " | ".join(row) + " |")
    row = ["**all events**", ""]
    for b, c in groups:
        row += [cell(results[b][c]["to_stream"]), cell(results[b][c]["from_stream"])]
    lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def summary(results: dict[str, dict[int, dict[str, Any]]]) -> str:
    """Per database and clients: the verdict over all deliveries, the two halves, what went missing."""
    lines = ["Targets (issue 19): p99 ≤ 50 ms at 1 client, ≤ 100 ms at 8 clients."]
    for b, by_clients in results.items():
        for c, w in by_clients.items():
            a, to, fro = w["all"], w["to_stream"], w["from_stream"]
            rows = [r for r in w["rows"].values() if r["n"]]
            met = sum(1 for r in rows if verdict(r["p99"], c) == "met")
            target = TARGET_P99_MS.get(c)
            against = f" vs ≤ {target:g} ms: {verdict(a['p99'], c)} ({met} of {len(rows)} rows met)"
            lines.append(
                f"  {LABEL[b]}, {c} client(s): {a['n']} deliveries of {w['events']} events, "
                f"p50 {a['p50']} ms, p99 {a['p99']} ms"
                + (against if target else "")
                + f"; flows {w['flows']['intake']}+{w['flows']['hotline']}, load {w['load']}"
            )
            lines.append(
                f"    created → stored in JetStream (commit, relay) p50 {to['p50']} / p99 {to['p99']} ms; "
                f"stored → handled (delivery, pull, consumer) p50 {fro['p50']} / p99 {fro['p99']} ms"
            )
            if w["unsubscribed"]:
                lines.append(
                    "    no consumer subscribes to: "
                    + ", ".join(f"{n} × {s}" for s, n in w["unsubscribed"].items())
                )
            for key, n in w["missing"].items():
                lines.append(f"    never handled: {n} × {key.replace('|', ' by ')}")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> dict[str, dict[int, dict[str, Any]]]:
    """SQLite, then PostgreSQL when given."""
    results: dict[str, dict[int, dict[str, Any]]] = {}
    for backend in ["sqlite"] + (["postgres"] if args.postgres else []):
        results[backend] = await run_backend(backend, args)
        print("\n" + table({backend: results[backend]}), flush=True)
    return results


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", default="1,8", help="comma-separated client counts (default 1,8)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per setting (default 20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up (default 3)")
    parser.add_argument("--drain-timeout", type=float, default=120.0, help="longest wait for consumers")
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL: run there too")
    parser.add_argument("--json", default=None, help="write the figures here too")
    parser.add_argument("--keep", action="store_true", help="keep the temp dirs (logs, SQLite files)")
    args = parser.parse_args()
    try:
        args.clients = list(dict.fromkeys(int(c) for c in args.clients.split(",") if c.strip()))
    except ValueError:
        parser.error("--clients takes numbers, e.g. 1,8")
    if not args.clients or min(args.clients) < 1:
        parser.error("--clients takes numbers of at least 1")
    results = asyncio.run(main_async(args))
    print("\n" + table(results) + "\n\n" + split_table(results) + "\n\n" + summary(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
