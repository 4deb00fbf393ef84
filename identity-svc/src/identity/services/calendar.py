"""The working-day calendar's one owner: administrators set a day or import a year's official
arrangement here, and every service's copy follows by `identity.calendar.changed.v1`.

identity applies a change to its own `calendar_days` with the same function the other services'
consumers use (`yiwang_shared.calendar_sync.apply_calendar_change`), then publishes that change
through the outbox in the same transaction, so what identity shows is what every service gets.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import (
    SOURCE_IMPORT,
    CalendarDayRead,
    WorkingCalendar,
    is_weekday,
    list_calendar_days,
    year_arrangement,
)
from yiwang_shared.calendar_sync import CalendarChanged, CalendarDayChange, apply_calendar_change
from yiwang_shared.errors import validation_errors
from yiwang_shared.i18n import TextError

from .. import events
from ..errors import CalendarFileInvalid
from ..schemas.calendar import FESTIVALS, CalendarArrangement, CalendarHolidayEntry, CalendarImportRead
from .clock import utcnow

log = logging.getLogger("identity.calendar")

#: "A small file": a year's arrangement is well under 2 KiB.
MAX_FILE_BYTES = 64 * 1024
#: The longest run of days off a notice has given (春节 with 调休) is 9–10 days.
MAX_HOLIDAY_DAYS = 15
#: A make-up working day lies next to its holiday (the weekend before or after it).
MAKE_UP_REACH = timedelta(days=14)
_WEEKDAY_ZH = "一二三四五六日"

Problem = tuple[tuple[str | int, ...], TextError]


async def _covered(session: AsyncSession, year: int) -> bool:
    return (await WorkingCalendar.load(session)).is_covered(date(year, 7, 1))


async def set_day(
    session: AsyncSession, day: date, *, is_working_day: bool, name: str | None, actor: str
) -> CalendarDayRead:
    """Set one day (administrators); publishes identity.calendar.changed.v1 (source admin)."""
    change = CalendarChanged(
        year=day.year,
        days=[CalendarDayChange(day=day, is_working_day=is_working_day, name=(name or "").strip() or None)],
        source="admin",
        changed_at=utcnow(),
        covered=False,  # known once applied
    )
    await apply_calendar_change(session, change)
    await events.publish(session, change.model_copy(update={"covered": await _covered(session, day.year)}))
    log.info("calendar day %s set by %s (working=%s)", day.isoformat(), actor, is_working_day)
    for row in await list_calendar_days(session, day.year):
        if row["day"] == day:
            return CalendarDayRead(**row)
    return CalendarDayRead(day=day, is_working_day=is_weekday(day), source="weekday")


# --- reading and checking the file --------------------------------------------------------


class _AliasRefused(yaml.YAMLError):
    def __init__(self, mark: Any) -> None:
        super().__init__("aliases are not accepted")
        self.problem_mark = mark


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: an arrangement never needs them, and nested ones can blow up."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's stubs leave it untyped
            raise _AliasRefused(event.start_mark)
        return super().compose_node(parent, index)


def _file_problem(zh: str, en: str, *, loc: tuple[str | int, ...] = ()) -> CalendarFileInvalid:
    errors = validation_errors(
        [
            {
                "loc": ("body", "file", *loc),
                "msg": en,
                "type": "value_error",
                "ctx": {"error": TextError(zh, en)},
            }
        ]
    )
    return _invalid(errors)


def _invalid(errors: list[dict[str, Any]]) -> CalendarFileInvalid:
    return CalendarFileInvalid(errors)


def read_arrangement(data: bytes) -> CalendarArrangement:
    """The arrangement in a YAML or JSON file; a 422 naming every problem otherwise."""
    if len(data) > MAX_FILE_BYTES:
        raise _file_problem(
            f"文件有 {len(data)} 字节，放假安排文件最多 {MAX_FILE_BYTES} 字节。",
            f"The file is {len(data)} bytes; an arrangement file is at most {MAX_FILE_BYTES} bytes.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_problem(
            "文件不是 UTF-8 编码的文本，请以 UTF-8 保存后重新导入。",
            "The file is not UTF-8 text; save it as UTF-8 and import again.",
        ) from None
    try:
        content = yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader, without aliases
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "文件中"
        where_en = f"at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "in the file"
        if isinstance(exc, _AliasRefused):
            raise _file_problem(
                f"{where}用了 YAML 别名（*名称），请把内容直接写出。",
                f"The file uses a YAML alias (*name) {where_en}; write the value out instead.",
            ) from None
        raise _file_problem(
            f"{where}不是有效的 YAML 或 JSON，请检查缩进、冒号和引号。",
            f"The file is not valid YAML or JSON {where_en}; check indentation, colons and quotes.",
        ) from None
    if not isinstance(content, dict):
        raise _file_problem(
            "文件应为一个对象，包含 year、notice 和 holidays 三项。",
            "The file must be one mapping with year, notice and holidays.",
        )
    try:
        arrangement = CalendarArrangement.model_validate(content)
    except ValidationError as exc:
        raise _invalid(
            validation_errors([{**e, "loc": ("body", "file", *e["loc"])} for e in exc.errors()])
        ) from None
    problems = arrangement_problems(arrangement)
    if problems:
        raise _invalid(
            validation_errors(
                [
                    {
                        "loc": ("body", "file", *loc),
                        "msg": err.en,
                        "type": "value_error",
                        "ctx": {"error": err},
                    }
                    for loc, err in problems
                ]
            )
        )
    return arrangement


def _zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAY_ZH[day.weekday()]}）"


def _en(day: date) -> str:
    return f"{day.isoformat()} ({day.strftime('%A')})"


def _days(entry: CalendarHolidayEntry) -> list[date]:
    return [entry.from_ + timedelta(days=i) for i in range((entry.to - entry.from_).days + 1)]


def _holiday_problems(year: int, i: int, h: CalendarHolidayEntry) -> list[Problem]:
    """Everything wrong with one holiday entry: its name, its dates, its make-up days."""
    out: list[Problem] = []
    if not any(f in h.name for f in FESTIVALS):
        out.append(
            (
                ("holidays", i, "name"),
                TextError(
                    f"“{h.name}”不是法定节假日，应为以下之一或其组合：{'、'.join(FESTIVALS)}",
                    f"{h.name!r} is not a statutory holiday; use one of {', '.join(FESTIVALS)} "
                    "(or a combination)",
                ),
            )
        )
    if h.to < h.from_:
        out.append(
            (
                ("holidays", i, "to"),
                TextError(
                    f"放假结束日{_zh(h.to)}早于开始日{_zh(h.from_)}",
                    f"the last day off {_en(h.to)} is before the first {_en(h.from_)}",
                ),
            )
        )
        return out
    out.extend(_holiday_span_problems(year, i, h))
    for j, day in enumerate(h.make_up_days):
        error = _make_up_day_error(year, h, day)
        if error is not None:
            out.append((("holidays", i, "make_up_days", j), error))
    return out


def _holiday_span_problems(year: int, i: int, h: CalendarHolidayEntry) -> list[Problem]:
    """A holiday's days off (in order): not too many, and in the calendar's year."""
    out: list[Problem] = []
    if len(_days(h)) > MAX_HOLIDAY_DAYS:
        out.append(
            (
                ("holidays", i, "to"),
                TextError(
                    f"{h.name}放假 {len(_days(h))} 天，超过 {MAX_HOLIDAY_DAYS} 天，请核对起止日期",
                    f"{h.name}: {len(_days(h))} days off, more than {MAX_HOLIDAY_DAYS}; check the dates",
                ),
            )
        )
    # A holiday may run into the neighbouring year only over a weekend (as 元旦 sometimes does):
    # those days are off anyway, so nothing of the other year needs recording.
    for field, day in (("from", h.from_), ("to", h.to)):
        if day.year != year and any(d.year != year and is_weekday(d) for d in _days(h)):
            out.append(
                (
                    ("holidays", i, field),
                    TextError(
                        f"{_zh(day)}不在 {year} 年：跨年的放假只能落在周末；"
                        "另一年的工作日请在该年的日历中设置",
                        f"{_en(day)} is not in {year}: days off in another year may only be weekend days; "
                        "set that year's days in its own calendar",
                    ),
                )
            )
    return out


def _make_up_day_error(year: int, h: CalendarHolidayEntry, day: date) -> TextError | None:
    """What is wrong with one make-up working day of a holiday, if anything."""
    if day.year != year:
        return TextError(
            f"调休上班日{_zh(day)}不在 {year} 年，请在该年的日历中单独设置"
            f"（PUT /v1/calendar/days/{day.isoformat()}）",
            f"make-up day {_en(day)} is not in {year}; set it in its own year "
            f"(PUT /v1/calendar/days/{day.isoformat()})",
        )
    if is_weekday(day):
        return TextError(
            f"调休上班日{_zh(day)}本来就是工作日，调休上班日应为周六或周日",
            f"make-up day {_en(day)} is a working day already; make-up days are Saturdays or Sundays",
        )
    if h.from_ <= day <= h.to:
        return TextError(
            f"调休上班日{_zh(day)}在{h.name}放假期间内",
            f"make-up day {_en(day)} falls inside the {h.name} days off",
        )
    if day < h.from_ - MAKE_UP_REACH or day > h.to + MAKE_UP_REACH:
        return TextError(
            f"调休上班日{_zh(day)}离{h.name}放假超过两周，请核对日期",
            f"make-up day {_en(day)} is more than two weeks from the {h.name} days off; check it",
        )
    return None


def arrangement_problems(arrangement: CalendarArrangement) -> list[Problem]:
    """Every inconsistency of an arrangement: dates, overlaps, make-up days, missing holidays."""
    year = arrangement.year
    problems: list[Problem] = []
    seen_names: dict[str, int] = {}
    off: dict[date, int] = {}
    work: dict[date, int] = {}
    for i, h in enumerate(arrangement.holidays):
        problems.extend(_holiday_problems(year, i, h))
        if h.name in seen_names:
            problems.append(
                (
                    ("holidays", i, "name"),
                    TextError(
                        f"{h.name}出现了两次（另见第 {seen_names[h.name] + 1} 项）",
                        f"{h.name} is listed twice (see entry {seen_names[h.name]})",
                    ),
                )
            )
        seen_names.setdefault(h.name, i)
        if h.to >= h.from_:
            clash = sorted({off[d] for d in _days(h) if d in off})
            if clash:
                other = arrangement.holidays[clash[0]].name
                problems.append(
                    (
                        ("holidays", i, "from"),
                        TextError(
                            f"{h.name}的放假日期与{other}重叠",
                            f"the {h.name} days off overlap those of {other}",
                        ),
                    )
                )
            off.update((d, i) for d in _days(h))
        for j, day in enumerate(h.make_up_days):
            if day in work:
                problems.append(
                    (
                        ("holidays", i, "make_up_days", j),
                        TextError(f"调休上班日{_zh(day)}重复列出", f"make-up day {_en(day)} is listed twice"),
                    )
                )
            work[day] = i
    for day, i in work.items():
        if day in off and off[day] != i:
            problems.append(
                (
                    ("holidays", i, "make_up_days"),
                    TextError(
                        f"调休上班日{_zh(day)}同时是{arrangement.holidays[off[day]].name}的放假日",
                        f"make-up day {_en(day)} is also a day off of {arrangement.holidays[off[day]].name}",
                    ),
                )
            )
    named = " ".join(h.name for h in arrangement.holidays)
    missing = [f for f in FESTIVALS if f not in named]
    if missing:
        problems.append(
            (
                ("holidays",),
                TextError(
                    f"缺少{'、'.join(missing)}：通知安排全部法定节假日，请完整录入后导入",
                    f"missing {', '.join(missing)}: the notice arranges every statutory holiday; "
                    "enter them all",
                ),
            )
        )
    return problems


def arrangement_days(arrangement: CalendarArrangement) -> dict[date, tuple[bool, str | None]]:
    """The year's exceptions to Monday–Friday: weekdays off and weekend days worked."""
    out: dict[date, tuple[bool, str | None]] = {}
    for h in arrangement.holidays:
        for day in _days(h):
            if day.year == arrangement.year and is_weekday(day):
                out[day] = (False, h.name)
        for day in h.make_up_days:
            out[day] = (True, f"{h.name}调休上班")
    return out


# --- importing ----------------------------------------------------------------------------


async def import_year(session: AsyncSession, year: int, data: bytes, *, actor: str) -> CalendarImportRead:
    """Import a year's arrangement from a file (administrators): it replaces the year in every
    service's calendar; publishes identity.calendar.changed.v1 (source import) unless unchanged."""
    arrangement = read_arrangement(data)
    if arrangement.year != year:
        raise _file_problem(
            f"文件中的年份 {arrangement.year} 与导入地址中的 {year} 不一致，请核对后重新导入。",
            f"The file arranges {arrangement.year}, but the import is for {year}.",
            loc=("year",),
        )
    days = arrangement_days(arrangement)
    current = await year_arrangement(session, year)
    changed = current != {d: (w, n, SOURCE_IMPORT) for d, (w, n) in days.items()}
    if changed:
        now: datetime = utcnow()
        change = CalendarChanged(
            year=year,
            days=[CalendarDayChange(day=d, is_working_day=w, name=n) for d, (w, n) in sorted(days.items())],
            source="import",
            changed_at=now,
            covered=True,
        )
        await apply_calendar_change(session, change)
        await events.publish(session, change)
        log.info("calendar %d imported by %s: %d day(s) from %r", year, actor, len(days), arrangement.notice)
    rows = await list_calendar_days(session, year)
    return CalendarImportRead(
        year=year,
        notice=arrangement.notice,
        changed=changed,
        holidays=sum(1 for w, _ in days.values() if not w),
        make_up_days=sum(1 for w, _ in days.values() if w),
        days=[CalendarDayRead(**r) for r in rows],
    )
