"""Queries on applications: what a viewer may see, the pages and boards, and the background
passes' candidates (each pass re-checks a candidate on its locked row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Application, ClockPause, RevokedGrant


@dataclass(frozen=True)
class Viewer:
    """Whose applications a query may return (the rules that fill it are `services.access`'s).

    `everything` for oversight; staff (`staff_id` set) see their unit's cases and those below it
    (none without a unit) and the cases they assisted; a person (`person_id`) sees their own while
    the grant they were filed under stands, and an enterprise's cases (`enterprise_items`: the
    item codes the grant covers, None for all) while acting for it."""

    everything: bool = False
    staff_id: str | None = None
    staff_unit: str | None = None
    person_id: str | None = None
    enterprise_id: str | None = None
    enterprise_items: tuple[str, ...] | None = None


def _unit_matches(column: Any, code: str) -> ColumnElement[bool]:
    # Units under another carry its code plus "-<suffix>" (windows of a centre, …).
    return or_(column == code, column.like(code.replace("%", r"\%") + "-%"))


def _staff_sees(staff_id: str, code: str | None) -> ColumnElement[bool]:
    if code is None:
        return false()
    return or_(
        _unit_matches(Application.intake_unit_code, code),
        _unit_matches(Application.accepting_unit_code, code),
        _unit_matches(Application.owner_unit_code, code),
        # A street centre sees what its community stations handed it.
        _unit_matches(Application.forwarded_to_unit_code, code),
        Application.assisted_by == staff_id,
    )


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause selecting the applications `viewer` may see."""
    if viewer.everything:
        return true()
    if viewer.staff_id is not None:
        return _staff_sees(viewer.staff_id, viewer.staff_unit)
    # An enterprise's case is the agent's only while the grant it was filed under stands: a revoked
    # grant ends the access at once, whatever token the agent still holds.
    revoked = select(RevokedGrant.grant_id)
    own = and_(
        or_(Application.applicant_id == viewer.person_id, Application.submitted_by == viewer.person_id),
        or_(Application.grant_id.is_(None), Application.grant_id.not_in(revoked)),
    )
    if viewer.enterprise_id is None:
        return own
    enterprise = Application.enterprise_id == viewer.enterprise_id
    if viewer.enterprise_items is not None:
        enterprise = enterprise & Application.item_code.in_(list(viewer.enterprise_items))
    return or_(own, enterprise)


class ApplicationRepository:
    """Applications in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, application_id: str, *, refresh: bool = False) -> Application | None:
        """The application, or None (`refresh`: reloaded from the database)."""
        if refresh:
            return await self.session.get(Application, application_id, populate_existing=True)
        return await self.session.get(Application, application_id)

    async def find_visible(
        self, application_id: str, viewer: Viewer, *, for_update: bool = False
    ) -> Application | None:
        """The application if `viewer` may see it (locked for update when asked), else None."""
        query = select(Application).where(Application.id == application_id, visible_to(viewer))
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def lock(self, application_id: str) -> Application | None:
        """The application locked for update, or None."""
        query = select(Application).where(Application.id == application_id).with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page_visible(
        self, viewer: Viewer, *, status: str | None, limit: int, offset: int
    ) -> tuple[list[Application], int]:
        """One page of what `viewer` may see (in `status`, if given), newest first, and the total."""
        where = [visible_to(viewer)]
        if status:
            where.append(Application.status == status)
        total = int(
            await self.session.scalar(select(func.count()).select_from(Application).where(*where)) or 0
        )
        query = (
            select(Application)
            .where(*where)
            .order_by(Application.received_at.desc(), Application.id)
            .limit(limit)
            .offset(offset)
        )
        return list((await self.session.execute(query)).scalars()), total

    async def open_visible(
        self, viewer: Viewer, open_states: Iterable[str], *, owner_unit_code: str | None
    ) -> list[Application]:
        """The open cases `viewer` may see (of one deciding unit, if given), by due date."""
        query = select(Application).where(Application.status.in_(list(open_states)), visible_to(viewer))
        if owner_unit_code:
            query = query.where(Application.owner_unit_code == owner_unit_code)
        return list(
            (await self.session.execute(query.order_by(Application.due_on, Application.id))).scalars()
        )

    async def _ids(self, where: ColumnElement[bool]) -> list[str]:
        return list((await self.session.execute(select(Application.id).where(where))).scalars())

    async def ids_overdue_unflagged(self, running: Iterable[str], today: date) -> list[str]:
        """Running cases past their due date not yet flagged overdue."""
        return await self._ids(
            Application.status.in_(list(running))
            & (Application.due_on < today)
            & Application.overdue_flagged_at.is_(None)
        )

    async def ids_deficiencies_lapsed(self, running: Iterable[str], today: date) -> list[str]:
        """Running cases whose 容缺 correction deadline passed."""
        return await self._ids(
            Application.status.in_(list(running)) & (Application.deficiency_deadline < today)
        )

    async def ids_notice_window_passed(self, today: date) -> list[str]:
        """Submitted cases whose one-time notice window passed."""
        return await self._ids((Application.status == "submitted") & (Application.notice_due_on < today))

    async def ids_correction_lapsed(self, today: date) -> list[str]:
        """Cases waiting for corrections whose correction deadline passed."""
        return await self._ids(
            (Application.status == "correction_requested") & (Application.correction_deadline < today)
        )

    async def ids_provisional(self) -> list[str]:
        """Cases whose deadlines were counted on a provisional calendar."""
        return await self._ids(Application.provisional_deadline.is_(True))

    async def flag_overdue(
        self, application_id: str, running: Iterable[str], today: date, now: datetime
    ) -> bool:
        """Flag the case overdue unless it was already or moved on; True when this call flagged it."""
        flagged = await self.session.execute(
            update(Application)
            .where(
                Application.id == application_id,
                Application.overdue_flagged_at.is_(None),
                Application.status.in_(list(running)),
                Application.due_on < today,
            )
            .values(overdue_flagged_at=now)
        )
        return bool(flagged.rowcount == 1)  # type: ignore[attr-defined]

    async def open_groups(self, open_states: Iterable[str]) -> list[tuple[date | None, date | None, int]]:
        """(due date, start of the running pause, how many) over the open cases: one grouped count."""
        groups = (
            select(Application.due_on, ClockPause.started_on, func.count())
            .select_from(Application)
            .outerjoin(
                ClockPause,
                and_(
                    ClockPause.application_id == Application.id,
                    ClockPause.ended_on.is_(None),
                    Application.status == "suspended",
                ),
            )
            .where(Application.status.in_(list(open_states)))
            .group_by(Application.due_on, ClockPause.started_on)
        )
        return [(due, since, int(n)) for due, since, n in (await self.session.execute(groups)).all()]

    def add(self, application: Application) -> None:
        """Stage a new application."""
        self.session.add(application)
