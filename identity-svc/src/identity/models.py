"""identity-svc tables: organisation units, accounts (persons, staff), enterprises, grants, tokens, keys,
the record of staff looking persons up, the birthday pass's days and the contact tickets its events
carry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from yiwang_shared.orm import NAMING_CONVENTION, TYPE_ANNOTATION_MAP, new_id, utcnow


class Base(DeclarativeBase):
    """Declarative base for identity-svc's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = TYPE_ANNOTATION_MAP


class OrgUnit(Base):
    """An organisation unit (组织机构): district, street, community, department, centre, station, window."""

    __tablename__ = "org_units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Account(Base):
    """Anyone who logs in: a natural person or a staff member (joined-table inheritance)."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    loa: Mapped[int] = mapped_column(SmallInteger)
    # None: a person registered at a window who has not set a password yet (cannot log in).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Read once by SQLAlchemy when the class is mapped (hence no ClassVar: the base declares it).
    __mapper_args__ = {"polymorphic_on": "kind", "with_polymorphic": "*"}  # noqa: RUF012


class Person(Account):
    """A natural person (自然人): resident ID holder, or a foreigner by passport and nationality."""

    __tablename__ = "persons"
    __table_args__ = (UniqueConstraint("passport_number", "nationality"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    resident_id: Mapped[str | None] = mapped_column(String(18), unique=True)
    passport_number: Mapped[str | None] = mapped_column(String(20))
    nationality: Mapped[str | None] = mapped_column(String(3))
    phone: Mapped[str] = mapped_column(String(11), unique=True)
    #: Where the account was opened (注册渠道): "online" by the person, "window" by a clerk.
    registration_channel: Mapped[str] = mapped_column(String(10), default="online")
    #: The clerk who registered a walk-in (窗口登记人); None for online registrations.
    registered_by_id: Mapped[str | None] = mapped_column(ForeignKey("staff.account_id"))
    #: When a walk-in set a password by registering online themselves (认领账号).
    claimed_at: Mapped[datetime | None]

    __mapper_args__ = {"polymorphic_identity": "person"}  # noqa: RUF012

    @property
    def has_login(self) -> bool:
        """True once the account has a password (a walk-in has none until claimed)."""
        return self.password_hash is not None


class Staff(Account):
    """A staff member (工作人员): one organisation unit and a set of roles.

    Relationships load eagerly (selectin) on queries; set them explicitly on new objects, since
    an async session cannot lazy-load on attribute access.
    """

    __tablename__ = "staff"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    org_unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"), index=True)
    org_unit: Mapped[OrgUnit] = relationship(lazy="selectin")
    role_rows: Mapped[list[StaffRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="StaffRole.role"
    )

    __mapper_args__ = {"polymorphic_identity": "staff"}  # noqa: RUF012

    @property
    def roles(self) -> list[str]:
        """The role names, sorted."""
        return sorted(r.role for r in self.role_rows)

    def set_roles(self, roles: list[str]) -> None:
        """Replace the roles with `roles`."""
        wanted = sorted(set(roles))
        keep = [r for r in self.role_rows if r.role in wanted]
        have = {r.role for r in keep}
        self.role_rows = keep + [StaffRole(role=r) for r in wanted if r not in have]


class StaffRole(Base):
    """One role (角色) a staff member holds."""

    __tablename__ = "staff_roles"

    account_id: Mapped[str] = mapped_column(ForeignKey("staff.account_id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class Enterprise(Base):
    """A legal person (法人): name, USCC and legal representative (法定代表人).

    A person's registration is a claim (认领) that stays `pending` until a window clerk has seen
    the business licence and the representative's ID (`verified`) or turned it down (`rejected`).
    Several pending claims may name one USCC; only one enterprise per USCC is ever verified.
    """

    __tablename__ = "enterprises"
    __table_args__ = (
        Index(
            "uq_enterprises_uscc_verified",
            "uscc",
            unique=True,
            sqlite_where=text("status = 'verified'"),
            postgresql_where=text("status = 'verified'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    legal_rep_id: Mapped[str] = mapped_column(ForeignKey("persons.account_id"), index=True)
    legal_rep: Mapped[Person] = relationship(lazy="selectin")
    loa: Mapped[int] = mapped_column(SmallInteger)
    #: pending (认领待核验), verified (已核验), rejected (未通过核验).
    status: Mapped[str] = mapped_column(String(10), default="pending")
    #: The staff member who verified or rejected the claim, when, and what they noted.
    reviewed_by_id: Mapped[str | None] = mapped_column(ForeignKey("staff.account_id"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Grant(Base):
    """A legal-person authorisation (法人授权) of an agent (经办人), possibly under another grant."""

    __tablename__ = "grants"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprises.id"), index=True)
    grantor_id: Mapped[str] = mapped_column(ForeignKey("persons.account_id"), index=True)
    parent_grant_id: Mapped[str | None] = mapped_column(ForeignKey("grants.id"), index=True)
    grantee_id: Mapped[str] = mapped_column(ForeignKey("persons.account_id"), index=True)
    grantee: Mapped[Person] = relationship(lazy="selectin", foreign_keys=[grantee_id])
    scope: Mapped[list[str]] = mapped_column(JSON)
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    may_delegate: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(36))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))


class LoginFailure(Base):
    """Wrong passwords for one login name (登录名), from one client or (client "*") from all.

    Keyed by a SHA-256 of the normalised name and the client, so unknown names are counted
    exactly like known ones and no address is stored in clear.
    """

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(index=True)


class RefreshToken(Base):
    """A refresh token, stored as its SHA-256; one family per login, rotated on every use."""

    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SigningKey(Base):
    """An RSA key that signs access tokens once `active_from` is reached (published before)."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_key_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    active_from: Mapped[datetime]


class PersonLookup(Base):
    """One time a staff member looked a person up (查询记录): who, whom, why, when, found or not.

    Kept for supervision: finding people by resident ID or phone, and reading a phone in clear,
    are allowed to the staff who serve the public, and every such look is accounted for.
    """

    __tablename__ = "person_lookups"
    __table_args__ = (Index("ix_person_lookups_staff_id_looked_up_at", "staff_id", "looked_up_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.account_id"))
    staff: Mapped[Staff] = relationship(lazy="selectin")
    org_unit_id: Mapped[str] = mapped_column(ForeignKey("org_units.id"))
    purpose: Mapped[str] = mapped_column(String(10))
    key_type: Mapped[str] = mapped_column(String(12))
    key_masked: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.account_id"), index=True)
    person: Mapped[Person | None] = relationship(lazy="selectin")
    found: Mapped[bool] = mapped_column(Boolean)
    looked_up_at: Mapped[datetime] = mapped_column(index=True)


class BirthdayPass(Base):
    """One day the birthday pass went through (生日核查): every person whose birthday falls on it was
    published as having reached their age (identity.person.age_reached.v1). The newest day is
    where the daily job goes on from, so days missed while the service was down are caught up, and
    a day already here is never passed again by the job (an administrator may run it again)."""

    __tablename__ = "birthday_passes"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    #: Who passed it first: "job" (the daily job: where it goes on from) or "admin" (run by hand).
    first_by: Mapped[str] = mapped_column(String(10))
    persons: Mapped[int] = mapped_column(Integer)
    runs: Mapped[int] = mapped_column(Integer, default=1)
    first_passed_at: Mapped[datetime]
    last_passed_at: Mapped[datetime]


class ContactTicket(Base):
    """A claim check for one person's mobile (联系方式凭据), given to the consumers of an event
    that asks them to reach the person: the event carries the ticket, never the number, and the
    number is read once with it at POST /v1/contact-tickets/redeem until it expires. Stored as
    its SHA-256 (the ticket itself only travels in the event)."""

    __tablename__ = "contact_tickets"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.account_id"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    redeemed_at: Mapped[datetime | None]
    redemptions: Mapped[int] = mapped_column(Integer, default=0)
