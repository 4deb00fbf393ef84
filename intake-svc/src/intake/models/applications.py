"""intake-svc application tables: read models (org units, catalogue versions), applications and
what hangs off them (materials, notices, steps, clock pauses, the hash-chained trace), idempotency
keys, entrustment agreements, stored files and number sequences.

Timestamps are aware UTC; calendar dates (deadlines, due dates) are plain dates in Asia/Shanghai.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yiwang_shared.orm import new_id, utcnow

from .base import Base

#: The open states (`lifecycles.OPEN_STATES`) as the partial index's WHERE clause; a query that
#: wants the index repeats it word for word (`repositories.applications.OPEN_CASE`). `coalesce`
#: (status is never NULL) keeps the term from matching the indexes on `status`: SQLite, which
#: plans without statistics, would otherwise prefer them and sort every open case.
OPEN_STATUSES = ("accepted", "under_review", "suspended")
OPEN_STATUS_SQL = "coalesce(status, '') IN ('accepted', 'under_review', 'suspended')"


class OrgUnit(Base):
    """Read model of identity-svc's organisation units (from identity.org_unit.changed.v1)."""

    __tablename__ = "org_units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[str | None] = mapped_column(String(36))
    uscc: Mapped[str | None] = mapped_column(String(18))
    updated_at: Mapped[datetime] = mapped_column()


class CatalogueItem(Base):
    """Read model of one catalogue item: which version is in force, or that it was retired."""

    __tablename__ = "catalogue_items"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)  # 实施编码
    item_id: Mapped[str] = mapped_column(String(36))
    basic_code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    owner_unit_code: Mapped[str] = mapped_column(String(64), index=True)
    owner_unit_name: Mapped[str] = mapped_column(String(200))
    current_version_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # published | retired
    published_at: Mapped[datetime] = mapped_column()
    retired_at: Mapped[datetime | None] = mapped_column()
    # When this row last changed here (not upstream): the read-model cache's fingerprint.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CatalogueVersion(Base):
    """Every published version's elements, so a case stays tied to the version it was opened under."""

    __tablename__ = "catalogue_versions"

    item_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    version_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_unit_code: Mapped[str] = mapped_column(String(64))
    owner_unit_name: Mapped[str] = mapped_column(String(200))
    elements: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column()


class Application(Base):
    """An application (办件) from receipt to delivery; `status` is the state machine's state."""

    __tablename__ = "applications"
    __table_args__ = (
        # Whose cases staff see (`repositories.applications._UNIT_COLUMNS`, and whom they assisted):
        # each an IN list (the unit and those under it) this index serves; with the status and the
        # order in it, a count per unit reads the index alone.
        *(
            Index(f"ix_applications_{column}_seen", column, "status", "received_at", "id")
            for column in (
                "intake_unit_code",
                "accepting_unit_code",
                "owner_unit_code",
                "forwarded_to_unit_code",
                "assisted_by",
            )
        ),
        Index("ix_applications_status_due", "status", "due_on"),
        # The lists' order (newest first; ties by id are sorted as they come): walked backwards, a
        # page reads only its rows.
        Index("ix_applications_received", "received_at"),
        Index("ix_applications_status_received", "status", "received_at"),
        # The open cases by due date (the supervision board): only they are in it, in board order.
        Index(
            "ix_applications_open_due",
            "due_on",
            "id",
            sqlite_where=text(OPEN_STATUS_SQL),
            postgresql_where=text(OPEN_STATUS_SQL),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_no: Mapped[str] = mapped_column(String(32), unique=True)  # 申请编号
    item_code: Mapped[str] = mapped_column(String(50), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    item_name: Mapped[str] = mapped_column(String(200))
    owner_unit_code: Mapped[str] = mapped_column(String(64))  # deciding unit
    intake_unit_code: Mapped[str | None] = mapped_column(String(64))  # receiving window
    accepting_unit_code: Mapped[str | None] = mapped_column(String(64))
    entrustment_id: Mapped[str | None] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(12))  # window | online | assisted
    online: Mapped[bool] = mapped_column(Boolean)
    applicant_id: Mapped[str] = mapped_column(String(64), index=True)
    applicant_name: Mapped[str] = mapped_column(String(100))
    applicant_phone: Mapped[str | None] = mapped_column(String(20))
    enterprise_id: Mapped[str | None] = mapped_column(String(64), index=True)
    grant_id: Mapped[str | None] = mapped_column(String(64))
    submitted_by: Mapped[str] = mapped_column(String(64), index=True)
    assisted_by: Mapped[str | None] = mapped_column(String(64))
    # Who filed it for whom (申请方式): self 本人, assisted 工作人员帮办代办, delegated 经办人代企业.
    representation: Mapped[str] = mapped_column(String(12), default="self", server_default="self")
    status: Mapped[str] = mapped_column(String(24), index=True)
    handling_type: Mapped[str] = mapped_column(String(2))  # 1 即办件, 2 承诺件, 9 other
    legal_limit_days: Mapped[int | None] = mapped_column(Integer)
    promised_limit_days: Mapped[int | None] = mapped_column(Integer)
    limit_unit: Mapped[str] = mapped_column(String(12))
    deficiency_allowed: Mapped[bool] = mapped_column(Boolean)
    form: Mapped[dict[str, Any]] = mapped_column(JSON)
    conditions: Mapped[list[Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column()
    notice_due_on: Mapped[date] = mapped_column(Date)
    correction_deadline: Mapped[date | None] = mapped_column(Date)  # 补正期限 of the last notice
    resubmissions: Mapped[int] = mapped_column(Integer, default=0)
    accepted_at: Mapped[datetime | None] = mapped_column()
    accepted_by: Mapped[str | None] = mapped_column(String(64))
    acceptance_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    deemed_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    paused_working_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    deficiency_deadline: Mapped[date | None] = mapped_column(Date)
    deficiencies: Mapped[list[Any]] = mapped_column(JSON)
    handed_over_at: Mapped[datetime | None] = mapped_column()
    # A community service station's part (社区服务站): the street centre it handed the case to —
    # at filing for 代收代办类 items, after its pre-review for 咨询预审类 ones — and that opinion.
    forwarded_to_unit_code: Mapped[str | None] = mapped_column(String(64))
    forwarded_at: Mapped[datetime | None] = mapped_column()
    prereview_opinion: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decision: Mapped[str | None] = mapped_column(String(12))  # approved | refused
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    decision_no: Mapped[str | None] = mapped_column(String(40), unique=True)  # 决定书文号
    completed_at: Mapped[datetime | None] = mapped_column()
    completed_by: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    delivery_mode: Mapped[str | None] = mapped_column(String(12))
    delivery: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    delivered_at: Mapped[datetime | None] = mapped_column()
    visits: Mapped[int] = mapped_column(Integer, default=0)  # 跑动次数
    overdue_flagged_at: Mapped[datetime | None] = mapped_column()
    # A deadline of the case was counted over a year without an official holiday arrangement
    # (Monday–Friday assumed): it may move once the arrangement is imported.
    provisional_deadline: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )  # indexed: the background recount reads the few flagged ones
    # The trace chain's length and newest hash, kept with the case so that deleting the newest
    # trace entries (which leaves a shorter chain that still links up) is detected too.
    trace_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    trace_head: Mapped[str | None] = mapped_column(String(64))
    # 告知承诺制: the commitment signed instead of some materials (text, replaces, signatory,
    # signed_at, post_check_days), when the case was applied for on commitment.
    commitment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A case one bundle application (一件事) made: which, the stage it is decided in, its place.
    bundle_application_id: Mapped[str | None] = mapped_column(String(36), index=True)
    bundle_stage: Mapped[int | None] = mapped_column(Integer)
    bundle_position: Mapped[int | None] = mapped_column(Integer)
    closed_reason: Mapped[str | None] = mapped_column(Text)  # withdrawn / revoked / not accepted …
    closed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # What hangs off the case, loaded with it in one statement by the repository (never lazily:
    # touching an unloaded one raises) and kept in memory while a step adds to them.
    materials: Mapped[list[ApplicationMaterial]] = relationship(lazy="raise")
    notices: Mapped[list[Notice]] = relationship(lazy="raise")
    steps: Mapped[list[DecisionStep]] = relationship(lazy="raise")
    pauses: Mapped[list[ClockPause]] = relationship(lazy="raise")


class ApplicationMaterial(Base):
    """A material as handed in for one round (submission or resubmission) of an application."""

    __tablename__ = "application_materials"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    provided_as: Mapped[str] = mapped_column(String(12))  # paper | upload | e_licence | exempt
    media: Mapped[list[Any]] = mapped_column(JSON)
    originals: Mapped[int] = mapped_column(Integer)
    copies: Mapped[int] = mapped_column(Integer)
    file_id: Mapped[str | None] = mapped_column(ForeignKey("stored_files.id"))
    licence_no: Mapped[str | None] = mapped_column(String(100))
    # Fetched from the licence library (两个免于提交): the licence's type, state and validity then.
    licence_type_code: Mapped[str | None] = mapped_column(String(32))
    licence_status: Mapped[str | None] = mapped_column(String(12))
    licence_valid_until: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notice(Base):
    """A written notice: one-time notice (一次性告知书), acceptance notice (受理通知书) …"""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # correction | acceptance | … (schemas.NoticeKind)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column()
    issued_by: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)


class DecisionStep(Base):
    """A handling step (审核/审批/特别程序 …) with actor, opinion, start and end."""

    __tablename__ = "decision_steps"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    actor_unit_code: Mapped[str | None] = mapped_column(String(64))
    opinion: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()


class ClockPause(Base):
    """A special procedure (听证/现场勘查/专家评审) during which the time limit does not run."""

    __tablename__ = "clock_pauses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    procedure: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    expected_end_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    paused_working_days: Mapped[int | None] = mapped_column(Integer)
    started_by: Mapped[str] = mapped_column(String(64))
    ended_by: Mapped[str | None] = mapped_column(String(64))


class TraceEntry(Base):
    """One action on a case (办事留痕), hash-chained to the previous entry of the same case."""

    __tablename__ = "trace_entries"
    __table_args__ = (UniqueConstraint("application_id", "seq"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class RevokedGrant(Base):
    """A grant (法人授权) identity-svc revoked (identity.grant.revoked.v1): from then on its agent
    sees and acts on none of the enterprise's cases, whatever token they hold."""

    __tablename__ = "revoked_grants"

    grant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(64))
    grantee_id: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime] = mapped_column()


class IdempotencyKey(Base):
    """A submission's Idempotency-Key, per caller: the request's hash and what it created."""

    __tablename__ = "idempotency_keys"

    principal: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    application_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Entrustment(Base):
    """An entrustment agreement (委托受理协议): the entrusted unit accepts the listed items for the
    entrusting unit between two dates."""

    __tablename__ = "entrustments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entrusting_unit_code: Mapped[str] = mapped_column(String(64), index=True)
    entrusted_unit_code: Mapped[str] = mapped_column(String(64), index=True)
    item_codes: Mapped[list[Any]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class StoredFile(Base):
    """An uploaded material file: its metadata and content hash; the bytes live in the storage.
    One record per uploader and content: the same bytes uploaded again by the same person are the
    same file (reused), another person's upload of them is their own."""

    __tablename__ = "stored_files"
    __table_args__ = (UniqueConstraint("owner", "sha256"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NumberSequence(Base):
    """Counters behind human-facing numbers (application and notice numbers), per name and year."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
