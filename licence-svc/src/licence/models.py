"""licence-svc tables.

- `licence_types`: the catalogue of licence types (证照类型目录) with their codes; administrators keep it.
- `licences`: licences and certificates (电子证照) issued to a natural or legal person, with the
  structured data on them and the signed rendering (PDF bytes, their SHA-256, the signature).
- `licence_actions`: every change of a licence's state (issue, suspend, reinstate, revoke, expire),
  who did it and why; never altered (办事留痕).
- `licence_shares`: time-limited verification codes a holder made (only the code's hash is kept).
- `licence_uses`: every use of a licence by staff for a case (用证记录): who, which application, when.
- `signing_keys`: the rendering-signing key generated when none is configured.
- `catalog_items`, `persons`, `holder_bindings`: read models (catalog's published items with the
  licence type their result is; identity's persons by account, with their resident ID's keyed
  hash; an account's resident ID as identity confirmed it to its owner).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from yiwang_shared.orm import NAMING_CONVENTION, TYPE_ANNOTATION_MAP, new_id, utcnow


class Base(DeclarativeBase):
    """Declarative base for licence-svc's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = TYPE_ANNOTATION_MAP


class LicenceType(Base):
    """A licence type (证照类型): its code, name, who holds it, who issues it, how long it lasts."""

    __tablename__ = "licence_types"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    holder_kind: Mapped[str] = mapped_column(String(20))  # person | enterprise
    issuing_unit_code: Mapped[str | None] = mapped_column(String(50))
    issuing_unit_name: Mapped[str | None] = mapped_column(String(100))
    validity_years: Mapped[int | None] = mapped_column(Integer)  # None: valid without end (长期)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Licence(Base):
    """A licence or certificate issued to a person or an enterprise (电子证照)."""

    __tablename__ = "licences"
    __table_args__ = (
        UniqueConstraint("type_code", "number"),
        UniqueConstraint("application_id", "type_code"),
        Index("ix_licences_holder", "holder_kind", "holder_identifier"),
        Index("ix_licences_account", "holder_account_id"),
        Index("ix_licences_holder_key", "holder_kind", "holder_identifier_key"),
        Index("ix_licences_expiry", "status", "valid_until"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(200))
    type_code: Mapped[str] = mapped_column(ForeignKey("licence_types.code"))
    holder_kind: Mapped[str] = mapped_column(String(20))
    holder_identifier: Mapped[str | None] = mapped_column(String(32))  # resident ID or USCC
    # HMAC-SHA256 of a person's resident ID under the secret shared with identity (ADR 0014)
    holder_identifier_key: Mapped[str | None] = mapped_column(String(64))
    holder_account_id: Mapped[str | None] = mapped_column(String(64))  # identity's person/enterprise id
    holder_name: Mapped[str] = mapped_column(String(200))
    issuing_unit_code: Mapped[str] = mapped_column(String(50))
    issuing_unit_name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="valid")
    status_reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    application_id: Mapped[str | None] = mapped_column(String(64))
    application_no: Mapped[str | None] = mapped_column(String(64))
    rendering: Mapped[bytes] = mapped_column(LargeBinary)
    rendering_sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    key_id: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LicenceAction(Base):
    """One change of a licence's state: who (None: the system), what, why, when."""

    __tablename__ = "licence_actions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    licence_id: Mapped[str] = mapped_column(ForeignKey("licences.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_unit_code: Mapped[str | None] = mapped_column(String(50))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class LicenceShare(Base):
    """A verification code the holder made: anyone with it sees the licence until it expires or is
    withdrawn. Only the code's SHA-256 is kept."""

    __tablename__ = "licence_shares"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    licence_id: Mapped[str] = mapped_column(ForeignKey("licences.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]
    opened_count: Mapped[int] = mapped_column(Integer, default=0)


class LicenceUse(Base):
    """A staff member used a licence for a case (用证记录), on the holder's authorisation: the
    application the holder made."""

    __tablename__ = "licence_uses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    licence_id: Mapped[str] = mapped_column(ForeignKey("licences.id"), index=True)
    staff_id: Mapped[str] = mapped_column(String(64))
    staff_unit_code: Mapped[str | None] = mapped_column(String(50))
    application_id: Mapped[str] = mapped_column(String(64))
    application_no: Mapped[str | None] = mapped_column(String(64))
    item_name: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(200))
    status_seen: Mapped[str] = mapped_column(String(20))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)


class SigningKey(Base):
    """The rendering-signing key made when the settings give none (kept so restarts keep it). One
    row holds `slot` "current": replicas starting together on an empty database all take the one
    that got in first."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot: Mapped[str | None] = mapped_column(String(16), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CatalogItem(Base):
    """Read model of catalog's published items: the licence type an item's result is, if any."""

    __tablename__ = "catalog_items"

    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_name: Mapped[str] = mapped_column(String(200))
    version_no: Mapped[int] = mapped_column(Integer)
    result_name: Mapped[str | None] = mapped_column(String(200))
    licence_type_code: Mapped[str | None] = mapped_column(String(32))
    owner_unit_code: Mapped[str] = mapped_column(String(50))
    owner_unit_name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Person(Base):
    """Read model of identity's registered persons: the name a licence issued to an account shows,
    and their resident ID's keyed hash (ADR 0014), which finds the licences issued to that ID."""

    __tablename__ = "persons"

    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    resident_id_masked: Mapped[str | None] = mapped_column(String(32))
    resident_id_key: Mapped[str | None] = mapped_column(String(64), index=True)


class OrgUnit(Base):
    """Read model of identity's organisation units (from identity.org_unit.changed.v1): the name a
    use's unit shows to the licence's holder."""

    __tablename__ = "org_units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class HolderBinding(Base):
    """An account's resident ID as identity confirmed it to the account's owner (GET /v1/me)."""

    __tablename__ = "holder_bindings"

    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    bound_at: Mapped[datetime] = mapped_column(default=utcnow)
