"""The birthday pass (免申即享): running a day, the days passed, and redeeming a contact ticket."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.pagination import Page


class BirthdayPassCreate(BaseModel):
    """Run the birthday pass for one day now."""

    model_config = ConfigDict(extra="forbid")

    day: date = Field(description="The day (Beijing time) whose birthdays are published: today or before.")


class BirthdayPassRead(BaseModel):
    """One day the birthday pass went through (生日核查)."""

    day: date = Field(description="The day passed (Beijing time).")
    first_by: Literal["job", "admin"] = Field(
        description="Who passed it first: the daily job, or an administrator running it by hand."
    )
    persons: int = Field(description="Persons published as having reached an age that day (last run).")
    runs: int = Field(description="How often the day was passed: 1 by the daily job, more when run again.")
    first_passed_at: datetime
    last_passed_at: datetime


class BirthdayPassPage(Page[BirthdayPassRead]):
    """The days passed, newest first."""


class ContactTicketLookup(BaseModel):
    """A contact ticket from an event (identity.person.age_reached.v1 `contact_ticket`)."""

    model_config = ConfigDict(extra="forbid")

    ticket: str = Field(min_length=20, max_length=100, description="The ticket as the event carried it.")
