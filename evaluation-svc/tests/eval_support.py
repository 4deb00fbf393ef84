"""Test helpers: intake, hotline and catalog payloads shaped like their committed schemas, delivery
of an event through the service's real consumer runner or through real JetStream, and tokens for
the usual people."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import nats
from fastapi import FastAPI
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import func, select

from evaluation.models import IndicatorCounter
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.events import make_event
from yiwang_shared.tables import processed_events
from yiwang_shared.testing.tokens import TestTokens

MZJ = "110105-MZJ"  # 区民政局
RSJ = "110105-RSJ"  # 区人力社保局
WINDOW = "110105-MZJ-W01"
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=datetime.now().astimezone().tzinfo).astimezone()


def local_month(iso: str) -> str:
    """The month (YYYY-MM) an ISO timestamp falls in, in the district's time: what the service buckets by.

    Slicing the string ([:7]) gives the month in whatever offset it was written with — UTC for the
    service's own timestamps — which is another month for eight hours at every month's turn.
    """
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).strftime("%Y-%m")


def completed(
    *,
    applicant: str | None = None,
    unit: str = MZJ,
    window: str | None = WINDOW,
    staff: str | None = "clerk-1",
    item: str = "ITEM-DIBAO",
    handling_type: str = "2",
    legal: int | None = 20,
    promised: int | None = 10,
    visits: int = 1,
    online: bool = False,
    days: int = 6,
    at: datetime | None = None,
) -> dict[str, Any]:
    """An intake.application.completed.v1 payload."""
    at = at or datetime.now().astimezone()
    data: dict[str, Any] = {
        "application_id": str(uuid.uuid4()),
        "application_no": "SQ" + uuid.uuid4().hex[:8],
        "item_code": item,
        "item_name": "最低生活保障审核确认",
        "version_no": 1,
        "owner_unit_code": unit,
        "intake_unit_code": window,
        "accepting_unit_code": window,
        "entrusted": False,
        "channel": "online" if online else "window",
        "online": online,
        "applicant_kind": "person",
        "staff_id": staff,
        "handling_type": handling_type,
        "legal_limit_days": legal,
        "promised_limit_days": promised,
        "limit_unit": "working_day",
        "visits": visits,
        "received_at": (at - timedelta(days=8)).isoformat(),
        "accepted_at": (at - timedelta(days=8)).isoformat(),
        "due_on": at.date().isoformat(),
        "completed_at": at.isoformat(),
        "decision": "approved",
        "result_name": "低保证",
        "working_days_used": days,
        "on_time": True,
        "some_future_field": "ignored",
    }
    if applicant:
        data["applicant_subject"] = applicant
    return data


def submitted_from(done: dict[str, Any], resubmission: int = 0) -> dict[str, Any]:
    """The intake.application.submitted.v1 payload of the same case."""
    keep = {
        k: v
        for k, v in done.items()
        if k not in {"completed_at", "decision", "result_name", "working_days_used", "on_time"}
    }
    return keep | {"resubmission": resubmission, "complete": True}


def delivered_from(
    done: dict[str, Any],
    *,
    mode: str = "window",
    own: int | None = None,
    total: int | None = None,
    at: datetime | None = None,
    staff: str | None = "clerk-deliver",
) -> dict[str, Any]:
    """The intake.application.delivered.v1 payload of a completed case (issue 14's shape).

    `own` is the visits the delivery took (1 for a window pickup, 0 otherwise by default) and
    `total` every visit of the case (by default the completion's plus the delivery's).
    """
    own = int(mode == "window") if own is None else own
    keep = {
        k: v
        for k, v in done.items()
        if k not in {"decision", "result_name", "working_days_used", "on_time", "visits"}
    }
    at = at or datetime.fromisoformat(done["completed_at"]) + timedelta(hours=2)
    return keep | {
        "staff_id": staff,
        "delivered_at": at.isoformat(),
        "delivery_mode": mode,
        "visits": own,
        "total_visits": done["visits"] + own if total is None else total,
    }


def ticket(
    kind: str, *, unit: str = MZJ, citizen: str | None = None, ticket_id: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A hotline.ticket.<kind>.v1 payload."""
    now = datetime.now().astimezone()
    base: dict[str, Any] = {
        "ticket_id": ticket_id or str(uuid.uuid4()),
        "number": "GD" + uuid.uuid4().hex[:8],
        "request_type": "complaint",
        "channel": "phone",
        "category_code": "C01",
        "street_code": None,
        "community_code": None,
        "lead_unit_code": unit,
        "first_unit_code": unit,
        "citizen_subject": citizen,
    }
    if kind == "dispatched":
        base |= {
            "unit_code": unit,
            "co_unit_codes": [],
            "mode": "rule",
            "redispatch": False,
            "coordination": False,
            "round": 1,
            "dispatched_at": now.isoformat(),
            "dispute_deadline": now.isoformat(),
            "response_due_at": now.isoformat(),
            "due_at": None,
        }
    elif kind == "responded":
        base |= {
            "unit_code": unit,
            "round": 1,
            "responded_at": now.isoformat(),
            "response_due_at": now.isoformat(),
            "on_time": True,
        }
    elif kind == "called_back":
        base |= {
            "unit_code": unit,
            "round": 1,
            "resolved": True,
            "satisfaction": "satisfied",
            "called_back_at": now.isoformat(),
        }
    elif kind == "closed":
        base |= {
            "close_reason": "completed",
            "diversion_reason": None,
            "kb_entry_id": None,
            "merged_into_id": None,
            "merged_ticket_ids": [],
            "resolved": True,
            "satisfaction": "satisfied",
            "closed_at": now.isoformat(),
        }
    return base | extra


async def org_units(app: FastAPI, *codes: str) -> None:
    """identity's units `codes` in the read model, each under the one whose code it extends
    (`110105-MZJ-W01` under `110105-MZJ`): the units below a staff member's own, which they see."""
    for code in codes:
        parent = code.rsplit("-", 1)[0]
        unit = {
            "org_unit_id": f"id-{code}",
            "change": "created",
            "changed_fields": [],
            "code": code,
            "name": code,
            "kind": "department",
            "level": 4,
            "parent_id": f"id-{parent}" if parent in codes else None,
            "uscc": None,
            "changed_at": datetime.now(SHANGHAI).isoformat(),
        }
        assert await deliver(app, "identity.org_unit.changed.v1", unit) == "handled"


async def deliver(app: FastAPI, subject: str, data: dict[str, Any], *, event_id: str | None = None) -> str:
    """Hand one event to the service's consumer runner (its real transaction and dedup path)."""
    type_, version = subject.rsplit(".v", 1)
    env = make_event(type_, int(version), data, producer=subject.split(".")[0])
    if event_id:
        env = env.model_copy(update={"event_id": event_id})
    runner = app.state.consumers
    consumer = next(c for c in runner.consumers if subject.startswith(c.subject.rstrip(">")))
    return str(await runner.handle_envelope(consumer, env))


async def publish(nats_url: str, subject: str, data: dict[str, Any]) -> str:
    """Publish an event on its publisher's stream through JetStream, as that service's relay does."""
    producer = subject.split(".")[0]
    type_, version = subject.rsplit(".v", 1)
    env = make_event(type_, int(version), data, producer=producer)
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        stream = producer.upper()
        try:
            await js.stream_info(stream)
        except NotFoundError:
            await js.add_stream(StreamConfig(name=stream, subjects=[f"{producer}.>"]))
        await js.publish(subject, env.model_dump_json().encode(), headers={"Nats-Msg-Id": env.event_id})
    finally:
        await nc.close()
    return env.event_id


async def until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 20.0) -> None:
    """Wait until `check()` is true (events travel through NATS asynchronously)."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


async def handled(app: FastAPI, *event_ids: str) -> bool:
    """True once the service's durable consumers have applied every one of `event_ids`."""
    async with app.state.db.transaction(write=False) as s:
        n = await s.execute(
            select(func.count())
            .select_from(processed_events)
            .where(processed_events.c.event_id.in_(event_ids))
        )
        return int(n.scalar_one()) == len(event_ids)


async def counter(app: FastAPI, dimension: str, key: str, name: str) -> int:
    """The sum of one counter over every month."""
    async with app.state.db.transaction(write=False) as s:
        c = IndicatorCounter
        total = await s.execute(
            select(func.coalesce(func.sum(c.value), 0)).where(
                c.dimension == dimension, c.key == key, c.name == name
            )
        )
        return int(total.scalar_one())


def item_published(code: str, name: str, *, version: int = 1, unit: str = "110105-MZJ") -> dict[str, Any]:
    """A catalog.item.published.v1 payload (the fields evaluation reads, plus others it ignores)."""
    return {
        "item_id": str(uuid.uuid4()),
        "item_code": code,
        "basic_code": code[:10],
        "version_no": version,
        "published_at": f"2026-11-{version:02d}T08:00:00+00:00",
        "level": 4,
        "owner_unit": {"id": None, "code": unit, "name": "区民政局", "uscc": None},
        "quality_score": 90,
        "elements": {
            "name": name,
            "item_type": "01",
            "implementing_unit": {"code": unit, "name": "区民政局"},
            "level": 4,
        },
    }


def citizen(tokens: TestTokens, subject: str) -> dict[str, str]:
    """A citizen's Authorization header."""
    return tokens.headers(subject=subject, kind="person")


def staff(tokens: TestTokens, unit: str, *roles: str, subject: str | None = None) -> dict[str, str]:
    """A staff member's Authorization header."""
    return tokens.headers(subject=subject or f"staff-{unit}", kind="staff", roles=list(roles), org_unit=unit)


#: The evaluation office (评价办): its evaluators call raters back, register rating pads, decide flags.
OFFICE = "110105-ZWB"


def office(tokens: TestTokens) -> dict[str, str]:
    """An evaluator of the evaluation office."""
    return staff(tokens, OFFICE, "evaluator", subject="office-evaluator")


async def rating_pad(client: Any, tokens: TestTokens, window: str) -> tuple[str, str]:
    """A rating pad (评价器) the office registers at `window`: its id and secret."""
    resp = await client.post("/v1/rating-devices", json={"window_code": window}, headers=office(tokens))
    assert resp.status_code == 201, resp.text
    return str(resp.json()["device"]["id"]), str(resp.json()["secret"])


async def pad_code(client: Any, pad: tuple[str, str]) -> dict[str, Any]:
    """What the pad shows for its window's latest visit: the event and its one-time code."""
    resp = await client.post(f"/v1/rating-devices/{pad[0]}/code", json={"secret": pad[1]})
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


async def service_event_of(client: Any, tokens: TestTokens, applicant: str) -> dict[str, Any]:
    """The citizen's newest service event."""
    resp = await client.get("/v1/service-events/mine", headers=citizen(tokens, applicant))
    assert resp.status_code == 200, resp.text
    return dict(resp.json()["items"][0])
