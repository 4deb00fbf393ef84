"""Appointments (预约): places and their slots (public to read; managed by administrators and the
place unit's window clerks and supervisors) and bookings (by the person, or a clerk for them)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import DateRangeQuery, PageParams, PageQuery
from yiwang_shared.validators import mask_mobile

from ..models.appointments import Appointment, AppointmentSlot, ServicePlace
from ..schemas.appointments import (
    AppointmentCancel,
    AppointmentCreate,
    AppointmentPage,
    AppointmentRead,
    PlaceCreate,
    PlaceHours,
    PlacePage,
    PlaceRead,
    PlaceUpdate,
    SlotGenerate,
    SlotGenerationRead,
    SlotPage,
    SlotRead,
    SlotUpdate,
)
from ..services import appointment_bookings as bookings
from ..services import appointment_places as places
from .docs import CREATED

router = APIRouter(prefix="/v1", tags=["appointments"])


def _place(place: ServicePlace) -> PlaceRead:
    return PlaceRead(
        id=place.id,
        code=place.code,
        name=place.name,
        org_unit_code=place.org_unit_code,
        address=place.address,
        phone=place.phone,
        hours=PlaceHours.model_validate(place.hours),
        slot_minutes=place.slot_minutes,
        active=place.active,
    )


def _slot(slot: AppointmentSlot) -> SlotRead:
    return SlotRead.model_validate(
        {
            "id": slot.id,
            "place_id": slot.place_id,
            "item_code": slot.item_code,
            "item_name": slot.item_name,
            "day": slot.day,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "period": slot.period,
            "capacity": slot.capacity,
            "booked": slot.booked,
            "available": max(slot.capacity - slot.booked, 0),
        }
    )


def _appointment(appointment: Appointment, place: ServicePlace) -> AppointmentRead:
    return AppointmentRead(
        id=appointment.id,
        booking_no=appointment.booking_no,
        slot_id=appointment.slot_id,
        place_id=place.id,
        place_name=place.name,
        place_address=place.address,
        item_code=appointment.item_code,
        item_name=appointment.item_name,
        day=appointment.day,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        person_id=appointment.person_id,
        person_name=appointment.person_name,
        phone=mask_mobile(appointment.phone),
        status=appointment.status,  # type: ignore[arg-type]
        channel=appointment.channel,  # type: ignore[arg-type]
        booked_by=appointment.booked_by,
        created_at=appointment.created_at,
        cancelled_at=appointment.cancelled_at,
        cancel_reason=appointment.cancel_reason,
    )


async def _page(
    session: SessionDep, rows: list[Appointment], total: int, page: PageParams
) -> AppointmentPage:
    cache: dict[str, ServicePlace] = {}
    items = []
    for row in rows:
        if row.place_id not in cache:
            cache[row.place_id] = await places.get_place(session, row.place_id)
        items.append(_appointment(row, cache[row.place_id]))
    return AppointmentPage(items=items, total=total, limit=page.limit, offset=page.offset)


# --- places ---------------------------------------------------------------------------------


@router.post(
    "/places",
    response_model=PlaceRead,
    status_code=status.HTTP_201_CREATED,
    responses={201: {"description": "The place as created.", "headers": CREATED}, **problems(409)},
)
async def places_create(
    body: PlaceCreate, principal: CurrentPrincipal, session: SessionDep, response: Response
) -> PlaceRead:
    """Create a service place (admin, or a window clerk / supervisor of its unit)."""
    place = await places.create_place(session, body, actor=principal)
    set_location(response, f"/v1/places/{place.id}")
    return _place(place)


@router.get("/places", response_model=PlacePage)
async def places_list(
    session: SessionDep,
    page: PageQuery,
    unit: Annotated[
        str | None, Query(max_length=50, description="Only this unit's places (单位编码).")
    ] = None,
    include_inactive: Annotated[bool, Query(description="Also places closed for bookings.")] = False,
) -> PlacePage:
    """Service places, by code (public)."""
    rows, total = await places.list_places(
        session, unit=unit, include_inactive=include_inactive, limit=page.limit, offset=page.offset
    )
    return PlacePage(items=[_place(p) for p in rows], total=total, limit=page.limit, offset=page.offset)


@router.get("/places/{place_id}", response_model=PlaceRead)
async def places_get(place_id: str, session: SessionDep) -> PlaceRead:
    """One place with its hours (public)."""
    return _place(await places.get_place(session, place_id))


@router.patch("/places/{place_id}", response_model=PlaceRead)
async def places_update(
    place_id: str, body: PlaceUpdate, principal: CurrentPrincipal, session: SessionDep
) -> PlaceRead:
    """Change a place's details or hours (slots already generated are kept)."""
    place = await places.get_place(session, place_id)
    return _place(await places.update_place(session, place, body, actor=principal))


# --- slots ----------------------------------------------------------------------------------


@router.post("/places/{place_id}/slots/generate", response_model=SlotGenerationRead)
async def slots_generate(
    place_id: str, body: SlotGenerate, principal: CurrentPrincipal, session: SessionDep
) -> SlotGenerationRead:
    """Generate an item's slots from the place's hours and the working-day calendar (idempotent)."""
    place = await places.get_place(session, place_id)
    done = await places.generate_slots(session, place, body, actor=principal)
    return SlotGenerationRead(
        created=done.created, existing=done.existing, first_day=done.first_day, last_day=done.last_day
    )


@router.get("/places/{place_id}/slots", response_model=SlotPage)
async def slots_list(
    place_id: str,
    session: SessionDep,
    page: PageQuery,
    days: DateRangeQuery,
    item_code: Annotated[
        str | None, Query(max_length=50, description="Only this item's slots (实施编码).")
    ] = None,
    available_only: Annotated[bool, Query(description="Only slots with a seat left.")] = False,
) -> SlotPage:
    """A place's coming slots, by start time (public); `from`/`to` are local days (Asia/Shanghai)."""
    place = await places.get_place(session, place_id)
    rows, total = await places.list_slots(
        session,
        place,
        item_code=item_code,
        first_day=days.start,
        last_day=days.end,
        available_only=available_only,
        limit=page.limit,
        offset=page.offset,
    )
    return SlotPage(items=[_slot(s) for s in rows], total=total, limit=page.limit, offset=page.offset)


@router.patch("/slots/{slot_id}", response_model=SlotRead, responses=problems(409))
async def slots_update(
    slot_id: str, body: SlotUpdate, principal: CurrentPrincipal, session: SessionDep
) -> SlotRead:
    """Change a slot's capacity (never below the seats already booked)."""
    slot = await places.get_slot(session, slot_id)
    return _slot(await places.set_slot_capacity(session, slot, body.capacity, actor=principal))


# --- bookings -------------------------------------------------------------------------------


@router.post(
    "/appointments",
    response_model=AppointmentRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        201: {"description": "The booking; an SMS confirms it.", "headers": CREATED},
        **problems(409, s404="No such slot (未找到预约时段)"),
    },
)
async def appointments_create(
    body: AppointmentCreate, principal: CurrentPrincipal, session: SessionDep, response: Response
) -> AppointmentRead:
    """Book a slot for oneself, or (window clerk) for a person; an SMS confirms it."""
    appointment = await bookings.book(session, body, actor=principal)
    set_location(response, f"/v1/appointments/{appointment.id}")
    return _appointment(appointment, await places.get_place(session, appointment.place_id))


@router.get("/appointments", response_model=AppointmentPage)
async def appointments_list(
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageQuery,
    include_cancelled: Annotated[bool, Query(description="Also cancelled bookings.")] = False,
    upcoming_only: Annotated[bool, Query(description="Hide bookings that are over.")] = True,
) -> AppointmentPage:
    """My bookings (a clerk: the bookings they made for people), by start time."""
    rows, total = await bookings.list_mine(
        session,
        actor=principal,
        include_cancelled=include_cancelled,
        upcoming_only=upcoming_only,
        limit=page.limit,
        offset=page.offset,
    )
    return await _page(session, rows, total, page)


@router.get("/appointments/{appointment_id}", response_model=AppointmentRead)
async def appointments_get(
    appointment_id: str, principal: CurrentPrincipal, session: SessionDep
) -> AppointmentRead:
    """One booking (the person's own, the clerk's who made it, or the place managers')."""
    appointment, place = await bookings.get_visible(session, appointment_id, actor=principal)
    return _appointment(appointment, place)


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentRead, responses=problems(409))
async def appointments_cancel(
    appointment_id: str, body: AppointmentCancel, principal: CurrentPrincipal, session: SessionDep
) -> AppointmentRead:
    """Cancel a booking before its time; the seat goes back to the slot and an SMS confirms it."""
    appointment, place = await bookings.cancel(session, appointment_id, actor=principal, reason=body.reason)
    return _appointment(appointment, place)


@router.get("/places/{place_id}/appointments", response_model=AppointmentPage)
async def place_appointments_list(
    place_id: str,
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageQuery,
    day: Annotated[
        date | None, Query(description="Local day (Asia/Shanghai), YYYY-MM-DD; default today.")
    ] = None,
    include_cancelled: Annotated[bool, Query(description="Also cancelled bookings.")] = False,
) -> AppointmentPage:
    """A place's bookings on a day (the place's window clerks and supervisors, administrators)."""
    place = await places.get_place(session, place_id)
    rows, total = await bookings.list_for_place_day(
        session,
        place,
        day,
        actor=principal,
        include_cancelled=include_cancelled,
        limit=page.limit,
        offset=page.offset,
    )
    return await _page(session, rows, total, page)
