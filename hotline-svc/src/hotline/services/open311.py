"""Open311 GeoReport v2 on top of tickets: services are request categories, requests are tickets
submitted through Open311 (only those are public: tickets from other channels hold personal
data), status open/closed from our lifecycle, updates from the ticket history."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.orm import utcnow

from ..config import Settings
from ..lifecycle import FINISHED_STATUSES
from ..models import Category, Open311Key, OrgUnit, Ticket, TicketHistory
from ..schemas import TicketCreate
from .tickets import create_ticket

MAX_RESULTS = 1000
DEFAULT_WINDOW = timedelta(days=90)

#: Ticket actions an Open311 client sees as updates, with the Chinese note shown.
PUBLIC_UPDATES = {
    "create": "诉求已受理",
    "dispatch": "已派单至承办单位",
    "reopen": "诉求已重办",
    "respond": "承办单位已联系诉求人",
    "reply": "承办单位已答复",
    "call_back": "已回访",
    "close": "工单已办结",
    "divert": "诉求已分流",
    "merge": "与相同诉求合并办理",
}


class Open311Error(Exception):
    """An error in the GeoReport error format."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def hash_key(key: str) -> str:
    """How api keys are stored."""
    return hashlib.sha256(key.encode()).hexdigest()


async def create_key(session: AsyncSession, name: str, key: str | None = None) -> str:
    """Issue an api key (returned once; only its hash is stored)."""
    key = key or secrets.token_urlsafe(24)
    session.add(Open311Key(key_sha256=hash_key(key), name=name, active=True))
    await session.flush()
    return key


async def check_key(session: AsyncSession, key: str | None) -> Open311Key:
    """The active key; 403 otherwise (as the specification says)."""
    if not key:
        raise Open311Error(403, "api_key is required to post a service request")
    row = (
        await session.execute(select(Open311Key).where(Open311Key.key_sha256 == hash_key(key)))
    ).scalar_one_or_none()
    if row is None or not row.active:
        raise Open311Error(403, "api_key is not valid")
    return row


def check_jurisdiction(settings: Settings, jurisdiction_id: str | None) -> None:
    """Only this endpoint's jurisdiction is served."""
    if jurisdiction_id and jurisdiction_id != settings.open311_jurisdiction_id:
        raise Open311Error(
            404,
            f"jurisdiction_id {jurisdiction_id} is not served here; use {settings.open311_jurisdiction_id}",
        )


def service_view(c: Category) -> dict[str, Any]:
    """A category as a GeoReport service."""
    return {
        "service_code": c.code,
        "service_name": c.name,
        "description": c.description,
        "metadata": bool(c.attributes),
        "type": "realtime",
        "keywords": ",".join(w for w in (c.name, c.group_name) if w),
        "group": c.group_name,
    }


async def services(session: AsyncSession) -> list[dict[str, Any]]:
    """Every active category."""
    rows = await session.execute(select(Category).where(Category.active.is_(True)).order_by(Category.code))
    return [service_view(c) for c in rows.scalars()]


async def service_definition(session: AsyncSession, code: str) -> dict[str, Any]:
    """A category's attribute definitions."""
    c = await session.get(Category, code)
    if c is None or not c.active:
        raise Open311Error(404, f"service_code {code} not found")
    return {"service_code": c.code, "attributes": list(c.attributes)}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


async def request_view(
    session: AsyncSession, t: Ticket, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """A ticket as a GeoReport service request."""
    category = await session.get(Category, t.category_code) if t.category_code else None
    agency = None
    if t.lead_unit_code:
        agency = (names or {}).get(t.lead_unit_code)
        if agency is None:
            unit = (
                await session.execute(select(OrgUnit).where(OrgUnit.code == t.lead_unit_code))
            ).scalar_one_or_none()
            agency = unit.name if unit else t.lead_unit_code
    closed = t.status in FINISHED_STATUSES
    notes = t.reply or t.close_note
    return {
        "service_request_id": t.id,
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": category.name if category else None,
        "service_code": t.category_code,
        "description": t.description,
        "agency_responsible": agency,
        "service_notice": f"工单编号 {t.number}",
        "requested_datetime": _iso(t.created_at),
        "updated_datetime": _iso(t.updated_at),
        "expected_datetime": _iso(t.due_at),
        "address": t.address,
        "address_id": t.community_code or t.street_code,
        "zipcode": None,
        "lat": t.lat,
        "long": t.lon,
        "media_url": (t.attributes or {}).get("_media_url"),
    }


def _parse_time(name: str, value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Open311Error(400, f"{name} must be a W3C date-time such as 2026-11-22T09:30:00+08:00") from exc
    if parsed.tzinfo is None:
        raise Open311Error(400, f"{name} must carry a time zone offset (W3C format)")
    return parsed


async def list_requests(
    session: AsyncSession,
    *,
    ids: str | None,
    service_code: str | None,
    start_date: str | None,
    end_date: str | None,
    status: str | None,
) -> list[dict[str, Any]]:
    """GET requests with the specification's filters and defaults (90 days, 1000 results)."""
    query = select(Ticket).where(Ticket.channel == "open311")
    if ids:
        # With service_request_id the other parameters are ignored (the specification).
        wanted = [i.strip() for i in ids.split(",") if i.strip()]
        query = query.where(Ticket.id.in_(wanted))
    else:
        start = _parse_time("start_date", start_date)
        end = _parse_time("end_date", end_date)
        if start and end and start > end:
            raise Open311Error(400, "start_date must be before end_date")
        if start is None:
            start = (end or utcnow()) - DEFAULT_WINDOW
        query = query.where(Ticket.created_at >= start)
        if end is not None:
            query = query.where(Ticket.created_at <= end)
        if service_code:
            query = query.where(
                Ticket.category_code.in_([c.strip() for c in service_code.split(",") if c.strip()])
            )
        if status:
            wanted_status = {s.strip().lower() for s in status.split(",") if s.strip()}
            if not wanted_status <= {"open", "closed"}:
                raise Open311Error(400, "status must be open, closed, or open,closed")
            if wanted_status == {"open"}:
                query = query.where(Ticket.status.not_in(FINISHED_STATUSES))
            elif wanted_status == {"closed"}:
                query = query.where(Ticket.status.in_(FINISHED_STATUSES))
    rows = await session.execute(query.order_by(Ticket.created_at.desc()).limit(MAX_RESULTS))
    names = dict((await session.execute(select(OrgUnit.code, OrgUnit.name))).all())
    return [await request_view(session, t, names) for t in rows.scalars()]


async def get_request(session: AsyncSession, request_id: str) -> list[dict[str, Any]]:
    """GET requests/{id}: a one-element list."""
    t = await session.get(Ticket, request_id)
    if t is None or t.channel != "open311":
        raise Open311Error(404, f"service_request_id {request_id} not found")
    return [await request_view(session, t)]


async def token_lookup(session: AsyncSession, token: str) -> list[dict[str, Any]]:
    """GET tokens/{token}: the request id the token became."""
    t = (await session.execute(select(Ticket).where(Ticket.token == token))).scalar_one_or_none()
    if t is None or t.channel != "open311":
        raise Open311Error(404, f"token {token} not found")
    return [{"service_request_id": t.id, "token": t.token}]


async def post_request(
    session: AsyncSession, form: dict[str, str], settings: Settings
) -> list[dict[str, Any]]:
    """POST requests: a new ticket from the form fields; returns the id and the token."""
    key = await check_key(session, form.get("api_key"))
    check_jurisdiction(settings, form.get("jurisdiction_id"))
    code = form.get("service_code")
    if not code:
        raise Open311Error(400, "service_code is required")
    category = await session.get(Category, code)
    if category is None or not category.active:
        raise Open311Error(404, f"service_code {code} not found")
    lat, lon = form.get("lat"), form.get("long")
    address = form.get("address_string")
    address_id = form.get("address_id")
    if not ((lat and lon) or address or address_id):
        raise Open311Error(400, "a location is required: lat and long, address_string, or address_id")
    attributes = {
        k[len("attribute[") : -1]: v
        for k, v in form.items()
        if k.startswith("attribute[") and k.endswith("]")
    }
    name = " ".join(p for p in (form.get("last_name"), form.get("first_name")) if p) or None
    street = community = None
    if address_id:
        if len(address_id) == 12:
            community = address_id
        else:
            street = address_id
    try:
        body = TicketCreate(
            request_type="help",
            channel="web",
            category_code=code,
            title=category.name + (f"（{address}）" if address else ""),
            description=form.get("description") or category.name,
            caller_name=name,
            caller_phone=form.get("phone") or None,
            address=address,
            lat=float(lat) if lat else None,
            lon=float(lon) if lon else None,
            street_code=street,
            community_code=community,
            attributes=attributes,
        )
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            fields = ", ".join(".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in exc.errors())
        else:
            fields = "lat and long must be numbers"
        raise Open311Error(400, "invalid request: " + fields.replace("lon:", "long:")) from exc
    if form.get("media_url"):
        body.attributes = {**body.attributes, "_media_url": form["media_url"][:500]}
    actor = Principal(subject=f"open311:{key.name}", kind="open311")
    ticket = await create_ticket(session, body, actor, settings, via_open311=True)
    return [
        {
            "service_request_id": ticket.id,
            "token": ticket.token,
            "service_notice": f"已受理，工单编号 {ticket.number}",
            "account_id": form.get("account_id") or None,
        }
    ]


async def request_updates(
    session: AsyncSession, *, request_id: str | None, start_date: str | None, end_date: str | None
) -> list[dict[str, Any]]:
    """The servicerequestupdates extension: public history of Open311 requests."""
    query = (
        select(TicketHistory, Ticket)
        .join(Ticket, Ticket.id == TicketHistory.ticket_id)
        .where(Ticket.channel == "open311", TicketHistory.action.in_(PUBLIC_UPDATES))
    )
    if request_id:
        query = query.where(Ticket.id == request_id)
    start = _parse_time("start_date", start_date)
    end = _parse_time("end_date", end_date)
    if start is None and not request_id:
        start = (end or utcnow()) - DEFAULT_WINDOW
    if start is not None:
        query = query.where(TicketHistory.at >= start)
    if end is not None:
        query = query.where(TicketHistory.at <= end)
    rows = await session.execute(query.order_by(TicketHistory.at, TicketHistory.id).limit(MAX_RESULTS))
    return [
        {
            "update_id": h.id,
            "service_request_id": t.id,
            "status": "closed" if h.to_status in FINISHED_STATUSES else "open",
            "updated_datetime": _iso(h.at),
            "description": PUBLIC_UPDATES[h.action]
            + (f"：{t.reply}" if h.action == "reply" and t.reply else ""),
            "media_url": None,
        }
        for h, t in rows
    ]
