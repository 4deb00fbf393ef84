"""Queries on 告知承诺: post-checks and the breaches recorded against applicants."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of_rows

from ..models.applications import Application
from ..models.commitments import CommitmentBreach, PostCheck


class CommitmentRepository:
    """Post-checks and breaches in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, check: PostCheck) -> None:
        """Stage a new post-check."""
        self.session.add(check)

    def add_breach(self, breach: CommitmentBreach) -> None:
        """Stage a breach record."""
        self.session.add(breach)

    async def find_check(self, check_id: str, *, for_update: bool = False) -> PostCheck | None:
        """The post-check (locked for update when asked), or None."""
        query = select(PostCheck).where(PostCheck.id == check_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def find_breach(self, applicant_id: str, enterprise_id: str | None) -> CommitmentBreach | None:
        """A false commitment on record for the person (or the enterprise they act for), or None."""
        who = [CommitmentBreach.applicant_id == applicant_id]
        if enterprise_id:
            who.append(CommitmentBreach.enterprise_id == enterprise_id)
        query = select(CommitmentBreach).where(or_(*who)).order_by(CommitmentBreach.recorded_at).limit(1)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page(
        self, units: tuple[str, ...] | None, *, status: str | None, page: PageParams
    ) -> tuple[list[tuple[PostCheck, Application]], int]:
        """Post-checks of `units` (all for None) with their cases, soonest due first, and the total."""
        query = select(PostCheck, Application).join(Application, Application.id == PostCheck.application_id)
        if units is not None:
            query = query.where(PostCheck.unit_code.in_(units))
        if status is not None:
            query = query.where(PostCheck.status == status)
        query = query.order_by(PostCheck.due_on, PostCheck.id)
        rows, total = await page_of_rows(self.session, cast("Select[Any]", query), page)
        return [(c, a) for c, a in cast(list[tuple[PostCheck, Application]], rows)], total
