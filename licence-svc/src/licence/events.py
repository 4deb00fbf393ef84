"""The events licence-svc publishes (through the outbox), their payloads and JSON Schemas.

Subjects are `licence.licence.<past-tense>.v1` on stream LICENCE. They name the holder by identity's
account id when known and never by resident ID or name: a consumer that needs more asks with the
holder's authorisation. `python -m licence.events` rewrites the committed schemas under
`licence-svc/events/`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload
from yiwang_shared.migrations import service_dir

PRODUCER = "licence"
SCHEMA_DIR = service_dir("licence") / "events"


class _LicenceFacts(EventPayload):
    licence_id: str
    number: str = Field(description="Licence number (证照编号).")
    type_code: str = Field(description="Licence type code (证照类型代码).")
    holder_kind: Literal["person", "enterprise"]
    holder_account_id: str | None = Field(
        description="identity-svc's id of the holder (person account or enterprise), when known."
    )
    issuing_unit_code: str = Field(description="The issuing unit (颁证单位).")
    valid_from: date
    valid_until: date | None = Field(description="Null: valid without end (长期有效).")
    application_id: str | None = Field(description="The application whose completion issued it.")


class LicenceIssued(_LicenceFacts):
    """A licence was issued (颁发) and signed."""

    TYPE: ClassVar[str] = "licence.licence.issued"
    VERSION: ClassVar[int] = 1

    rendering_sha256: str = Field(description="SHA-256 (hex) of the signed rendering (PDF).")
    key_id: str = Field(description="The signing key's id (kid in GET /v1/signing-keys).")
    issued_at: datetime


class _StatusChanged(_LicenceFacts):
    from_status: str
    reason: str | None
    changed_at: datetime
    by_system: bool = Field(description="True when the system acted (the expiry pass).")


class LicenceSuspended(_StatusChanged):
    """The issuing unit suspended a licence (暂停使用)."""

    TYPE: ClassVar[str] = "licence.licence.suspended"
    VERSION: ClassVar[int] = 1


class LicenceReinstated(_StatusChanged):
    """The issuing unit lifted a suspension (恢复使用)."""

    TYPE: ClassVar[str] = "licence.licence.reinstated"
    VERSION: ClassVar[int] = 1


class LicenceRevoked(_StatusChanged):
    """The issuing unit revoked a licence (吊销/撤销); final."""

    TYPE: ClassVar[str] = "licence.licence.revoked"
    VERSION: ClassVar[int] = 1


class LicenceExpired(_StatusChanged):
    """A licence passed its validity date (已过期); final."""

    TYPE: ClassVar[str] = "licence.licence.expired"
    VERSION: ClassVar[int] = 1


EVENTS: tuple[type[EventPayload], ...] = (
    LicenceIssued,
    LicenceSuspended,
    LicenceReinstated,
    LicenceRevoked,
    LicenceExpired,
)
#: The event each action publishes.
STATUS_EVENTS: dict[str, type[_StatusChanged]] = {
    "suspend": LicenceSuspended,
    "reinstate": LicenceReinstated,
    "revoke": LicenceRevoked,
    "expire": LicenceExpired,
}

#: This service's events: outbox writes and committed schemas (see yiwang_shared.events.payloads).
LICENCE = EventCatalog(producer=PRODUCER, schema_dir=SCHEMA_DIR, events=EVENTS)
publish = LICENCE.publish


if __name__ == "__main__":
    LICENCE.main()
