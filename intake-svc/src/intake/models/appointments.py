"""intake-svc appointment tables (预约): service places, slots and bookings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class ServicePlace(Base):
    """A hall or centre (办事大厅/服务中心) where appointments are kept, with its opening hours."""

    __tablename__ = "service_places"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    org_unit_code: Mapped[str] = mapped_column(String(50), index=True)
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(30))
    #: {"working_days": [...], "extended": [...], "weekend": [...]}: see appointments.hours.
    hours: Mapped[dict[str, Any]] = mapped_column(JSON)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AppointmentSlot(Base):
    """A bookable time slot at a place for one item, with its capacity (号源)."""

    __tablename__ = "appointment_slots"
    __table_args__ = (
        UniqueConstraint("place_id", "item_code", "starts_at"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        Index("ix_appointment_slots_place_day", "place_id", "day"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    place_id: Mapped[str] = mapped_column(ForeignKey("service_places.id", ondelete="CASCADE"))
    item_code: Mapped[str] = mapped_column(String(50))
    item_name: Mapped[str] = mapped_column(String(300))
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: regular (working-day hours), extended (错峰延时) or weekend (周末).
    period: Mapped[str] = mapped_column(String(10))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Appointment(Base):
    """One booking of a slot by (or for) a person."""

    __tablename__ = "appointments"
    __table_args__ = (
        # A backstop for the overlap rule: one live booking per person and start time.
        Index(
            "uq_appointments_person_live_start",
            "person_id",
            "starts_at",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index("ix_appointments_person", "person_id", "starts_at"),
        Index("ix_appointments_place_day", "place_id", "day"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    booking_no: Mapped[str] = mapped_column(String(30), unique=True)
    slot_id: Mapped[str] = mapped_column(ForeignKey("appointment_slots.id"), index=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("service_places.id"))
    item_code: Mapped[str] = mapped_column(String(50))
    item_name: Mapped[str] = mapped_column(String(300))
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    person_id: Mapped[str] = mapped_column(String(64))
    person_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    #: booked or cancelled.
    status: Mapped[str] = mapped_column(String(10), default="booked")
    channel: Mapped[str] = mapped_column(String(10))
    booked_by: Mapped[str] = mapped_column(String(64))
    booked_by_unit: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(64))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    #: When the reminder SMS (预约提醒) was queued; set once, by a conditional UPDATE.
    reminded_at: Mapped[datetime | None]
