"""intake-svc queue tables (排队叫号): each service place's hall configuration (限时等候, categories,
windows), the day's number counters and the tickets taken, called and served."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class QueueHall(Base):
    """A service place run as a queueing hall: its waiting limit (限时等候) and bounds."""

    __tablename__ = "queue_halls"
    __table_args__ = (
        CheckConstraint("wait_limit_minutes > 0", name="wait_limit_positive"),
        CheckConstraint("max_waiting > 0", name="max_waiting_positive"),
    )

    place_id: Mapped[str] = mapped_column(
        ForeignKey("service_places.id", ondelete="CASCADE"), primary_key=True
    )
    #: 限时等候: a ticket should be called within this many minutes of being taken.
    wait_limit_minutes: Mapped[int] = mapped_column(Integer, default=20)
    #: At most this many tickets wait at once (the kiosk then refuses new numbers).
    max_waiting: Mapped[int] = mapped_column(Integer, default=300)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class QueueCategory(Base):
    """A ticket category (号类) of a hall: its letter prefix and the items it covers."""

    __tablename__ = "queue_categories"
    __table_args__ = (UniqueConstraint("place_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    place_id: Mapped[str] = mapped_column(ForeignKey("queue_halls.place_id", ondelete="CASCADE"))
    #: One capital letter, the prefix of its numbers (A001).
    code: Mapped[str] = mapped_column(String(1))
    name: Mapped[str] = mapped_column(String(100))
    #: Catalog item codes this category serves; ["*"] for any item.
    item_codes: Mapped[list[Any]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)


class QueueWindow(Base):
    """A window (窗口) of a hall: an org unit of identity-svc (e.g. 110105-ZWFW-W01, 综合受理窗口1);
    the window clerks whose unit it is are at this window."""

    __tablename__ = "queue_windows"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    place_id: Mapped[str] = mapped_column(ForeignKey("queue_halls.place_id", ondelete="CASCADE"))
    #: The window's org unit code; one hall per window unit.
    unit_code: Mapped[str] = mapped_column(String(64), unique=True)
    #: What the display and the voice call it: 1, 2, 12A (unique among the hall's active windows).
    number: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    #: Codes of the categories it calls.
    category_codes: Mapped[list[Any]] = mapped_column(JSON)
    #: False once dropped from the hall's configuration (kept: tickets name it).
    active: Mapped[bool] = mapped_column(default=True)


class QueueCounter(Base):
    """The last number given in a hall's category on a day (A001, A002, …)."""

    __tablename__ = "queue_counters"

    place_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category_code: Mapped[str] = mapped_column(String(1), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class QueueTicket(Base):
    """A number taken (取号) at a hall, and what became of it: waiting → called → serving →
    completed, or no_show (过号)."""

    __tablename__ = "queue_tickets"
    __table_args__ = (
        UniqueConstraint("place_id", "day", "ticket_no"),
        Index("ix_queue_tickets_waiting", "place_id", "day", "status", "priority", "taken_at"),
        Index("ix_queue_tickets_window", "window_id", "status"),
        Index("ix_queue_tickets_taken", "place_id", "taken_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    place_id: Mapped[str] = mapped_column(ForeignKey("service_places.id"))
    day: Mapped[date] = mapped_column(Date)  # local date (Asia/Shanghai)
    category_code: Mapped[str] = mapped_column(String(1))
    number: Mapped[int] = mapped_column(Integer)
    ticket_no: Mapped[str] = mapped_column(String(10))  # A001
    item_code: Mapped[str | None] = mapped_column(String(50))
    item_name: Mapped[str | None] = mapped_column(String(300))
    #: 1 for a checked-in appointment (called before walk-ins), 0 otherwise.
    priority: Mapped[int] = mapped_column(Integer, default=0)
    #: kiosk (anonymous), online (a logged-in person), appointment (a checked-in booking).
    channel: Mapped[str] = mapped_column(String(12))
    appointment_id: Mapped[str | None] = mapped_column(ForeignKey("appointments.id"), unique=True)
    person_id: Mapped[str | None] = mapped_column(String(64))
    #: waiting, called, serving, completed, no_show.
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    #: The hall's 限时等候 when the number was taken (what the indicator holds it to).
    wait_limit_minutes: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime]
    window_id: Mapped[str | None] = mapped_column(ForeignKey("queue_windows.id"))
    window_number: Mapped[str | None] = mapped_column(String(10))
    window_name: Mapped[str | None] = mapped_column(String(100))
    called_by: Mapped[str | None] = mapped_column(String(64))
    called_at: Mapped[datetime | None]  # first call
    last_called_at: Mapped[datetime | None]  # the newest call (重呼 included)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Seconds from taken to first called (等候时长).
    wait_seconds: Mapped[int | None] = mapped_column(Integer)
    serving_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]  # completed or no_show
    #: Seconds the window spent on it (called → completed), for the expected-wait estimate.
    service_seconds: Mapped[int | None] = mapped_column(Integer)
