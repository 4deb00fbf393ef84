"""intake-svc's `intake.application.*.v1` payloads → evaluation facts and indicator deltas.

Only this module knows intake's field names (see intake-svc/events/*.schema.json).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import PayloadRejected, month_of

SUBMITTED = "intake.application.submitted.v1"
COMPLETED = "intake.application.completed.v1"
DELIVERED = "intake.application.delivered.v1"
#: The events whose own payload moves counters (`counters` below).
SUBJECTS = (SUBMITTED, COMPLETED)


class _Case(BaseModel):
    model_config = ConfigDict(extra="ignore")

    application_id: str
    application_no: str | None = None
    item_code: str
    item_name: str | None = None
    owner_unit_code: str
    intake_unit_code: str | None = None
    channel: str | None = None
    online: bool = False
    staff_id: str | None = None
    applicant_subject: str | None = None  # the applicant's account id; without one, rating needs a code
    handling_type: str | None = None
    legal_limit_days: int | None = None
    promised_limit_days: int | None = None
    limit_unit: str | None = None
    visits: int = 0
    received_at: datetime


class Submitted(_Case):
    """An application was received (接件)."""

    resubmission: int = 0


class Completed(_Case):
    """An application was completed (办结)."""

    completed_at: datetime
    working_days_used: int | None = None


class Delivered(BaseModel):
    """The result was delivered (送达); the case's visits are final."""

    model_config = ConfigDict(extra="ignore")

    application_id: str
    delivery_mode: str
    delivered_at: datetime
    visits: int = Field(ge=0)  # the visits the delivery itself took (1: a window pickup)
    total_visits: int | None = Field(default=None, ge=0)  # every visit of the case


def _parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) + f" ({e['msg']})" for e in exc.errors())
        raise PayloadRejected(f"{model.__name__}: unusable fields: {fields}") from exc


def parse_submitted(data: dict[str, Any]) -> Submitted:
    """Validate an `intake.application.submitted.v1` payload."""
    return _parse(Submitted, data)  # type: ignore[no-any-return]


def parse_completed(data: dict[str, Any]) -> Completed:
    """Validate an `intake.application.completed.v1` payload."""
    return _parse(Completed, data)  # type: ignore[no-any-return]


def parse_delivered(data: dict[str, Any]) -> Delivered:
    """Validate an `intake.application.delivered.v1` payload."""
    return _parse(Delivered, data)  # type: ignore[no-any-return]


def delivery_visits(d: Delivered) -> tuple[int, int]:
    """(visits the delivery took, visits of the whole case).

    An older payload has no `total_visits`, and its `visits` is the running total,
    the window pickup included: the delivery's own is then 1 for a pickup, 0 otherwise.
    """
    if d.total_visits is not None:
        return d.visits, d.total_visits
    return int(d.delivery_mode == "window"), d.visits


def dims(case: _Case) -> dict[str, str | None]:
    """Which unit, window, staff member and item an application counts for."""
    return {
        "unit": case.owner_unit_code,
        "window": case.intake_unit_code if case.channel != "online" else None,
        "staff": case.staff_id,
        "item": case.item_code,
    }


def service_fields(c: Completed) -> dict[str, Any]:
    """The rateable service event a completed application becomes."""
    return {
        "kind": "application",
        "source_id": c.application_id,
        "reference_no": c.application_no,
        "item_code": c.item_code,
        "item_name": c.item_name,
        "unit_code": c.owner_unit_code,
        "window_code": dims(c)["window"],
        "staff_id": c.staff_id,
        "served_subject": c.applicant_subject,
        "served_at": c.completed_at,
        "visits": c.visits,
    }


def counters(subject: str, data: dict[str, Any]) -> tuple[str, dict[str, str | None], dict[str, int]]:
    """(month, dimensions, counter increments) for one intake event."""
    if subject == SUBMITTED:
        s = parse_submitted(data)
        inc: dict[str, int] = {}
        if s.resubmission == 0:
            inc = {"applied": 1, "online_applied": int(s.online)}
        return month_of(s.received_at), dims(s), inc
    c = parse_completed(data)
    inc = {
        "completed": 1,
        "on_the_spot": int(c.handling_type == "1"),
        "visits_sum": c.visits,
        "zero_visit": int(c.visits == 0),
    }
    if c.working_days_used is not None:
        inc["completion_days_sum"] = c.working_days_used
        inc["completion_timed"] = 1
    if c.legal_limit_days and c.promised_limit_days is not None and c.limit_unit != "hour":
        inc["legal_limit_sum"] = c.legal_limit_days
        inc["promised_limit_sum"] = c.promised_limit_days
    return month_of(c.completed_at), dims(c), inc
