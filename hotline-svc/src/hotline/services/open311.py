"""Open311 GeoReport v2 on top of tickets: services are request categories, requests are tickets
submitted through Open311 (only those are public: tickets from other channels hold personal
data), status open/closed from our lifecycle, updates from the ticket history."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.errors import ProblemError
from yiwang_shared.i18n import pick
from yiwang_shared.logging import mask_text
from yiwang_shared.orm import as_utc, utcnow
from yiwang_shared.validation_messages import message_for

from .. import errors
from ..config import Settings
from ..lifecycles import FINISHED_STATUSES
from ..models import Category, Open311Key, Ticket
from ..repositories.open311 import Open311Repository
from ..repositories.rules import CategoryRepository
from ..repositories.tickets import TicketRepository
from ..schemas import TicketCreate
from ..schemas.open311 import (
    Open311AttributeRead,
    Open311RequestReceiptRead,
    Open311RequestUpdateRead,
    Open311ServiceDefinitionRead,
    Open311ServiceRead,
    Open311ServiceRequestCreate,
    Open311ServiceRequestRead,
    Open311TokenRead,
)
from .orgs import check_area, find_unit, unit_names
from .tickets import create_ticket
from .tickets_support import check_attributes

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

#: Fields of a ticket as Open311 names them, for errors in the posted form.
_FORM_NAMES = {
    "lon": "long",
    "address": "address_string",
    "caller_phone": "phone",
    "caller_name": "last_name",
    "street_code": "address_id",
    "community_code": "address_id",
}


class Open311Failure(Exception):
    """An error answered in GeoReport's format (`[{"code": 404, "description": "…"}]`)."""

    def __init__(self, status: int, zh: str, en: str | None = None) -> None:
        # `en` is None when `zh` was already written in the request's language.
        super().__init__(en or zh)
        self.status = status
        self.zh = zh
        self.en = en

    @property
    def description(self) -> str:
        """The description in the request's language (Chinese unless English was asked for)."""
        return pick(self.zh, self.en)


def describe_errors(errors: Sequence[Mapping[str, Any]], rename: Mapping[str, str] | None = None) -> str:
    """pydantic's errors as one description a person can act on, in the request's language."""
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
        name = ".".join(loc)
        name = (rename or {}).get(name, name)
        message = message_for(err)
        parts.append(f"{name}{pick('：', ': ')}{message}" if name else message)
    return pick("请求有误：", "invalid request: ") + pick("；", "; ").join(parts)


def hash_key(key: str) -> str:
    """How api keys are stored."""
    return hashlib.sha256(key.encode()).hexdigest()


async def create_key(session: AsyncSession, name: str, key: str | None = None) -> tuple[Open311Key, str]:
    """Issue an api key: the stored row and the key itself (returned once; only its hash is kept)."""
    key = key or secrets.token_urlsafe(24)
    row = Open311Key(key_sha256=hash_key(key), name=name, active=True, created_at=utcnow())
    session.add(row)
    await session.flush()
    return row, key


async def get_key(session: AsyncSession, key_id: str) -> Open311Key:
    """The issued key `key_id`; 404 when missing."""
    row = await Open311Repository(session).find_key(key_id)
    if row is None:
        raise errors.open311_key_not_found(key_id)
    return row


async def check_key(session: AsyncSession, key: str | None) -> Open311Key:
    """The active key; 403 otherwise (as the specification says)."""
    if not key:
        raise Open311Failure(
            403,
            "提交诉求需要 api_key。请向区12345市民服务热线管理部门申请。",
            "api_key is required to post a service request",
        )
    row = await Open311Repository(session).find_key_by_hash(hash_key(key))
    if row is None or not row.active:
        raise Open311Failure(403, "api_key 无效或已停用，请核对后重试，或重新申请。", "api_key is not valid")
    return row


def check_jurisdiction(settings: Settings, jurisdiction_id: str | None) -> None:
    """Only this endpoint's jurisdiction is served."""
    ours = settings.open311_jurisdiction_id
    if jurisdiction_id and jurisdiction_id != ours:
        raise Open311Failure(
            404,
            f"本接口不受理 jurisdiction_id {jurisdiction_id} 的诉求，请改为 {ours} 或不填。",
            f"jurisdiction_id {jurisdiction_id} is not served here; use {ours}",
        )


def service_view(c: Category) -> Open311ServiceRead:
    """A category as a GeoReport service."""
    return Open311ServiceRead(
        service_code=c.code,
        service_name=c.name,
        description=c.description,
        metadata=bool(c.attributes),
        type="realtime",
        keywords=",".join(w for w in (c.name, c.group_name) if w),
        group=c.group_name,
    )


async def services(session: AsyncSession) -> list[Open311ServiceRead]:
    """Every active category."""
    return [service_view(c) for c in await CategoryRepository(session).active()]


async def _active_category(session: AsyncSession, code: str) -> Category:
    c = await CategoryRepository(session).find(code)
    if c is None or not c.active:
        raise Open311Failure(
            404,
            f"未找到服务 service_code {code}，请从服务列表（services）中选择。",
            f"service_code {code} not found",
        )
    return c


async def service_definition(session: AsyncSession, code: str) -> Open311ServiceDefinitionRead:
    """A category's attribute definitions."""
    c = await _active_category(session, code)
    return Open311ServiceDefinitionRead(
        service_code=c.code, attributes=[Open311AttributeRead.model_validate(a) for a in c.attributes]
    )


def _iso(value: datetime) -> str:
    return as_utc(value).isoformat(timespec="seconds")


async def request_view(
    session: AsyncSession, t: Ticket, names: dict[str, str] | None = None
) -> Open311ServiceRequestRead:
    """A ticket as a GeoReport service request."""
    category = await CategoryRepository(session).find(t.category_code) if t.category_code else None
    agency = None
    if t.lead_unit_code:
        agency = (names or {}).get(t.lead_unit_code)
        if agency is None:
            unit = await find_unit(session, t.lead_unit_code)
            agency = unit.name if unit else t.lead_unit_code
    closed = t.status in FINISHED_STATUSES
    notes = t.reply or t.close_note
    return Open311ServiceRequestRead(
        service_request_id=t.id,
        status="closed" if closed else "open",
        # Public: a number typed into the text is never shown in clear.
        status_notes=mask_text(notes) if notes else None,
        service_name=category.name if category else None,
        service_code=t.category_code,
        description=mask_text(t.description),
        agency_responsible=agency,
        service_notice=f"工单编号 {t.number}",
        requested_datetime=_iso(t.created_at),
        updated_datetime=_iso(t.updated_at),
        expected_datetime=_iso(t.due_at) if t.due_at else None,
        address=t.address,
        address_id=t.community_code or t.street_code,
        zipcode=None,
        lat=t.lat,
        long=t.lon,
        media_url=(t.attributes or {}).get("_media_url"),
    )


def _window(start: datetime | None, end: datetime | None) -> tuple[datetime | None, datetime | None]:
    if start is not None and end is not None and start > end:
        raise Open311Failure(
            400,
            "start_date 晚于 end_date，请调换或修改。",
            "start_date must be before end_date",
        )
    return start, end


def _listed(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


async def list_requests(
    session: AsyncSession,
    *,
    ids: str | None,
    service_code: str | None,
    start_date: datetime | None,
    end_date: datetime | None,
    status: str | None,
) -> list[Open311ServiceRequestRead]:
    """GET requests with the specification's filters and defaults (90 days, 1000 results)."""
    repo = Open311Repository(session)
    if ids:
        # With service_request_id the other parameters are ignored (the specification).
        rows = await repo.requests(ids=_listed(ids), limit=MAX_RESULTS)
    else:
        start, end = _window(start_date, end_date)
        if start is None:
            start = (end or utcnow()) - DEFAULT_WINDOW
        finished = sorted(FINISHED_STATUSES)
        wanted = {s.lower() for s in _listed(status)} if status else None
        if wanted is not None and (not wanted or not wanted <= {"open", "closed"}):
            raise Open311Failure(
                400,
                "status 应为 open、closed 或 open,closed。",
                "status must be open, closed, or open,closed",
            )
        rows = await repo.requests(
            since=start,
            until=end,
            categories=_listed(service_code) if service_code else None,
            statuses_not_in=finished if wanted == {"open"} else None,
            statuses_in=finished if wanted == {"closed"} else None,
            limit=MAX_RESULTS,
        )
    names = await unit_names(session)
    return [await request_view(session, t, names) for t in rows]


async def get_request(session: AsyncSession, request_id: str) -> list[Open311ServiceRequestRead]:
    """GET requests/{id}: a one-element list."""
    t = await TicketRepository(session).get(request_id)
    if t is None or t.channel != "open311":
        raise Open311Failure(
            404,
            f"未找到诉求 service_request_id {request_id}，请核对后重试。",
            f"service_request_id {request_id} not found",
        )
    return [await request_view(session, t)]


async def token_lookup(session: AsyncSession, token: str) -> list[Open311TokenRead]:
    """GET tokens/{token}: the request id the token became."""
    t = await TicketRepository(session).find_by_token(token)
    if t is None or t.channel != "open311":
        raise Open311Failure(404, f"未找到 token {token}，请核对后重试。", f"token {token} not found")
    return [Open311TokenRead(service_request_id=t.id, token=t.token)]


def _form(fields: Mapping[str, str], key: str) -> Open311ServiceRequestCreate:
    # An empty form field means "not given", as HTML forms send them.
    given = {k: v for k, v in fields.items() if v.strip()}
    try:
        return Open311ServiceRequestCreate.model_validate({**given, "api_key": key})
    except ValidationError as exc:
        raise Open311Failure(400, describe_errors(exc.errors())) from None


async def post_request(
    session: AsyncSession, fields: Mapping[str, str], *, key: str | None, settings: Settings
) -> list[Open311RequestReceiptRead]:
    """POST requests: a new ticket from the form fields; returns the id and the token.

    `key` is the api_key from the form or, failing that, the query string.
    """
    issued = await check_key(session, key)
    check_jurisdiction(settings, fields.get("jurisdiction_id"))
    form = _form(fields, key or "")
    category = await _active_category(session, form.service_code)
    attributes = {
        k[len("attribute[") : -1]: v.strip()
        for k, v in fields.items()
        if k.startswith("attribute[") and k.endswith("]") and v.strip()
    }
    check_attributes(category, attributes, field=lambda code: f"attribute[{code}]")
    street = community = None
    if form.address_id:
        try:
            street, community = await check_area(
                session,
                None if len(form.address_id) == 12 else form.address_id,
                form.address_id if len(form.address_id) == 12 else None,
            )
        except ProblemError:
            raise Open311Failure(
                400,
                f"address_id {form.address_id} 不是本区的街道或社区编码，请核对后重新填写。",
                f"address_id {form.address_id} is not a street or community of the district",
            ) from None
    name = " ".join(p for p in (form.last_name, form.first_name) if p) or None
    try:
        body = TicketCreate(
            request_type="help",
            category_code=category.code,
            title=(category.name + (f"（{form.address_string}）" if form.address_string else ""))[:200],
            description=form.description or category.name,
            caller_name=name,
            caller_phone=form.phone,
            address=form.address_string,
            lat=form.lat,
            lon=form.long,
            street_code=street,
            community_code=community,
            attributes=attributes,
        )
    except ValidationError as exc:
        raise Open311Failure(400, describe_errors(exc.errors(), _FORM_NAMES)) from None
    if form.media_url:
        body.attributes = {**body.attributes, "_media_url": form.media_url}
    actor = Principal(subject=f"open311:{issued.name}", kind="open311")
    ticket = await create_ticket(session, body, actor, settings, via_open311=True)
    return [
        Open311RequestReceiptRead(
            service_request_id=ticket.id,
            token=ticket.token,
            service_notice=f"已受理，工单编号 {ticket.number}",
            account_id=form.account_id,
        )
    ]


async def request_updates(
    session: AsyncSession,
    *,
    request_id: str | None,
    start_date: datetime | None,
    end_date: datetime | None,
) -> list[Open311RequestUpdateRead]:
    """The servicerequestupdates extension: public history of Open311 requests."""
    start, end = _window(start_date, end_date)
    if start is None and not request_id:
        start = (end or utcnow()) - DEFAULT_WINDOW
    rows = await Open311Repository(session).updates(
        list(PUBLIC_UPDATES), ticket_id=request_id, since=start, until=end, limit=MAX_RESULTS
    )
    return [
        Open311RequestUpdateRead(
            update_id=h.id,
            service_request_id=t.id,
            status="closed" if h.to_status in FINISHED_STATUSES else "open",
            updated_datetime=_iso(h.at),
            description=PUBLIC_UPDATES[h.action]
            + (f"：{t.reply}" if h.action == "reply" and t.reply else ""),
            media_url=None,
        )
        for h, t in rows
    ]
