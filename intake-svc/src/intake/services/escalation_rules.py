"""What is due on a running case today (pure: no I/O, so each rule is tested on its own).

- 催办 (reminder, level 0): once the working days left before the due date are at most
  `reminder_working_days`, while the case is not yet red;
- 督办 to the unit (level 1): once the case is red (today after its due date);
- 督办 to the district office (level 2): once the case is still red `district_escalation_working_days`
  working days after the level-1 escalation.

Each is raised once per due date (its `cycle`): an extension or a pause that moves the due date
re-arms them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yiwang_shared.calendar import WorkingCalendar

from ..schemas.escalations import EscalationKind
from .escalation_settings import EscalationSettings


@dataclass(frozen=True)
class Due:
    """A reminder or escalation due on a case now."""

    kind: EscalationKind
    level: int
    working_days: int  # left before the due date (reminder) or past it (escalations)


def cycle_of(due_on: date) -> str:
    """The key a case's reminders and escalations are raised once under."""
    return due_on.isoformat()


def due_now(
    calendar: WorkingCalendar,
    today: date,
    due_on: date,
    settings: EscalationSettings,
    *,
    raised: set[str],
    unit_escalated_on: date | None,
) -> list[Due]:
    """The kinds due today and not yet `raised` for this due date, lowest level first."""
    out: list[Due] = []
    if today <= due_on:
        left = calendar.working_days_between(today, due_on)
        if left <= settings.reminder_working_days and "reminder" not in raised:
            out.append(Due("reminder", 0, left))
        return out
    overdue = max(0, calendar.working_days_between(due_on, today))
    if "unit_supervisor" not in raised:
        out.append(Due("unit_supervisor", 1, overdue))
        unit_escalated_on = today
    if (
        "district_office" not in raised
        and unit_escalated_on is not None
        and calendar.working_days_between(unit_escalated_on, today)
        >= settings.district_escalation_working_days
    ):
        out.append(Due("district_office", 2, overdue))
    return out
