"""免申即享 in the background: the SMS asking a person to confirm an offer, and the lapse of offers
left unconfirmed.

An offer is made from identity's age_reached event, which carries no mobile number but a contact
ticket (a claim check). The worker redeems it at identity-svc — outside any transaction, so no
write waits on the call — and queues the SMS in the offer's own transaction on its locked row,
clearing the ticket, so the person is texted once however many replicas run. identity not
answering leaves the offer for the next pass; a ticket identity no longer knows (expired) queues
the message without a number (`skipped`: the person still sees it in their messages).

The worker is woken by the commit that made an offer, and passes every `OFFER_SCAN_SECONDS`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.orm import as_utc
from yiwang_shared.periodic import PeriodicTask

from ..clients.contact_tickets import ContactUnavailable, redeem_contact_ticket
from ..repositories.offers import OfferRepository
from .notification_outbox import queue_message
from .proactive import OFFERS_DIRTY, advance

log = logging.getLogger("intake.proactive")

#: Redeems a contact ticket: the mobile, or None when the ticket is no good; raises when identity
#: cannot say now (the offer waits for the next pass).
Redeemer = Callable[[str], Awaitable[str | None]]


class ProactiveSettings(BaseSettings):
    """免申即享 settings (env prefix INTAKE_)."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    offer_valid_days: int = Field(
        default=90, ge=1, le=366, description="Days an offer waits for the person's confirmation."
    )
    offer_scan_seconds: float = Field(
        default=60,
        ge=0,
        description="How often the worker texts new offers and lapses old ones (it is also woken by "
        "each new offer); 0: no worker.",
    )
    offer_batch: int = Field(default=50, ge=1, le=1000, description="Offers handled per pass and kind.")


@lru_cache(maxsize=1)
def proactive_settings() -> ProactiveSettings:
    """The process's 免申即享 settings (read once from the environment)."""
    return ProactiveSettings()


def _sms_day(moment: datetime) -> str:
    day = local_date(moment)
    return f"{day.year}年{day.month}月{day.day}日"


async def notify_one(db: Database, offer_id: str, redeem: Redeemer, *, now: datetime) -> bool:
    """Text the person about one offer (see the module); True when the SMS was queued now."""
    async with db.transaction(write=False) as session:
        offer = await OfferRepository(session).find(offer_id)
        ticket = offer.contact_ticket if offer is not None else None
    if ticket is None:
        return False
    phone = await redeem(ticket)  # outside any transaction: no write waits on identity
    async with db.transaction() as session:
        offer = await OfferRepository(session).find(offer_id, for_update=True)
        if offer is None or offer.contact_ticket is None:
            return False  # texted by another replica meanwhile
        offer.contact_ticket, offer.notified_at = None, now
        if offer.status != "offered":
            return False  # answered before the SMS went out: nothing to ask any more
        await queue_message(
            session,
            kind="offer_made",
            phone=phone,
            person_id=offer.account_id,
            application_id=None,
            params={
                "reason": offer.reason,
                "item_name": offer.item_name,
                "expires": _sms_day(offer.expires_at),
                "offer_no": offer.number,
            },
        )
    return True


async def notify_pending(db: Database, redeem: Redeemer, *, now: datetime, batch: int = 50) -> int:
    """Text every offer still waiting for its SMS (up to `batch`); how many were queued."""
    async with db.transaction(write=False) as session:
        waiting = await OfferRepository(session).ids_to_notify(batch)
    queued = 0
    for offer_id in waiting:
        try:
            queued += await notify_one(db, offer_id, redeem, now=now)
        except ContactUnavailable as exc:
            log.warning("免申即享: the offers' SMS wait for identity-svc (%s)", exc)
            break  # the same for every other offer now: the next pass tries again
    return queued


async def expire_lapsed(db: Database, *, now: datetime, batch: int = 50) -> int:
    """Lapse the offers unconfirmed by their `expires_at` (up to `batch`); how many."""
    async with db.transaction(write=False) as session:
        lapsed = await OfferRepository(session).ids_lapsed(now, batch)
    expired = 0
    for offer_id in lapsed:
        async with db.transaction() as session:
            offer = await OfferRepository(session).find(offer_id, for_update=True)
            if offer is None or offer.status != "offered" or as_utc(offer.expires_at) > now:
                continue  # answered meanwhile
            advance(offer, "expire", now=now)
            expired += 1
    return expired


class ProactiveWorker:
    """Texts new offers and lapses old ones; `offers_pass` is what the background task runs, woken
    by new offers and every `offer_scan_seconds`."""

    def __init__(
        self, db: Database, redeem: Redeemer, clock: Callable[[], datetime], settings: ProactiveSettings
    ) -> None:
        self.db = db
        self.redeem = redeem
        self.clock = clock
        self.settings = settings

    async def run_once(self) -> tuple[int, int]:
        """One pass: (SMS queued, offers lapsed)."""
        now = self.clock()
        batch = self.settings.offer_batch
        queued = await notify_pending(self.db, self.redeem, now=now, batch=batch)
        return queued, await expire_lapsed(self.db, now=now, batch=batch)

    async def offers_pass(self) -> None:
        """The background pass: `run_once`, logged when it did something."""
        queued, expired = await self.run_once()
        if queued or expired:
            log.info("免申即享: %d offer SMS queued, %d offer(s) lapsed", queued, expired)


class App(Protocol):
    """What the hooks need of the app: its state (the database, clients, clock, settings)."""

    @property
    def state(self) -> Any:
        """The app's state."""


def _identity_redeemer(app: App) -> Redeemer:
    """Redeem tickets at the identity-svc the service is configured with, on its HTTP client."""
    settings = app.state.settings

    async def redeem(ticket: str) -> str | None:
        return await redeem_contact_ticket(
            app.state.identity_client,
            base_url=settings.resolved_identity_url(),
            ticket=ticket,
            timeout=settings.request_timeout_seconds,
        )

    return redeem


async def start_proactive(app: App) -> None:
    """Startup hook (after the clients): run the worker unless INTAKE_OFFER_SCAN_SECONDS is 0.
    Tests may put `proactive_settings` and an `offer_contacts` redeemer on `app.state` first."""
    settings: ProactiveSettings = getattr(app.state, "proactive_settings", None) or proactive_settings()
    app.state.proactive_worker = None
    if settings.offer_scan_seconds <= 0:
        return
    redeem = getattr(app.state, "offer_contacts", None) or _identity_redeemer(app)
    worker = ProactiveWorker(app.state.db, redeem, lambda: app.state.clock(), settings)
    # identity down, a database blip: the task logs it and the next pass tries again.
    task = PeriodicTask(
        "intake-proactive-offers", worker.offers_pass, seconds=settings.offer_scan_seconds, log=log
    )
    app.state.db.add_commit_hook(task.wake, flag=OFFERS_DIRTY)
    app.state.proactive_worker = task
    task.start()


async def stop_proactive(app: App) -> None:
    """Shutdown hook: stop the worker after its current pass."""
    task: PeriodicTask | None = getattr(app.state, "proactive_worker", None)
    if task is not None:
        await task.stop()
