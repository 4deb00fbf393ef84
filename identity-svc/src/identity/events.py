"""The events identity-svc publishes (through the outbox), their payloads and JSON Schemas.

Subjects are `identity.<aggregate>.<past-tense>.v<N>` on stream IDENTITY. Payloads never carry
clear resident-ID, passport or phone numbers: only masked values. The committed schemas under
`identity-svc/events/` are generated from these models (`python -m identity.events` rewrites
them) and a test checks they are current.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.events import EventEnvelope, add_event

PRODUCER = "identity"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "events"


class EventPayload(BaseModel):
    """Base of every payload: its type and version name the subject."""

    model_config = ConfigDict(extra="forbid")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]

    @classmethod
    def subject(cls) -> str:
        """The NATS subject, e.g. `identity.user.registered.v1`."""
        return f"{cls.TYPE}.v{cls.VERSION}"


class UserRegistered(EventPayload):
    """A person registered or a staff account was created (masked identifiers only)."""

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


EVENTS: tuple[type[EventPayload], ...] = (
    UserRegistered,
    OrgUnitChanged,
    GrantCreated,
    GrantConfirmed,
    GrantRevoked,
)


async def publish(session: AsyncSession, payload: EventPayload) -> EventEnvelope:
    """Write the event to the outbox in the session's transaction."""
    return await add_event(
        session,
        payload.TYPE,
        payload.VERSION,
        payload.model_dump(mode="json"),
        producer=PRODUCER,
    )


def event_schema(payload: type[EventPayload]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the whole envelope carrying `payload`."""
    data = payload.model_json_schema()
    defs = data.pop("$defs", None)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://yiwang.dev/events/{payload.subject()}.schema.json",
        "title": payload.subject(),
        "description": (payload.__doc__ or "").strip(),
        "type": "object",
        "required": ["event_id", "type", "version", "occurred_at", "producer", "data"],
        "additionalProperties": False,
        "properties": {
            "event_id": {"type": "string", "description": "Unique id; also the Nats-Msg-Id."},
            "type": {"const": payload.TYPE},
            "version": {"const": payload.VERSION},
            "occurred_at": {"type": "string", "format": "date-time"},
            "producer": {"const": PRODUCER},
            "correlation_id": {"type": ["string", "null"]},
            "data": data,
        },
    }
    if defs:
        schema["$defs"] = defs
    return schema


def schema_path(payload: type[EventPayload]) -> Path:
    """Where the committed schema of `payload` lives."""
    return SCHEMA_DIR / f"{payload.subject()}.schema.json"


def render_schema(payload: type[EventPayload]) -> str:
    """The committed text of `payload`'s schema."""
    return json.dumps(event_schema(payload), ensure_ascii=False, indent=2) + "\n"


def write_schemas() -> list[Path]:
    """Rewrite every committed event schema from the models."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    paths = []
    for payload in EVENTS:
        path = schema_path(payload)
        path.write_text(render_schema(payload), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_schemas():
        sys.stdout.write(f"wrote {written}\n")
