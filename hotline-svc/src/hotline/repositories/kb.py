"""Queries on the knowledge base: entries, versions, the search index, uses, catalogue items."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import Select, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CatalogItem, KbEntry, KbTerm, KbUsage, KbVersion


def _matching(terms: Sequence[str], today: date) -> Select[str]:
    """Ids of the indexed entries holding any of `terms` and not past their expiry day."""
    # Only published entries have index terms (publishing writes them, withdrawing deletes them);
    # an entry past its expiry day keeps them until the next scan, so it is left out here. Joining
    # the entries instead would cost every term row a lookup (twice the time at 20,000 entries).
    expired = select(KbEntry.id).where(KbEntry.expires_on < today)
    return (
        select(KbTerm.entry_id)
        .where(KbTerm.term.in_(terms), KbTerm.entry_id.not_in(expired))
        .group_by(KbTerm.entry_id)
    )


class KbRepository:
    """Knowledge-base entries and their versions, index terms and uses."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find_entry(self, entry_id: str) -> KbEntry | None:
        """The entry `entry_id`, or None."""
        return await self.session.get(KbEntry, entry_id)

    async def entry_for_item(self, item_code: str) -> KbEntry | None:
        """The entry made from catalogue item `item_code`, or None."""
        query = select(KbEntry).where(KbEntry.catalog_item_code == item_code)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def questions(self) -> set[str]:
        """The question of every entry."""
        return set((await self.session.execute(select(KbEntry.question))).scalars())

    async def versions(self, entry_id: str) -> list[KbVersion]:
        """The entry's versions, oldest first."""
        query = select(KbVersion).where(KbVersion.entry_id == entry_id).order_by(KbVersion.version_no)
        return list((await self.session.execute(query)).scalars())

    async def catalog_item(self, item_code: str) -> CatalogItem | None:
        """The catalogue item `item_code` of the read model, or None."""
        return await self.session.get(CatalogItem, item_code)

    async def delete_terms(self, entry_id: str) -> None:
        """Take the entry out of the search index."""
        await self.session.execute(delete(KbTerm).where(KbTerm.entry_id == entry_id))

    def add_terms(self, entry_id: str, terms: dict[str, float]) -> None:
        """Stage the entry's weighted index terms."""
        self.session.add_all(KbTerm(entry_id=entry_id, term=t, weight=w) for t, w in terms.items())

    async def indexed_entries(self) -> int:
        """How many entries have index terms."""
        return int(await self.session.scalar(select(func.count(func.distinct(KbTerm.entry_id)))) or 0)

    async def term_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How many entries hold each of `terms` (terms in none are left out)."""
        rows = await self.session.execute(
            select(KbTerm.term, func.count()).where(KbTerm.term.in_(terms)).group_by(KbTerm.term)
        )
        return {term: int(count) for term, count in rows.all()}

    async def ranked(
        self, weights: dict[str, float], *, today: date, limit: int, offset: int
    ) -> list[tuple[str, float, int]]:
        """(entry id, score, matches in all) of a page of the unexpired entries holding any term of
        `weights`, best first: the sum of each term's index weight × its weight here."""
        terms = list(weights)
        factor = case(*((KbTerm.term == t, weights[t]) for t in terms), else_=0.0)
        score = func.sum(KbTerm.weight * factor).label("score")
        # The window counts the groups, so one query gives the page and the number of matches.
        ranked = await self.session.execute(
            _matching(terms, today)
            .add_columns(score, func.count().over().label("total"))
            .order_by(score.desc(), KbTerm.entry_id)
            .limit(limit)
            .offset(offset)
        )
        return [(entry_id, float(value), int(total)) for entry_id, value, total in ranked]

    async def count_matching(self, terms: Sequence[str], *, today: date) -> int:
        """How many unexpired entries hold any of `terms`."""
        query = select(func.count()).select_from(_matching(terms, today).subquery())
        return int(await self.session.scalar(query) or 0)

    async def published(self, entry_ids: Iterable[str]) -> dict[str, tuple[KbEntry, KbVersion]]:
        """Each entry of `entry_ids` with its published version, by entry id."""
        found = await self.session.execute(
            select(KbEntry, KbVersion)
            .join(
                KbVersion,
                (KbVersion.entry_id == KbEntry.id) & (KbVersion.version_no == KbEntry.published_version_no),
            )
            .where(KbEntry.id.in_(list(entry_ids)))
        )
        return {entry.id: (entry, version) for entry, version in found}

    async def usage_counts(self, start: datetime | None, end: datetime | None) -> dict[str, int]:
        """Uses of each entry used in [start, end), by entry id."""
        query = select(KbUsage.entry_id, func.count().label("n")).group_by(KbUsage.entry_id)
        if start is not None:
            query = query.where(KbUsage.used_at >= start)
        if end is not None:
            query = query.where(KbUsage.used_at < end)
        return dict((await self.session.execute(query)).all())

    async def entries(self, entry_ids: Iterable[str]) -> list[KbEntry]:
        """The entries of `entry_ids` (in no particular order)."""
        ids = list(entry_ids)
        query = (
            select(KbEntry).where(KbEntry.id.in_(ids)) if ids else select(KbEntry).where(KbEntry.id.is_(None))
        )
        return list((await self.session.execute(query)).scalars())

    async def expired_published(self, today: date) -> list[str]:
        """Ids of published entries whose expiry day is before `today`."""
        query = select(KbEntry.id).where(
            KbEntry.status == "published", KbEntry.expires_on.is_not(None), KbEntry.expires_on < today
        )
        return list((await self.session.execute(query)).scalars())

    async def claim_expired(self, entry_id: str, now: datetime, *, sources: list[str], target: str) -> bool:
        """Move the entry from one of `sources` to `target` as expired, unless another transaction
        moved it first; True when this call did."""
        claimed = await self.session.execute(
            update(KbEntry)
            .where(KbEntry.id == entry_id, KbEntry.status.in_(sources))
            .values(status=target, withdrawn_reason="expired", updated_at=now)
        )
        return claimed.rowcount == 1  # type: ignore[attr-defined,no-any-return]
