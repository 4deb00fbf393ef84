"""The working-day calendar's administration: a year's official arrangement as a file, and what an
import answers. Reading the calendar (days, years, counts) uses `yiwang_shared.calendar`'s models."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import UploadFile
from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.calendar import MAX_YEAR, MIN_YEAR, CalendarDayRead

#: The statutory holidays (全体公民放假的节日) every year's notice arranges.
FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


class CalendarHolidayEntry(BaseModel):
    """One holiday of the notice: the days off and the weekend days worked instead (调休上班)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: Annotated[str, Field(min_length=2, max_length=20)] = Field(
        description="As the notice names it: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节, "
        "or a combined one such as 中秋节、国庆节"
    )
    from_: date = Field(alias="from", description="First day off (放假), inclusive")
    to: date = Field(description="Last day off, inclusive")
    make_up_days: list[date] = Field(
        default_factory=list,
        max_length=4,
        description="Saturdays or Sundays worked for this holiday (调休上班), near it",
    )


class CalendarArrangement(BaseModel):
    """A year's official holiday arrangement (国务院办公厅关于某年部分节假日安排的通知), as a file.

    YAML or JSON (JSON is YAML too), UTF-8, at most 64 KiB::

        year: 2027
        notice: 国办发明电〔2026〕N号
        holidays:
          - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
          - {name: 春节, from: …, to: …, make_up_days: [… , …]}
    """

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR, description="The year arranged")
    notice: Annotated[str, Field(min_length=4, max_length=200)] = Field(
        description="The notice it copies: title or document number (发文字号)"
    )
    holidays: list[CalendarHolidayEntry] = Field(
        min_length=1,
        max_length=12,
        description="Every holiday of the year with its days off and make-up days",
    )


class CalendarFileUpload(BaseModel):
    """The arrangement file to import (multipart/form-data)."""

    file: UploadFile = Field(
        description="The year's arrangement as YAML or JSON (UTF-8, ≤ 64 KiB): `year`, `notice`, "
        "`holidays: [{name, from, to, make_up_days}]`."
    )


class CalendarImportRead(BaseModel):
    """What an import did: the year's days as every service now counts them."""

    year: int
    notice: str = Field(description="The notice the file copies (发文字号 or title)")
    changed: bool = Field(
        description="False when the year already held exactly this arrangement (nothing published)"
    )
    holidays: int = Field(ge=0, description="Weekdays off (法定节假日) in the arrangement")
    make_up_days: int = Field(ge=0, description="Weekend days worked (调休上班) in the arrangement")
    days: list[CalendarDayRead] = Field(description="The year's exceptions to Monday–Friday, by day")
