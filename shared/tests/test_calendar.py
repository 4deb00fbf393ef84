"""The working-day calendar: package data for 2024–2026, counting rules, the table, the routes."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import chinese_calendar
import httpx
import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from fastapi import FastAPI

from yiwang_shared.app import operation_id
from yiwang_shared.calendar import (
    SHANGHAI,
    WorkingCalendar,
    calendar_router,
    covered_years,
    import_calendar_year,
    list_calendar_days,
    list_calendar_years,
    local_date,
    package_exceptions,
    package_years,
    seed_calendar,
    set_calendar_day,
    year_arrangement,
)
from yiwang_shared.db import Database
from yiwang_shared.errors import install_error_handlers
from yiwang_shared.tables import calendar_days, create_infra_tables_v1

D = date.fromisoformat


def _package_calendar(years: range = range(2024, 2027)) -> WorkingCalendar:
    exceptions: dict[date, bool] = {}
    for year in years:
        found = package_exceptions(year)
        assert found is not None, year
        exceptions.update({d: w for d, (w, _) in found.items()})
    return WorkingCalendar(exceptions)


CAL = _package_calendar()
LAST_PACKAGE_YEAR = max(package_years())


# --- what the package says (checked against the State Council notices) --------------------


def test_package_covers_2024_to_2026() -> None:
    years = package_years()
    assert {2024, 2025, 2026} <= set(years)
    assert years == list(range(min(years), max(years) + 1))
    assert package_exceptions(LAST_PACKAGE_YEAR + 1) is None


def test_national_day_2024() -> None:
    # 国办发明电〔2023〕7号: 10-01..07 off; Sunday 09-29 and Saturday 10-12 worked.
    for d in range(1, 8):
        assert not CAL.is_working_day(date(2024, 10, d))
    assert CAL.is_working_day(D("2024-09-29")) and D("2024-09-29").weekday() == 6
    assert CAL.is_working_day(D("2024-10-12")) and D("2024-10-12").weekday() == 5
    assert not CAL.is_working_day(D("2024-10-13"))  # an ordinary Sunday
    assert CAL.is_working_day(D("2024-10-08"))
    exc = package_exceptions(2024)
    assert exc is not None
    assert exc[D("2024-10-01")] == (False, "国庆节")
    assert exc[D("2024-09-29")] == (True, "国庆节调休上班")
    # Only exceptions: the weekend days inside the holiday are not rows.
    assert D("2024-10-05") not in exc and D("2024-10-06") not in exc


def test_spring_festival_2025() -> None:
    # 国办发明电〔2024〕12号: 01-28..02-04 off; Sunday 01-26 and Saturday 02-08 worked.
    day = D("2025-01-28")
    while day <= D("2025-02-04"):
        assert not CAL.is_working_day(day), day
        day += timedelta(days=1)
    assert CAL.is_working_day(D("2025-01-26"))
    assert CAL.is_working_day(D("2025-02-08"))
    assert CAL.is_working_day(D("2025-02-05"))


def test_holidays_2026() -> None:
    # 国办发明电〔2025〕7号, as the package has it.
    for iso in ("2026-01-01", "2026-01-02", "2026-02-16", "2026-02-23", "2026-10-01", "2026-10-07"):
        assert not CAL.is_working_day(D(iso)), iso
    for iso in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"):
        assert CAL.is_working_day(D(iso)), iso
        assert D(iso).weekday() >= 5


# --- counting rules -----------------------------------------------------------------------


def test_add_working_days_across_golden_week_2024() -> None:
    start = D("2024-09-30")  # Monday, the last working day before the holiday
    assert CAL.add_working_days(start, 0) == start
    assert CAL.add_working_days(start, 1) == D("2024-10-08")
    assert CAL.add_working_days(start, 5) == D("2024-10-12")  # the make-up Saturday counts
    assert CAL.add_working_days(start, 6) == D("2024-10-14")


def test_acceptance_day_never_counts() -> None:
    # Accepted on a Saturday before a make-up Sunday: day 1 is that Sunday.
    assert CAL.add_working_days(D("2024-09-28"), 1) == D("2024-09-29")
    assert CAL.add_working_days(D("2024-09-28"), 3) == D("2024-10-08")
    # Accepted on a holiday: day 1 is the first working day after it.
    assert CAL.add_working_days(D("2024-10-03"), 1) == D("2024-10-08")
    assert CAL.add_working_days(D("2024-10-03"), 0) == D("2024-10-03")
    # Accepted on a working day: the next working day is day 1.
    assert CAL.add_working_days(D("2024-10-08"), 1) == D("2024-10-09")


def test_spring_festival_2025_counting() -> None:
    assert CAL.add_working_days(D("2025-01-24"), 1) == D("2025-01-26")  # Sunday worked
    assert CAL.add_working_days(D("2025-01-24"), 2) == D("2025-01-27")
    assert CAL.add_working_days(D("2025-01-24"), 3) == D("2025-02-05")
    # The default legal limit: 20 working days from acceptance on 2025-01-20.
    # 01-21..24 (4), Sun 01-26 (5), 01-27 (6), 02-05..07 (9), Sat 02-08 (10), then 10 more.
    assert CAL.add_working_days(D("2025-01-20"), 20) == D("2025-02-21")


def test_negative_days_count_backwards() -> None:
    assert CAL.add_working_days(D("2024-10-08"), -1) == D("2024-09-30")
    assert CAL.add_working_days(D("2024-10-08"), -3) == D("2024-09-27")


def test_add_working_days_matches_the_packages_own_counter() -> None:
    rng = random.Random(2024)
    for _ in range(400):
        start = D("2024-01-01") + timedelta(days=rng.randrange(900))
        n = rng.randint(1, 60)
        # find_workday(k, d) is the k-th working day counting d itself as day 0 if it works.
        expected = chinese_calendar.find_workday(n - 1, start + timedelta(days=1))
        assert CAL.add_working_days(start, n) == expected, (start, n)
        assert CAL.add_working_days(start, -n) == chinese_calendar.find_workday(-n, start)


def test_working_days_between() -> None:
    assert CAL.working_days_between(D("2024-09-30"), D("2024-10-12")) == 5
    assert CAL.working_days_between(D("2024-09-27"), D("2024-10-08")) == 3  # 09-29, 09-30, 10-08
    assert CAL.working_days_between(D("2024-10-08"), D("2024-09-27")) == -3
    assert CAL.working_days_between(D("2024-10-01"), D("2024-10-07")) == 0
    assert CAL.working_days_between(D("2024-10-03"), D("2024-10-03")) == 0
    assert CAL.working_days_between(D("2025-01-01"), D("2025-12-31")) == sum(
        chinese_calendar.is_workday(D("2025-01-01") + timedelta(days=i)) for i in range(1, 365)
    )


def test_between_and_add_agree_and_match_a_day_by_day_count() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a = D("2023-06-01") + timedelta(days=rng.randrange(1400))
        b = a + timedelta(days=rng.randint(-120, 120))
        lo, hi = min(a, b), max(a, b)
        brute = sum(CAL.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
        assert CAL.working_days_between(a, b) == (brute if b >= a else -brute)
        n = rng.randint(1, 200)
        assert CAL.working_days_between(a, CAL.add_working_days(a, n)) == n


def test_datetimes_are_taken_in_shanghai_and_naive_ones_as_utc() -> None:
    # 2024-09-30 17:00 UTC is already 10-01 01:00 in Shanghai, a holiday.
    late = datetime(2024, 9, 30, 17, 0, tzinfo=UTC)
    assert local_date(late) == D("2024-10-01")
    assert CAL.add_working_days(late, 0) == D("2024-10-01")
    assert not CAL.is_working_day(late)
    assert local_date(datetime(2024, 9, 30, 16, 30)) == D("2024-10-01")  # naive = UTC
    assert local_date(datetime(2024, 9, 30, 15, 59)) == D("2024-09-30")
    assert local_date(datetime(2024, 10, 1, 1, 0, tzinfo=timezone(timedelta(hours=8)))) == D("2024-10-01")
    assert local_date(datetime(2024, 9, 30, 12, 0, tzinfo=timezone(timedelta(hours=-10)))) == D("2024-10-01")
    assert CAL.working_days_between(late, datetime(2024, 10, 8, 1, 0, tzinfo=SHANGHAI)) == 1


def test_deadline_instant_is_the_end_of_the_day_in_shanghai() -> None:
    deadline = CAL.deadline_instant(D("2026-09-30"), 5)
    assert deadline == datetime(2026, 10, 13, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert deadline.utcoffset() == timedelta(hours=8)
    assert deadline.astimezone(UTC) == datetime(2026, 10, 13, 15, 59, 59, 999999, tzinfo=UTC)


def test_a_year_beyond_the_package_counts_monday_to_friday() -> None:
    year = LAST_PACKAGE_YEAR + 3
    oct1 = date(year, 10, 1)
    assert CAL.is_working_day(oct1) == (oct1.weekday() < 5)
    friday = date(year, 1, 7)
    while friday.weekday() != 4:
        friday += timedelta(days=1)
    assert CAL.add_working_days(friday, 1) == friday + timedelta(days=3)
    assert CAL.add_working_days(friday, 5) == friday + timedelta(days=7)
    assert CAL.working_days_between(friday, friday + timedelta(days=28)) == 20


def test_empty_calendar_and_long_counts() -> None:
    cal = WorkingCalendar()
    assert cal.add_working_days(D("2024-10-01"), 1) == D("2024-10-02")  # no holidays known
    assert CAL.add_working_days(D("2024-01-02"), 1000) > D("2027-01-01")
    assert CAL.working_days_between(D("2024-01-02"), CAL.add_working_days(D("2024-01-02"), 1000)) == 1000


def test_calendar_is_immutable() -> None:
    source = {D("2024-10-01"): False}
    cal = WorkingCalendar(source)
    source[D("2024-10-02")] = False  # the caller's dict is copied
    assert cal.is_working_day(D("2024-10-02"))
    with pytest.raises(AttributeError):
        cal._exceptions = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        cal.exceptions[D("2024-10-03")] = False  # type: ignore[index]


def test_covered_years_are_the_packages_unless_given() -> None:
    cal = WorkingCalendar()
    assert cal.covered_years == frozenset(package_years())
    assert cal.is_covered(date(LAST_PACKAGE_YEAR, 6, 1))
    assert not cal.is_covered(date(LAST_PACKAGE_YEAR + 1, 1, 1))
    # 31 December 17:00 UTC is already 1 January in Beijing: the next year's question.
    assert not cal.is_covered(datetime(LAST_PACKAGE_YEAR, 12, 31, 17, tzinfo=UTC))
    assert cal.uncovered_years(date(LAST_PACKAGE_YEAR, 12, 31), date(LAST_PACKAGE_YEAR + 1, 1, 4)) == [
        LAST_PACKAGE_YEAR + 1
    ]
    assert cal.uncovered_years(date(LAST_PACKAGE_YEAR + 2, 3, 1), date(LAST_PACKAGE_YEAR, 3, 1)) == [
        LAST_PACKAGE_YEAR + 1,
        LAST_PACKAGE_YEAR + 2,
    ]
    assert cal.uncovered_years(date(LAST_PACKAGE_YEAR, 1, 5), date(LAST_PACKAGE_YEAR, 3, 1)) == []
    given = WorkingCalendar({}, covered_years=[2030])
    assert given.is_covered(date(2030, 5, 1)) and not given.is_covered(date(LAST_PACKAGE_YEAR, 5, 1))


# --- the table ----------------------------------------------------------------------------


def _create_tables(sync_conn: sa.Connection) -> None:
    # The same DDL a service's first migration runs.
    create_infra_tables_v1(Operations(MigrationContext.configure(sync_conn)))


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(_create_tables)
    try:
        yield database
    finally:
        await database.dispose()


async def _rows(db: Database) -> dict[date, tuple[bool, str | None, str]]:
    async with db.transaction(write=False) as session:
        result = await session.execute(
            sa.select(
                calendar_days.c.day,
                calendar_days.c.is_working_day,
                calendar_days.c.name,
                calendar_days.c.source,
            )
        )
        out = {}
        for day, working, name, source in result:
            out[day if isinstance(day, date) else D(day)] = (bool(working), name, source)
        return out


async def test_seed_inserts_only_exceptions_and_is_idempotent(db: Database) -> None:
    async with db.transaction() as session:
        written = await seed_calendar(session, [2024, 2025, 2026])
    expected = {}
    for year in (2024, 2025, 2026):
        found = package_exceptions(year)
        assert found is not None
        expected.update(found)
    assert written == len(expected) > 50
    rows = await _rows(db)
    assert rows == {d: (w, n, "package") for d, (w, n) in expected.items()}
    assert all(w != (d.weekday() < 5) for d, (w, _, _) in rows.items())
    assert rows[D("2024-10-01")] == (False, "国庆节", "package")
    assert rows[D("2025-02-08")] == (True, "春节调休上班", "package")

    async with db.transaction() as session:
        assert await seed_calendar(session, [2024, 2025, 2026]) == 0
    assert await _rows(db) == rows


async def test_seed_defaults_to_every_covered_year_and_skips_others(db: Database) -> None:
    async with db.transaction() as session:
        assert await seed_calendar(session, [LAST_PACKAGE_YEAR + 1, 2099]) == 0
        written = await seed_calendar(session)
    years = {d.year for d in await _rows(db)}
    assert years == set(package_years())
    assert written == len(await _rows(db))
    async with db.transaction() as session:
        assert await seed_calendar(session) == 0


async def test_loaded_calendar_counts_like_the_package(db: Database) -> None:
    async with db.transaction() as session:
        await seed_calendar(session, [2024, 2025, 2026])
    async with db.transaction(write=False) as session:
        cal = await WorkingCalendar.load(session)
    assert cal.exceptions == CAL.exceptions
    assert cal.add_working_days(D("2024-09-30"), 5) == D("2024-10-12")
    assert cal.working_days_between(D("2025-01-24"), D("2025-02-05")) == 3


async def test_admin_override_wins_and_survives_a_reseed(db: Database) -> None:
    async with db.transaction() as session:
        await seed_calendar(session, [2024])
    async with db.transaction() as session:
        # A working day made a holiday, and a package holiday made a working day.
        await set_calendar_day(session, D("2024-10-08"), is_working_day=False, name="  临时休息 ")
        await set_calendar_day(session, D("2024-10-07"), is_working_day=True, name=None)
    async with db.transaction() as session:
        assert await seed_calendar(session, [2024]) == 0
        assert await seed_calendar(session) > 0  # other years; 2024 untouched
    rows = await _rows(db)
    assert rows[D("2024-10-08")] == (False, "临时休息", "admin")
    assert rows[D("2024-10-07")] == (True, None, "admin")  # kept: the package says otherwise
    assert rows[D("2024-10-01")] == (False, "国庆节", "package")
    async with db.transaction(write=False) as session:
        cal = await WorkingCalendar.load(session)
    assert cal.is_working_day(D("2024-10-07"))
    assert not cal.is_working_day(D("2024-10-08"))
    assert cal.add_working_days(D("2024-09-30"), 1) == D("2024-10-07")
    assert cal.add_working_days(D("2024-09-30"), 2) == D("2024-10-09")


async def test_setting_a_day_back_to_the_weekday_rule_removes_the_row(db: Database) -> None:
    async with db.transaction() as session:
        await set_calendar_day(session, D("2024-10-08"), is_working_day=False, name=None)
        await set_calendar_day(session, D("2024-10-19"), is_working_day=True, name="调休")
    assert set(await _rows(db)) == {D("2024-10-08"), D("2024-10-19")}
    async with db.transaction() as session:
        await set_calendar_day(session, D("2024-10-08"), is_working_day=True, name=None)
        await set_calendar_day(session, D("2024-10-19"), is_working_day=False, name="")
        await set_calendar_day(session, D("2024-10-09"), is_working_day=True, name=None)  # no row
    assert await _rows(db) == {}


async def test_admin_can_enter_a_year_the_package_does_not_cover(db: Database) -> None:
    year = LAST_PACKAGE_YEAR + 2
    oct1 = date(year, 10, 1)
    while oct1.weekday() >= 5:  # a weekday holiday
        oct1 += timedelta(days=1)
    async with db.transaction() as session:
        await seed_calendar(session)
        await set_calendar_day(session, oct1, is_working_day=False, name="国庆节")
    async with db.transaction() as session:
        assert await seed_calendar(session) == 0
        days = await list_calendar_days(session, year)
        cal = await WorkingCalendar.load(session)
    assert [(d["day"], d["is_working_day"], d["name"], d["source"]) for d in days] == [
        (oct1, False, "国庆节", "admin")
    ]
    assert days[0]["updated_at"].tzinfo is not None
    assert not cal.is_working_day(oct1)
    assert cal.add_working_days(oct1 - timedelta(days=1), 1) == CAL.add_working_days(oct1, 1)


async def test_reseed_corrects_and_removes_stale_package_rows(db: Database) -> None:
    async with db.transaction() as session:
        await seed_calendar(session, [2025])
        # As if an older package had got a day wrong and listed an ordinary Tuesday.
        await session.execute(
            sa.update(calendar_days).where(calendar_days.c.day == D("2025-10-08")).values(name="旧名")
        )
        await session.execute(
            sa.insert(calendar_days).values(
                day=D("2025-03-04"),
                is_working_day=False,
                name="x",
                source="package",
                updated_at=datetime.now(UTC),
            )
        )
    async with db.transaction() as session:
        assert await seed_calendar(session, [2025]) == 2
        assert await seed_calendar(session, [2025]) == 0
    rows = await _rows(db)
    assert rows[D("2025-10-08")] == (False, "国庆节", "package")
    assert D("2025-03-04") not in rows


async def test_list_calendar_days_is_ordered_and_limited_to_the_year(db: Database) -> None:
    async with db.transaction() as session:
        await seed_calendar(session, [2024, 2025])
        days = await list_calendar_days(session, 2025)
    assert [d["day"] for d in days] == sorted(d["day"] for d in days)
    assert {d["day"].year for d in days} == {2025}
    assert days[0] == {
        "day": D("2025-01-01"),
        "is_working_day": False,
        "name": "元旦",
        "source": "package",
        "updated_at": days[0]["updated_at"],
    }


#: A made-up arrangement for the first year the package does not cover (test data, not a notice).
NEXT = LAST_PACKAGE_YEAR + 1


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _weekend_on_or_after(day: date) -> date:
    while day.weekday() < 5:
        day += timedelta(days=1)
    return day


NEW_YEAR = _weekday_on_or_after(date(NEXT, 1, 1))
NATIONAL_DAY = _weekday_on_or_after(date(NEXT, 10, 1))
MAKE_UP = _weekend_on_or_after(date(NEXT, 9, 25))
ARRANGEMENT = {
    NEW_YEAR: (False, "元旦"),
    NATIONAL_DAY: (False, "国庆节"),
    MAKE_UP: (True, "国庆节调休上班"),
}
AT = datetime(LAST_PACKAGE_YEAR, 11, 20, 2, 0, tzinfo=UTC)


async def test_import_covers_a_year_and_replaces_what_was_there(db: Database) -> None:
    hand = _weekday_on_or_after(date(NEXT, 5, 4))
    async with db.transaction() as session:
        await seed_calendar(session)
        await set_calendar_day(
            session, hand, is_working_day=False, name="临时录入", at=AT - timedelta(days=3)
        )
        assert not (await WorkingCalendar.load(session)).is_covered(NEW_YEAR)
        assert NEXT not in await covered_years(session)
    async with db.transaction() as session:
        assert await import_calendar_year(session, NEXT, ARRANGEMENT, at=AT) == 4  # 1 removed, 3 written
    async with db.transaction() as session:
        rows = await year_arrangement(session, NEXT)
        cal = await WorkingCalendar.load(session)
        assert NEXT in await covered_years(session)
    assert rows == {d: (w, n, "import") for d, (w, n) in ARRANGEMENT.items()}
    assert cal.is_covered(NEW_YEAR) and not cal.is_working_day(NEW_YEAR)
    assert cal.is_working_day(hand)  # the hand entry went with the import
    assert cal.is_working_day(MAKE_UP)
    assert cal.add_working_days(NEW_YEAR - timedelta(days=1), 1) == _weekday_on_or_after(
        NEW_YEAR + timedelta(days=1)
    )
    # Imported again (a redelivery): the same rows; a re-seed leaves the year alone.
    async with db.transaction() as session:
        await import_calendar_year(session, NEXT, ARRANGEMENT, at=AT)
        assert await seed_calendar(session) == 0
        assert await year_arrangement(session, NEXT) == rows


async def test_an_import_replaces_the_packages_year_and_a_reseed_keeps_it(db: Database) -> None:
    year = LAST_PACKAGE_YEAR
    only = {_weekday_on_or_after(date(year, 1, 1)): (False, "元旦")}
    async with db.transaction() as session:
        await seed_calendar(session)
        await import_calendar_year(session, year, only, at=AT)
    async with db.transaction() as session:
        assert await seed_calendar(session) == 0
        assert await year_arrangement(session, year) == {d: (w, n, "import") for d, (w, n) in only.items()}
        cal = await WorkingCalendar.load(session)
    national_day = _weekday_on_or_after(date(year, 10, 1))
    assert cal.is_working_day(national_day)  # the import, not the package, now says what the year is


async def test_later_changes_win_over_a_late_import(db: Database) -> None:
    edited = _weekday_on_or_after(date(NEXT, 6, 1))
    async with db.transaction() as session:
        await import_calendar_year(session, NEXT, ARRANGEMENT, at=AT)
        # An administrator's edit after the import, then an older import delivered late.
        await set_calendar_day(
            session, edited, is_working_day=False, name="端午节", at=AT + timedelta(hours=1)
        )
        assert (
            await import_calendar_year(session, NEXT, {NEW_YEAR: (False, "旧")}, at=AT - timedelta(days=1))
            == 0
        )
        rows = await year_arrangement(session, NEXT)
    assert rows[NEW_YEAR] == (False, "元旦", "import") and rows[edited] == (False, "端午节", "admin")
    # A newer import replaces the year but keeps an edit made after it.
    async with db.transaction() as session:
        newer = {NEW_YEAR: (False, "元旦"), NATIONAL_DAY: (False, "国庆节")}
        await import_calendar_year(session, NEXT, newer, at=AT + timedelta(minutes=30))
        rows = await year_arrangement(session, NEXT)
    assert set(rows) == {NEW_YEAR, NATIONAL_DAY, edited}
    assert rows[edited][2] == "admin" and rows[NATIONAL_DAY][2] == "import"


async def test_a_day_set_back_in_an_imported_year_goes_away(db: Database) -> None:
    year = LAST_PACKAGE_YEAR
    national_day = _weekday_on_or_after(date(year, 10, 1))
    async with db.transaction() as session:
        await seed_calendar(session)
        await import_calendar_year(session, year, {national_day: (False, "国庆节")}, at=AT)
        # The package still has it off, but the import owns the year: no admin row is needed.
        await set_calendar_day(session, national_day, is_working_day=True, name=None)
        assert national_day not in await year_arrangement(session, year)
        assert (await WorkingCalendar.load(session)).is_working_day(national_day)


async def test_import_refuses_days_of_another_year(db: Database) -> None:
    async with db.transaction() as session:
        with pytest.raises(ValueError, match="outside"):
            await import_calendar_year(session, NEXT, {date(NEXT + 1, 1, 1): (False, "元旦")}, at=AT)


async def test_years_list_shows_coverage_and_next_year(db: Database) -> None:
    today = date(LAST_PACKAGE_YEAR, 11, 2)
    async with db.transaction() as session:
        await seed_calendar(session)
        before = await list_calendar_years(session, today=today)
    by_year = {y["year"]: y for y in before}
    assert [y["year"] for y in before] == sorted(by_year, reverse=True)
    assert by_year[NEXT] == {
        "year": NEXT,
        "holidays": 0,
        "make_up_days": 0,
        "admin_days": 0,
        "updated_at": None,
        "covered": False,
        "covered_by": None,
    }
    assert by_year[LAST_PACKAGE_YEAR]["covered_by"] == "package"
    assert by_year[LAST_PACKAGE_YEAR]["holidays"] > 0 and by_year[LAST_PACKAGE_YEAR]["make_up_days"] > 0
    async with db.transaction() as session:
        await import_calendar_year(session, NEXT, ARRANGEMENT, at=AT)
        saturday = _weekend_on_or_after(date(NEXT, 12, 20))
        await set_calendar_day(session, saturday, is_working_day=True, name="调休上班", at=AT)
        after = {y["year"]: y for y in await list_calendar_years(session, today=today)}
    assert after[NEXT]["covered"] is True and after[NEXT]["covered_by"] == "import"
    assert (after[NEXT]["holidays"], after[NEXT]["make_up_days"], after[NEXT]["admin_days"]) == (2, 2, 1)
    assert after[NEXT]["updated_at"] == AT


# --- the routes ---------------------------------------------------------------------------


@pytest.fixture
async def client(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(calendar_router())
    app.state.db = db
    async with db.transaction() as session:
        await seed_calendar(session, [2024, 2025, 2026])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        yield c


async def test_route_list_days(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/calendar/days", params={"year": 2024})
    assert r.status_code == 200
    page = r.json()
    assert (page["total"], page["limit"], page["offset"]) == (len(page["items"]), 50, 0)
    days = {d["day"]: d for d in page["items"]}
    assert days["2024-10-01"]["is_working_day"] is False
    assert days["2024-10-01"]["name"] == "国庆节"
    assert days["2024-09-29"] == {
        "day": "2024-09-29",
        "is_working_day": True,
        "name": "国庆节调休上班",
        "source": "package",
        "updated_at": days["2024-09-29"]["updated_at"],
    }


@pytest.mark.parametrize("year", ["1989", "2101", "abc"])
async def test_route_list_days_rejects_bad_years(client: httpx.AsyncClient, year: str) -> None:
    r = await client.get("/v1/calendar/days", params={"year": year})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == ["query.year"]


async def test_route_add(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/calendar/add", params={"start": "2026-09-30", "days": 5})
    assert r.status_code == 200, r.text
    assert r.json() == {
        "start": "2026-09-30",
        "days": 5,
        "result": "2026-10-13",
        "deadline": "2026-10-13T23:59:59.999999+08:00",
    }
    r = await client.get("/v1/calendar/add", params={"start": "2024-09-30T17:00:00Z", "days": 1})
    assert r.status_code == 200, r.text
    assert r.json()["start"] == "2024-10-01"
    assert r.json()["result"] == "2024-10-08"
    r = await client.get("/v1/calendar/add", params={"start": "2024-10-08", "days": -1})
    assert r.json()["result"] == "2024-09-30"


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"start": "2026-09-30", "days": 1001}, ["query.days"]),
        ({"start": "2026-09-30", "days": -1001}, ["query.days"]),
        ({"start": "2026-02-30", "days": 1}, ["query.start"]),
        ({"start": "1800-01-01", "days": 1}, ["query.start"]),
        ({"start": "tomorrow", "days": "x"}, ["query.start", "query.days"]),
        ({}, ["query.start", "query.days"]),
    ],
)
async def test_route_add_rejects_bad_input(
    client: httpx.AsyncClient, params: dict[str, Any], fields: list[str]
) -> None:
    r = await client.get("/v1/calendar/add", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "validation_failed"
    assert sorted({e["field"] for e in body["errors"]}) == sorted(fields)


async def test_route_date_messages_are_actionable(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/calendar/add", params={"start": "1800-01-01", "days": 1})
    assert [e["message"] for e in r.json()["errors"]] == ["日期应在 1990-2100 年之间，现为 1800-01-01"]
    r = await client.get(
        "/v1/calendar/add", params={"start": "1800-01-01", "days": 1}, headers={"Accept-Language": "en"}
    )
    assert [e["message"] for e in r.json()["errors"]] == [
        "the date must be in the years 1990-2100, got 1800-01-01"
    ]
    r = await client.get("/v1/calendar/add", params={"start": "2026-02-30", "days": 1})
    (error,) = r.json()["errors"]
    assert error["field"] == "query.start"
    assert error["message"].startswith("'2026-02-30' 不是有效日期：请用 YYYY-MM-DD")


async def test_route_between(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/calendar/between", params={"from": "2024-09-27", "to": "2024-10-08"})
    assert r.status_code == 200
    assert r.json() == {"from": "2024-09-27", "to": "2024-10-08", "working_days": 3}
    r = await client.get("/v1/calendar/between", params={"from": "2024-10-08", "to": "2024-09-27"})
    assert r.json()["working_days"] == -3
    r = await client.get("/v1/calendar/between", params={"from": "2024-10-08"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["query.to"]


async def test_route_years(client: httpx.AsyncClient) -> None:
    r = await client.get("/v1/calendar/years", params={"limit": 200})
    assert r.status_code == 200, r.text
    page = r.json()
    years = {y["year"]: y for y in page["items"]}
    assert page["total"] == len(years)
    assert years[2024]["covered"] is True and years[2024]["covered_by"] == "package"
    assert years[LAST_PACKAGE_YEAR + 1]["covered"] is False or LAST_PACKAGE_YEAR + 1 not in years


async def test_route_days_are_not_edited_here(client: httpx.AsyncClient) -> None:
    # The calendar's one owner is identity-svc; a service's own router only reads.
    r = await client.put("/v1/calendar/days/2024-10-08", json={"is_working_day": False})
    assert r.status_code == 404  # no such route here


def test_operation_ids_read_well() -> None:
    app = FastAPI(generate_unique_id_function=operation_id)
    app.include_router(calendar_router())
    paths = app.openapi()["paths"]
    assert {
        (path, method): op["operationId"] for path, ops in paths.items() for method, op in ops.items()
    } == {
        ("/v1/calendar/days", "get"): "calendar-days-list",
        ("/v1/calendar/years", "get"): "calendar-years-list",
        ("/v1/calendar/add", "get"): "calendar-working-days-add",
        ("/v1/calendar/between", "get"): "calendar-working-days-between",
    }
    assert all(op["tags"] == ["calendar"] for ops in paths.values() for op in ops.values())
