"""Queries on bad-review cases (差评整改) and their steps."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of

from ..models import BadReviewCase, CaseStep, Rating
from .scopes import UnitScope


class BadReviewCaseRepository:
    """Bad-review cases in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, case_id: str) -> BadReviewCase | None:
        """The case with id `case_id`, or None."""
        return await self.session.get(BadReviewCase, case_id)

    async def find_by_rating(self, rating_id: str) -> BadReviewCase | None:
        """The case a rating opened, or None."""
        stmt = select(BadReviewCase).where(BadReviewCase.rating_id == rating_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def add(self, case: BadReviewCase) -> None:
        """Stage a new case."""
        self.session.add(case)

    def add_step(self, step: CaseStep) -> None:
        """Stage a step of a case."""
        self.session.add(step)

    async def page(
        self, *, scope: UnitScope, status: str | None, overdue: bool | None, page: PageParams
    ) -> tuple[list[BadReviewCase], int]:
        """A page of the cases of the units in `scope` (in one state, overdue or not), newest first,
        and how many there are."""
        # Both keys descending: the (…, opened_at, id) indexes read backwards give exactly this
        # order, so a page stops at its limit (with id ascending PostgreSQL sorted every match).
        stmt = (
            select(BadReviewCase)
            .where(scope.clause(BadReviewCase.unit_code))
            .order_by(BadReviewCase.opened_at.desc(), BadReviewCase.id.desc())
        )
        if status is not None:
            stmt = stmt.where(BadReviewCase.status == status)
        if overdue is not None:
            stmt = stmt.where(BadReviewCase.overdue.is_(overdue))
        return await page_of(self.session, stmt, page)

    async def page_of_rater(self, subject: str, page: PageParams) -> tuple[list[BadReviewCase], int]:
        """A page of the cases of `subject`'s bad reviews, newest first, and how many there are."""
        stmt = (
            select(BadReviewCase)
            .join(Rating, Rating.id == BadReviewCase.rating_id)
            .where(Rating.rater_subject == subject)
            .order_by(BadReviewCase.opened_at.desc(), BadReviewCase.id)
        )
        return await page_of(self.session, stmt, page)

    async def steps_of(self, case_ids: list[str]) -> dict[str, list[CaseStep]]:
        """{case id: its steps in order} of the cases among `case_ids` (in one query)."""
        steps: dict[str, list[CaseStep]] = defaultdict(list)
        found = await self.session.execute(
            select(CaseStep).where(CaseStep.case_id.in_(case_ids)).order_by(CaseStep.id)
        )
        for step in found.scalars():
            steps[step.case_id].append(step)
        return steps

    async def overdue_ids(self, now: datetime) -> list[str]:
        """Ids of the open cases past their deadline not flagged overdue yet."""
        stmt = select(BadReviewCase.id).where(
            BadReviewCase.closed.is_(False),
            BadReviewCase.overdue.is_(False),
            BadReviewCase.deadline_at < now,
        )
        return list((await self.session.execute(stmt)).scalars().all())

    async def claim_overdue(self, case_id: str) -> BadReviewCase | None:
        """Flag the case overdue unless another replica did first (then None); the case, refreshed."""
        # Conditional update: a replica that got here first leaves rowcount 0 for us.
        result = await self.session.execute(
            update(BadReviewCase)
            .where(BadReviewCase.id == case_id, BadReviewCase.overdue.is_(False))
            .values(overdue=True)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        case = await self.session.get(BadReviewCase, case_id)
        assert case is not None
        await self.session.refresh(case)
        return case
