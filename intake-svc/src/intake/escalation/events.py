"""The reminder and escalation events intake-svc publishes (`intake.application.{reminded,escalated}.v1`).

Both carry the case facts every application event carries (`intake.events.CaseFacts`) and name
the people: a work-list or messaging service can tell each of them without asking intake.
`python -m intake.escalation.events` rewrites their committed schemas under `intake-svc/events/`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload

from ..events import CaseFacts

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "events"


class NamedStaff(BaseModel):
    """A staff member a reminder or escalation names."""

    model_config = ConfigDict(extra="forbid")

    staff_id: str = Field(description="The staff account id (identity-svc).")
    name: str | None = Field(description="姓名; null when identity has not published the account yet.")
    org_unit_code: str | None = Field(description="The unit they belong to (所属单位编码).")
    role: Literal["handler", "supervisor"] = Field(
        description="handler 承办人 (a 催办 reminder) or supervisor 督办人 (an escalation)."
    )


class ApplicationReminded(CaseFacts):
    """A 催办 reminder went to the person handling a case: its due date is close (once per due date)."""

    TYPE: ClassVar[str] = "intake.application.reminded"
    VERSION: ClassVar[int] = 1

    reminder_id: str
    unit_code: str = Field(description="The unit responsible for the next step.")
    remaining_working_days: int = Field(ge=0, description="Working days left before the due date.")
    recipients: list[NamedStaff] = Field(description="Who is reminded; empty when no one could be named.")
    message: str = Field(description="The 催办 text (Chinese).")
    status: str
    reminded_at: datetime


class ApplicationEscalated(CaseFacts):
    """A red case was escalated (督办): level 1 to its unit's supervisor, level 2 to the district
    supervision office (once per level and due date)."""

    TYPE: ClassVar[str] = "intake.application.escalated"
    VERSION: ClassVar[int] = 1

    escalation_id: str
    level: int = Field(ge=1, le=2, description="1 the deciding unit's supervisor, 2 the district office.")
    target: Literal["unit_supervisor", "district_office"]
    unit_code: str = Field(description="The unit whose supervisors are named.")
    fallback: bool = Field(
        description="True when the deciding unit and those above it have no supervisor, so the "
        "district office is named at level 1."
    )
    overdue_working_days: int = Field(ge=0, description="Working days past the due date.")
    recipients: list[NamedStaff] = Field(
        description="Who it is escalated to; empty when no one could be named."
    )
    message: str = Field(description="The 督办 text (Chinese).")
    status: str
    escalated_at: datetime


EVENTS: tuple[type[EventPayload], ...] = (ApplicationReminded, ApplicationEscalated)

#: The reminder and escalation events; intake's event tests list these with the others.
ESCALATION_EVENTS = EventCatalog(producer="intake", schema_dir=SCHEMA_DIR, events=EVENTS)

if __name__ == "__main__":
    ESCALATION_EVENTS.main()
