"""The 催办/督办 work lists: each person's, the supervisors' board, a case's; acknowledging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.pagination import DateRange, PageParams

from .. import errors
from ..models.applications import Application
from ..models.escalation import CaseEscalation, EscalationRecipient
from ..repositories.escalations import EscalationRepository
from . import access
from .supervision import RUNNING


@dataclass(frozen=True)
class EscalationLine:
    """A reminder or escalation with its case and the people it names."""

    escalation: CaseEscalation
    application: Application
    recipients: list[EscalationRecipient]


async def _lines(
    session: AsyncSession, rows: list[tuple[CaseEscalation, Application]]
) -> list[EscalationLine]:
    """The rows with the people each names."""
    people = await EscalationRepository(session).recipients([e.id for e, _ in rows])
    return [EscalationLine(e, a, people.get(e.id, [])) for e, a in rows]


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
    rows, total = await EscalationRepository(session).page_naming(
        principal.subject,
        kind=kind,
        acknowledged=acknowledged,
        case_states=(*RUNNING, "suspended") if open_only else None,
        page=page,
    )
    return await _lines(session, rows), total


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
    rows, total = await EscalationRepository(session).page_on_cases(
        await access.viewer_of(session, principal),
        kind=kind,
        unit_code=unit_code,
        application_id=application_id,
        first=days.start,
        last=days.end,
        page=page,
    )
    return await _lines(session, rows), total


async def of_case(
    session: AsyncSession, principal: Principal, application_id: str, page: PageParams
) -> tuple[list[EscalationLine], int]:
    """A case's reminders and escalations (staff who see the case; 404 otherwise)."""
    require_staff(principal)
    app = await access.get_visible(session, principal, application_id)
    rows, total = await EscalationRepository(session).page_of_case(app.id, page=page)
    return await _lines(session, rows), total


async def get_line(session: AsyncSession, principal: Principal, escalation_id: str) -> EscalationLine:
    """One reminder or escalation: for the people it names and staff who see its case; else 404."""
    require_staff(principal)
    found = await EscalationRepository(session).find_for(
        escalation_id, principal.subject, await access.viewer_of(session, principal)
    )
    if found is None:
        raise errors.escalation_not_found(escalation_id)
    [line] = await _lines(session, [found])
    return line


async def acknowledge(
    session: AsyncSession, principal: Principal, escalation_id: str, *, note: str | None, now: datetime
) -> EscalationLine:
    """The named person acknowledges it (已阅签收); again is a no-op that keeps the first time."""
    line = await get_line(session, principal, escalation_id)
    mine_ = next((r for r in line.recipients if r.staff_id == principal.subject), None)
    if mine_ is None:
        raise errors.not_escalation_recipient(escalation_id)
    if mine_.acknowledged_at is None:
        mine_.acknowledged_at = now
        mine_.note = note
        await session.flush()
    return line
