"""Queries of 催办 and 督办: the staff read model (whom they name), the reminders and escalations
raised, the cases a pass looks at, and the work lists.

A unique (case, kind, cycle) constraint backs the pass: each reminder and each escalation is raised
once per due date however many replicas scan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.pagination import PageParams, page_of_rows
from yiwang_shared.staff_read_model import StaffDirectory

from ..models.applications import OPEN_STATUSES, Application, DecisionStep
from ..models.escalation import CaseEscalation, EscalationRecipient, StaffMember
from .applications import Viewer, visible_filter, visible_to

#: intake's copy of identity's staff (from identity.staff.changed.v1), read through the shared directory.
staff_directory = StaffDirectory(StaffMember)


class StaffRepository:
    """The staff read model: who holds which role where."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, data: dict[str, Any]) -> StaffMember:
        """Apply a staff.changed payload (an older event never overwrites a newer state)."""
        staff: StaffMember = await staff_directory.upsert(self.session, data)
        return staff

    async def find(self, staff_id: str) -> StaffMember | None:
        """A staff member by account id, active or not (None when identity never told us)."""
        staff: StaffMember | None = await staff_directory.find(self.session, staff_id)
        return staff

    async def active_in_unit(self, unit_code: str, roles: Iterable[str]) -> list[StaffMember]:
        """Active staff of exactly `unit_code` holding one of `roles`, by name."""
        return await staff_directory.active_in_unit(self.session, unit_code, roles)


def raised_between(first: date | None, last: date | None) -> list[ColumnElement[bool]]:
    """`raised_at` within the Beijing days `first` to `last` (both inclusive, each open when None)."""
    out: list[ColumnElement[bool]] = []
    if first is not None:
        out.append(CaseEscalation.raised_at >= datetime.combine(first, time.min, SHANGHAI).astimezone(UTC))
    if last is not None and last < date.max:
        end = datetime.combine(last + timedelta(days=1), time.min, SHANGHAI).astimezone(UTC)
        out.append(CaseEscalation.raised_at < end)
    return out


def _base() -> Select[CaseEscalation, Application]:
    return select(CaseEscalation, Application).join(
        Application, Application.id == CaseEscalation.application_id
    )


def _kind(kind: str | None) -> list[ColumnElement[bool]]:
    return [] if kind is None else [CaseEscalation.kind == kind]


class EscalationRepository:
    """Reminders and escalations (催办督办) and the people they name."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def steps_by_people(self, application_id: str, *, not_by: str) -> list[DecisionStep]:
        """A case's decision steps recorded by someone other than `not_by`, latest first (whom a
        reminder names)."""
        rows = await self.session.execute(
            select(DecisionStep)
            .where(DecisionStep.application_id == application_id, DecisionStep.actor != not_by)
            .order_by(DecisionStep.started_at.desc(), DecisionStep.id.desc())
        )
        return list(rows.scalars())

    async def candidate_ids(
        self, running: Iterable[str], horizon: date, *, today: date | None = None
    ) -> list[str]:
        """Running cases due before `horizon`, not yet escalated to the district for their due date,
        by due date; given `today`, without those not yet due (today or later) already reminded
        for their due date: nothing more is due on them before they are overdue."""

        def raised(kind: str) -> ColumnElement[bool]:
            return exists().where(
                CaseEscalation.application_id == Application.id,
                CaseEscalation.kind == kind,
                CaseEscalation.due_on == Application.due_on,
            )

        where = [
            Application.status.in_(list(running)),
            Application.due_on.is_not(None),
            Application.due_on < horizon,
            ~raised("district_office"),
        ]
        if today is not None:
            where.append(or_(Application.due_on < today, ~raised("reminder")))
        query = select(Application.id).where(and_(*where)).order_by(Application.due_on, Application.id)
        return list((await self.session.execute(query)).scalars())

    async def lock_case(self, application_id: str) -> Application | None:
        """The case locked for update, or None."""
        query = select(Application).where(Application.id == application_id).with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def of_cycle(self, application_id: str, cycle: str) -> list[CaseEscalation]:
        """What was already raised on the case for one due date."""
        query = select(CaseEscalation).where(
            CaseEscalation.application_id == application_id, CaseEscalation.cycle == cycle
        )
        return list((await self.session.execute(query)).scalars())

    async def recipients(self, ids: Sequence[str]) -> dict[str, list[EscalationRecipient]]:
        """The people each of `ids` names, by name."""
        out: dict[str, list[EscalationRecipient]] = {}
        if not ids:
            return out
        rows = await self.session.execute(
            select(EscalationRecipient)
            .where(EscalationRecipient.escalation_id.in_(list(ids)))
            .order_by(EscalationRecipient.name, EscalationRecipient.staff_id)
        )
        for r in rows.scalars():
            out.setdefault(r.escalation_id, []).append(r)
        return out

    async def _page(
        self,
        query: Select[CaseEscalation, Application],
        page: PageParams,
        counted: Select[Any] | None = None,
    ) -> tuple[list[tuple[CaseEscalation, Application]], int]:
        ordered = query.order_by(
            CaseEscalation.raised_at.desc(), CaseEscalation.level.desc(), CaseEscalation.id
        )
        if counted is None:
            counted = query.with_only_columns(CaseEscalation.id)
        rows, total = await page_of_rows(self.session, cast("Select[Any]", ordered), page, counted=counted)
        return [(e, a) for e, a in cast("list[tuple[CaseEscalation, Application]]", rows)], total

    async def page_naming(
        self,
        staff_id: str,
        *,
        kind: str | None,
        acknowledged: bool | None,
        case_states: Iterable[str] | None,
        page: PageParams,
    ) -> tuple[list[tuple[CaseEscalation, Application]], int]:
        """A page of those naming `staff_id` (acknowledged by them or not, if asked; on cases in
        `case_states`, if given), newest first, and the total."""
        where = [EscalationRecipient.staff_id == staff_id, *_kind(kind)]
        if acknowledged is not None:
            done = EscalationRecipient.acknowledged_at.is_not(None)
            where.append(done if acknowledged else ~done)
        query = (
            _base()
            .join(EscalationRecipient, EscalationRecipient.escalation_id == CaseEscalation.id)
            .where(*where)
        )
        if case_states is not None and frozenset(case_states) == frozenset(OPEN_STATUSES):
            # Driven by the open cases (their entries of a status index, then their escalations), not
            # by every escalation that ever named the person: those grow with the years, the open
            # cases do not. By `status` itself: the partial index's term would let SQLite scan a
            # whole index that holds the status and the id (the units' ones) instead.
            on_open_cases = select(CaseEscalation.id).where(
                CaseEscalation.application_id.in_(
                    select(Application.id).where(Application.status.in_(OPEN_STATUSES))
                )
            )
            query = query.where(EscalationRecipient.escalation_id.in_(on_open_cases))
        elif case_states is not None:
            query = query.where(Application.status.in_(list(case_states)))
        return await self._page(query, page)

    async def page_on_cases(
        self,
        viewer: Viewer,
        *,
        kind: str | None,
        unit_code: str | None,
        application_id: str | None,
        first: date | None,
        last: date | None,
        page: PageParams,
    ) -> tuple[list[tuple[CaseEscalation, Application]], int]:
        """A page of those on the cases `viewer` sees (naming one unit's people, on one case, raised
        on the days `first` to `last`, each if given), newest first, and the total."""
        own = [*_kind(kind), *raised_between(first, last)]
        if unit_code:
            own.append(CaseEscalation.unit_code == unit_code)
        if application_id:
            own.append(CaseEscalation.application_id == application_id)
        # Walked newest first, each row's case checked (not every case of the units, then sorted).
        query = _base().where(visible_filter(viewer), *own)
        # Who sees every case counts the escalations alone, on the index of its filter, without
        # reading each one's case through a join (the page, a few rows, still joins them).
        counted = select(CaseEscalation.id).where(*own) if viewer.everything else None
        return await self._page(query, page, counted)

    async def page_of_case(
        self, application_id: str, *, page: PageParams
    ) -> tuple[list[tuple[CaseEscalation, Application]], int]:
        """A page of one case's, newest first, and the total."""
        return await self._page(_base().where(CaseEscalation.application_id == application_id), page)

    async def find_for(
        self, escalation_id: str, staff_id: str, viewer: Viewer
    ) -> tuple[CaseEscalation, Application] | None:
        """One, with its case, if it names `staff_id` or is on a case `viewer` sees; else None."""
        named = exists().where(
            EscalationRecipient.escalation_id == CaseEscalation.id,
            EscalationRecipient.staff_id == staff_id,
        )
        row = (
            await self.session.execute(
                _base().where(CaseEscalation.id == escalation_id, named | visible_to(viewer))
            )
        ).first()
        if row is None:
            return None
        escalation, app = row
        return escalation, app
