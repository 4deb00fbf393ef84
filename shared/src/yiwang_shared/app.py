"""The service application factory: every service is built the same way.

`create_service_app(spec, settings)` wires the database (migrating on start), NATS with the outbox
relay and the durable consumers, token verification, the problem+json error envelope, request ids,
JSON logs, Prometheus metrics, tracing (off unless `<PREFIX>_OTEL_EXPORTER` says where spans go),
and `/healthz`, `/readyz`, `/metrics`. With `YIWANG_COUNT_SQL=1` (bench/floor) every answer says how
many SQL statements it took (`SqlCountMiddleware`).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import JwksKeySource, KeySource, TokenVerifier
from .calendar import seed_calendar
from .calendar_sync import refresh_calendar_gauges
from .db import Database, counting_sql, request_statements, statements_total
from .errors import install_error_handlers, problem_response
from .events.bus import EventBus
from .events.consumer import Consumer, ConsumerRunner
from .events.relay import OutboxRelay
from .logging import configure_logging
from .metrics import metrics_endpoint, refreshed_gauges
from .middleware import BodyGuardMiddleware, RequestContextMiddleware
from .migrations import migrate
from .openapi import service_openapi
from .revocation import HttpRevocationSource, RevocationFeed, RevocationSource, revocations_url_for
from .settings import ServiceSettings
from .tracing import Tracing

log = logging.getLogger("yiwang.app")

Hook = Callable[[FastAPI], Awaitable[None]]


@dataclass
class ServiceSpec:
    """What makes one service: its name, routes, migrations, events and hooks."""

    name: str
    title: str
    description: str
    service_dir: Path
    routers: Sequence[APIRouter]
    version: str = "0.1.0"
    publishes: bool = True
    consumers: Sequence[Consumer] = ()
    key_source: Callable[[FastAPI], KeySource] | None = None
    #: Where the revoked sessions and accounts come from; default identity-svc over HTTP.
    revocation_source: Callable[[FastAPI], RevocationSource] | None = None
    startup: Sequence[Hook] = ()
    shutdown: Sequence[Hook] = ()
    tags: Sequence[dict[str, Any]] = field(default_factory=list)
    #: Security schemes beyond the bearer token (e.g. Open311's api_key), by name.
    security_schemes: dict[str, Any] = field(default_factory=dict)

    @property
    def stream(self) -> str:
        """The JetStream stream this service publishes to."""
        return self.name.upper()


def operation_id(route: APIRoute) -> str:
    """Readable operation ids for generated clients: `items_list` → `items-list`."""
    return route.name.replace("_", "-")


def _service_openapi(app: FastAPI, spec: ServiceSpec) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if not app.openapi_schema:
            app.openapi_schema = service_openapi(app, spec.security_schemes, service=spec.name)
        return app.openapi_schema

    return openapi


async def _open_database(spec: ServiceSpec, settings: ServiceSettings, url: str) -> Database:
    """Migrate (when the settings ask for it) and open the database."""
    if settings.migrate_on_start:
        await migrate(spec.service_dir, url)
    return Database(url)


async def _seed_calendar(db: Database) -> None:
    """Bring the holiday table in line with the installed chinesecalendar (idempotent), never
    touching days an administrator set."""
    async with db.transaction() as session:
        changed = await seed_calendar(session)
    if changed:
        log.info("working-day calendar: %d day(s) seeded or corrected", changed)


def _token_verifier(app: FastAPI, spec: ServiceSpec, settings: ServiceSettings) -> RevocationFeed:
    """Verify tokens against the service's key source and revocation list; the (unstarted) list."""
    keys = spec.key_source(app) if spec.key_source is not None else JwksKeySource(settings.jwks_url)
    revocations = RevocationFeed(
        spec.revocation_source(app)
        if spec.revocation_source is not None
        else HttpRevocationSource(settings.revocations_url or revocations_url_for(settings.jwks_url)),
        interval=settings.revocation_refresh_seconds,
    )
    app.state.revocations = revocations
    app.state.token_verifier = TokenVerifier(
        keys,
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        leeway=settings.token_leeway_seconds,
        revocations=revocations,
    )
    return revocations


@dataclass
class _Messaging:
    """NATS for one service: the bus, the outbox relay (if it publishes), the consumers (if any)."""

    bus: EventBus | None = None
    relay: OutboxRelay | None = None
    runner: ConsumerRunner | None = None

    async def stop(self) -> None:
        """Stop consuming, then relaying, then close the connection."""
        if self.runner is not None:
            await self.runner.stop()
        if self.relay is not None:
            await self.relay.stop()
        if self.bus is not None:
            await self.bus.close()


async def _start_messaging(
    app: FastAPI, spec: ServiceSpec, settings: ServiceSettings, db: Database, tracing: Tracing
) -> _Messaging:
    """Connect to NATS (unless disabled), start the outbox relay and the durable consumers."""
    bus = (
        EventBus(settings.nats_url, name=spec.name, stream_replicas=settings.nats_stream_replicas)
        if settings.nats_enabled
        else None
    )
    app.state.bus = bus
    messaging = _Messaging(bus)
    if bus is not None:
        await bus.start()
        if spec.publishes:
            messaging.relay = OutboxRelay(
                db,
                bus,
                service=spec.name,
                stream=spec.stream,
                subjects=[f"{spec.name}.>"],
                poll_seconds=settings.outbox_poll_seconds,
                backlog_refresh_seconds=settings.metrics_refresh_seconds,
            )
            # Each commit hands the relay the rows it wrote: published without reading them back.
            db.add_handoff_hook(messaging.relay.hand_off)
            await messaging.relay.start()
        if spec.consumers:
            messaging.runner = ConsumerRunner(
                db,
                bus,
                list(spec.consumers),
                service=spec.name,
                tracing=tracing,
                lag_refresh_seconds=settings.metrics_refresh_seconds,
            )
            await messaging.runner.start()
    app.state.relay = messaging.relay
    app.state.consumers = messaging.runner
    return messaging


def _lifespan(
    spec: ServiceSpec, settings: ServiceSettings, url: str, tracing: Tracing
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start-up and shut-down: database, token verification, messaging, the service's hooks."""
    # Every service counts working days on its own copy of the calendar: each says whether this
    # year and next are covered (the alert on next year fires from 1 November).
    start_calendar_gauges, stop_calendar_gauges = refreshed_gauges("calendar", refresh_calendar_gauges)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A test may have started it with an exporter of its own already.
        tracing.start(settings.otel_exporter, settings.otel_endpoint)
        db = app.state.db = await _open_database(spec, settings, url)
        await _seed_calendar(db)
        revocations = _token_verifier(app, spec, settings)
        messaging = await _start_messaging(app, spec, settings, db, tracing)
        for hook in spec.startup:
            await hook(app)
        # After the start-up hooks: identity's own list needs its tables in place.
        await revocations.start()
        await start_calendar_gauges(app)
        log.info("%s started", spec.name)
        try:
            yield
        finally:
            await stop_calendar_gauges(app)
            await revocations.stop()
            for hook in spec.shutdown:
                await hook(app)
            await messaging.stop()
            await db.dispose()
            tracing.shutdown()

    return lifespan


def _add_health_routes(app: FastAPI, spec: ServiceSpec) -> None:
    """`/healthz` (the process answers) and `/readyz` (the database and NATS answer too)."""

    @app.get("/healthz", tags=["ops"], include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": spec.name}

    @app.get("/readyz", tags=["ops"], include_in_schema=False)
    async def readyz(request: Request) -> Response:
        checks: dict[str, str] = {}
        try:
            await request.app.state.db.ping()
            checks["database"] = "ok"
        except Exception as exc:  # any failure means not ready
            checks["database"] = f"error: {type(exc).__name__}"
        bus = request.app.state.bus
        if bus is not None:
            checks["nats"] = "ok" if bus.connected else "disconnected"
        ok = all(v == "ok" for v in checks.values())
        if ok:
            return JSONResponse({"status": "ready", "service": spec.name, "checks": checks})
        failing = ", ".join(f"{k} {v}" for k, v in checks.items() if v != "ok")
        return problem_response(
            status=503,
            code="not_ready",
            detail=f"{spec.name} 尚未就绪：{failing}",
            en=f"{spec.name} is not ready: {failing}",
            checks=checks,
        )


class SqlCountMiddleware:
    """Adds `X-SQL-Statements` (the statements this request sent before answering, SQLite's BEGIN
    included; a driver-level COMMIT is no statement) and `X-SQL-Statements-Total` (every counted
    statement of the process so far) to each answer. Installed only with `YIWANG_COUNT_SQL=1`; work
    outside the request (relay, consumers, timers) is in the total only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with request_statements() as counter:

            async def send_counted(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = [
                        *message.get("headers", []),
                        (b"x-sql-statements", str(counter[0]).encode()),
                        (b"x-sql-statements-total", str(statements_total()).encode()),
                    ]
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_counted)


def _api_routes(routes: Sequence[Any]) -> list[APIRoute]:
    """Every API route, also inside included routers (however this FastAPI version nests them)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
            continue
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        if inner is None:
            inner = getattr(getattr(route, "app", None), "routes", None)
        if inner:
            found += _api_routes(inner)
    return found


def _is_async(call: Callable[..., Any]) -> bool:
    return (
        inspect.iscoroutinefunction(call)
        or inspect.isasyncgenfunction(call)
        # An instance whose __call__ is async (the role checks), not a class (its __init__ is not).
        or (not inspect.isclass(call) and inspect.iscoroutinefunction(type(call).__call__))
    )


def sync_handlers(routes: Sequence[Any]) -> list[str]:
    """The endpoints and dependencies among `routes` that are plain functions (or classes)."""
    found: set[str] = set()

    def walk(dependant: Any) -> None:
        for dep in dependant.dependencies:
            if dep.call is not None and not _is_async(dep.call):
                found.add(f"{dep.call.__module__}.{getattr(dep.call, '__qualname__', dep.call)}")
            walk(dep)

    for route in _api_routes(routes):
        if not _is_async(route.endpoint):
            found.add(f"{route.endpoint.__module__}.{route.endpoint.__qualname__}")
        walk(route.dependant)
    return sorted(found)


def create_service_app(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    """Build the FastAPI app for a service."""
    url = settings.resolved_database_url()
    tracing = Tracing(spec.name)
    # Swagger UI and ReDoc from the vendored copies, never a CDN: the documentation works offline
    # and loads no third-party script.
    app = FastAPIOffline(
        static_url="/docs/static",
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=_lifespan(spec, settings, url, tracing),
        generate_unique_id_function=operation_id,
        openapi_tags=list(spec.tags) or None,
    )
    app.state.settings = settings
    app.state.service_name = spec.name
    app.state.tracing = tracing
    install_error_handlers(app)
    _add_health_routes(app, spec)
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    for router in spec.routers:
        app.include_router(router)
    if plain := sync_handlers(app.router.routes):
        # FastAPI runs a plain function in a worker thread, a hand-off on every request (about 7 % of
        # intake's request CPU, issue 19). Not user-facing: a programming error, caught at start.
        names = ", ".join(plain)
        raise TypeError(f"make these `async def` (a blocking call inside goes to a thread): {names}")
    app.openapi = _service_openapi(app, spec)  # type: ignore[method-assign]
    # Starlette makes the last one added the outermost: the request context wraps the body
    # guard, so even a 413/415 carries the request id.
    app.add_middleware(BodyGuardMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, service=spec.name, tracing=tracing)
    if counting_sql():
        app.add_middleware(SqlCountMiddleware)
    return app


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    """Run `app` under uvicorn with the service's settings (the containers' entry point too)."""
    import os

    import uvicorn

    # Whatever the service writes (an SQLite file, uploaded materials) is its user's alone.
    os.umask(0o077)
    configure_logging(settings.service_name, level=settings.log_level, json_logs=settings.log_json)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips="*",
        timeout_graceful_shutdown=10,
    )
