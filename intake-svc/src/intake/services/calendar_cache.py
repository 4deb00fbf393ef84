"""The working-day calendar, cached per database and reloaded only when the table changed.

Loading and parsing every holiday row costs a few milliseconds inside each write transaction; a
fingerprint (row count and latest update) costs one small query, so an administrator's edit is
still seen by the next request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar

from ..repositories.calendar import CalendarRepository

_CACHE: dict[str, tuple[Any, WorkingCalendar]] = {}
_MAX_DATABASES = 64


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
