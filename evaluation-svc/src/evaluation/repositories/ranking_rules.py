"""Queries on the ranking rules (红旗窗口, 服务之星)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import RankingRule


class RankingRuleRepository:
    """Ranking rules in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, name: str) -> RankingRule | None:
        """The rule named `name`, or None."""
        return await self.session.get(RankingRule, name)

    async def all(self) -> list[RankingRule]:
        """Every rule, by name."""
        return list((await self.session.execute(select(RankingRule).order_by(RankingRule.name))).scalars())

    def add(self, rule: RankingRule) -> None:
        """Stage a new rule."""
        self.session.add(rule)
