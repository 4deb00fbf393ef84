"""Opening hours and the slots they give: working days by the shared calendar, 错峰延时 extended
hours, weekend hours, closed on statutory holidays, open on make-up working days."""

from __future__ import annotations

from datetime import date, time

import pytest
from pydantic import ValidationError

from intake.schemas.appointments import PlaceHours
from intake.services.appointment_hours import periods_on, slot_times
from yiwang_shared.calendar import SHANGHAI, WorkingCalendar, package_exceptions

HOURS = PlaceHours.model_validate(
    {
        "working_days": [
            {"start": "09:00", "end": "12:00"},
            {"start": "13:30", "end": "17:00"},
            {"start": "17:00", "end": "17:30", "weekdays": [5]},
        ],
        "extended": [
            {"start": "12:00", "end": "13:30"},
            {"start": "17:30", "end": "19:00", "weekdays": [2, 4]},
        ],
        "weekend": [{"start": "09:00", "end": "12:00", "weekdays": [6]}],
    }
)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    exceptions = package_exceptions(2026)
    assert exceptions is not None, "the installed chinesecalendar must cover 2026"
    return WorkingCalendar({day: working for day, (working, _name) in exceptions.items()})


def kinds(hours: PlaceHours, day: date, calendar: WorkingCalendar) -> list[tuple[str, str, str]]:
    return [(kind, f"{p.start:%H:%M}", f"{p.end:%H:%M}") for p, kind in periods_on(hours, day, calendar)]


def test_an_ordinary_tuesday_has_regular_and_extended_hours(calendar: WorkingCalendar) -> None:
    assert kinds(HOURS, date(2026, 11, 24), calendar) == [
        ("regular", "09:00", "12:00"),
        ("regular", "13:30", "17:00"),
        ("extended", "12:00", "13:30"),
        ("extended", "17:30", "19:00"),
    ]


def test_friday_only_periods_apply_on_fridays(calendar: WorkingCalendar) -> None:
    friday = kinds(HOURS, date(2026, 11, 27), calendar)
    assert ("regular", "17:00", "17:30") in friday
    assert ("extended", "17:30", "19:00") not in friday


def test_an_ordinary_saturday_has_only_weekend_hours(calendar: WorkingCalendar) -> None:
    assert kinds(HOURS, date(2026, 11, 28), calendar) == [("weekend", "09:00", "12:00")]
    assert kinds(HOURS, date(2026, 11, 29), calendar) == []  # no Sunday hours configured


def test_statutory_holidays_are_closed_weekend_days_included(calendar: WorkingCalendar) -> None:
    assert kinds(HOURS, date(2026, 10, 1), calendar) == []  # 国庆节, a Thursday
    assert kinds(HOURS, date(2026, 10, 3), calendar) == []  # a Saturday inside the holiday


def test_a_make_up_working_saturday_opens_with_working_day_hours(calendar: WorkingCalendar) -> None:
    saturday = date(2026, 10, 10)  # 国庆节调休上班
    assert saturday.isoweekday() == 6 and calendar.is_working_day(saturday)
    assert [k for k, _, _ in kinds(HOURS, saturday, calendar)] == ["regular", "regular", "extended"]


def test_slots_fill_each_period_and_never_run_past_closing(calendar: WorkingCalendar) -> None:
    hours = PlaceHours.model_validate(
        {
            "working_days": [{"start": "09:00", "end": "10:40"}],
            "weekend": [{"start": "10:00", "end": "11:00"}],
        }
    )
    slots = list(slot_times(hours, calendar, first_day=date(2026, 11, 27), days=3, slot_minutes=30))
    local = [(s.day.isoformat(), f"{s.starts_at.astimezone(SHANGHAI):%H:%M}", s.period) for s in slots]
    assert local == [
        ("2026-11-27", "09:00", "regular"),
        ("2026-11-27", "09:30", "regular"),
        ("2026-11-27", "10:00", "regular"),  # 10:30-11:00 would pass 10:40
        ("2026-11-28", "10:00", "weekend"),
        ("2026-11-28", "10:30", "weekend"),
        ("2026-11-29", "10:00", "weekend"),
        ("2026-11-29", "10:30", "weekend"),
    ]
    assert slots[0].starts_at.utcoffset() is not None and slots[0].starts_at.hour == 1  # 09:00 +08:00 in UTC


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"working_days": []}, "at least 1"),
        ({"working_days": [{"start": "12:00", "end": "09:00"}]}, "must be after start"),
        ({"working_days": [{"start": "09:00", "end": "12:00", "weekdays": [0]}]}, "1 \\(Monday\\) to 7"),
        ({"working_days": [{"start": "09:00", "end": "12:00", "weekdays": [1, 1]}]}, "must not repeat"),
        (
            {
                "working_days": [{"start": "09:00", "end": "12:30"}],
                "extended": [{"start": "12:00", "end": "13:30"}],
            },
            "overlap",
        ),
        ({"working_days": [{"start": "09:00", "end": "12:00"}], "evening": []}, "Extra inputs"),
    ],
)
def test_bad_hours_are_refused_saying_what_to_fix(hours: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PlaceHours.model_validate(hours)


def test_periods_on_different_weekdays_may_share_times() -> None:
    hours = PlaceHours.model_validate(
        {
            "working_days": [
                {"start": "09:00", "end": "17:00", "weekdays": [1, 2, 3, 4]},
                {"start": "09:00", "end": "12:00", "weekdays": [5]},
            ]
        }
    )
    assert hours.working_days[1].start == time(9, 0)
