"""What every rule needs: the session, who acts, the time, the settings and the calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import WorkingCalendar, local_date

from ..config import Settings
from .calendar_cache import load_calendar

SYSTEM_ACTOR = "system"


@dataclass
class Ctx:
    """One unit of work: a session in one transaction, an actor (None: the system) and now."""

    session: AsyncSession
    actor: Principal | None
    now: datetime
    settings: Settings
    _calendar: WorkingCalendar | None = field(default=None, repr=False)

    @property
    def actor_id(self) -> str:
        """Who acts, for the trace and the records."""
        return self.actor.subject if self.actor is not None else SYSTEM_ACTOR

    @property
    def staff_id(self) -> str | None:
        """The acting staff member, if staff acts."""
        return self.actor.subject if self.actor is not None and self.actor.is_staff else None

    @property
    def today(self) -> date:
        """Today in Asia/Shanghai."""
        return local_date(self.now)

    async def calendar(self) -> WorkingCalendar:
        """The working-day calendar as the database has it (loaded once per unit of work)."""
        if self._calendar is None:
            self._calendar = await load_calendar(self.session)
        return self._calendar


@dataclass
class ActorCtx(Ctx):
    """A unit of work on someone's behalf: the actor is known (every route has one)."""

    actor: Principal
