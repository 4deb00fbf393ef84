"""Service places and their slots: creating, changing, generating and listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import WorkingCalendar, local_date
from yiwang_shared.errors import UnprocessableEntity
from yiwang_shared.orm import new_id, utcnow

from ..catalogue import CatalogueEntry, find_item_status, find_published_item
from ..models.appointments import AppointmentSlot, ServicePlace
from . import errors
from .access import manages_unit
from .hours import PlaceHours, slot_times
from .schemas import PlaceCreate, PlaceUpdate, SlotGenerate

#: Place fields in Chinese, for the texts that name them.
FIELD_NAMES = {"name": "场所名称", "address": "地址", "slot_minutes": "时段长度", "active": "是否开放预约"}


async def get_place(session: AsyncSession, place_id: str) -> ServicePlace:
    """The place, or 404."""
    place = await session.get(ServicePlace, place_id)
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
    if await session.scalar(select(ServicePlace.id).where(ServicePlace.code == body.code)):
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
    try:
        async with session.begin_nested():
            session.add(place)
    except IntegrityError:  # a concurrent create with the same code won the race
        raise errors.place_code_taken(body.code) from None
    return place


async def update_place(
    session: AsyncSession, place: ServicePlace, body: PlaceUpdate, *, actor: Principal
) -> ServicePlace:
    """Change a place's details or hours; slots already generated stay as they are."""
    require_manager(actor, place.org_unit_code)
    changes = body.model_dump(exclude_unset=True)
    for name in ("name", "address"):
        if name in changes and (changes[name] is None or not str(changes[name]).strip()):
            raise UnprocessableEntity(
                f"{FIELD_NAMES[name]}（{name}）不能为空，请填写。",
                en=f"{name} must not be blank.",
                code="validation_failed",
                field=name,
            )
    for name, value in changes.items():
        if name == "hours":
            if value is None:
                raise UnprocessableEntity(
                    "营业时间（hours）不能删除，请填写新的营业时间。",
                    en="hours cannot be removed; send the new hours.",
                    code="validation_failed",
                    field="hours",
                )
            value = PlaceHours.model_validate(value).model_dump(mode="json")
        elif name in {"slot_minutes", "active"} and value is None:
            raise UnprocessableEntity(
                f"{FIELD_NAMES[name]}（{name}）不能为 null，不修改请省略该字段。",
                en=f"{name} cannot be null.",
                code="validation_failed",
                field=name,
            )
        setattr(place, name, value.strip() if isinstance(value, str) else value)
    place.updated_at = utcnow()
    await session.flush()
    return place


async def list_places(
    session: AsyncSession, *, unit: str | None, include_inactive: bool, limit: int, offset: int
) -> tuple[list[ServicePlace], int]:
    """Places, by code."""
    query = select(ServicePlace)
    if unit:
        query = query.where(ServicePlace.org_unit_code == unit)
    if not include_inactive:
        query = query.where(ServicePlace.active.is_(True))
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = await session.scalars(query.order_by(ServicePlace.code).limit(limit).offset(offset))
    return list(rows), total


def item_not_bookable(code: str, status: str | None) -> UnprocessableEntity:
    """The item is unknown or retired."""
    if status == "retired":
        return UnprocessableEntity(
            f"事项“{code}”已停止办理，不再接受新的预约，请选择现行有效的事项。",
            en=f"Catalog item {code!r} has been retired; it takes no new appointments.",
            code="intake.item_retired",
            field="item_code",
        )
    return UnprocessableEntity(
        f"没有编码为“{code}”的已发布事项，请从事项目录中选择（GET /api/catalog/v1/items）。",
        en=f"No published catalog item with code {code!r}; pick one from the catalog "
        "(GET /api/catalog/v1/items).",
        code="intake.item_not_found",
        field="item_code",
    )


async def bookable_item(session: AsyncSession, code: str) -> CatalogueEntry:
    """The published item `code` if it takes appointments, else a 422 saying why."""
    entry = await find_published_item(session, code)
    if entry is None:
        raise item_not_bookable(code, await find_item_status(session, code))
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
        raise UnprocessableEntity(
            f"起始日期（first_day）{first_day} 已经过去，只能从今天（{today}）起生成预约时段。",
            en=f"first_day {first_day} is in the past; slots can be generated from today ({today}).",
            code="validation_failed",
            field="first_day",
        )
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
    existing = set(
        await session.scalars(
            select(AppointmentSlot.starts_at).where(
                AppointmentSlot.place_id == place.id,
                AppointmentSlot.item_code == entry.code,
                AppointmentSlot.day >= first_day,
                AppointmentSlot.day <= last_day,
            )
        )
    )
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
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        # A concurrent generation may have added some meanwhile: those are skipped, not an error.
        await session.execute(
            insert(AppointmentSlot).on_conflict_do_nothing(
                index_elements=["place_id", "item_code", "starts_at"]
            ),
            rows,
        )
    return Generated(
        created=len(rows), existing=len(times) - len(rows), first_day=first_day, last_day=last_day
    )


async def get_slot(session: AsyncSession, slot_id: str) -> AppointmentSlot:
    """The slot, or 404."""
    slot = await session.get(AppointmentSlot, slot_id)
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
    s = AppointmentSlot
    query = select(s).where(s.place_id == place.id, s.starts_at > utcnow())
    if item_code:
        query = query.where(s.item_code == item_code)
    if first_day:
        query = query.where(s.day >= first_day)
    if last_day:
        query = query.where(s.day <= last_day)
    if available_only:
        query = query.where(s.booked < s.capacity)
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = await session.scalars(query.order_by(s.starts_at, s.item_code).limit(limit).offset(offset))
    return list(rows), total


async def set_slot_capacity(
    session: AsyncSession, slot: AppointmentSlot, capacity: int, *, actor: Principal
) -> AppointmentSlot:
    """Change a slot's capacity; never below the seats booked (checked in the UPDATE itself)."""
    place = await get_place(session, slot.place_id)
    require_manager(actor, place.org_unit_code)
    result = await session.execute(
        update(AppointmentSlot)
        .where(AppointmentSlot.id == slot.id, AppointmentSlot.booked <= capacity)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(slot)
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise errors.capacity_below_booked(capacity, slot.booked)
    return slot
