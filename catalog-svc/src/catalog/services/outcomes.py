"""The halving report in fact (减材料、减时限): per item, the materials the catalogue requires
against what applicants actually had to bring, and the promised time against the working days
applications actually took (median and 90th percentile), kept from intake's events.

The handlers are upserts on the application: a redelivered event writes the same values again.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import as_utc, utcnow

from ..models import ItemOutcome
from ..repositories.outcomes import OutcomeRepository
from .catalogue import published_rows


async def _row(session: AsyncSession, data: dict[str, Any]) -> ItemOutcome:
    repo = OutcomeRepository(session)
    row = await repo.find(str(data["application_id"]))
    if row is None:
        row = ItemOutcome(application_id=str(data["application_id"]), item_code=str(data["item_code"]))
        repo.add(row)
    row.received_at = as_utc(datetime.fromisoformat(str(data["received_at"])))
    row.promised_limit_days = data.get("promised_limit_days")
    row.updated_at = utcnow()
    return row


async def record_submitted(session: AsyncSession, data: dict[str, Any]) -> None:
    """intake.application.submitted.v1 → what the applicant brought: at the first submission, or at
    a resubmission (补正, kept by its round, so a redelivery counts once)."""
    if data.get("materials_handed_in") is None:
        return
    row = await _row(session, data)
    brought, resubmission = int(data["materials_handed_in"]), int(data.get("resubmission") or 0)
    if resubmission == 0:
        row.materials_handed_in = brought
    else:
        row.corrections = {**(row.corrections or {}), str(resubmission): brought}
    await session.flush()


def _corrections(rows: list[ItemOutcome]) -> tuple[float | None, float | None]:
    """(share of the applications that needed a correction round, materials handed in for
    corrections per application), over the applications whose first submission is known."""
    known = [r for r in rows if r.materials_handed_in is not None]
    if not known:
        return None, None
    corrected = sum(1 for r in known if r.corrections)
    handed = sum(sum((r.corrections or {}).values()) for r in known)
    return round(corrected / len(known), 2), round(handed / len(known), 2)


async def record_completed(session: AsyncSession, data: dict[str, Any]) -> None:
    """intake.application.completed.v1 → the working days the application took."""
    row = await _row(session, data)
    row.working_days_used = int(data["working_days_used"])
    row.completed_at = as_utc(datetime.fromisoformat(str(data["completed_at"])))
    await session.flush()


def percentile(values: list[int], share: float) -> float | None:
    """The nearest-rank percentile of `values` (None for none)."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)])


async def halving_report(session: AsyncSession, *, days: int) -> dict[str, Any]:
    """Per item in force: required materials against those brought, promised days against those
    taken, over the applications received in the last `days` days."""
    outcomes: dict[str, list[ItemOutcome]] = {}
    for row in await OutcomeRepository(session).since(utcnow() - timedelta(days=days)):
        outcomes.setdefault(row.item_code, []).append(row)
    items = []
    for item, el in await published_rows(session):
        rows = outcomes.get(item.code, [])
        brought = [r.materials_handed_in for r in rows if r.materials_handed_in is not None]
        taken = [r.working_days_used for r in rows if r.working_days_used is not None]
        corrected_share, corrections_mean = _corrections(rows)
        items.append(
            {
                "item_code": item.code,
                "item_name": item.name,
                "owner_unit_code": item.owner_unit_code,
                "materials_listed": len(el.materials),
                "materials_required": sum(1 for m in el.materials if not m.exempt),
                "applications": len(rows),
                "materials_brought_mean": round(sum(brought) / len(brought), 2) if brought else None,
                "corrected_share": corrected_share,
                "correction_materials_mean": corrections_mean,
                "promised_days": el.promised_limit.value if el.promised_limit else None,
                "completed": len(taken),
                "days_taken_median": percentile(taken, 0.5),
                "days_taken_p90": percentile(taken, 0.9),
            }
        )
    return {"days": days, "generated_at": utcnow(), "by_item": items}
