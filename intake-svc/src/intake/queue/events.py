"""The queue events intake-svc publishes (`intake.queue_ticket.<event>.v1`), through the outbox.

None names a person: a ticket is a number at a hall; the appointment id links a checked-in booking.
`python -m intake.queue.events` rewrites their committed schemas under `intake-svc/events/`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "events"


class TicketFacts(EventPayload):
    """What every queue event carries about the ticket."""

    ticket_id: str
    ticket_no: str = Field(description="Number as shown and called (A001).")
    place_id: str
    place_code: str
    place_unit_code: str = Field(description="Org unit running the hall.")
    day: date = Field(description="Local day (Asia/Shanghai).")
    category_code: str
    item_code: str | None
    priority: bool = Field(description="A checked-in appointment (called before walk-ins).")
    channel: Literal["kiosk", "online", "appointment"]
    appointment_id: str | None
    taken_at: datetime
    wait_limit_minutes: int = Field(description="限时等候 in force when taken.")


class QueueTicketTaken(TicketFacts):
    """A number was taken (取号) at the kiosk or online, or issued at an appointment's check-in."""

    TYPE: ClassVar[str] = "intake.queue_ticket.taken"
    VERSION: ClassVar[int] = 1

    waiting_ahead: int = Field(ge=0, description="Numbers to be called before it when taken.")


class QueueTicketCalled(TicketFacts):
    """A window called the number (叫号), or called it again (重呼)."""

    TYPE: ClassVar[str] = "intake.queue_ticket.called"
    VERSION: ClassVar[int] = 1

    window_unit_code: str = Field(description="The window's org unit (e.g. 110105-ZWFW-W01).")
    window_number: str
    called_by: str = Field(description="The window clerk's account id.")
    called_at: datetime
    call_count: int = Field(ge=1, description="1 for the first call, more for 重呼.")
    wait_seconds: int = Field(ge=0, description="Taken → first called (等候时长).")
    over_limit: bool = Field(description="First called after its 限时等候.")


class QueueTicketCompleted(TicketFacts):
    """The window finished serving the number (办结)."""

    TYPE: ClassVar[str] = "intake.queue_ticket.completed"
    VERSION: ClassVar[int] = 1

    window_unit_code: str
    window_number: str
    staff_id: str
    completed_at: datetime
    wait_seconds: int = Field(ge=0)
    service_seconds: int = Field(ge=0, description="Called → completed.")


class QueueTicketNoShow(TicketFacts):
    """The number was called and nobody came (过号)."""

    TYPE: ClassVar[str] = "intake.queue_ticket.no_show"
    VERSION: ClassVar[int] = 1

    window_unit_code: str
    window_number: str
    staff_id: str
    marked_at: datetime
    call_count: int = Field(ge=1)


EVENTS: tuple[type[EventPayload], ...] = (
    QueueTicketTaken,
    QueueTicketCalled,
    QueueTicketCompleted,
    QueueTicketNoShow,
)

#: The queue events; committed next to intake's other schemas.
QUEUE_EVENTS = EventCatalog(producer="intake", schema_dir=SCHEMA_DIR, events=EVENTS)

if __name__ == "__main__":
    QUEUE_EVENTS.main()
