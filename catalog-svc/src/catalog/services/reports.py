"""The reduction report (减材料、减时限): per department, materials required vs exempt (免提交)
and promised vs legal time limits, against the district's "halve materials, halve time" (双减半) targets.

Time limits are compared in working days: natural days count 5/7 of a working day each, hours
1/8 (an 8-hour working day); 0 is on the spot. Only items with both limits count for time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..schemas.elements import TimeLimit
from .catalogue import published_rows

MATERIALS_TARGET = 0.5  # at least half the materials exempt (减材料 50%)
TIME_TARGET = 0.5  # promised limits at most half the legal ones (减时限 50%)


def working_days(limit: TimeLimit) -> float:
    """A time limit in working-day equivalents."""
    if limit.unit == "natural_day":
        return limit.value * 5 / 7
    if limit.unit == "hour":
        return limit.value / 8
    return float(limit.value)


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    total = row["materials_total"]
    row["materials_exempt_ratio"] = _ratio(row["materials_exempt"], total)
    legal, promised = row["legal_days"], row["promised_days"]
    row["legal_days"] = round(legal, 2)
    row["promised_days"] = round(promised, 2)
    row["time_compression_ratio"] = _ratio(legal - promised, legal)
    row["materials_target_met"] = (
        row["materials_exempt_ratio"] is not None and row["materials_exempt_ratio"] >= MATERIALS_TARGET
    )
    row["time_target_met"] = (
        row["time_compression_ratio"] is not None and row["time_compression_ratio"] >= TIME_TARGET
    )
    return row


def _empty(unit_code: str, unit_name: str) -> dict[str, Any]:
    return {
        "unit_code": unit_code,
        "unit_name": unit_name,
        "items": 0,
        "materials_total": 0,
        "materials_required": 0,
        "materials_exempt": 0,
        "items_with_limits": 0,
        "legal_days": 0.0,
        "promised_days": 0.0,
        "on_the_spot_items": 0,
    }


async def reduction_report(session: AsyncSession) -> dict[str, Any]:
    """Per department and in total, over the versions in force."""
    units: dict[str, dict[str, Any]] = {}
    total = _empty("*", "全区合计")
    for item, el in await published_rows(session):
        row = units.setdefault(item.owner_unit_code, _empty(item.owner_unit_code, item.owner_unit_name))
        for acc in (row, total):
            acc["items"] += 1
            acc["materials_total"] += len(el.materials)
            acc["materials_exempt"] += sum(1 for m in el.materials if m.exempt)
            acc["materials_required"] += sum(1 for m in el.materials if not m.exempt)
            if el.legal_limit is not None and el.promised_limit is not None:
                acc["items_with_limits"] += 1
                acc["legal_days"] += working_days(el.legal_limit)
                acc["promised_days"] += working_days(el.promised_limit)
            if el.promised_limit is not None and el.promised_limit.value == 0:
                acc["on_the_spot_items"] += 1
    return {
        "targets": {"materials_exempt_ratio": MATERIALS_TARGET, "time_compression_ratio": TIME_TARGET},
        "units": [_finish(units[k]) for k in sorted(units)],
        "totals": _finish(total),
    }
