"""The payloads licence-svc consumes, mapped to its terms (see the publishers' events/*.schema.json):
intake's completed application, catalog's published item, identity's registered person.

Validated leniently (unknown fields ignored); a payload lacking what licence needs raises
`PayloadRejected`, a `PermanentError`: the shared runner dead-letters it at once with the reason.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from yiwang_shared.events import PermanentError

COMPLETED = "intake.application.completed.v1"
ITEM_PUBLISHED = "catalog.item.published.v1"
USER_REGISTERED = "identity.user.registered.v1"
ORG_UNIT_CHANGED = "identity.org_unit.changed.v1"
REVOKED = "intake.application.revoked.v1"


class PayloadRejected(PermanentError):
    """A consumed payload lacks what licence-svc needs (the reason says which field)."""


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Completed(_Lenient):
    """An application was completed (办结); an approved one of a licence-producing item issues it."""

    application_id: str
    application_no: str
    item_code: str
    item_name: str
    owner_unit_code: str
    applicant_kind: str
    applicant_subject: str | None = None
    decision: str
    result_name: str | None = None
    completed_at: datetime
    # Not (yet) in intake's payload; read when present (see README, "needed from intake").
    enterprise_id: str | None = None
    result_number: str | None = None
    valid_until: date | None = None


class Revoked(_Lenient):
    """A decision made on commitment (告知承诺) was revoked after the post-check: what it issued is void."""

    application_id: str
    application_no: str
    revoked_at: datetime
    reason: str | None = None
    notice_no: str | None = None


class _Unit(_Lenient):
    code: str
    name: str


class _Result(_Lenient):
    name: str | None = None
    licence_type_code: str | None = None


class _Elements(_Lenient):
    name: str
    result: _Result = _Result()


class ItemPublished(_Lenient):
    """A catalogue item's version was published: its result's licence type, if any."""

    item_code: str
    version_no: int
    owner_unit: _Unit
    elements: _Elements


class UserRegistered(_Lenient):
    """A person (or staff account) registered at identity-svc."""

    account_id: str
    kind: str
    name: str
    resident_id_masked: str | None = None
    # HMAC-SHA256 of the resident ID under the secret shared with identity (ADR 0014); optional.
    resident_id_key: str | None = None


def parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """`data` as `model`, or PayloadRejected naming the unusable fields."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) + f" ({e['msg']})" for e in exc.errors())
        raise PayloadRejected(f"{model.__name__}: unusable fields: {fields}") from exc
