"""The service hall queue (排队叫号): hall configuration (administrators; supervisors read), the
kiosk (anonymous, bounded), appointment check-in, the window clerk's calls and the big screen."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from yiwang_shared.auth import CurrentPrincipal, OptionalPrincipal, Principal
from yiwang_shared.clients import address_key, forwarded_address
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from ..config import Settings
from ..lifecycles import TicketStatus
from ..models.queue import QueueTicket, QueueWindow
from ..schemas.queue import (
    CheckInCreate,
    ClerkWindowRead,
    DisplayCallRead,
    DisplayCategoryRead,
    HallCategoryRead,
    HallDisplayRead,
    HallRead,
    HallUpdate,
    HallWindowRead,
    QueueTicketCreate,
    QueueTicketPage,
    QueueTicketRead,
)
from ..services import appointment_bookings as bookings
from ..services import queue_calling as calling
from ..services import queue_display as display
from ..services import queue_halls as halls
from ..services import queue_tickets as tickets
from ..services.queue_halls import Hall, Station
from ..services.queue_limits import RateLimiter
from .deps import now_of
from .docs import CREATED

router = APIRouter(prefix="/v1", tags=["queue"])


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def client_of(principal: Principal | None, request: Request) -> str:
    """Who takes the number: the account, else the (network of the) forwarded address."""
    if principal is not None:
        return f"account:{principal.subject}"
    return f"address:{address_key(forwarded_address(request))}"


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter | None = getattr(request.app.state, "queue_limiter", None)
    if limiter is None:
        limiter = RateLimiter(_settings(request).queue_take_rate_per_minute)
        request.app.state.queue_limiter = limiter
    return limiter


def _window(window: QueueWindow) -> HallWindowRead:
    return HallWindowRead(
        id=window.id,
        unit_code=window.unit_code,
        number=window.number,
        name=window.name,
        category_codes=list(window.category_codes),
        active=window.active,
    )


def _hall(hall: Hall) -> HallRead:
    return HallRead(
        place_id=hall.place.id,
        place_code=hall.place.code,
        place_name=hall.place.name,
        configured=hall.hall is not None and bool(hall.categories),
        wait_limit_minutes=hall.wait_limit_minutes,
        max_waiting=hall.hall.max_waiting if hall.hall else halls.DEFAULT_MAX_WAITING,
        active=hall.hall.active if hall.hall else False,
        categories=[
            HallCategoryRead(code=c.code, name=c.name, item_codes=list(c.item_codes)) for c in hall.categories
        ],
        windows=[_window(w) for w in hall.windows],
        updated_at=hall.hall.updated_at if hall.hall else None,
        updated_by=hall.hall.updated_by if hall.hall else None,
    )


async def _ticket(session: SessionDep, ticket: QueueTicket, hall: Hall, request: Request) -> QueueTicketRead:
    ahead: int | None = None
    expected: int | None = None
    if ticket.status == "waiting":
        settings = _settings(request)
        ahead, expected = await tickets.expected_wait(
            session,
            ticket,
            hall,
            now=now_of(request),
            sample=settings.queue_service_sample,
            default_minutes=settings.queue_default_service_minutes,
        )
    category = hall.category(ticket.category_code)
    return QueueTicketRead.model_validate(
        {
            "id": ticket.id,
            "ticket_no": ticket.ticket_no,
            "place_id": ticket.place_id,
            "place_name": hall.place.name,
            "day": ticket.day,
            "category_code": ticket.category_code,
            "category_name": category.name if category else ticket.category_code,
            "item_code": ticket.item_code,
            "item_name": ticket.item_name,
            "priority": ticket.priority > 0,
            "channel": ticket.channel,
            "appointment_id": ticket.appointment_id,
            "status": ticket.status,
            "taken_at": ticket.taken_at,
            "wait_limit_minutes": ticket.wait_limit_minutes,
            "waiting_ahead": ahead,
            "expected_wait_minutes": expected,
            "window_number": ticket.window_number,
            "window_name": ticket.window_name,
            "called_at": ticket.called_at,
            "last_called_at": ticket.last_called_at,
            "call_count": ticket.call_count,
            "wait_minutes": round(ticket.wait_seconds / 60.0, 1) if ticket.wait_seconds is not None else None,
            "serving_at": ticket.serving_at,
            "finished_at": ticket.finished_at,
        }
    )


async def _at_window(
    session: SessionDep, done: tuple[QueueTicket, Station], request: Request
) -> QueueTicketRead:
    ticket, station = done
    return await _ticket(session, ticket, station.hall, request)


# --- hall configuration -----------------------------------------------------------------------


@router.get("/places/{place_id}/queue", response_model=HallRead, responses=problems(403, 404))
async def queue_hall_get(place_id: str, principal: CurrentPrincipal, session: SessionDep) -> HallRead:
    """A place's queue configuration: 限时等候, categories, windows (supervisors, administrators)."""
    return _hall(await halls.read_config(session, place_id, actor=principal))


@router.put("/places/{place_id}/queue", response_model=HallRead, responses=problems(403, 404, 422))
async def queue_hall_update(
    place_id: str, body: HallUpdate, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> HallRead:
    """Replace a place's queue configuration (administrators); windows left out stop calling."""
    hall = await halls.update_config(session, place_id, body, actor=principal, now=now_of(request))
    return _hall(hall)


# --- taking numbers ---------------------------------------------------------------------------


@router.post(
    "/places/{place_id}/queue/tickets",
    response_model=QueueTicketRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        201: {"description": "The ticket (print its ticket_no on the slip).", "headers": CREATED},
        **problems(404, 409, 422, 429),
    },
)
async def queue_tickets_take(
    place_id: str,
    body: QueueTicketCreate,
    principal: OptionalPrincipal,
    session: SessionDep,
    request: Request,
    response: Response,
) -> QueueTicketRead:
    """Take a number (取号) for an item or a category: anonymous at the kiosk, or a logged-in person.

    At most `INTAKE_QUEUE_TAKE_RATE_PER_MINUTE` numbers a minute per client (429 with Retry-After);
    the hall's `max_waiting` and 999 numbers per category a day bound the rest (409 `intake.queue_full`).
    """
    _limiter(request).check(client_of(principal, request))
    ticket, hall = await tickets.take(session, place_id, body, actor=principal, now=now_of(request))
    set_location(response, f"/v1/queue/tickets/{ticket.id}")
    return await _ticket(session, ticket, hall, request)


@router.post(
    "/places/{place_id}/queue/check-ins",
    response_model=QueueTicketRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        201: {"description": "The appointment's priority ticket.", "headers": CREATED},
        **problems(404, 409, 422, 429),
    },
)
async def queue_check_ins_create(
    place_id: str,
    body: CheckInCreate,
    principal: OptionalPrincipal,
    session: SessionDep,
    request: Request,
    response: Response,
) -> QueueTicketRead:
    """Check a booking in at the kiosk (预约签到) by its booking number and mobile: a priority ticket."""
    _limiter(request).check(client_of(principal, request))
    booking = await tickets.find_booking(session, place_id, body.booking_no, body.phone)
    ticket, hall = await tickets.check_in(session, booking, now=now_of(request))
    set_location(response, f"/v1/queue/tickets/{ticket.id}")
    return await _ticket(session, ticket, hall, request)


@router.post(
    "/appointments/{appointment_id}/check-in",
    response_model=QueueTicketRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        201: {"description": "The appointment's priority ticket.", "headers": CREATED},
        **problems(404, 409, 422),
    },
)
async def appointments_check_in(
    appointment_id: str,
    principal: CurrentPrincipal,
    session: SessionDep,
    request: Request,
    response: Response,
) -> QueueTicketRead:
    """Check a booking in (预约签到) on its day: the person, whoever booked it, or the place's staff."""
    appointment, _ = await bookings.get_visible(session, appointment_id, actor=principal)
    ticket, hall = await tickets.check_in(session, appointment, now=now_of(request))
    set_location(response, f"/v1/queue/tickets/{ticket.id}")
    return await _ticket(session, ticket, hall, request)


# --- the screen and the lists -----------------------------------------------------------------


@router.get("/places/{place_id}/queue/display", response_model=HallDisplayRead, responses=problems(404, 409))
async def queue_display(
    place_id: str,
    session: SessionDep,
    request: Request,
    last: Annotated[int, Query(ge=1, le=50, description="How many recent calls to show.")] = 10,
) -> HallDisplayRead:
    """The hall's big screen (public): recent calls with their window, waiting per category, expected wait."""
    settings = _settings(request)
    now = now_of(request)
    shown = await display.display(
        session,
        place_id,
        now=now,
        last=last,
        sample=settings.queue_service_sample,
        default_minutes=settings.queue_default_service_minutes,
    )
    return HallDisplayRead(
        place_id=shown.hall.place.id,
        place_name=shown.hall.place.name,
        day=shown.day,
        wait_limit_minutes=shown.hall.wait_limit_minutes,
        recent_calls=[
            DisplayCallRead(
                ticket_no=t.ticket_no,
                window_number=t.window_number or "",
                window_name=t.window_name or "",
                called_at=t.last_called_at or t.called_at or now,
                recalled=t.call_count > 1,
            )
            for t in shown.recent
        ],
        categories=[
            DisplayCategoryRead(
                code=c.code,
                name=c.name,
                waiting=shown.waiting.get(c.code, 0),
                windows_open=shown.estimates[c.code].windows_open,
                expected_wait_minutes=shown.estimates[c.code].minutes_for(shown.waiting.get(c.code, 0)),
                estimate="measured" if shown.estimates[c.code].measured else "default",
            )
            for c in shown.hall.categories
        ],
        generated_at=now,
    )


@router.get("/places/{place_id}/queue/tickets", response_model=QueueTicketPage, responses=problems(403, 404))
async def queue_tickets_list(
    place_id: str,
    principal: CurrentPrincipal,
    session: SessionDep,
    request: Request,
    page: PageQuery,
    day: Annotated[date | None, Query(description="Local day (Asia/Shanghai); default today.")] = None,
    status_: Annotated[TicketStatus | None, Query(alias="status", description="Only this status.")] = None,
) -> QueueTicketPage:
    """A hall's numbers of a day, oldest first (its window clerks, supervisors, administrators)."""
    rows, total, hall = await display.list_tickets(
        session,
        place_id,
        actor=principal,
        day=day,
        status=status_,
        now=now_of(request),
        limit=page.limit,
        offset=page.offset,
    )
    items = [await _ticket(session, t, hall, request) for t in rows]
    return QueueTicketPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/queue/tickets/{ticket_id}", response_model=QueueTicketRead, responses=problems(404))
async def queue_tickets_get(
    ticket_id: str, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> QueueTicketRead:
    """One ticket and its place in the queue (who took it, its hall's clerks, supervisors, admins)."""
    ticket, hall = await display.visible_ticket(session, ticket_id, actor=principal)
    return await _ticket(session, ticket, hall, request)


# --- the window -------------------------------------------------------------------------------


@router.get("/queue/window", response_model=ClerkWindowRead, responses=problems(403))
async def queue_window_get(
    principal: CurrentPrincipal, session: SessionDep, request: Request
) -> ClerkWindowRead:
    """The caller's window (window clerks): its hall, how many wait for it, and its open ticket."""
    station = await halls.clerk_station(session, principal)
    now = now_of(request)
    current = await calling.open_ticket(session, station.window.id)
    return ClerkWindowRead(
        place_id=station.hall.place.id,
        place_name=station.hall.place.name,
        window=_window(station.window),
        waiting=await calling.waiting_for(session, station, now=now),
        current=await _ticket(session, current, station.hall, request) if current is not None else None,
    )


@router.post("/queue/window/call-next", response_model=QueueTicketRead, responses=problems(403, 409))
async def queue_call_next(
    principal: CurrentPrincipal, session: SessionDep, request: Request
) -> QueueTicketRead:
    """Call the next number for the caller's window (priority first, then the oldest); 409 when none waits."""
    return await _at_window(
        session, await calling.call_next(session, actor=principal, now=now_of(request)), request
    )


@router.post(
    "/queue/tickets/{ticket_id}/recall", response_model=QueueTicketRead, responses=problems(403, 404, 409)
)
async def queue_tickets_recall(
    ticket_id: str, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> QueueTicketRead:
    """Call the number again (重呼), at the window that called it."""
    done = await calling.recall(session, ticket_id, actor=principal, now=now_of(request))
    return await _at_window(session, done, request)


@router.post(
    "/queue/tickets/{ticket_id}/start", response_model=QueueTicketRead, responses=problems(403, 404, 409)
)
async def queue_tickets_start(
    ticket_id: str, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> QueueTicketRead:
    """The person came: serving starts (办理中)."""
    done = await calling.start(session, ticket_id, actor=principal, now=now_of(request))
    return await _at_window(session, done, request)


@router.post(
    "/queue/tickets/{ticket_id}/complete", response_model=QueueTicketRead, responses=problems(403, 404, 409)
)
async def queue_tickets_complete(
    ticket_id: str, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> QueueTicketRead:
    """Serving is over (办结); from a called or serving ticket."""
    done = await calling.complete(session, ticket_id, actor=principal, now=now_of(request))
    return await _at_window(session, done, request)


@router.post(
    "/queue/tickets/{ticket_id}/no-show", response_model=QueueTicketRead, responses=problems(403, 404, 409)
)
async def queue_tickets_no_show(
    ticket_id: str, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> QueueTicketRead:
    """Nobody came after the call (过号)."""
    done = await calling.no_show(session, ticket_id, actor=principal, now=now_of(request))
    return await _at_window(session, done, request)
