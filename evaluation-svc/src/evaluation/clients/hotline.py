"""hotline-svc's `hotline.ticket.*.v1` payloads → evaluation facts and indicator deltas.

Only this module knows hotline's field names (see hotline-svc/events/*.schema.json).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from . import PayloadRejected, month_of

DISPATCHED = "hotline.ticket.dispatched.v1"
RESPONDED = "hotline.ticket.responded.v1"
CALLED_BACK = "hotline.ticket.called_back.v1"
CLOSED = "hotline.ticket.closed.v1"
SUBJECTS = (DISPATCHED, RESPONDED, CALLED_BACK, CLOSED)
#: The events that move the response obligations 响应率 is read from (`services.hotline_responses`).
OBLIGATIONS = (DISPATCHED, RESPONDED)

#: The unit a ticket answered by the hotline itself counts for (no unit handled it).
HOTLINE_UNIT = "12345"

#: Closed tickets a person was actually served by (diverted or merged ones are not rated).
RATEABLE_CLOSE_REASONS = frozenset({"completed", "answered"})


class _Ticket(BaseModel):
    model_config = ConfigDict(extra="ignore")

    ticket_id: str
    number: str | None = None
    category_code: str | None = None
    lead_unit_code: str | None = None
    first_unit_code: str | None = None
    citizen_subject: str | None = None


class Dispatched(_Ticket):
    """A ticket was dispatched to a unit (派单): the unit owes the round's first contact."""

    unit_code: str
    round: int
    dispatched_at: datetime
    response_due_at: datetime


class Responded(_Ticket):
    """The unit contacted the person (响应)."""

    unit_code: str
    round: int
    responded_at: datetime
    response_due_at: datetime


class CalledBack(_Ticket):
    """The hotline called the person back (回访)."""

    unit_code: str
    resolved: bool
    satisfaction: str
    called_back_at: datetime


class Closed(_Ticket):
    """The ticket was closed."""

    close_reason: str
    closed_at: datetime


def _parse(model: type[_Ticket], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) + f" ({e['msg']})" for e in exc.errors())
        raise PayloadRejected(f"{model.__name__}: unusable fields: {fields}") from exc


def parse_obligation(subject: str, data: dict[str, Any]) -> Dispatched | Responded:
    """Validate a dispatched or responded payload (the response obligation it moves)."""
    return _parse(Dispatched if subject == DISPATCHED else Responded, data)  # type: ignore[no-any-return]


def parse_closed(data: dict[str, Any]) -> Closed:
    """Validate a `hotline.ticket.closed.v1` payload."""
    return _parse(Closed, data)  # type: ignore[no-any-return]


def service_fields(c: Closed) -> dict[str, Any] | None:
    """The rateable service event a closed ticket becomes (None when nobody was served)."""
    if c.close_reason not in RATEABLE_CLOSE_REASONS:
        return None
    return {
        "kind": "ticket",
        "source_id": c.ticket_id,
        "reference_no": c.number,
        "item_code": None,
        "item_name": None,
        "unit_code": c.lead_unit_code or c.first_unit_code or HOTLINE_UNIT,
        "window_code": None,
        "staff_id": None,
        "served_subject": c.citizen_subject,
        "served_at": c.closed_at,
    }


def counters(subject: str, data: dict[str, Any]) -> tuple[str, dict[str, str | None], dict[str, int]]:
    """(month, dimensions, counter increments) for one hotline event (counted per unit).

    Dispatches and responses move no counter: 响应率 is read from the response obligations they
    keep (`services.hotline_responses`), judged at read time as hotline-svc judges it.
    """
    if subject in OBLIGATIONS:
        _parse(Dispatched if subject == DISPATCHED else Responded, data)  # still refuse a bad payload
        return "", {}, {}
    if subject == CALLED_BACK:
        b = _parse(CalledBack, data)
        inc = {
            "tickets_called_back": 1,
            "tickets_resolved": int(b.resolved),
            "tickets_satisfied": int(b.satisfaction == "satisfied"),
        }
        return month_of(b.called_back_at), {"unit": b.unit_code}, inc
    c = parse_closed(data)
    return month_of(c.closed_at), {}, {}
