"""What the drills share: starting a platform, logging in, killing and restarting processes,
reading service databases and JetStream streams, and accounting for every event exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import nats
from devstack import SERVICES, Platform, free_port, wait_http
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from yiwang_shared.testing.nats import NatsServer

from .env import DrillEnv

SERVICE_BY_NAME = {s.name: s for s in SERVICES}
PASSWORD = "Demo#2026"
INTAKE = "/api/intake/v1"
#: The demo unit whose items are handled by review (not on the spot): the flows use one of them.
DEMO_OWNER_UNIT = "110105-MZJ"
DEMO_WINDOW = "110105-ZWFW-W01"
#: The consumers' ack wait in quick drills (see set_ack_wait).
QUICK_ACK_WAIT = 5.0


# ------------------------------------------------------------------------------------ platform


async def start_platform(backend: str, *, quick: bool = True) -> DrillEnv:
    """Start NATS, every service and the gateway on fresh databases of `backend`, with demo data."""
    pg_urls: dict[str, str] = {}
    if backend == "postgres":
        from yiwang_shared.testing.databases import create_postgres_database

        for svc in SERVICES:
            pg_urls[svc.name] = await create_postgres_database(f"yiwang_drill_{svc.name}")
    var_dir = Path(tempfile.mkdtemp(prefix=f"yiwang-drills-{backend}-"))
    server = NatsServer(store_dir=str(var_dir / "nats"))
    os.makedirs(server.store_dir, exist_ok=True)
    server.log_path = var_dir / "logs" / "nats.log"
    server.log_path.parent.mkdir(parents=True, exist_ok=True)
    server.start()
    plat = Platform(
        var_dir=var_dir,
        nats_url=server.url,
        gateway_port=free_port(),
        ports={svc.name: free_port() for svc in SERVICES},
        database_urls=pg_urls,
        extra_env={
            # Fast password hashing and generous gateway limits: the drills measure faults, not
            # argon2 or the rate limiter (drill 10 checks the limiter on its own gateway).
            "IDENTITY_ARGON2_TIME_COST": "1",
            "IDENTITY_ARGON2_MEMORY_COST_KIB": "8192",
            "IDENTITY_ARGON2_PARALLELISM": "1",
            "GATEWAY_RATE_LIMIT_PER_SECOND": "100000",
            "GATEWAY_RATE_LIMIT_BURST": "100000",
            "INTAKE_STORAGE_DIR": str(var_dir / "intake-files"),
            # One clerk files every application: identity's per-clerk contact budget must not throttle.
            "IDENTITY_CONTACT_LIMIT_PER_MINUTE": "1000000",
            "IDENTITY_CONTACT_LIMIT_PER_HOUR": "1000000",
            "IDENTITY_LOOKUP_LIMIT_PER_MINUTE": "1000000",
            "IDENTITY_LOOKUP_LIMIT_PER_HOUR": "1000000",
        },
    )
    env = DrillEnv(backend=backend, platform=plat, nats=server, quick=quick)
    env.extra["pg_urls"] = pg_urls
    try:
        await asyncio.to_thread(plat.load_demo)
        await asyncio.to_thread(plat.start)
    except BaseException:
        await stop_platform(env)
        raise
    return env


async def stop_platform(env: DrillEnv) -> None:
    """Stop every process, NATS and drop the PostgreSQL databases (the var dir stays for logs)."""
    await dispose_engines(env)
    await asyncio.to_thread(env.platform.stop)
    nats_server: NatsServer = env.nats  # type: ignore[assignment]
    nats_server.stop()
    pg_urls: dict[str, str] = env.extra.get("pg_urls", {})  # type: ignore[assignment]
    if pg_urls:
        from yiwang_shared.testing.databases import drop_postgres_database

        for url in pg_urls.values():
            await drop_postgres_database(url)


def nats_server(env: DrillEnv) -> NatsServer:
    """The platform's restartable nats-server."""
    return env.nats  # type: ignore[return-value]


async def kill_service(env: DrillEnv, name: str) -> None:
    """kill -9 one service (or the gateway)."""
    await asyncio.to_thread(env.platform.stop_process, name, kill=True)


async def start_service(env: DrillEnv, name: str, overrides: dict[str, str] | None = None) -> None:
    """Start one service again (same port, database and NATS), optionally with changed settings."""
    plat = env.platform
    svc = SERVICE_BY_NAME[name]
    proc = plat._spawn(svc.name, svc.package, {**plat.service_env(svc), **(overrides or {})})
    await asyncio.to_thread(wait_http, plat.service_url(name) + "/healthz", 90.0, proc)


# ------------------------------------------------------------------------------------ HTTP


def gateway(env: DrillEnv, *, timeout: float = 60.0, connections: int = 100) -> httpx.AsyncClient:
    """An HTTP client for the gateway."""
    return httpx.AsyncClient(
        base_url=env.gateway_url,
        timeout=timeout,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


async def login(gw: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Log a demo user in; the Authorization header."""
    resp = await gw.post("/api/identity/v1/auth/login", json={"username": username, "password": password})
    if resp.status_code != 200:
        raise RuntimeError(f"login {username}: {resp.status_code} {resp.text[:200]}")
    return {"Authorization": "Bearer " + resp.json()["access_token"]}


async def wait_until(
    predicate: Callable[[], Awaitable[bool]], *, timeout: float, interval: float = 0.25, what: str = ""
) -> float:
    """Wait until `predicate()` is true; returns the seconds waited (raises TimeoutError)."""
    start = time.monotonic()
    while True:
        if await predicate():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what or 'a condition'}")
        await asyncio.sleep(interval)


# ------------------------------------------------------------------------------------ intake flows


@dataclass
class FlowKit:
    """What application flows need: a reviewed demo item with its materials and two staff logins."""

    item: dict[str, Any]
    clerk: dict[str, str]
    approver: dict[str, str]
    #: The demo citizen the clerk files for (found by phone, as a clerk finds a walk-in).
    applicant_id: str = ""

    async def relogin(self, gw: httpx.AsyncClient) -> None:
        """Fresh tokens for long runs (updated in place: every holder of the headers sees them)."""
        self.clerk.update(await login(gw, "clerk"))
        self.approver.update(await login(gw, "approver"))

    @property
    def materials(self) -> list[dict[str, Any]]:
        """The item's required, non-exempt materials, all handed in."""
        return [
            {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
            for m in self.item["elements"]["materials"]
            if not m.get("exempt") and m.get("requirement") == "required"
        ]


async def find_citizen(gw: httpx.AsyncClient, clerk: dict[str, str], phone: str = "13810000003") -> str:
    """The account id of a demo citizen, looked up at the window by phone."""
    resp = await gw.post(
        "/api/identity/v1/persons/lookup",
        headers=clerk,
        json={"phone": phone, "reason": "演练：窗口代办申请"},
    )
    if resp.status_code != 200:
        raise RuntimeError(f"lookup: {resp.status_code} {resp.text[:300]}")
    return str(resp.json()["id"])


async def flow_kit(gw: httpx.AsyncClient) -> FlowKit:
    """Wait until a reviewed demo item and the clerk's window reached intake-svc; log staff in."""
    item: dict[str, Any] | None = None
    deadline = time.monotonic() + 120
    while item is None:
        for row in (await gw.get(f"{INTAKE}/catalog-items", params={"limit": 200})).json()["items"]:
            if row["owner_unit_code"] == DEMO_OWNER_UNIT:
                full = (await gw.get(f"{INTAKE}/catalog-items/{row['code']}")).json()
                if full["elements"].get("handling_type") == "2":
                    item = dict(full)
                    break
        if item is None:
            if time.monotonic() > deadline:
                raise RuntimeError("no reviewed demo item reached intake-svc")
            await asyncio.sleep(0.5)
    kit = FlowKit(item, await login(gw, "clerk"), await login(gw, "approver"))
    kit.applicant_id = await find_citizen(gw, kit.clerk)
    while True:  # the clerk's window reaches intake by an event too
        app = await submit(gw, kit, f"warm-{uuid.uuid4().hex[:8]}")
        await gw.post(
            f"{INTAKE}/applications/{app['id']}/withdraw", headers=kit.clerk, json={"reason": "预热"}
        )
        if app["intake_unit_code"] == DEMO_WINDOW:
            return kit
        if time.monotonic() > deadline:
            raise RuntimeError("org units never reached intake-svc")
        await asyncio.sleep(0.5)


async def submit(gw: httpx.AsyncClient, kit: FlowKit, key: str) -> dict[str, Any]:
    """Submit one complete application at the window (idempotent on `key`)."""
    resp = await gw.post(
        f"{INTAKE}/applications",
        headers={**kit.clerk, "Idempotency-Key": key},
        json={
            "item_code": kit.item["code"],
            "applicant": {"id": kit.applicant_id},
            "materials": kit.materials,
        },
    )
    if resp.status_code == 401:  # the token expired during a long run: log in again and retry
        await kit.relogin(gw)
    if resp.status_code >= 300:
        raise RuntimeError(f"submit: {resp.status_code} {resp.text[:300]}")
    return dict(resp.json())


async def complete_flow(gw: httpx.AsyncClient, kit: FlowKit, key: str) -> str:
    """submit → accept → hand over → approve → complete, retrying each step on 5xx; the application id.

    A retried step that already took effect answers 409 (wrong state): that counts as done, so a
    lost response never stops the flow and never applies a step twice.
    """
    app_id = (await _retry(lambda: submit(gw, kit, key)))["id"]
    base = f"{INTAKE}/applications/{app_id}"
    steps: list[tuple[str, dict[str, str], Any]] = [
        ("accept", kit.clerk, None),
        ("hand-over", kit.clerk, None),
        ("approve", kit.approver, {"reasons": "符合条件"}),
        ("complete", kit.approver, {"result_name": "审批结果通知书"}),
    ]
    for step, headers, body in steps:

        async def call(step: str = step, headers: dict[str, str] = headers, body: Any = body) -> None:
            resp = await gw.post(f"{base}/{step}", headers=headers, json=body)
            if resp.status_code == 401:  # the token expired during a long run: log in again, retry
                await kit.relogin(gw)
            if resp.status_code >= 500 or resp.status_code in (401, 429):
                raise RuntimeError(f"{step}: {resp.status_code} {resp.text[:200]}")
            if resp.status_code >= 300 and resp.status_code != 409:
                raise ValueError(f"{step}: {resp.status_code} {resp.text[:300]}")

        await _retry(call)
    return str(app_id)


async def _retry(fn: Callable[[], Awaitable[Any]], attempts: int = 8) -> Any:
    for attempt in range(attempts):
        try:
            return await fn()
        except (RuntimeError, httpx.TransportError):
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5 * (attempt + 1))
    return None


async def run_flows(
    gw: httpx.AsyncClient,
    kit: FlowKit,
    count: int,
    *,
    concurrency: int = 8,
    prefix: str = "",
    on_progress: Callable[[int], Awaitable[None]] | None = None,
) -> list[str]:
    """Run `count` complete flows, `concurrency` at a time; the application ids."""
    prefix = prefix or uuid.uuid4().hex[:8]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)
    ids: list[str] = []

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            ids.append(await complete_flow(gw, kit, f"{prefix}-{n}"))
            if on_progress is not None:
                await on_progress(len(ids))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ids


# ------------------------------------------------------------------------------------ databases


def _engine(env: DrillEnv, service: str) -> AsyncEngine:
    engines: dict[str, AsyncEngine] = env.extra.setdefault("engines", {})  # type: ignore[assignment]
    if service not in engines:
        url = env.platform.database_url(SERVICE_BY_NAME[service])
        engines[service] = create_async_engine(url, poolclass=NullPool)
    return engines[service]


async def dispose_engines(env: DrillEnv) -> None:
    """Close the drills' own database connections."""
    engines: dict[str, AsyncEngine] = env.extra.pop("engines", {})  # type: ignore[assignment]
    for engine in engines.values():
        await engine.dispose()


async def query(env: DrillEnv, service: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of one read-only query against a service's own database (read directly, not via its API)."""
    async with _engine(env, service).connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql), params)).all()]


async def scalar(env: DrillEnv, service: str, sql: str, **params: Any) -> Any:
    """The single value of a query."""
    rows = await query(env, service, sql, **params)
    return rows[0][0] if rows else None


# ------------------------------------------------------------------------------------ JetStream


@dataclass(frozen=True)
class StreamMessage:
    """One message stored on a stream."""

    seq: int
    event_id: str
    subject: str


async def stream_names(env: DrillEnv) -> list[str]:
    """The streams on the platform's NATS."""
    nc = await nats.connect(env.platform.nats_url)
    try:
        return [str(s.config.name) for s in await nc.jetstream().streams_info()]
    finally:
        await nc.close()


async def stream_marks(env: DrillEnv) -> dict[str, int]:
    """Each stream's last sequence now: events after it belong to the drill."""
    nc = await nats.connect(env.platform.nats_url)
    try:
        return {str(s.config.name): s.state.last_seq for s in await nc.jetstream().streams_info()}
    finally:
        await nc.close()


async def read_stream(env: DrillEnv, stream: str, after_seq: int = 0) -> list[StreamMessage]:
    """Every message of `stream` after `after_seq` (an ephemeral, ack-less consumer)."""
    nc = await nats.connect(env.platform.nats_url)
    try:
        js = nc.jetstream()
        last = (await js.stream_info(stream)).state.last_seq
        if last <= after_seq:
            return []
        config = ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=after_seq + 1,
            ack_policy=AckPolicy.NONE,
            inactive_threshold=10.0,
            mem_storage=True,
        )
        sub = await js.pull_subscribe(">", durable=None, stream=stream, config=config)
        out: list[StreamMessage] = []
        while not out or out[-1].seq < last:
            try:
                msgs = await sub.fetch(1000, timeout=5.0)
            except (nats.errors.TimeoutError, TimeoutError):
                break  # nothing more (messages past `last` may have been removed by limits)
            for msg in msgs:
                headers = msg.headers or {}
                event_id = headers.get("Nats-Msg-Id") or json.loads(msg.data).get("event_id", "")
                out.append(StreamMessage(msg.metadata.sequence.stream, event_id, msg.subject))
        await sub.unsubscribe()
        return [m for m in out if m.seq <= last]
    finally:
        await nc.close()


@dataclass(frozen=True)
class DurableConsumer:
    """A service's durable consumer as JetStream knows it."""

    stream: str
    name: str
    filter_subject: str
    pending: int
    ack_pending: int

    @property
    def service(self) -> str:
        """The owning service (the name's prefix before `__`)."""
        return self.name.split("__", 1)[0]


async def durable_consumers(env: DrillEnv) -> list[DurableConsumer]:
    """Every service's durable consumer, with its backlog."""
    nc = await nats.connect(env.platform.nats_url)
    try:
        js = nc.jetstream()
        out = []
        for info in await js.streams_info():
            stream = str(info.config.name)
            for c in await js.consumers_info(stream):
                name = c.config.durable_name or ""
                if "__" in name and name.split("__", 1)[0] in SERVICE_BY_NAME:
                    out.append(
                        DurableConsumer(
                            stream,
                            name,
                            c.config.filter_subject or ">",
                            int(c.num_pending or 0),
                            int(c.num_ack_pending or 0),
                        )
                    )
        return out
    finally:
        await nc.close()


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching (`*` one token, `>` the rest)."""
    p, s = pattern.split("."), subject.split(".")
    for i, tok in enumerate(p):
        if tok == ">":
            return len(s) > i
        if i >= len(s) or (tok != "*" and tok != s[i]):
            return False
    return len(p) == len(s)


PUBLISHERS = ("identity", "catalog", "intake", "hotline", "evaluation", "licence")


async def outbox_marks(env: DrillEnv) -> dict[str, int]:
    """Each service's highest outbox row id now."""
    return {s: int(await scalar(env, s, "SELECT coalesce(max(id), 0) FROM outbox") or 0) for s in PUBLISHERS}


async def unpublished(env: DrillEnv) -> int:
    """Outbox rows not yet published, over every service."""
    total = 0
    for s in PUBLISHERS:
        total += int(await scalar(env, s, "SELECT count(*) FROM outbox WHERE published_at IS NULL") or 0)
    return total


async def quiet(env: DrillEnv) -> bool:
    """True when every outbox is drained and every durable consumer has nothing pending."""
    try:
        if await unpublished(env):
            return False
        return all(c.pending == 0 and c.ack_pending == 0 for c in await durable_consumers(env))
    except Exception:  # NATS or a database restarting: not quiet yet
        return False


@dataclass
class Marks:
    """Where the streams and outboxes stood when a drill began."""

    streams: dict[str, int]
    outboxes: dict[str, int]


async def marks(env: DrillEnv) -> Marks:
    """Mark the streams and outboxes before a drill."""
    return Marks(await stream_marks(env), await outbox_marks(env))


@dataclass
class EventAccount:
    """Every event since the marks, followed from outbox to stream to each consumer's database."""

    sent: int = 0  # outbox rows written since the mark (distinct event ids)
    on_stream: int = 0  # distinct event ids stored on the streams since the mark
    stream_duplicates: int = 0  # stored messages beyond one per event id
    lost_before_stream: int = 0  # outbox rows never stored on a stream
    expected_deliveries: int = 0  # (consumer, event) pairs the consumers' filters call for
    delivered: int = 0  # of those, recorded in the consumer's processed_events
    lost: int = 0  # of those, missing
    dead_lettered: int = 0  # messages parked on the dead-letter stream since the mark
    per_consumer: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (expected, delivered)
    missing_examples: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, int]:
        """The drill-line figures."""
        return {
            "events_sent": self.sent,
            "on_stream": self.on_stream,
            "deliveries_expected": self.expected_deliveries,
            "delivered": self.delivered,
            "duplicated": self.stream_duplicates,
            "lost": self.lost + self.lost_before_stream,
            "dead_lettered": self.dead_lettered,
        }

    @property
    def exact(self) -> bool:
        """Every event once on its stream and once in each consumer."""
        return (
            self.sent == self.on_stream
            and self.stream_duplicates == 0
            and self.lost_before_stream == 0
            and self.lost == 0
            and self.dead_lettered == 0
            and self.delivered == self.expected_deliveries
        )


async def account_events(env: DrillEnv, since: Marks) -> EventAccount:
    """Compare outbox rows, stream contents and every consumer's processed_events since `since`."""
    acc = EventAccount()
    outbox_ids: set[str] = set()
    for s in PUBLISHERS:
        rows = await query(env, s, "SELECT event_id FROM outbox WHERE id > :m", m=since.outboxes.get(s, 0))
        outbox_ids.update(r[0] for r in rows)
    acc.sent = len(outbox_ids)
    on_stream: dict[str, list[StreamMessage]] = {}
    stored: Counter[str] = Counter()
    for stream in await stream_names(env):
        msgs = await read_stream(env, stream, since.streams.get(stream, 0))
        if stream == "DEADLETTER":
            acc.dead_lettered = len(msgs)
            continue
        on_stream[stream] = msgs
        stored.update(m.event_id for m in msgs)
    acc.on_stream = len(stored)
    acc.stream_duplicates = sum(n - 1 for n in stored.values())
    missing = outbox_ids - set(stored)
    acc.lost_before_stream = len(missing)
    acc.missing_examples.extend(f"not on stream: {e}" for e in sorted(missing)[:3])
    for consumer in await durable_consumers(env):
        wanted = {
            m.event_id
            for m in on_stream.get(consumer.stream, [])
            if subject_matches(consumer.filter_subject, m.subject)
        }
        if not wanted:
            continue
        done = await _processed(env, consumer.service, consumer.name, wanted)
        acc.expected_deliveries += len(wanted)
        acc.delivered += len(done)
        acc.lost += len(wanted - done)
        acc.per_consumer[consumer.name] = (len(wanted), len(done))
        acc.missing_examples.extend(f"{consumer.name} missed {e}" for e in sorted(wanted - done)[:3])
    return acc


async def _processed(env: DrillEnv, service: str, consumer: str, wanted: Iterable[str]) -> set[str]:
    rows = await query(env, service, "SELECT event_id FROM processed_events WHERE consumer = :c", c=consumer)
    return {r[0] for r in rows} & set(wanted)


async def settle(env: DrillEnv, timeout: float = 120.0) -> float:
    """Wait until every outbox is drained and every consumer caught up; seconds waited."""
    return await wait_until(lambda: quiet(env), timeout=timeout, interval=0.5, what="events to settle")


# ------------------------------------------------------------------------------------ evaluation


#: evaluation-svc's counters each application of a flow moves once (per item).
FLOW_COUNTERS = ("applied", "completed", "services")


async def evaluation_snapshot(env: DrillEnv, item_code: str) -> dict[str, int]:
    """evaluation-svc's counters of one item, summed over months (read from its database)."""
    rows = await query(
        env,
        "evaluation",
        "SELECT name, sum(value) FROM indicator_counters WHERE dimension = 'item' AND key = :k GROUP BY name",
        k=item_code,
    )
    values = {str(name): int(total or 0) for name, total in rows}
    return {name: values.get(name, 0) for name in FLOW_COUNTERS}


async def evaluation_counts(
    env: DrillEnv, app_ids: Iterable[str], item_code: str, before: dict[str, int]
) -> dict[str, int]:
    """How evaluation-svc applied the flows' events, from its own tables.

    Every application must move the item's `applied`, `completed` and `services` counters by one
    each and have exactly one rateable service event: more means an event applied twice, less
    means one lost.
    """
    ids = set(app_ids)
    after = await evaluation_snapshot(env, item_code)
    deltas = {name: after[name] - before.get(name, 0) for name in FLOW_COUNTERS}
    events = {
        r[0]
        for r in await query(
            env, "evaluation", "SELECT source_id FROM service_events WHERE kind = 'application'"
        )
    }
    with_event = len(ids & events)
    return {
        "applications": len(ids),
        **{f"{name}_delta": d for name, d in deltas.items()},
        "applied_twice": sum(max(0, d - len(ids)) for d in deltas.values()),
        "not_applied": sum(max(0, len(ids) - d) for d in deltas.values()) + len(ids) - with_event,
        "service_events": with_event,
    }


async def set_ack_wait(env: DrillEnv, seconds: float) -> None:
    """Change every service's durable consumers' ack wait on the broker (JetStream consumer update).

    A message delivered but not acknowledged when the broker or the consumer dies is redelivered
    only after the ack wait (60 s by default); quick drills shorten it so they need not sit out
    the full minute. Services bind to the existing durable consumer, so the change holds.
    """
    nc = await nats.connect(env.platform.nats_url)
    try:
        js = nc.jetstream()
        for consumer in await durable_consumers(env):
            info = await js.consumer_info(consumer.stream, consumer.name)
            config = info.config
            config.ack_wait = seconds
            await js.add_consumer(consumer.stream, config)
    finally:
        await nc.close()
