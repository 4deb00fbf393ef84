"""The 催办/督办 work lists: each person's, the supervisors' board, a case's; acknowledging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.pagination import DateRange, PageParams

from ..models.applications import Application
from ..models.escalation import CaseEscalation, EscalationRecipient
from ..services import access
from ..services.supervision import RUNNING
from . import errors


@dataclass(frozen=True)
class EscalationLine:
    """A reminder or escalation with its case and the people it names."""

    escalation: CaseEscalation
    application: Application
    recipients: list[EscalationRecipient]


def _raised_between(days: DateRange) -> list[ColumnElement[bool]]:
    """`raised_at` within the Beijing days of `days` (both inclusive)."""
    out: list[ColumnElement[bool]] = []
    if days.start is not None:
        out.append(
            CaseEscalation.raised_at >= datetime.combine(days.start, time.min, SHANGHAI).astimezone(UTC)
        )
    if days.end is not None and days.end < date.max:
        end = datetime.combine(days.end + timedelta(days=1), time.min, SHANGHAI).astimezone(UTC)
        out.append(CaseEscalation.raised_at < end)
    return out


async def _page(
    session: AsyncSession, query: Select[Any, Any], page: PageParams
) -> tuple[list[EscalationLine], int]:
    total = int((await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one())
    rows = (
        await session.execute(
            query.order_by(CaseEscalation.raised_at.desc(), CaseEscalation.level.desc(), CaseEscalation.id)
            .limit(page.limit)
            .offset(page.offset)
        )
    ).all()
    people = await _recipients(session, [e.id for e, _ in rows])
    return [EscalationLine(e, a, people.get(e.id, [])) for e, a in rows], total


async def _recipients(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[EscalationRecipient]]:
    out: dict[str, list[EscalationRecipient]] = {}
    if not ids:
        return out
    rows = await session.execute(
        select(EscalationRecipient)
        .where(EscalationRecipient.escalation_id.in_(list(ids)))
        .order_by(EscalationRecipient.name, EscalationRecipient.staff_id)
    )
    for r in rows.scalars():
        out.setdefault(r.escalation_id, []).append(r)
    return out


def _base() -> Select[Any, Any]:
    return select(CaseEscalation, Application).join(
        Application, Application.id == CaseEscalation.application_id
    )


def _filters(kind: str | None, acknowledged: bool | None, staff_id: str | None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if kind is not None:
        out.append(CaseEscalation.kind == kind)
    if acknowledged is not None and staff_id is not None:
        done = EscalationRecipient.acknowledged_at.is_not(None)
        out.append(done if acknowledged else ~done)
    return out


def require_staff(principal: Principal) -> None:
    """Work lists are for staff: 403 for anyone else."""
    if not principal.is_staff:
        raise errors.staff_only()


async def mine(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str | None,
    acknowledged: bool | None,
    open_only: bool,
    page: PageParams,
) -> tuple[list[EscalationLine], int]:
    """The reminders and escalations that name the caller, newest first."""
    require_staff(principal)
    query = (
        _base()
        .join(EscalationRecipient, EscalationRecipient.escalation_id == CaseEscalation.id)
        .where(
            EscalationRecipient.staff_id == principal.subject,
            *_filters(kind, acknowledged, principal.subject),
        )
    )
    if open_only:
        query = query.where(Application.status.in_((*RUNNING, "suspended")))
    return await _page(session, query, page)


async def board(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str | None,
    unit_code: str | None,
    application_id: str | None,
    days: DateRange,
    page: PageParams,
) -> tuple[list[EscalationLine], int]:
    """Reminders and escalations on the cases the caller sees (supervisors and admins: all)."""
    require_staff(principal)
    query = _base().where(await access.visibility(session, principal), *_filters(kind, None, None))
    if unit_code:
        query = query.where(CaseEscalation.unit_code == unit_code)
    if application_id:
        query = query.where(CaseEscalation.application_id == application_id)
    return await _page(session, query.where(*_raised_between(days)), page)


async def of_case(
    session: AsyncSession, principal: Principal, application_id: str, page: PageParams
) -> tuple[list[EscalationLine], int]:
    """A case's reminders and escalations (staff who see the case; 404 otherwise)."""
    require_staff(principal)
    app = await access.get_visible(session, principal, application_id)
    return await _page(session, _base().where(CaseEscalation.application_id == app.id), page)


async def get_line(session: AsyncSession, principal: Principal, escalation_id: str) -> EscalationLine:
    """One reminder or escalation: for the people it names and staff who see its case; else 404."""
    require_staff(principal)
    named = exists().where(
        EscalationRecipient.escalation_id == CaseEscalation.id,
        EscalationRecipient.staff_id == principal.subject,
    )
    row = (
        await session.execute(
            _base().where(
                CaseEscalation.id == escalation_id, named | await access.visibility(session, principal)
            )
        )
    ).first()
    if row is None:
        raise errors.escalation_not_found(escalation_id)
    escalation, app = row
    people = await _recipients(session, [escalation.id])
    return EscalationLine(escalation, app, people.get(escalation.id, []))


async def acknowledge(
    session: AsyncSession, principal: Principal, escalation_id: str, *, note: str | None, now: datetime
) -> EscalationLine:
    """The named person acknowledges it (已阅签收); again is a no-op that keeps the first time."""
    line = await get_line(session, principal, escalation_id)
    mine_ = next((r for r in line.recipients if r.staff_id == principal.subject), None)
    if mine_ is None:
        raise errors.not_recipient(escalation_id)
    if mine_.acknowledged_at is None:
        mine_.acknowledged_at = now
        mine_.note = note
        await session.flush()
    return line
