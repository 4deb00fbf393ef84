"""Hot topics (热点问题): the topics tickets are grouped into, each ticket's topic with its place and
day, the model's document frequencies, and the alerts raised when a topic rises in a street."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class Topic(Base):
    """A topic (热点话题): tickets about the same thing, found by clustering their text."""

    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    label: Mapped[str] = mapped_column(String(100))  # its top keywords, joined by 、
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The mean TF-IDF direction of its tickets (term → weight, the heaviest terms only).
    centroid: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ticket_count: Mapped[int] = mapped_column(Integer, default=0)
    example_title: Mapped[str] = mapped_column(String(200))  # the title of the ticket that founded it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketTopic(Base):
    """A ticket's topic, with the ticket's place and Beijing day copied for counting."""

    __tablename__ = "ticket_topics"
    __table_args__ = (
        # Counts by day or week in a range, and one topic's tickets newest first.
        Index("ix_ticket_topics_day", "day", "topic_id"),
        Index("ix_ticket_topics_topic_created", "topic_id", "created_at"),
        # The rising rule reads the last weeks' assignments.
        Index("ix_ticket_topics_created", "created_at"),
    )

    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"))
    similarity: Mapped[float] = mapped_column(Float)  # cosine to the topic when assigned (0–1)
    street_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    community_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    day: Mapped[date] = mapped_column(Date)  # the ticket's Beijing day
    week: Mapped[date] = mapped_column(Date)  # the Monday of that day's week
    created_at: Mapped[datetime] = mapped_column()  # the ticket's
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicModelState(Base):
    """The clustering's corpus statistics (one row, id 1): how many tickets were seen and in how
    many each term occurs (the IDF). The pass locks this row: one pass at a time across replicas."""

    __tablename__ = "topic_model_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    documents: Mapped[int] = mapped_column(Integer, default=0)
    document_frequencies: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicAlert(Base):
    """A rising topic in a street (热点预警), raised once per topic, street and Beijing week."""

    __tablename__ = "topic_alerts"
    __table_args__ = (
        UniqueConstraint("topic_id", "street_code", "week"),
        Index("ix_topic_alerts_status_raised", "status", "raised_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"))
    topic_label: Mapped[str] = mapped_column(String(100))  # as it was when raised
    district_code: Mapped[str] = mapped_column(String(64))
    street_code: Mapped[str] = mapped_column(String(64))
    week: Mapped[date] = mapped_column(Date)  # Monday of the Beijing week it was raised in
    window_start: Mapped[datetime] = mapped_column()
    window_end: Mapped[datetime] = mapped_column()
    count: Mapped[int] = mapped_column(Integer)  # tickets in the window
    baseline_weeks: Mapped[int] = mapped_column(Integer)
    baseline_mean: Mapped[float] = mapped_column(Float)
    baseline_sd: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    ticket_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)  # the tickets behind it
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | acknowledged
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
