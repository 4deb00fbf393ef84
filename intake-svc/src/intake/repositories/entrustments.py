"""Queries on entrustment agreements (委托受理协议)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Entrustment


def _valid_on(on: date) -> tuple[ColumnElement[bool], ...]:
    return (Entrustment.valid_from <= on, Entrustment.valid_until >= on, Entrustment.revoked_at.is_(None))


def _party_to(unit_code: str) -> ColumnElement[bool]:
    return (Entrustment.entrusting_unit_code == unit_code) | (Entrustment.entrusted_unit_code == unit_code)


class EntrustmentRepository:
    """Entrustment agreements in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, agreement_id: str) -> Entrustment | None:
        """The agreement, or None."""
        return await self.session.get(Entrustment, agreement_id)

    async def valid_between(self, *, entrusting: str, entrusted: list[str], on: date) -> list[Entrustment]:
        """Agreements of `entrusting` with any of `entrusted` valid on `on`, oldest first."""
        rows = await self.session.execute(
            select(Entrustment)
            .where(
                Entrustment.entrusting_unit_code == entrusting,
                Entrustment.entrusted_unit_code.in_(entrusted),
                *_valid_on(on),
            )
            .order_by(Entrustment.created_at)
        )
        return list(rows.scalars())

    async def valid_not_from(self, *, owner: str, entrusted: list[str], on: date) -> list[Entrustment]:
        """Agreements entrusting any of `entrusted`, by another unit than `owner`, valid on `on`,
        oldest first."""
        rows = await self.session.execute(
            select(Entrustment)
            .where(
                Entrustment.entrusted_unit_code.in_(entrusted),
                Entrustment.entrusting_unit_code != owner,
                *_valid_on(on),
            )
            .order_by(Entrustment.created_at)
        )
        return list(rows.scalars())

    async def find_entrusting_unit(self, entrusted: str, on: date) -> str | None:
        """The unit that entrusted `entrusted` under its oldest agreement valid on `on`, if any."""
        row = await self.session.execute(
            select(Entrustment.entrusting_unit_code)
            .where(Entrustment.entrusted_unit_code == entrusted, *_valid_on(on))
            .order_by(Entrustment.created_at)
            .limit(1)
        )
        return row.scalar_one_or_none()

    async def page(self, unit_code: str | None, *, limit: int, offset: int) -> tuple[list[Entrustment], int]:
        """One page of the agreements, all or those a unit is party to, and how many there are."""
        where = [_party_to(unit_code)] if unit_code else []
        total = int(
            await self.session.scalar(select(func.count()).select_from(Entrustment).where(*where)) or 0
        )
        query = (
            select(Entrustment)
            .where(*where)
            .order_by(Entrustment.created_at, Entrustment.id)
            .limit(limit)
            .offset(offset)
        )
        return list((await self.session.execute(query)).scalars()), total

    async def references(self) -> set[str]:
        """The references (协议文号) of every agreement recorded."""
        return {r for r in (await self.session.execute(select(Entrustment.reference))).scalars() if r}

    def add(self, agreement: Entrustment) -> None:
        """Stage a new agreement."""
        self.session.add(agreement)
