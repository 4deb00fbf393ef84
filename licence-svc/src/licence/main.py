"""licence-svc application."""

import asyncio
import contextlib
import logging

from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.calendar_sync import calendar_consumer
from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow
from yiwang_shared.periodic import PeriodicTask

from .api import routers
from .clients.http import http_client
from .config import SERVICE_DIR, Settings
from .consumers import consumers
from .services.holder_keys import HolderKeys, fill_batch
from .services.licences import expire_due
from .services.signing import KeyRing
from .services.verification import RateLimiter

__all__ = ["SERVICE_DIR", "create_app"]

log = logging.getLogger("licence")


async def expiry_pass(db: Database) -> int:
    """Expire every licence past its date, a batch per transaction; how many."""
    total = 0
    while True:
        async with db.transaction() as session:
            expired = await expire_due(session, now=utcnow())
        total += expired
        if expired == 0:
            return total


def expiry_task(db: Database, every: float) -> PeriodicTask:
    """`expiry_pass` at once and then every `every` seconds (a failed pass is logged and tried
    again next time)."""

    async def expire() -> None:
        expired = await expiry_pass(db)
        if expired:
            log.info("expired %d licence(s) past their date", expired)

    return PeriodicTask("licence-expiry", expire, seconds=every, log=log)


async def fill_holder_keys(db: Database, keys: HolderKeys) -> int:
    """Key every person licence issued to a resident ID before the secret (or this column) was
    there, a batch per transaction (ADR 0014); how many."""
    total = 0
    while True:
        async with db.transaction() as session:
            filled = await fill_batch(session, keys)
        total += filled
        if filled == 0:
            return total


async def _fill_holder_keys_once(db: Database, keys: HolderKeys) -> None:
    if not keys.enabled:
        log.warning(
            "LICENCE_HOLDER_KEY_SECRET is not set: staff find a resident's licences for a case only by "
            "account or once the resident has opened the library (ADR 0014)"
        )
        return
    try:
        filled = await fill_holder_keys(db, keys)
        if filled:
            log.info("keyed %d licence(s) issued to a resident ID before their key was kept", filled)
    except Exception:  # the next start tries again; licences issued since carry their key anyway
        log.exception("keying earlier licences failed")


#: The API document's tags, described (front-end teams read them in the merged document).
TAGS = [
    {"name": "licence-types", "description": "The catalogue of licence types (证照类型目录)."},
    {"name": "licences", "description": "Licences (电子证照): the holder's own; the issuing unit's changes."},
    {"name": "shares", "description": "The holder's time-limited verification codes (亮证/分享)."},
    {
        "name": "uses",
        "description": "Staff use of a licence for a case, and the holder's record of it (用证记录).",
    },
    {"name": "verification", "description": "Public: verification by number, shared licences, signing keys."},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build licence-svc."""
    settings = settings or Settings()
    keys = KeyRing(settings)

    async def start(app: FastAPI) -> None:
        async with app.state.db.transaction() as session:
            await keys.ready(session)
        app.state.http = http_client()
        app.state.expiry_task = expiry_task(app.state.db, settings.expiry_scan_seconds)
        app.state.expiry_task.start()
        # In the background: a large library is keyed while the service already answers.
        app.state.keying_task = asyncio.create_task(
            _fill_holder_keys_once(app.state.db, keys.holders), name="licence-holder-keys"
        )

    async def stop(app: FastAPI) -> None:
        expiring: PeriodicTask | None = getattr(app.state, "expiry_task", None)
        if expiring is not None:
            await expiring.stop()
        keying = getattr(app.state, "keying_task", None)
        if keying is not None:
            keying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keying
        http = getattr(app.state, "http", None)
        if http is not None:
            await http.close()

    app = create_service_app(
        ServiceSpec(
            name="licence",
            tags=TAGS,
            title="licence-svc",
            description="The electronic licence library (电子证照库): licences issued to persons and "
            "enterprises, signed renderings, shares, uses for cases and public verification.",
            service_dir=SERVICE_DIR,
            routers=routers,
            consumers=[*consumers(keys), calendar_consumer("licence")],  # identity's calendar
            startup=[start],
            shutdown=[stop],
        ),
        settings,
    )
    app.state.keys = keys
    app.state.verify_limiter = RateLimiter(settings.verify_rate_per_minute)
    return app
