"""The events identity-svc publishes (through the outbox), their payloads and JSON Schemas.

Subjects are `identity.<aggregate>.<past-tense>.v<N>` on stream IDENTITY. Payloads never carry
clear resident-ID, passport or phone numbers: only masked values (and, for a resident ID, a keyed
hash only services holding the shared secret can recompute: ADR 0014). The committed schemas under
`identity-svc/events/` are generated from these models (`python -m identity.events` rewrites
them) and a test checks they are current.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from yiwang_shared.calendar_sync import CalendarChanged
from yiwang_shared.events.payloads import EventCatalog, EventPayload
from yiwang_shared.migrations import service_dir

PRODUCER = "identity"
SCHEMA_DIR = service_dir("identity") / "events"


class UserRegistered(EventPayload):
    """A person registered (online, or as a walk-in at a window) or a staff account was created
    (masked identifiers only)."""

    TYPE: ClassVar[str] = "identity.user.registered"
    VERSION: ClassVar[int] = 1

    account_id: str
    kind: Literal["person", "staff"]
    name: str = Field(description="Real name (姓名) of a person, or a staff member's name.")
    loa: int = Field(ge=2, le=5, description="Level of assurance (认证等级) 2-5.")
    resident_id_masked: str | None = Field(description="e.g. 110101********123X; persons only.")
    passport_number_masked: str | None = Field(description="Foreigners only, masked.")
    nationality: str | None = Field(description="ISO 3166-1 alpha-3, foreigners only.")
    phone_masked: str | None = Field(description="e.g. 138****5678; persons only.")
    username: str | None = Field(description="Staff login name; staff only.")
    org_unit_id: str | None = Field(description="Staff's organisation unit; staff only.")
    roles: list[str] = Field(description="Staff roles; empty for persons.")
    registered_at: datetime
    channel: Literal["online", "window", "admin"] = Field(
        default="online",
        description="Where the account was opened (注册渠道): online by the person, at a window by a "
        "clerk (a walk-in without a password until they claim it), or by an administrator (staff).",
    )
    registered_by: str | None = Field(
        default=None, description="The clerk's account id for a walk-in registered at a window."
    )
    resident_id_key: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="HMAC-SHA256 (hex) of the resident ID under the secret identity shares with the "
        "licence library (ADR 0014), so it finds the licences issued to that number without the "
        "number on the bus; absent for staff, passports and when no secret is configured.",
    )


class OrgUnitChanged(EventPayload):
    """An organisation unit was created or updated; carries the unit as it now is."""

    TYPE: ClassVar[str] = "identity.org_unit.changed"
    VERSION: ClassVar[int] = 1

    org_unit_id: str
    change: Literal["created", "updated"]
    changed_fields: list[str] = Field(description="Fields changed by an update; all on create.")
    code: str
    name: str
    kind: Literal["district", "street", "community", "department", "service_centre", "station", "window"]
    level: int = Field(ge=1, le=7, description="行使层级: 4 district, 5 street, 6 community.")
    parent_id: str | None
    uscc: str | None
    changed_at: datetime


class StaffChanged(EventPayload):
    """A staff account was created, changed (name, unit, roles, status) or disabled; carries the
    account as it now is, so other services can keep a read model that names people."""

    TYPE: ClassVar[str] = "identity.staff.changed"
    VERSION: ClassVar[int] = 1

    staff_id: str
    username: str = Field(description="Login name (用户名).")
    name: str = Field(description="Name (姓名).")
    org_unit_id: str = Field(description="The unit (所属机构) the staff member belongs to.")
    org_unit_code: str = Field(description="That unit's code, e.g. 110105-MZJ.")
    roles: list[str] = Field(description="Roles (角色), sorted: window_clerk, approver, … admin.")
    status: Literal["active", "disabled"] = Field(description="Disabled accounts cannot log in.")
    change: Literal["created", "updated", "disabled"] = Field(
        description="What happened: created; updated (name, unit, roles, or re-enabled); disabled."
    )
    changed_at: datetime


class GrantCreated(EventPayload):
    """A legal-person grant (法人授权) was made; it is pending until the grantee confirms."""

    TYPE: ClassVar[str] = "identity.grant.created"
    VERSION: ClassVar[int] = 1

    grant_id: str
    enterprise_id: str
    enterprise_uscc: str
    grantor_id: str
    grantee_id: str
    parent_grant_id: str | None = Field(description="The grant it was delegated under, if any.")
    scope: list[str] = Field(description='["*"] for every item, else item codes.')
    valid_from: datetime
    valid_until: datetime
    may_delegate: bool
    created_at: datetime


class GrantConfirmed(EventPayload):
    """The grantee confirmed a grant: from `valid_from` on it lets them act for the enterprise."""

    TYPE: ClassVar[str] = "identity.grant.confirmed"
    VERSION: ClassVar[int] = 1

    grant_id: str
    enterprise_id: str
    grantee_id: str
    confirmed_at: datetime


class GrantRevoked(EventPayload):
    """A grant was revoked, directly or because a grant above it was (one event per grant)."""

    TYPE: ClassVar[str] = "identity.grant.revoked"
    VERSION: ClassVar[int] = 1

    grant_id: str
    enterprise_id: str
    grantee_id: str
    revoked_by: str = Field(description="Account that revoked the grant (or the one above it).")
    reason: str | None
    cascade_of: str | None = Field(
        description="The directly revoked grant this revocation cascaded from; null if direct."
    )
    revoked_at: datetime


class PersonAgeReached(EventPayload):
    """A person with a resident ID reached an age today (their birthday, by the daily birthday
    pass): the fact a service offering 免申即享 (proactive service) starts from. Born on 29
    February, the birthday is 28 February in a year without one."""

    TYPE: ClassVar[str] = "identity.person.age_reached"
    VERSION: ClassVar[int] = 1

    account_id: str
    name: str = Field(description="Real name (姓名).")
    age: int = Field(ge=1, le=150, description="The age reached that day, in full years (周岁).")
    reached_on: date = Field(description="The day it was reached (the birthday passed), Beijing time.")
    region_code: str = Field(
        pattern=r"^\d{6}$",
        description="区划代码: the first six digits of the resident ID (where it was first issued).",
    )
    contact_ticket: str = Field(
        description="A claim check for the person's mobile, never the number itself: a consumer that "
        "must text the person redeems it once at POST /v1/contact-tickets/redeem before "
        "`contact_ticket_expires_at`."
    )
    contact_ticket_expires_at: datetime


EVENTS: tuple[type[EventPayload], ...] = (
    UserRegistered,
    OrgUnitChanged,
    StaffChanged,
    GrantCreated,
    GrantConfirmed,
    GrantRevoked,
    PersonAgeReached,
    CalendarChanged,  # defined in yiwang_shared.calendar_sync: every service consumes it
)

#: This service's events: outbox writes and committed schemas (see yiwang_shared.events.payloads).
CATALOG = EventCatalog(producer=PRODUCER, schema_dir=SCHEMA_DIR, events=EVENTS)
publish = CATALOG.publish
event_schema = CATALOG.event_schema
schema_path = CATALOG.schema_path
render_schema = CATALOG.render_schema
write_schemas = CATALOG.write_schemas

if __name__ == "__main__":
    CATALOG.main()
