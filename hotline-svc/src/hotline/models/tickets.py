"""Tickets and everything that happens to them, with the rules they follow: request categories,
time limits, the dispatch catalogue.

Timestamps are aware UTC. A ticket's history (`ticket_history`) is append-only: every action is
recorded with actor and time and never altered (办事留痕).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class Category(Base):
    """A request category (诉求分类): what dispatch rules, time limits and Open311 services key on."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    group_name: Mapped[str] = mapped_column(String(100), default="")
    time_limit_rule: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Open311 attribute definitions (extra fields the category asks for), spec-shaped.
    attributes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TimeLimitRule(Base):
    """A time-limit rule (办理时限): urgent 2 h, utilities 24 h, general 7 d, complex 15 d."""

    __tablename__ = "time_limit_rules"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))  # hours | working_days | natural_days
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DispatchRule(Base):
    """A dispatch-catalogue rule (派单目录): category × area → lead unit and co-handling units."""

    __tablename__ = "dispatch_rules"
    __table_args__ = (UniqueConstraint("category_code", "area_code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), index=True)
    # Street (or community) code; "*" matches any area.
    area_code: Mapped[str] = mapped_column(String(64))
    lead_unit_code: Mapped[str] = mapped_column(String(64))
    co_unit_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ticket(Base):
    """A hotline ticket (工单)."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_due", "status", "due_at"),
        Index("ix_tickets_lead_unit", "lead_unit_code", "status"),
        # The list (newest first) by one filter: each walks its index in the list's order and stops
        # at the page; `first_unit_code` counts the unit filter's matches with `lead_unit_code`'s.
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_type_created", "request_type", "created_at"),
        Index("ix_tickets_first_unit", "first_unit_code"),
        Index("ix_tickets_caller_phone", "caller_phone"),
        Index(
            "ix_tickets_overdue_created",
            "created_at",
            sqlite_where=text("overdue_at IS NOT NULL"),
            postgresql_where=text("overdue_at IS NOT NULL"),
        ),
        # Open311 lists the requests posted through it, newest first.
        Index("ix_tickets_channel_created", "channel", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # 工单编号
    request_type: Mapped[str] = mapped_column(String(20))  # enquiry | help | complaint | ...
    channel: Mapped[str] = mapped_column(String(20))
    category_code: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    complex: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who and how to reach them.
    caller_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    caller_phone: Mapped[str | None] = mapped_column(String(30), nullable=True)
    citizen_subject: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where.
    address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    street_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    community_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Lifecycle.
    status: Mapped[str] = mapped_column(String(20))
    close_reason: Mapped[str | None] = mapped_column(String(30), nullable=True)
    close_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    diversion_reason: Mapped[str | None] = mapped_column(String(30), nullable=True)
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    kb_entry_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # Dispatch: the lead unit now, co-handlers, the first receiver (首接负责).
    lead_unit_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    co_unit_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    first_unit_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    coordination: Mapped[bool] = mapped_column(Boolean, default=False)
    dispatched_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Time limits.
    time_limit_rule: Mapped[str | None] = mapped_column(String(40), nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    response_due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    overdue_at: Mapped[datetime | None] = mapped_column(nullable=True)
    responded_at: Mapped[datetime | None] = mapped_column(nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    # Open311 token (returned on POST, resolvable by GET tokens/{token}).
    token: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    # What the ticket's view shows beside its row, loaded with it in the one statement that reads
    # the ticket for a step (`TicketRepository.find`); never loaded behind the caller's back.
    contacts: Mapped[list[TicketContact]] = relationship(
        order_by="TicketContact.created_at", lazy="raise_on_sql"
    )
    attachments: Mapped[list[TicketAttachment]] = relationship(
        order_by="TicketAttachment.created_at", lazy="raise_on_sql"
    )
    dispatches: Mapped[list[DispatchRecord]] = relationship(
        order_by="DispatchRecord.dispatched_at", lazy="raise_on_sql"
    )
    # The latest call-back's answers (回访结果: what reopening and closing need), read with the
    # ticket by `TicketRepository.find` from `callbacks`; None when it has none (or was read otherwise).
    callback_resolved: Mapped[bool | None] = query_expression()
    callback_satisfaction: Mapped[str | None] = query_expression()
    # Set by the merge (its view names the primary); read with `TicketRepository.primary_of`.
    merged_into: Mapped[Ticket | None] = relationship(remote_side=[id], lazy="raise_on_sql")


class TicketContact(Base):
    """A caller to keep informed: the ticket's own, plus callers of duplicates merged into it."""

    __tablename__ = "ticket_contacts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    source_ticket_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(30), nullable=True)
    citizen_subject: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketAttachment(Base):
    """Metadata of a file attached to a ticket (the bytes live in object storage)."""

    __tablename__ = "ticket_attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketHistory(Base):
    """One recorded action on a ticket (append-only)."""

    __tablename__ = "ticket_history"
    # Open311's updates: the actions since a time, oldest first (walked in order to the limit).
    __table_args__ = (Index("ix_ticket_history_at", "at", "action"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    actor_unit: Mapped[str | None] = mapped_column(String(64), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    # Never loaded: it tells the flush to write a new ticket's row before its history's.
    ticket: Mapped[Ticket] = relationship(lazy="raise_on_sql")


class DispatchRecord(Base):
    """One dispatch of a ticket to a unit, and its dispute (退单) if any."""

    __tablename__ = "dispatch_records"
    __table_args__ = (Index("ix_dispatch_records_unit", "unit_code", "ticket_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(10))  # lead (主办) | co (协办)
    mode: Mapped[str] = mapped_column(String(10))  # rule | manual | reopen
    rule_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    dispatched_by: Mapped[str] = mapped_column(String(64))
    dispatched_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispute_deadline: Mapped[datetime] = mapped_column()
    returned_at: Mapped[datetime | None] = mapped_column(nullable=True)
    return_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    returned_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Extension(Base):
    """A recorded extension of a ticket's time limit (延期)."""

    __tablename__ = "extensions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    old_due_at: Mapped[datetime] = mapped_column()
    new_due_at: Mapped[datetime] = mapped_column()
    requested_by: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Callback(Base):
    """A call-back (回访) to the caller: resolved? satisfied?"""

    __tablename__ = "callbacks"
    __table_args__ = (
        Index("ix_callbacks_unit_at", "unit_code", "called_at"),
        # The month's rates read a month's call-backs from this index alone (it holds what they count).
        Index("ix_callbacks_at_counts", "called_at", "unit_code", "resolved", "satisfaction"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    round: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[bool] = mapped_column(Boolean)
    satisfaction: Mapped[str] = mapped_column(String(20))  # satisfied | basically | not
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    called_by: Mapped[str] = mapped_column(String(64))
    called_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResponseDue(Base):
    """A response obligation of a unit for one round of a ticket (the response rate's denominator)."""

    __tablename__ = "response_dues"
    __table_args__ = (
        UniqueConstraint("ticket_id", "round"),
        Index("ix_response_dues_unit_due", "unit_code", "due_at"),
        # The month's response rates read a month's obligations from this index alone.
        Index("ix_response_dues_due_counts", "due_at", "unit_code", "responded_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    round: Mapped[int] = mapped_column(Integer)
    unit_code: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column()
    responded_at: Mapped[datetime | None] = mapped_column(nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    # Never loaded: it tells the flush to write a new ticket's row before its first obligation's.
    ticket: Mapped[Ticket] = relationship(lazy="raise_on_sql")
