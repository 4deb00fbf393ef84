"""evaluation-svc tables.

- `service_events`: what can be rated (an application, a hotline ticket, a window visit), built
  from consumed events or registered by a window clerk; one rating each.
- `rating_codes`: one-time codes (hashed) that let a window's rating pad rate a visit; they go to the
  person served (the pad), never to staff.
- `rating_devices`: the rating pads (评价器) the evaluation office registered per window; only the
  hash of a pad's secret is kept.
- `ratings`: the 好差评 ratings; never deleted (an upheld appeal, a rejected burst or the served
  person's own rating only takes one out of the indicators). The unit rated sees a rater only by
  a random pseudonym (`pseudonym`), never by anything derived from the account.
- `rating_flags`: bursts of ratings on the window visits one clerk registered, for the evaluation
  office; their ratings are held out of the rankings until the office decides.
- `bad_review_cases` + `case_steps`: the handling of levels 4–5 (差评整改), every step recorded.
- `indicator_counters`: the incremental sums every indicator is derived from; each is moved by an
  event (consumed, or evaluation's own), so `services.rebuild` can replay the streams and compare.
- `hotline_responses`: read model of hotline's response obligations (one per ticket and round),
  the base of 响应率, which is judged at read time like hotline-svc's own figure.
- `guide_view_marks`: which client's view of which item was counted on which day (hashed client).
- `ranking_rules`: configurable rules for the red-flag window and service-star rankings.
- `org_units`, `catalog_items`: read models of identity's units and catalog's published items.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from yiwang_shared.orm import NAMING_CONVENTION, TYPE_ANNOTATION_MAP, new_id, utcnow

BIGINT = BigInteger().with_variant(Integer(), "sqlite")


def new_pseudonym() -> str:
    """A rater's pseudonym for one rating: 8 random hex digits, unrelated to any id."""
    return secrets.token_hex(4).upper()


class Base(DeclarativeBase):
    """Declarative base for evaluation-svc's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = TYPE_ANNOTATION_MAP


class ServiceEvent(Base):
    """Something a person was served with and may rate once (服务事件)."""

    __tablename__ = "service_events"
    __table_args__ = (
        UniqueConstraint("kind", "source_id"),
        # The events of one source whatever their kind (the unique key leads with the kind).
        Index("ix_service_events_source_id", "source_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(12))  # application / ticket / visit
    source_id: Mapped[str] = mapped_column(String(64))
    reference_no: Mapped[str | None] = mapped_column(String(64))
    item_code: Mapped[str | None] = mapped_column(String(50))
    item_name: Mapped[str | None] = mapped_column(String(200))
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    window_code: Mapped[str | None] = mapped_column(String(64))
    staff_id: Mapped[str | None] = mapped_column(String(64))
    served_subject: Mapped[str | None] = mapped_column(String(64), index=True)
    served_at: Mapped[datetime]
    rateable_until: Mapped[datetime]
    month: Mapped[str] = mapped_column(String(7))
    # 跑动次数 counted for an application: at completion, then the total once delivered.
    visits: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RatingCode(Base):
    """A one-time rating code (评价码) for a service event; only its SHA-256 is stored."""

    __tablename__ = "rating_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_event_id: Mapped[str] = mapped_column(ForeignKey("service_events.id"), index=True)
    issued_by: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class Rating(Base):
    """A 好差评 rating: level 1 非常满意 … 5 非常不满意."""

    __tablename__ = "ratings"
    __table_args__ = (
        Index("ix_ratings_staff_submitted", "staff_id", "submitted_at"),  # burst checks per clerk
        # The few ratings a burst flag holds in a month (the rankings subtract them), not the month's all.
        Index("ix_ratings_held_month", "held", "month"),
        # One rating in force per event: a code rating superseded by the served person's own stays.
        Index(
            "uq_ratings_current_event",
            "service_event_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_event_id: Mapped[str] = mapped_column(ForeignKey("service_events.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(10))
    aspects: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text)
    item_code: Mapped[str | None] = mapped_column(String(50))
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    window_code: Mapped[str | None] = mapped_column(String(64))
    staff_id: Mapped[str | None] = mapped_column(String(64))
    rater_subject: Mapped[str | None] = mapped_column(String(64), index=True)
    real_name: Mapped[bool] = mapped_column(Boolean)
    # What the unit rated sees instead of the rater: random, per rating, never derived from an id.
    pseudonym: Mapped[str] = mapped_column(String(16), default=new_pseudonym)
    month: Mapped[str] = mapped_column(String(7))
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    by_code: Mapped[bool] = mapped_column(Boolean, default=False)  # given with a one-time code
    # The served person's own rating replaced this one (given with a code): it no longer counts.
    superseded_at: Mapped[datetime | None]
    # An open burst flag holds the rating out of the rankings until the office decides.
    flag_id: Mapped[str | None] = mapped_column(ForeignKey("rating_flags.id"), index=True)
    held: Mapped[bool] = mapped_column(Boolean, default=False)


class RatingDevice(Base):
    """A window's rating pad (评价器), registered by the evaluation office; only its secret's hash is kept."""

    __tablename__ = "rating_devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    window_code: Mapped[str] = mapped_column(String(64), index=True)
    label: Mapped[str | None] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(64))
    registered_by: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class RatingFlag(Base):
    """A burst of ratings on the window visits one clerk registered (疑似刷评), for the evaluation office."""

    __tablename__ = "rating_flags"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    staff_id: Mapped[str] = mapped_column(String(64), index=True)  # the clerk who registered the visits
    unit_code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))  # open / cleared / rejected
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)


class BadReviewCase(Base):
    """The handling of a bad review (差评整改) by the unit that did the work."""

    __tablename__ = "bad_review_cases"
    __table_args__ = (
        Index("ix_bad_review_cases_open_deadline", "closed", "overdue", "deadline_at"),
        # The list's order (newest first, id breaking ties), alone, within a status, overdue or
        # not: a page walks the index backwards and stops at its limit.
        Index("ix_bad_review_cases_opened", "opened_at", "id"),
        Index("ix_bad_review_cases_status_opened", "status", "opened_at", "id"),
        Index("ix_bad_review_cases_overdue_opened", "overdue", "opened_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    rating_id: Mapped[str] = mapped_column(ForeignKey("ratings.id"), unique=True)
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20))
    real_name: Mapped[bool] = mapped_column(Boolean)
    deadline_at: Mapped[datetime]
    called_back_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(12))  # rectify / explain / appeal
    rectify_due_on: Mapped[date | None] = mapped_column(Date)
    rectified_at: Mapped[datetime | None]
    appeal_reason: Mapped[str | None] = mapped_column(Text)
    appeal_decision: Mapped[str | None] = mapped_column(String(10))  # upheld / rejected
    feedback: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[datetime | None]
    response_level: Mapped[int | None] = mapped_column(Integer)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    transferred_at: Mapped[datetime | None]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class CaseStep(Base):
    """One recorded step of a bad-review case (办理留痕); never altered."""

    __tablename__ = "case_steps"

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("bad_review_cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class IndicatorCounter(Base):
    """An additive counter: (dimension, key, month, name) → value, updated per fact."""

    __tablename__ = "indicator_counters"
    __table_args__ = (Index("ix_indicator_counters_month", "month", "dimension", "name"),)

    dimension: Mapped[str] = mapped_column(String(10), primary_key=True)  # unit/window/staff/item
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class HotlineResponse(Base):
    """A unit's obligation to contact the caller in one round of a ticket (响应), from hotline's events.

    Mirrors hotline-svc's `response_dues`: a re-dispatch within the round moves it to the new lead
    unit with a new deadline; a reopening starts a new round. `dispatched_at` orders the events,
    so a late redelivery of an older dispatch or response changes nothing.
    """

    __tablename__ = "hotline_responses"
    # 响应率 counts a month's obligations at read time: with `responded_at` in the index the count
    # reads the index alone (the month's rows grow with the district; their heap pages need not).
    __table_args__ = (Index("ix_hotline_responses_due", "due_at", "unit_code", "responded_at"),)

    ticket_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    dispatched_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]


class HotlineResponseMonth(Base):
    """响应率's rollup: a unit's response obligations with a deadline in one month (Asia/Shanghai),
    and how many of them were answered by their deadline.

    Kept with every change of an obligation (in the consumer's transaction, from the obligation's
    state before and after), so a month's figure reads a row per unit instead of the month's
    obligations; only the obligations still awaiting their deadline are counted when read.
    """

    __tablename__ = "hotline_response_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    obligations: Mapped[int] = mapped_column(BigInteger, default=0)
    on_time: Mapped[int] = mapped_column(BigInteger, default=0)


class GuideViewMark(Base):
    """One counted guide view: a client (account or hashed address) and an item, once a day."""

    __tablename__ = "guide_view_marks"

    day: Mapped[date] = mapped_column(Date, primary_key=True)  # Asia/Shanghai
    client: Mapped[str] = mapped_column(String(64), primary_key=True)  # keyed hash, never the address
    item_code: Mapped[str] = mapped_column(String(50), primary_key=True)


class RankingRule(Base):
    """A configurable ranking rule (红旗窗口, 服务之星)."""

    __tablename__ = "ranking_rules"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    dimension: Mapped[str] = mapped_column(String(10))
    indicator: Mapped[str] = mapped_column(String(40))
    min_ratings: Mapped[int] = mapped_column(Integer)
    min_value: Mapped[float | None] = mapped_column(Float)
    max_bad_reviews: Mapped[int | None] = mapped_column(Integer)
    top_n: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrgUnit(Base):
    """Read model of identity's organisation units (from identity.org_unit.changed.v1)."""

    __tablename__ = "org_units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime]


class StaffMember(Base):
    """Read model of identity's staff (identity.staff.changed.v1): a 服务之星 is shown by name,
    never by account id."""

    __tablename__ = "staff_members"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the staff account id
    username: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    org_unit_id: Mapped[str | None] = mapped_column(String(36))
    org_unit_code: Mapped[str | None] = mapped_column(String(64))
    roles: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))  # active | disabled
    updated_at: Mapped[datetime]


class CatalogItem(Base):
    """Read model of catalog's published items (catalog.item.published.v1): names for reports.

    `version_no` 0 marks an item named only by an intake event (the fallback) until catalog
    publishes it.
    """

    __tablename__ = "catalog_items"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(String(64), index=True)
    department_name: Mapped[str | None] = mapped_column(String(200))
    version_no: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime]
