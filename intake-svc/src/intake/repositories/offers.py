"""Queries on 免申即享 offers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of

from ..models.offers import ProactiveOffer


class OfferRepository:
    """Offers in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, offer: ProactiveOffer) -> None:
        """Stage a new offer."""
        self.session.add(offer)

    async def find(self, offer_id: str, *, for_update: bool = False) -> ProactiveOffer | None:
        """The offer (locked for update when asked), or None."""
        query = select(ProactiveOffer).where(ProactiveOffer.id == offer_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def existing_items(self, account_id: str, age: int) -> set[str]:
        """The items the person was already offered for reaching `age`."""
        rows = await self.session.execute(
            select(ProactiveOffer.item_code).where(
                ProactiveOffer.account_id == account_id, ProactiveOffer.age == age
            )
        )
        return set(rows.scalars())

    async def page(
        self,
        *,
        account_id: str | None,
        units: tuple[str, ...] | None,
        status: str | None,
        item_code: str | None,
        page: PageParams,
    ) -> tuple[list[ProactiveOffer], int]:
        """Offers of one person, or of `units` (every one when both are None), newest first."""
        query = select(ProactiveOffer)
        if account_id is not None:
            query = query.where(ProactiveOffer.account_id == account_id)
        if units is not None:
            query = query.where(ProactiveOffer.unit_code.in_(units))
        if status is not None:
            query = query.where(ProactiveOffer.status == status)
        if item_code is not None:
            query = query.where(ProactiveOffer.item_code == item_code)
        query = query.order_by(ProactiveOffer.offered_at.desc(), ProactiveOffer.id)
        return await page_of(self.session, query, page)

    async def ids_to_notify(self, limit: int) -> list[str]:
        """Offers still waiting for their SMS (a contact ticket not redeemed yet), oldest first."""
        rows = await self.session.execute(
            select(ProactiveOffer.id)
            .where(ProactiveOffer.notified_at.is_(None), ProactiveOffer.contact_ticket.is_not(None))
            .order_by(ProactiveOffer.offered_at, ProactiveOffer.id)
            .limit(limit)
        )
        return list(rows.scalars())

    async def ids_lapsed(self, now: datetime, limit: int) -> list[str]:
        """Offers still offered whose time ran out by `now`, soonest first."""
        rows = await self.session.execute(
            select(ProactiveOffer.id)
            .where(ProactiveOffer.status == "offered", ProactiveOffer.expires_at <= now)
            .order_by(ProactiveOffer.expires_at, ProactiveOffer.id)
            .limit(limit)
        )
        return list(rows.scalars())
