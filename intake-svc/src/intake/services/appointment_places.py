"""Service places and their slots: creating, changing, generating and listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import WorkingCalendar, local_date
from yiwang_shared.errors import ValidationFailed
from yiwang_shared.orm import new_id, utcnow

from .. import errors
from ..models.appointments import AppointmentSlot, ServicePlace
from ..repositories.appointments import PlaceRepository, SlotRepository
from ..schemas.appointments import PlaceCreate, PlaceHours, PlaceUpdate, SlotGenerate
from .appointment_access import manages_unit
from .appointment_hours import slot_times
from .catalogue import CatalogueEntry, find_item_status, find_published_item

#: Place fields in Chinese, for the texts that name them.
FIELD_NAMES = {"name": "场所名称", "address": "地址", "slot_minutes": "时段长度", "active": "是否开放预约"}


async def get_place(session: AsyncSession, place_id: str) -> ServicePlace:
    """The place, or 404."""
    place = await PlaceRepository(session).find(place_id)
    if place is None:
        raise errors.place_not_found(place_id)
    return place


def require_manager(principal: Principal, place_unit: str) -> None:
    """403 unless the caller manages places of `place_unit`."""
    if not manages_unit(principal, place_unit):
        raise errors.not_place_manager(place_unit)


async def create_place(session: AsyncSession, body: PlaceCreate, *, actor: Principal) -> ServicePlace:
    """Create a place (admin, or window clerk / supervisor of its unit)."""
    require_manager(actor, body.org_unit_code)
    repo = PlaceRepository(session)
    if await repo.code_taken(body.code):
        raise errors.place_code_taken(body.code)
    now = utcnow()
    place = ServicePlace(
        id=new_id(),
        code=body.code,
        name=body.name,
        org_unit_code=body.org_unit_code,
        address=body.address,
        phone=body.phone,
        hours=body.hours.model_dump(mode="json"),
        slot_minutes=body.slot_minutes,
        active=True,
        created_at=now,
        updated_at=now,
    )
    if not await repo.add_unique(place):  # a concurrent create with the same code won the race
        raise errors.place_code_taken(body.code)
    return place


async def update_place(
    session: AsyncSession, place: ServicePlace, body: PlaceUpdate, *, actor: Principal
) -> ServicePlace:
    """Change a place's details or hours; slots already generated stay as they are."""
    require_manager(actor, place.org_unit_code)
    changes = body.model_dump(exclude_unset=True)
    for name in ("name", "address"):
        if name in changes and (changes[name] is None or not str(changes[name]).strip()):
            raise errors.place_field_blank(name, FIELD_NAMES[name])
    for name, value in changes.items():
        if name == "hours":
            if value is None:
                raise ValidationFailed(
                    "营业时间（hours）不能删除，请填写新的营业时间。",
                    en="hours cannot be removed; send the new hours.",
                    field="hours",
                )
            value = PlaceHours.model_validate(value).model_dump(mode="json")
        elif name in {"slot_minutes", "active"} and value is None:
            raise errors.place_field_null(name, FIELD_NAMES[name])
        setattr(place, name, value.strip() if isinstance(value, str) else value)
    place.updated_at = utcnow()
    await session.flush()
    return place


async def list_places(
    session: AsyncSession, *, unit: str | None, include_inactive: bool, limit: int, offset: int
) -> tuple[list[ServicePlace], int]:
    """Places, by code."""
    return await PlaceRepository(session).page(
        unit=unit, include_inactive=include_inactive, limit=limit, offset=offset
    )


async def bookable_item(session: AsyncSession, code: str) -> CatalogueEntry:
    """The published item `code` if it takes appointments, else a 422 saying why."""
    entry = await find_published_item(session, code)
    if entry is None:
        raise errors.item_not_bookable(code, await find_item_status(session, code))
    if entry.appointment_supported is False:
        raise errors.appointments_unsupported(code)
    return entry


@dataclass(frozen=True)
class Generated:
    """Slots created and already there."""

    created: int
    existing: int
    first_day: date
    last_day: date


async def generate_slots(
    session: AsyncSession, place: ServicePlace, body: SlotGenerate, *, actor: Principal
) -> Generated:
    """Create the item's slots from the place's hours on the coming days (idempotent)."""
    require_manager(actor, place.org_unit_code)
    entry = await bookable_item(session, body.item_code)
    today = local_date(utcnow())
    first_day = body.first_day or today + timedelta(days=1)
    if first_day < today:
        raise errors.first_day_past(first_day, today)
    last_day = first_day + timedelta(days=body.days - 1)
    calendar = await WorkingCalendar.load(session)
    times = list(
        slot_times(
            PlaceHours.model_validate(place.hours),
            calendar,
            first_day=first_day,
            days=body.days,
            slot_minutes=body.slot_minutes or place.slot_minutes,
        )
    )
    repo = SlotRepository(session)
    existing = await repo.starts_between(place.id, entry.code, first_day, last_day)
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "place_id": place.id,
            "item_code": entry.code,
            "item_name": entry.name,
            "day": t.day,
            "starts_at": t.starts_at,
            "ends_at": t.ends_at,
            "period": t.period,
            "capacity": body.capacity,
            "booked": 0,
            "created_at": now,
        }
        for t in times
        if t.starts_at not in existing
    ]
    if rows:
        await repo.insert_missing(rows)
    return Generated(
        created=len(rows), existing=len(times) - len(rows), first_day=first_day, last_day=last_day
    )


async def get_slot(session: AsyncSession, slot_id: str) -> AppointmentSlot:
    """The slot, or 404."""
    slot = await SlotRepository(session).find(slot_id)
    if slot is None:
        raise errors.slot_not_found(slot_id)
    return slot


async def list_slots(
    session: AsyncSession,
    place: ServicePlace,
    *,
    item_code: str | None,
    first_day: date | None,
    last_day: date | None,
    available_only: bool,
    limit: int,
    offset: int,
) -> tuple[list[AppointmentSlot], int]:
    """A place's slots that have not started, by start time."""
    return await SlotRepository(session).page(
        place.id,
        after=utcnow(),
        item_code=item_code,
        first_day=first_day,
        last_day=last_day,
        available_only=available_only,
        limit=limit,
        offset=offset,
    )


async def set_slot_capacity(
    session: AsyncSession, slot: AppointmentSlot, capacity: int, *, actor: Principal
) -> AppointmentSlot:
    """Change a slot's capacity; never below the seats booked (checked in the UPDATE itself)."""
    place = await get_place(session, slot.place_id)
    require_manager(actor, place.org_unit_code)
    if not await SlotRepository(session).set_capacity(slot, capacity):
        raise errors.capacity_below_booked(capacity, slot.booked)
    return slot
