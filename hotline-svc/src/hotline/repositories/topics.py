"""Queries on hot topics: the clustering's state, the tickets still to place, topic counts by place
and period, a topic's tickets, and the rising-topic alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of, page_of_rows

from ..models import Ticket, TicketTopic, Topic, TopicAlert, TopicModelState


class TopicRepository:
    """Topics, each ticket's topic and the clustering's statistics."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_state(self) -> TopicModelState:
        """The clustering's statistics, locked for this transaction (one pass at a time)."""
        query = select(TopicModelState).where(TopicModelState.id == 1).with_for_update()
        state = (await self.session.execute(query)).scalar_one_or_none()
        if state is None:  # a database migrated before the row existed cannot happen; be safe
            state = TopicModelState(id=1, documents=0, document_frequencies={})
            self.session.add(state)
            await self.session.flush()
        return state

    async def unassigned(self, *, since: datetime | None, limit: int) -> list[Any]:
        """Tickets without a topic yet (created since `since` when given), oldest first."""
        query = (
            select(
                Ticket.id,
                Ticket.title,
                Ticket.description,
                Ticket.street_code,
                Ticket.community_code,
                Ticket.created_at,
            )
            .outerjoin(TicketTopic, TicketTopic.ticket_id == Ticket.id)
            .where(TicketTopic.ticket_id.is_(None))
            .order_by(Ticket.created_at, Ticket.id)
            .limit(limit)
        )
        if since is not None:
            query = query.where(Ticket.created_at >= since)
        return list((await self.session.execute(query)).all())

    async def all_topics(self) -> list[Topic]:
        """Every topic."""
        return list(
            (await self.session.execute(select(Topic).order_by(Topic.created_at, Topic.id))).scalars()
        )

    async def find(self, topic_id: str) -> Topic | None:
        """The topic `topic_id`, or None."""
        return await self.session.get(Topic, topic_id)

    async def by_ids(self, ids: Sequence[str]) -> dict[str, Topic]:
        """The topics of `ids`, keyed by id."""
        if not ids:
            return {}
        rows = await self.session.execute(select(Topic).where(Topic.id.in_(list(ids))))
        return {t.id: t for t in rows.scalars()}

    async def add_assignments(self, rows: list[dict[str, Any]]) -> None:
        """Insert tickets' topics (one statement)."""
        if rows:
            await self.session.execute(insert(TicketTopic), rows)

    async def assignments_since(self, since: datetime) -> list[Any]:
        """(topic id, street, created at, ticket id) of every ticket placed, created since `since`."""
        query = select(
            TicketTopic.topic_id, TicketTopic.street_code, TicketTopic.created_at, TicketTopic.ticket_id
        ).where(TicketTopic.created_at >= since)
        return list((await self.session.execute(query)).all())

    async def counts(
        self,
        *,
        start: date,
        end: date,
        by_week: bool,
        street_code: str | None,
        community_code: str | None,
    ) -> list[Any]:
        """(topic id, period start, street, community, count) of tickets in the days [start, end]."""
        bucket = TicketTopic.week if by_week else TicketTopic.day
        query = (
            select(
                TicketTopic.topic_id,
                bucket,
                TicketTopic.street_code,
                TicketTopic.community_code,
                func.count(),
            )
            .where(TicketTopic.day >= start, TicketTopic.day <= end)
            .group_by(TicketTopic.topic_id, bucket, TicketTopic.street_code, TicketTopic.community_code)
        )
        if street_code is not None:
            query = query.where(TicketTopic.street_code == street_code)
        if community_code is not None:
            query = query.where(TicketTopic.community_code == community_code)
        return list((await self.session.execute(query)).all())

    async def tickets_page(
        self,
        topic_id: str,
        page: PageParams,
        *,
        start: date | None,
        end: date | None,
        street_code: str | None,
    ) -> tuple[list[tuple[Ticket, float]], int]:
        """A page of the topic's tickets with their similarity, newest first, and how many match."""
        query = (
            select(Ticket, TicketTopic.similarity)
            .join(TicketTopic, TicketTopic.ticket_id == Ticket.id)
            .where(TicketTopic.topic_id == topic_id)
            .order_by(TicketTopic.created_at.desc(), TicketTopic.ticket_id)
        )
        if start is not None:
            query = query.where(TicketTopic.day >= start)
        if end is not None:
            query = query.where(TicketTopic.day <= end)
        if street_code is not None:
            query = query.where(TicketTopic.street_code == street_code)
        rows, total = await page_of_rows(self.session, cast("Select[Any]", query), page)
        return [cast("tuple[Ticket, float]", tuple(r)) for r in rows], total

    async def tickets_of_topic(
        self, topic_id: str, *, since: datetime, statuses: Sequence[str]
    ) -> list[Ticket]:
        """The topic's tickets in `statuses` created since `since`, oldest first."""
        query = (
            select(Ticket)
            .join(TicketTopic, TicketTopic.ticket_id == Ticket.id)
            .where(
                TicketTopic.topic_id == topic_id,
                TicketTopic.created_at >= since,
                Ticket.status.in_(list(statuses)),
            )
            .order_by(Ticket.created_at, Ticket.id)
        )
        return list((await self.session.execute(query)).scalars())

    async def tickets(self, ids: Sequence[str]) -> dict[str, tuple[Ticket, float | None]]:
        """The tickets of `ids` with their similarity to their topic, keyed by id."""
        if not ids:
            return {}
        query = (
            select(Ticket, TicketTopic.similarity)
            .outerjoin(TicketTopic, TicketTopic.ticket_id == Ticket.id)
            .where(Ticket.id.in_(list(ids)))
        )
        return {t.id: (t, sim) for t, sim in (await self.session.execute(query)).all()}


class TopicAlertRepository:
    """Rising-topic alerts (热点预警)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keys_of_week(self, week: date) -> set[tuple[str, str]]:
        """(topic id, street) of every alert raised in the week starting `week`."""
        query = select(TopicAlert.topic_id, TopicAlert.street_code).where(TopicAlert.week == week)
        return {(r[0], r[1]) for r in (await self.session.execute(query)).all()}

    async def find(self, alert_id: str, *, lock: bool = False) -> TopicAlert | None:
        """The alert `alert_id`, or None."""
        query = select(TopicAlert).where(TopicAlert.id == alert_id)
        if lock:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page(
        self, page: PageParams, *, status: str | None, street_code: str | None
    ) -> tuple[list[TopicAlert], int]:
        """A page of alerts, newest first, and how many match."""
        query = select(TopicAlert).order_by(TopicAlert.raised_at.desc(), TopicAlert.id)
        if status is not None:
            query = query.where(TopicAlert.status == status)
        if street_code is not None:
            query = query.where(TopicAlert.street_code == street_code)
        return await page_of(self.session, query, page)
