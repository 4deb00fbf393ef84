"""Queries on the reference rules: request categories, the dispatch catalogue, time-limit rules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of

from ..models import Category, DispatchRule, TimeLimitRule


class CategoryRepository:
    """Request categories (诉求分类)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, code: str) -> Category | None:
        """The category `code`, active or not, or None."""
        return await self.session.get(Category, code)

    async def active(self) -> list[Category]:
        """Every active category, by code."""
        query = select(Category).where(Category.active.is_(True)).order_by(Category.code)
        return list((await self.session.execute(query)).scalars())

    async def active_page(self, page: PageParams) -> tuple[list[Category], int]:
        """A page of the active categories, by code, and how many there are."""
        query = select(Category).where(Category.active.is_(True)).order_by(Category.code)
        return await page_of(self.session, query, page)


class DispatchRuleRepository:
    """The dispatch catalogue (派单目录)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, rule_id: str) -> DispatchRule | None:
        """The rule `rule_id`, or None."""
        return await self.session.get(DispatchRule, rule_id)

    async def find_for(self, category_code: str, area_code: str) -> DispatchRule | None:
        """The rule for exactly this category × area, or None."""
        query = select(DispatchRule).where(
            DispatchRule.category_code == category_code, DispatchRule.area_code == area_code
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page(self, page: PageParams) -> tuple[list[DispatchRule], int]:
        """A page of the rules, by category and area, and how many there are."""
        query = select(DispatchRule).order_by(
            DispatchRule.category_code, DispatchRule.area_code, DispatchRule.id
        )
        return await page_of(self.session, query, page)

    async def keys(self) -> set[tuple[str, str]]:
        """The (category, area) of every rule."""
        query = select(DispatchRule.category_code, DispatchRule.area_code)
        return set((await self.session.execute(query)).all())


class TimeLimitRuleRepository:
    """Time-limit rules (办理时限)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, code: str) -> TimeLimitRule | None:
        """The rule `code`, or None."""
        return await self.session.get(TimeLimitRule, code)

    async def page(self, page: PageParams) -> tuple[list[TimeLimitRule], int]:
        """A page of the rules, shortest first, and how many there are."""
        query = select(TimeLimitRule).order_by(TimeLimitRule.amount, TimeLimitRule.code)
        return await page_of(self.session, query, page)
