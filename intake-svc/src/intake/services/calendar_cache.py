"""The working-day calendar, cached per database and reloaded only when the table changed, and
kept on the session for the rest of its unit of work.

Loading and parsing every holiday row costs a few milliseconds inside each write transaction; a
fingerprint (row count and latest update) costs one small query, so an administrator's edit is
still seen by the next request. Within one unit of work (a request's session, or one
`Database.transaction()`: a new session each) the rules count on one calendar, loaded at most once:
`working_calendar(session)` keeps it in `session.info`, SQLAlchemy's place for per-session data.
intake never writes the calendar in a session that reads it (identity-svc edits it; intake's copy
is written by the calendar consumer in a transaction of its own), so the copy never goes stale
within its session.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar

from ..repositories.calendar import CalendarRepository

_CACHE: dict[str, tuple[Any, WorkingCalendar]] = {}
_MAX_DATABASES = 64
#: The key of the unit of work's calendar in `session.info`.
SESSION_KEY = "intake.working_calendar"


async def load_calendar(session: AsyncSession) -> WorkingCalendar:
    """The calendar as the database has it now."""
    days = CalendarRepository(session)
    fingerprint = await days.fingerprint()
    key = days.database_key
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    calendar = await days.load()
    if len(_CACHE) >= _MAX_DATABASES:
        _CACHE.clear()
    _CACHE[key] = (fingerprint, calendar)
    return calendar


async def working_calendar(session: AsyncSession) -> WorkingCalendar:
    """The calendar the session's unit of work counts on: loaded on first use, then kept."""
    kept = session.info.get(SESSION_KEY)
    if isinstance(kept, WorkingCalendar):
        return kept
    calendar = await load_calendar(session)
    session.info[SESSION_KEY] = calendar
    return calendar
