"""Helpers for the queue tests: the service with a settable clock, a configured hall with two
windows (identity's window units of 区政务服务中心) and tokens for the people at them."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from intake_support import Clock
from sqlalchemy import select

from intake.config import Settings
from intake.main import create_app
from intake.services.catalogue import record_published
from intake.services.notification_settings import NotificationSettings
from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow
from yiwang_shared.tables import outbox
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens

CENTRE = "110105-ZWFW"
HOURS = {"working_days": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "17:00"}]}
HALL = {
    "wait_limit_minutes": 20,
    "categories": [
        {"code": "A", "name": "综合受理", "item_codes": ["*"]},
        {"code": "B", "name": "社保业务", "item_codes": ["RSJ-0001"]},
    ],
    "windows": [
        {"unit_code": f"{CENTRE}-W01", "number": "1", "name": "综合受理窗口1", "category_codes": ["A", "B"]},
        {"unit_code": f"{CENTRE}-W02", "number": "2", "category_codes": ["A", "B"]},
    ],
}


class QueueEnv:
    """The running service, its clock, database and the people of these tests."""

    def __init__(
        self, app: FastAPI, client: httpx.AsyncClient, db: Database, tokens: TestTokens, clock: Clock
    ) -> None:
        self.app = app
        self.client = client
        self.db = db
        self.tokens = tokens
        self.clock = clock
        self.admin = tokens.headers(kind="staff", roles=["admin"])
        self.supervisor = tokens.headers(kind="staff", roles=["supervisor"], org_unit=CENTRE)
        self.evaluator = tokens.headers(kind="staff", roles=["evaluator"], org_unit="110105-ZWGLJ")
        self.clerk1 = self.clerk("clerk-1", f"{CENTRE}-W01")
        self.clerk2 = self.clerk("clerk-2", f"{CENTRE}-W02")
        self.place_id = ""

    def clerk(self, subject: str, unit: str) -> dict[str, str]:
        return self.tokens.headers(subject=subject, kind="staff", roles=["window_clerk"], org_unit=unit)

    def citizen(self, subject: str) -> dict[str, str]:
        return self.tokens.headers(subject=subject)

    async def publish_item(self, code: str, name: str | None = None) -> None:
        """Put a published item (taking appointments) into the catalogue read model."""
        async with self.db.transaction() as session:
            await record_published(
                session,
                {
                    "item_id": str(uuid.uuid4()),
                    "item_code": code,
                    "basic_code": "B-" + code,
                    "version_no": 1,
                    "published_at": utcnow().isoformat(),
                    "owner_unit": {"code": "110105-MZJ", "name": "区民政局"},
                    "elements": {
                        "name": name or f"事项{code}",
                        "implementing_unit": {"code": "110105-MZJ", "name": "区民政局"},
                        "appointment_supported": True,
                    },
                },
            )

    async def hall(self, code: str = "HALL-Q", config: dict[str, Any] | None = None) -> str:
        """A place with the queue configured; its id."""
        r = await self.client.post(
            "/v1/places",
            json={
                "code": code,
                "name": "朝阳区政务服务中心",
                "org_unit_code": CENTRE,
                "address": "示例路1号",
                "hours": HOURS,
            },
            headers=self.admin,
        )
        assert r.status_code == 201, r.text
        place_id: str = r.json()["id"]
        r = await self.client.put(f"/v1/places/{place_id}/queue", json=config or HALL, headers=self.admin)
        assert r.status_code == 200, r.text
        self.place_id = self.place_id or place_id
        return place_id

    async def take(
        self, headers: dict[str, str] | None = None, place_id: str | None = None, **body: Any
    ) -> dict[str, Any]:
        r = await self.client.post(
            f"/v1/places/{place_id or self.place_id}/queue/tickets",
            json=body or {"category_code": "A"},
            headers=headers or {},
        )
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    async def act(self, ticket_id: str, action: str, headers: dict[str, str]) -> httpx.Response:
        return await self.client.post(f"/v1/queue/tickets/{ticket_id}/{action}", headers=headers)

    async def call(self, headers: dict[str, str]) -> httpx.Response:
        return await self.client.post("/v1/queue/window/call-next", headers=headers)

    def later(self, minutes: float) -> None:
        """Move the service clock on."""
        self.clock.now = self.clock.now + timedelta(minutes=minutes)

    async def outbox_events(
        self, prefix: str = "intake.queue_ticket."
    ) -> list[tuple[str, dict[str, Any], str]]:
        async with self.db.transaction(write=False) as session:
            rows = await session.execute(
                select(outbox.c.subject, outbox.c.payload, outbox.c.event_id)
                .where(outbox.c.subject.like(prefix + "%"))
                .order_by(outbox.c.id)
            )
            return [(r.subject, json.loads(r.payload), r.event_id) for r in rows]


@pytest.fixture
async def qenv(database_url: str, nats_server: NatsServer, tokens: TestTokens) -> AsyncIterator[QueueEnv]:
    app = create_app(Settings(database_url=database_url, nats_url=nats_server.url, outbox_poll_seconds=0.2))
    app.state.notification_settings = NotificationSettings(
        sms_dispatcher_enabled=False, appointment_reminders_enabled=False
    )
    clock = Clock()
    app.state.clock = clock
    async with running_app(app, verifier=tokens.verifier()) as client:
        yield QueueEnv(app, client, app.state.db, tokens, clock)
