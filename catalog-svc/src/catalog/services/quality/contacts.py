"""Checks of the place, the hours and the enquiry and supervision phones."""

from __future__ import annotations

from ...schemas.elements import ItemElements
from .results import Collector
from .rules import (
    DAYS_RE,
    NUMBER_RE,
    ROOM_RE,
    STREET_RE,
    TIME_RANGE_RE,
    blank,
    classify_phone,
    same_number,
    split_phones,
)


def check_place_and_hours(c: Collector, el: ItemElements) -> None:
    place = el.place
    if place is None or all(blank(v) for v in (place.address, place.street, place.number, place.room)):
        c.error("place.missing", "place", "未标注办理地点", "写明街道（路）名称、门牌号和房间号或窗口号")
    else:
        address = place.address or ""
        if blank(place.street) and not STREET_RE.search(address):
            c.error(
                "place.street", "place.street", "办理地点缺少街道（路）名称", "补充街道或路名，如“长宁路”"
            )
        if blank(place.number) and not NUMBER_RE.search(address):
            c.error("place.number", "place.number", "办理地点缺少门牌号", "补充门牌号，如“599号”")
        if blank(place.room) and not ROOM_RE.search(address):
            c.error(
                "place.room", "place.room", "办理地点缺少房间号或窗口号", "补充房间号或窗口号，如“3号窗口”"
            )
    if blank(el.hours):
        c.error(
            "hours.missing",
            "hours",
            "未标注办理时间",
            "写明受理时间，如“星期一至星期五：上午09:00-12:00，下午13:00-17:00”",
        )
    else:
        hours = el.hours or ""
        if not TIME_RANGE_RE.search(hours):
            c.warning("hours.format", "hours", "办理时间未写明起止时刻", "写明起止时刻，如“09:00-12:00”")
        if not DAYS_RE.search(hours):
            c.warning(
                "hours.no_days", "hours", "办理时间未写明哪些日子受理", "写明受理日，如“星期一至星期五”"
            )


_PHONE_LABELS = {"enquiry_phone": "咨询电话", "supervision_phone": "监督电话"}


def check_one_phone(c: Collector, name: str, value: str | None) -> list[str]:
    label = _PHONE_LABELS[name]
    if blank(value):
        c.error(f"{name}.missing", name, f"未标注{label}", f"填写带区号的{label}，如 021-12345678")
        return []
    assert value is not None
    numbers: list[str] = []
    for raw in split_phones(value):
        kind, digits = classify_phone(raw)
        numbers.append(digits)
        if kind == "invalid":
            c.error(f"{name}.invalid", name, f"{label}“{raw}”不是有效的电话号码", "填写带区号的固定电话")
        elif kind == "local":
            c.error(f"{name}.no_area_code", name, f"{label}“{raw}”没有区号", f"加上区号，如 021-{digits}")
        elif kind == "mobile":
            c.warning(
                f"{name}.mobile", name, f"{label}“{raw}”是手机号码，不是办公电话", "改为受理部门的固定电话"
            )
        elif kind == "service":
            c.warning(
                f"{name}.not_landline", name, f"{label}“{raw}”不是带区号的固定电话", "改为受理部门的固定电话"
            )
        elif kind == "hotline_local":
            c.warning(
                f"{name}.hotline_no_area_code",
                name,
                f"{label}“{raw}”未加区号，外地拨打会接到当地热线",
                f"写成带区号的形式，如 021-{digits}",
            )
    return numbers


def check_phones(c: Collector, el: ItemElements) -> None:
    enquiry = check_one_phone(c, "enquiry_phone", el.enquiry_phone)
    supervision = check_one_phone(c, "supervision_phone", el.supervision_phone)
    if any(same_number(a, b) for a in enquiry for b in supervision if a and b):
        c.error(
            "phones.same_number",
            "supervision_phone",
            "咨询电话与监督电话相同",
            "监督电话应为监督部门的号码，与咨询电话不同",
        )
