"""The working-day calendar (工作日历): time limits count working days, not natural days.

The rule is Monday to Friday; the `calendar_days` table holds only the exceptions: statutory
holidays (法定节假日) that fall on weekdays and make-up working days (调休上班) on weekends. Each row
says where it comes from:

- 'package': seeded at every start from the maintained `chinesecalendar` package;
- 'import': a year's official arrangement (the State Council's annual notice, 国务院办公厅关于
  放假安排的通知), imported by an administrator at identity-svc; it replaces the whole year and a
  re-seed never touches an imported year;
- 'admin': one day set by an administrator at identity-svc; it wins and survives a re-seed.

identity-svc owns the calendar: edits and imports happen there and reach every other service's
table through `identity.calendar.changed.v1` (`yiwang_shared.calendar_sync`). A year is *covered*
when the package or an import has its arrangement; a count over an uncovered year assumes
Monday–Friday, which is wrong on its holidays, so callers flag it (`WorkingCalendar.is_covered`).

Counting (from the Administrative Licensing Law's practice): day 1 is the first working day
*after* the start date — the day of acceptance never counts, whether or not it is a working day.
Dates are taken in Asia/Shanghai; a naive datetime is read as UTC.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from types import MappingProxyType
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import chinese_calendar
import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from .db import SessionDep
from .i18n import TextError
from .orm import as_utc
from .pagination import Page, PageQuery, paginate
from .tables import calendar_days

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "SHANGHAI",
    "SOURCE_ADMIN",
    "SOURCE_IMPORT",
    "SOURCE_PACKAGE",
    "CalendarDate",
    "CalendarDayPage",
    "CalendarDayRead",
    "CalendarDayUpdate",
    "CalendarYearRead",
    "WorkingCalendar",
    "calendar_router",
    "covered_years",
    "import_calendar_year",
    "is_weekday",
    "list_calendar_days",
    "list_calendar_years",
    "local_date",
    "package_exceptions",
    "package_years",
    "seed_calendar",
    "set_calendar_day",
    "year_arrangement",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

SOURCE_PACKAGE = "package"
SOURCE_IMPORT = "import"
SOURCE_ADMIN = "admin"

#: Years the API accepts and `package_years` probes.
MIN_YEAR = 1990
MAX_YEAR = 2100
#: Largest |n| the API accepts for add_working_days.
MAX_DAYS = 1000

_ONE_DAY = timedelta(days=1)
_CHINESE_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}


def local_date(value: date | datetime) -> date:
    """The calendar date in Asia/Shanghai (a naive datetime is taken as UTC; a date as is)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(SHANGHAI).date()
    return value


def is_weekday(day: date) -> bool:
    """The Monday–Friday rule, before exceptions."""
    return day.weekday() < 5


# --- the package --------------------------------------------------------------------------


def _package_is_workday(day: date) -> bool | None:
    """What the package says about `day`; None when it does not cover that year."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@cache
def _package_years() -> tuple[int, ...]:
    # The installed package does not change while the process runs: probe it once.
    return tuple(y for y in range(MIN_YEAR, MAX_YEAR + 1) if _package_is_workday(date(y, 1, 1)) is not None)


def package_years() -> list[int]:
    """The years the installed `chinesecalendar` package covers."""
    return list(_package_years())


def package_exceptions(year: int) -> dict[date, tuple[bool, str | None]] | None:
    """The package's exceptions to Monday–Friday in `year`: {day: (is_working_day, name)}.

    None when the package does not cover `year`. Names are Chinese: "国庆节" for a holiday,
    "国庆节调休上班" for a make-up working day.
    """
    found = _package_exceptions(year)
    return None if found is None else dict(found)


@cache
def _package_exceptions(year: int) -> dict[date, tuple[bool, str | None]] | None:
    # Computed once per process: the package is fixed while it runs, and asking it about every
    # day of every year it covers cost a quarter of a second at each service start.
    if _package_is_workday(date(year, 1, 1)) is None:
        return None
    out: dict[date, tuple[bool, str | None]] = {}
    day = date(year, 1, 1)
    while day.year == year:
        working = bool(chinese_calendar.is_workday(day))
        if working != is_weekday(day):
            _, english = chinese_calendar.get_holiday_detail(day)
            name = _CHINESE_NAMES.get(english, english) if english else None
            if name and working:
                name += "调休上班"
            out[day] = (working, name)
        day += _ONE_DAY
    return out


# --- the in-memory calendar ---------------------------------------------------------------


def _weekdays_through(day: date) -> int:
    """Monday–Friday days from 0001-01-01 (a Monday) through `day` inclusive."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class WorkingCalendar:
    """An immutable view of the working days: Monday–Friday plus the exceptions it was given.

    It also knows which years have an official arrangement (`covered_years`: by default the
    years the package covers), so a caller can tell a count it can trust from one that assumed
    Monday–Friday for a year nobody has entered yet.
    """

    __slots__ = ("_covered", "_exceptions", "_shift_days", "_shifts")

    _covered: frozenset[int]
    _exceptions: Mapping[date, bool]
    _shift_days: tuple[date, ...]
    _shifts: tuple[int, ...]

    def __init__(
        self, exceptions: Mapping[date, bool] | None = None, *, covered_years: Iterable[int] | None = None
    ) -> None:
        exc = {d: bool(w) for d, w in (exceptions or {}).items()}
        # Only the days that differ from Monday–Friday matter when counting: +1 or -1 each.
        changed = sorted(d for d, w in exc.items() if w != is_weekday(d))
        covered = _package_years() if covered_years is None else covered_years
        object.__setattr__(self, "_covered", frozenset(covered))
        object.__setattr__(self, "_exceptions", MappingProxyType(exc))
        object.__setattr__(self, "_shift_days", tuple(changed))
        object.__setattr__(self, "_shifts", tuple(1 if exc[d] else -1 for d in changed))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("WorkingCalendar is immutable")

    def __repr__(self) -> str:
        return f"WorkingCalendar({len(self._exceptions)} exceptions)"

    @classmethod
    async def load(cls, session: AsyncSession) -> WorkingCalendar:
        """The calendar as the database has it now (covered: the package's years and imported ones)."""
        rows = await session.execute(
            sa.select(calendar_days.c.day, calendar_days.c.is_working_day, calendar_days.c.source)
        )
        exceptions: dict[date, bool] = {}
        imported: set[int] = set()
        for day, working, source in rows:
            d = _as_date(day)
            exceptions[d] = bool(working)
            if source == SOURCE_IMPORT:
                imported.add(d.year)
        return cls(exceptions, covered_years=imported.union(_package_years()))

    @property
    def exceptions(self) -> Mapping[date, bool]:
        """The exceptions this calendar holds (read-only)."""
        return self._exceptions

    @property
    def covered_years(self) -> frozenset[int]:
        """The years with an official arrangement (the package's, or an imported notice)."""
        return self._covered

    def is_covered(self, day: date | datetime) -> bool:
        """True if the year of `day` (in Asia/Shanghai) has an official arrangement.

        False means its holidays are unknown: counting over it assumes Monday–Friday.
        """
        return local_date(day).year in self._covered

    def uncovered_years(self, start: date | datetime, end: date | datetime) -> list[int]:
        """The years from `start` to `end` (either order, Asia/Shanghai) with no official arrangement."""
        a, b = sorted((local_date(start).year, local_date(end).year))
        return [y for y in range(a, b + 1) if y not in self._covered]

    def is_working_day(self, day: date | datetime) -> bool:
        """True if `day` (in Asia/Shanghai) is a working day."""
        d = local_date(day)
        return self._exceptions.get(d, is_weekday(d))

    def add_working_days(self, start: date | datetime, n: int) -> date:
        """The n-th working day after `start` (before it when n < 0); `start` itself never counts."""
        day = local_date(start)
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self._exceptions.get(day, is_weekday(day)):
                remaining -= 1
        return day

    def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
        """Working days in (start, end]; negative when end is before start."""
        a, b = local_date(start), local_date(end)
        if b < a:
            return -self.working_days_between(b, a)
        count = _weekdays_through(b) - _weekdays_through(a)
        lo = bisect.bisect_right(self._shift_days, a)
        hi = bisect.bisect_right(self._shift_days, b)
        return count + sum(self._shifts[lo:hi])

    def deadline_instant(self, start: date | datetime, n: int) -> datetime:
        """The end (23:59:59.999999, Asia/Shanghai) of the n-th working day after `start`."""
        return datetime.combine(self.add_working_days(start, n), time.max, tzinfo=SHANGHAI)


# --- the table ----------------------------------------------------------------------------


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value  # type: ignore[no-any-return]


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite without type affinity hands back text
        return datetime.fromisoformat(value)
    return value  # type: ignore[no-any-return]


def _year_clause(year: int) -> sa.ColumnElement[bool]:
    return sa.and_(calendar_days.c.day >= date(year, 1, 1), calendar_days.c.day < date(year + 1, 1, 1))


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _insert(session: AsyncSession) -> Any:
    """An INSERT for calendar_days that supports ON CONFLICT on SQLite and PostgreSQL."""
    name = _dialect(session)
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(calendar_days)
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(calendar_days)
    return None


async def seed_calendar(session: AsyncSession, years: Iterable[int] | None = None) -> int:
    """Write the package's exceptions for `years` (default: every year it covers).

    Rows an administrator set are never touched; package rows are brought in line with the
    installed package (inserted, corrected or removed). Years the package does not cover are
    skipped, and so are years with an imported arrangement (the import is the whole year).
    Idempotent; returns the number of rows inserted, updated or deleted.
    """
    wanted = sorted(set(years)) if years is not None else package_years()
    now = datetime.now(UTC)
    changed = 0
    for year in wanted:
        package = package_exceptions(year)
        if package is None:
            continue
        result = await session.execute(
            sa.select(
                calendar_days.c.day,
                calendar_days.c.is_working_day,
                calendar_days.c.name,
                calendar_days.c.source,
            ).where(_year_clause(year))
        )
        existing = {_as_date(r.day): r for r in result}
        if any(r.source == SOURCE_IMPORT for r in existing.values()):
            continue
        new_rows = []
        for day, (working, name) in sorted(package.items()):
            row = existing.get(day)
            if row is None:
                new_rows.append(
                    {
                        "day": day,
                        "is_working_day": working,
                        "name": name,
                        "source": SOURCE_PACKAGE,
                        "updated_at": now,
                    }
                )
            elif row.source == SOURCE_PACKAGE and (bool(row.is_working_day), row.name) != (
                working,
                name,
            ):
                await session.execute(
                    sa.update(calendar_days)
                    .where(calendar_days.c.day == day, calendar_days.c.source == SOURCE_PACKAGE)
                    .values(is_working_day=working, name=name, updated_at=now)
                )
                changed += 1
        stale = [d for d, r in existing.items() if r.source == SOURCE_PACKAGE and d not in package]
        if stale:
            await session.execute(
                sa.delete(calendar_days).where(
                    calendar_days.c.day.in_(stale), calendar_days.c.source == SOURCE_PACKAGE
                )
            )
            changed += len(stale)
        if new_rows:
            stmt = _insert(session)
            if stmt is not None:
                # A concurrent seeder (another replica) may have inserted the same day: fine.
                stmt = stmt.on_conflict_do_nothing(index_elements=[calendar_days.c.day])
            else:
                stmt = sa.insert(calendar_days)
            await session.execute(stmt, new_rows)
            changed += len(new_rows)
    return changed


async def _year_imported(session: AsyncSession, year: int) -> bool:
    found = await session.execute(
        sa.select(calendar_days.c.day)
        .where(_year_clause(year), calendar_days.c.source == SOURCE_IMPORT)
        .limit(1)
    )
    return found.first() is not None


async def set_calendar_day(
    session: AsyncSession,
    day: date,
    *,
    is_working_day: bool,
    name: str | None,
    at: datetime | None = None,
) -> None:
    """Administrator's override for one day (source 'admin'); it wins over the package.

    Setting a day back to the Monday–Friday rule with no name removes the row, unless the
    package says otherwise for that day in a year no import covers: then an admin row is kept,
    or a re-seed would bring the package's value back. `at` is when the change was made (now
    by default); it becomes the row's `updated_at`.
    """
    clean_name = (name or "").strip() or None
    default = is_weekday(day)
    if (
        is_working_day == default
        and clean_name is None
        and (_package_is_workday(day) in (None, default) or await _year_imported(session, day.year))
    ):
        await session.execute(sa.delete(calendar_days).where(calendar_days.c.day == day))
        return
    values = {
        "is_working_day": is_working_day,
        "name": clean_name,
        "source": SOURCE_ADMIN,
        "updated_at": at or datetime.now(UTC),
    }
    stmt = _insert(session)
    if stmt is not None:
        stmt = stmt.values(day=day, **values).on_conflict_do_update(
            index_elements=[calendar_days.c.day], set_=values
        )
        await session.execute(stmt)
        return
    updated = await session.execute(
        sa.update(calendar_days).where(calendar_days.c.day == day).values(**values)
    )
    if not getattr(updated, "rowcount", 0):
        await session.execute(sa.insert(calendar_days).values(day=day, **values))


def _check_arrangement(year: int, days: Mapping[date, tuple[bool, str | None]]) -> None:
    outside = ", ".join(d.isoformat() for d in sorted(days) if d.year != year)
    if outside:
        raise TextError(f"以下日期不在 {year} 年：{outside}", f"days outside {year}: {outside}")


async def import_calendar_year(
    session: AsyncSession,
    year: int,
    days: Mapping[date, tuple[bool, str | None]],
    *,
    at: datetime,
) -> int:
    """Replace what is recorded for `year` with its official arrangement (source 'import').

    `days` are the year's exceptions to Monday–Friday, {day: (is_working_day, name)}. Every row
    of the year not newer than `at` goes (the package's, an earlier import's, an administrator's);
    a day an administrator set after `at` keeps that setting. An arrangement older than the one
    already imported for the year changes nothing (an event delivered late). Returns the number
    of rows written or removed.
    """
    _check_arrangement(year, days)
    at = as_utc(at)
    result = await session.execute(
        sa.select(calendar_days.c.day, calendar_days.c.source, calendar_days.c.updated_at).where(
            _year_clause(year)
        )
    )
    existing = {_as_date(r.day): (r.source, as_utc(_as_datetime(r.updated_at))) for r in result}
    if any(src == SOURCE_IMPORT and when > at for src, when in existing.values()):
        return 0
    newer = {d for d, (src, when) in existing.items() if src == SOURCE_ADMIN and when > at}
    stale = [d for d in existing if d not in newer]
    if stale:
        await session.execute(sa.delete(calendar_days).where(calendar_days.c.day.in_(stale)))
    rows = [
        {
            "day": d,
            "is_working_day": bool(w),
            "name": (n or "").strip() or None,
            "source": SOURCE_IMPORT,
            "updated_at": at,
        }
        for d, (w, n) in sorted(days.items())
        if d not in newer
    ]
    if rows:
        await session.execute(sa.insert(calendar_days), rows)
    return len(stale) + len(rows)


async def year_arrangement(session: AsyncSession, year: int) -> dict[date, tuple[bool, str | None, str]]:
    """The rows stored for `year`: {day: (is_working_day, name, source)}."""
    result = await session.execute(
        sa.select(
            calendar_days.c.day, calendar_days.c.is_working_day, calendar_days.c.name, calendar_days.c.source
        ).where(_year_clause(year))
    )
    return {_as_date(r.day): (bool(r.is_working_day), r.name, r.source) for r in result}


async def covered_years(session: AsyncSession) -> frozenset[int]:
    """The years with an official arrangement: the package's and those imported."""
    result = await session.execute(
        sa.select(calendar_days.c.day).where(calendar_days.c.source == SOURCE_IMPORT)
    )
    return frozenset(_as_date(day).year for (day,) in result).union(_package_years())


async def list_calendar_days(session: AsyncSession, year: int) -> list[dict[str, Any]]:
    """The exceptions stored for `year`, by day: day, is_working_day, name, source, updated_at."""
    result = await session.execute(
        sa.select(
            calendar_days.c.day,
            calendar_days.c.is_working_day,
            calendar_days.c.name,
            calendar_days.c.source,
            calendar_days.c.updated_at,
        )
        .where(_year_clause(year))
        .order_by(calendar_days.c.day)
    )
    out = []
    for r in result:
        updated = r.updated_at
        if isinstance(updated, datetime) and updated.tzinfo is None:
            updated = updated.replace(tzinfo=UTC)  # SQLite drops the zone; we always write UTC
        out.append(
            {
                "day": _as_date(r.day),
                "is_working_day": bool(r.is_working_day),
                "name": r.name,
                "source": r.source,
                "updated_at": updated,
            }
        )
    return out


async def list_calendar_years(session: AsyncSession, *, today: date | None = None) -> list[dict[str, Any]]:
    """Every year the calendar knows, newest first, with its coverage and what is stored for it.

    The years are those the package covers, those with rows, and this year and next (Asia/Shanghai)
    even when nothing is known about them: an uncovered next year is what an administrator must see.
    """
    today = today or local_date(datetime.now(UTC))
    result = await session.execute(
        sa.select(
            calendar_days.c.day,
            calendar_days.c.is_working_day,
            calendar_days.c.source,
            calendar_days.c.updated_at,
        )
    )
    package = set(_package_years())
    stats: dict[int, dict[str, Any]] = {}

    def entry(year: int) -> dict[str, Any]:
        return stats.setdefault(
            year,
            {
                "year": year,
                "holidays": 0,
                "make_up_days": 0,
                "admin_days": 0,
                "imported": False,
                "updated_at": None,
            },
        )

    for year in (*package, today.year, today.year + 1):
        entry(year)
    for r in result:
        day = _as_date(r.day)
        row = entry(day.year)
        row["make_up_days" if r.is_working_day else "holidays"] += 1
        if r.source == SOURCE_ADMIN:
            row["admin_days"] += 1
        if r.source == SOURCE_IMPORT:
            row["imported"] = True
        if r.source != SOURCE_PACKAGE:
            when = as_utc(_as_datetime(r.updated_at))
            row["updated_at"] = max(row["updated_at"] or when, when)
    out = []
    for year in sorted(stats, reverse=True):
        row = stats[year]
        imported = row.pop("imported")
        covered_by = SOURCE_IMPORT if imported else SOURCE_PACKAGE if year in package else None
        out.append({**row, "covered": covered_by is not None, "covered_by": covered_by})
    return out


# --- HTTP ---------------------------------------------------------------------------------


def _check_year(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise TextError(
            f"日期应在 {MIN_YEAR}-{MAX_YEAR} 年之间，现为 {value.isoformat()}",
            f"the date must be in the years {MIN_YEAR}-{MAX_YEAR}, got {value.isoformat()}",
        )
    return value


def _parse_instant(value: Any) -> Any:
    """One clear error for a bad date or date-time (not one per member of the union)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise TextError(
            f"{value!r} 不是有效日期：请用 YYYY-MM-DD（如 2026-09-30）"
            "或 ISO 8601 日期时间（如 2026-09-30T16:00:00+08:00）",
            f"{value!r} is not a real date: use YYYY-MM-DD (e.g. 2026-09-30) "
            "or an ISO 8601 date-time (e.g. 2026-09-30T16:00:00+08:00)",
        ) from None


def _check_instant_year(value: date | datetime) -> date | datetime:
    _check_year(local_date(value))
    return value


CalendarDate = Annotated[date, AfterValidator(_check_year)]
CalendarInstant = Annotated[
    datetime | date, BeforeValidator(_parse_instant), AfterValidator(_check_instant_year)
]


class CalendarDayRead(BaseModel):
    """One day's entry in the calendar."""

    day: date
    is_working_day: bool = Field(description="True for a working day (工作日)")
    name: Annotated[str | None, Field(description="Holiday name, e.g. 国庆节 or 国庆节调休上班")] = None
    source: Literal["package", "import", "admin", "weekday"] = Field(
        description="Where the value comes from: the holiday package, an imported official "
        "arrangement (国务院办公厅放假安排), an administrator, or the Monday–Friday rule"
    )
    updated_at: datetime | None = None


class CalendarDayPage(Page[CalendarDayRead]):
    """A page of calendar days."""


class CalendarYearRead(BaseModel):
    """A year of the calendar and whether its official holiday arrangement is known (覆盖情况)."""

    year: int = Field(description="Calendar year, e.g. 2027")
    covered: bool = Field(
        description="True when the year's official arrangement is known (the package or an import); "
        "false: counts over it assume Monday–Friday"
    )
    covered_by: Literal["package", "import"] | None = Field(
        description="What covers it: the holiday package or an imported notice; null when nothing does"
    )
    holidays: int = Field(ge=0, description="Weekdays off (法定节假日) recorded for the year")
    make_up_days: int = Field(ge=0, description="Weekend days worked (调休上班) recorded for the year")
    admin_days: int = Field(ge=0, description="Of those, days an administrator set one by one")
    updated_at: datetime | None = Field(
        default=None, description="Last import or administrator's edit of the year; null if none"
    )


class CalendarYearPage(Page[CalendarYearRead]):
    """A page of calendar years, newest first."""


class CalendarDayUpdate(BaseModel):
    """An administrator's setting for one day."""

    model_config = ConfigDict(extra="forbid")

    is_working_day: bool = Field(description="True to make the day a working day")
    name: Annotated[str | None, Field(max_length=100, description="Holiday name, e.g. 国庆节")] = None


class WorkingDateRead(BaseModel):
    """The n-th working day after a start date."""

    start: date = Field(description="The date counted from (Asia/Shanghai); it never counts itself")
    days: int
    result: date = Field(description="The n-th working day after start")
    deadline: datetime = Field(description="End of that day, 23:59:59.999999 Asia/Shanghai")


class WorkingDaysCountRead(BaseModel):
    """How many working days lie after one date up to and including another."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: date = Field(
        alias="from", description="The date counted from (Asia/Shanghai); it never counts itself"
    )
    to: date = Field(description="The last date counted")
    working_days: int = Field(description="Working days (工作日) after `from` up to and including `to`")


def calendar_router() -> APIRouter:
    """Routes under /v1/calendar to read the calendar and count working days (anyone).

    Edits are identity-svc's (`PUT /v1/calendar/days/{day}`, `POST /v1/calendar/years/{year}/import`),
    the calendar's one owner; every service's table follows it by event.
    """
    router = APIRouter(prefix="/v1/calendar", tags=["calendar"])

    @router.get("/days", response_model=CalendarDayPage)
    async def calendar_days_list(
        session: SessionDep,
        year: Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Calendar year, e.g. 2026")],
        page: PageQuery,
    ) -> dict[str, Any]:
        """The exceptions to Monday–Friday in a year: holidays and make-up working days."""
        return paginate(await list_calendar_days(session, year), page)

    @router.get("/years", response_model=CalendarYearPage)
    async def calendar_years_list(session: SessionDep, page: PageQuery) -> dict[str, Any]:
        """The years the calendar knows, newest first, and whether each one's arrangement is known."""
        return paginate(await list_calendar_years(session), page)

    @router.get("/add", response_model=WorkingDateRead)
    async def calendar_working_days_add(
        session: SessionDep,
        start: Annotated[
            CalendarInstant,
            Query(description="Start date (or instant); day 1 is the next working day"),
        ],
        days: Annotated[int, Query(ge=-MAX_DAYS, le=MAX_DAYS, description="Working days to add")],
    ) -> WorkingDateRead:
        """The date and deadline `days` working days after `start` (e.g. a promised completion date)."""
        cal = await WorkingCalendar.load(session)
        return WorkingDateRead(
            start=local_date(start),
            days=days,
            result=cal.add_working_days(start, days),
            deadline=cal.deadline_instant(start, days),
        )

    @router.get("/between", response_model=WorkingDaysCountRead)
    async def calendar_working_days_between(
        session: SessionDep,
        from_: Annotated[
            CalendarInstant, Query(alias="from", description="The date counted from (not counted)")
        ],
        to: Annotated[CalendarInstant, Query(description="The last date counted")],
    ) -> WorkingDaysCountRead:
        """Working days after `from` up to and including `to` (negative if `to` is earlier)."""
        cal = await WorkingCalendar.load(session)
        count = cal.working_days_between(from_, to)
        return WorkingDaysCountRead.model_validate(
            {"from": local_date(from_), "to": local_date(to), "working_days": count}
        )

    return router
