"""Test helpers: intake and hotline payloads shaped like their committed schemas, delivery of an
event through the service's real consumer runner, and tokens for the usual people."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI

from yiwang_shared.events import make_event
from yiwang_shared.testing.tokens import TestTokens

MZJ = "110105-MZJ"  # 区民政局
RSJ = "110105-RSJ"  # 区人力社保局
WINDOW = "110105-MZJ-W01"
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=datetime.now().astimezone().tzinfo).astimezone()


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


async def deliver(app: FastAPI, subject: str, data: dict[str, Any], *, event_id: str | None = None) -> str:
    """Hand one event to the service's consumer runner (its real transaction and dedup path)."""
    type_, version = subject.rsplit(".v", 1)
    env = make_event(type_, int(version), data, producer=subject.split(".")[0])
    if event_id:
        env = env.model_copy(update={"event_id": event_id})
    runner = app.state.consumers
    consumer = next(c for c in runner.consumers if subject.startswith(c.subject.rstrip(">")))
    return str(await runner.handle_envelope(consumer, env))


def citizen(tokens: TestTokens, subject: str) -> dict[str, str]:
    """A citizen's Authorization header."""
    return tokens.headers(subject=subject, kind="person")


def staff(tokens: TestTokens, unit: str, *roles: str, subject: str | None = None) -> dict[str, str]:
    """A staff member's Authorization header."""
    return tokens.headers(subject=subject or f"staff-{unit}", kind="staff", roles=list(roles), org_unit=unit)


async def service_event_of(client: Any, tokens: TestTokens, applicant: str) -> dict[str, Any]:
    """The citizen's newest service event."""
    resp = await client.get("/v1/service-events/mine", headers=citizen(tokens, applicant))
    assert resp.status_code == 200, resp.text
    return dict(resp.json()[0])
